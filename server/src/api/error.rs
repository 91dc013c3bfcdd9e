//! The API's one error type, mapped once to a status and a JSON body a person can act on.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    BadRequest(String),
    #[error("no {0} with that id")]
    NotFound(&'static str),
    #[error("the record is temporarily unavailable; try again in a few seconds")]
    Unavailable,
    /// Too many downloads are being written at once.
    #[error("too many downloads are being written right now; try again in a few seconds")]
    Busy,
    #[error("the record could not be read; try again in a moment")]
    Database(app::db::DbError),
    /// oEmbed's answer for an address that is not a published event or a timeline view here.
    #[error("that address is not a published event's permalink or a timeline view on this site")]
    NotEmbeddable,
    /// A download could not be written (logged).
    #[error("the download could not be written; try again in a moment")]
    Export(String),
}

impl From<app::db::DbError> for ApiError {
    fn from(e: app::db::DbError) -> Self {
        if e.is_unavailable() {
            tracing::warn!(error = %e, "API request: database unavailable");
            ApiError::Unavailable
        } else if e.is_bad_value() {
            ApiError::BadRequest(
                "a parameter holds a value that cannot be searched (a NUL character, or a number out of range)".into(),
            )
        } else {
            ApiError::Database(e)
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = match &self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::NotFound(_) | ApiError::NotEmbeddable => StatusCode::NOT_FOUND,
            ApiError::Unavailable | ApiError::Busy => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Database(e) => {
                tracing::error!(error = %e, "API request failed");
                StatusCode::INTERNAL_SERVER_ERROR
            }
            ApiError::Export(e) => {
                tracing::error!(error = %e, "a download failed");
                StatusCode::INTERNAL_SERVER_ERROR
            }
        };
        let body = json!({ "error": { "status": status.as_u16(), "message": self.to_string() } });
        let mut response = (status, Json(body)).into_response();
        if status == StatusCode::SERVICE_UNAVAILABLE {
            response.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from_static("5"),
            );
        }
        response
    }
}

impl From<axum::extract::rejection::QueryRejection> for ApiError {
    fn from(e: axum::extract::rejection::QueryRejection) -> Self {
        ApiError::BadRequest(e.body_text())
    }
}
