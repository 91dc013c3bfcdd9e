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
    #[error("the record could not be read; try again in a moment")]
    Database(#[from] app::db::DbError),
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = match &self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Database(e) => {
                tracing::error!(error = %e, "API request failed");
                StatusCode::INTERNAL_SERVER_ERROR
            }
        };
        let body = json!({ "error": { "status": status.as_u16(), "message": self.to_string() } });
        (status, Json(body)).into_response()
    }
}

impl From<axum::extract::rejection::QueryRejection> for ApiError {
    fn from(e: axum::extract::rejection::QueryRejection) -> Self {
        ApiError::BadRequest(e.body_text())
    }
}
