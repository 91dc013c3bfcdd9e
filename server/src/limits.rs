//! Load limits: the requests that scan many events (timeline windows, facets, searches,
//! the timeline page) run at most `EXPENSIVE_AT_ONCE` at a time; past that the server says
//! 503 with Retry-After at once instead of queueing work it cannot finish in time.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;
use tokio::sync::Semaphore;

/// Twice the pool's connections: enough to keep every connection busy.
pub const EXPENSIVE_AT_ONCE: usize = 32;

#[derive(Clone)]
pub struct ExpensiveTurns(Arc<Semaphore>);

impl Default for ExpensiveTurns {
    fn default() -> Self {
        ExpensiveTurns(Arc::new(Semaphore::new(EXPENSIVE_AT_ONCE)))
    }
}

/// The routes whose cost grows with the record: the timeline page and its reads, the
/// event list and search.
fn is_expensive(req: &Request<Body>) -> bool {
    let path = req.uri().path();
    path == "/"
        || path.starts_with("/api/timeline")
        || path == "/api/events"
        || path.starts_with("/api/load_")
}

pub async fn cap_expensive(
    State(turns): State<ExpensiveTurns>,
    req: Request<Body>,
    next: Next,
) -> Response {
    if !is_expensive(&req) {
        return next.run(req).await;
    }
    match turns.0.clone().try_acquire_owned() {
        Ok(turn) => {
            let response = next.run(req).await;
            drop(turn);
            response
        }
        Err(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::RETRY_AFTER, "1")],
            "The server is busy. Try again in a moment.",
        )
            .into_response(),
    }
}
