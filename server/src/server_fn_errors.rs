//! The HTTP status of every server function's error, decided in one place:
//! `AppError::status`. The framework answers any error 500 with the error (JSON) in the
//! body and a `serverfnerror` header; for a form posted without JavaScript it answers a
//! redirect back to the form instead, with the error in the URL. This layer reads the
//! error and answers with its status (and `Retry-After` for trouble that passes), so a
//! script and a plain form alike hear 401, 403, 404, 409, 429, 400, 503 or 500.
//!
//! Arguments that do not decode are the caller's mistake (the framework's decoder fails
//! before our code runs): 400, naming the field. A plain form's redirect for such a
//! framework error stays a redirect, as the framework made it.

use app::server_fns::AppError;
use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

/// The header server functions put on their error answers.
const SERVER_FN_ERROR: &str = "serverfnerror";
/// An error's body is short; a longer one is not one of ours and is passed on as it is.
const MAX_ERROR_BODY: usize = 64 * 1024;

pub async fn status_from_error(req: Request, next: Next) -> Response {
    let response = next.run(req).await;
    if !response.headers().contains_key(SERVER_FN_ERROR) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, MAX_ERROR_BODY).await {
        Ok(b) => b,
        Err(_) => Bytes::from_static(b"the answer could not be read"),
    };
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        let plain_form = parts.status.is_redirection();
        if !(plain_form && matches!(error, AppError::Framework(_))) {
            parts.status =
                StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            if let Some(seconds) = error.retry_after() {
                parts
                    .headers
                    .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
            }
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::routing::get;
    use axum::Router;
    use leptos::server_fn::error::ServerFnErrorErr;
    use tower::ServiceExt;

    /// What the framework answers for `error`: 500, or a plain form's redirect.
    async fn answered(error: AppError, status: StatusCode) -> Response {
        let body = serde_json::to_vec(&error).expect("serializes");
        let app = Router::new()
            .route(
                "/api/x",
                get(move || async move {
                    Response::builder()
                        .status(status)
                        .header(SERVER_FN_ERROR, "/api/x")
                        .header(header::LOCATION, "/form?__err=x")
                        .body(Body::from(body))
                        .expect("response builds")
                }),
            )
            .layer(axum::middleware::from_fn(status_from_error));
        let request = Request::get("/api/x")
            .body(Body::empty())
            .expect("request builds");
        app.oneshot(request).await.expect("router answers")
    }

    #[tokio::test]
    async fn each_error_is_answered_with_its_own_status() {
        let cases = [
            (AppError::sign_in_first(), 401),
            (AppError::Forbidden("no".into()), 403),
            (AppError::NotFound("account".into()), 404),
            (AppError::Conflict("no".into()), 409),
            (AppError::BadRequest("no".into()), 400),
            (AppError::TooManyRequests("wait".into()), 429),
            (
                AppError::Internal {
                    request_id: "r".into(),
                },
                500,
            ),
            (
                AppError::Framework(ServerFnErrorErr::Args("form[title]".into())),
                400,
            ),
        ];
        for (error, status) in cases {
            for framework in [StatusCode::INTERNAL_SERVER_ERROR, StatusCode::FOUND] {
                if framework == StatusCode::FOUND && matches!(error, AppError::Framework(_)) {
                    continue;
                }
                let response = answered(error.clone(), framework).await;
                assert_eq!(
                    response.status().as_u16(),
                    status,
                    "{error:?} after {framework}"
                );
                assert!(!response.headers().contains_key(header::RETRY_AFTER));
            }
        }
        let down = answered(
            AppError::Unavailable {
                request_id: "r".into(),
            },
            StatusCode::INTERNAL_SERVER_ERROR,
        )
        .await;
        assert_eq!(down.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(down.headers()[header::RETRY_AFTER], "5");
    }

    #[tokio::test]
    async fn a_plain_form_s_redirect_for_a_framework_error_stays_a_redirect() {
        let error = AppError::Framework(ServerFnErrorErr::Args("id".into()));
        let response = answered(error, StatusCode::FOUND).await;
        assert_eq!(response.status(), StatusCode::FOUND);
        assert_eq!(response.headers()[header::LOCATION], "/form?__err=x");
    }
}
