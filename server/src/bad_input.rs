//! Malformed arguments to a server function are the caller's mistake, not the server's:
//! the framework answers them 500 (its decoder fails before our code runs), so this layer
//! turns exactly those answers into 400s, keeping the message that names the field.

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;

/// The header server functions put on their error answers.
const SERVER_FN_ERROR: &str = "serverfnerror";
/// An argument-decoding error's body is short; a longer 500 is not one of them.
const MAX_ERROR_BODY: usize = 64 * 1024;

pub async fn arguments_are_client_errors(req: Request, next: Next) -> Response {
    let response = next.run(req).await;
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !response.headers().contains_key(SERVER_FN_ERROR)
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, MAX_ERROR_BODY).await {
        Ok(b) => b,
        Err(_) => Bytes::from_static(b"the answer could not be read"),
    };
    // server_fn's wire form of its own decoding errors: "Args|…", "Deserialization|…".
    if bytes.starts_with(b"Args|") || bytes.starts_with(b"Deserialization|") {
        parts.status = StatusCode::BAD_REQUEST;
    }
    Response::from_parts(parts, Body::from(bytes))
}
