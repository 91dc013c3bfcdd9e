//! The JSON API: the same queries and domain types as the pages, as JSON.

mod changes;
mod citations;
mod error;
mod events;
pub mod openapi;
mod sources;
mod timeline;

pub use error::ApiError;

use app::state::AppState;
use axum::routing::get;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/openapi.json", get(openapi::document_json))
        .route("/api/docs", get(openapi::docs_page))
        .route("/api/changes", get(changes::between))
        .route("/api/citations/{id}", get(citations::one))
        .route("/api/events", get(events::list))
        .route("/api/events/{id}", get(events::one))
        .route("/api/sources/{id}", get(sources::one))
        .route("/api/timeline", get(timeline::window))
        .route("/api/timeline/facets", get(timeline::facets))
}

/// Parses a path id, or answers 400 naming what was wrong.
fn parse_id(what: &'static str, raw: &str) -> Result<i64, ApiError> {
    raw.parse::<i64>().ok().filter(|id| *id > 0).ok_or_else(|| {
        ApiError::BadRequest(format!(
            "“{raw}” is not a {what} id: ids are positive whole numbers"
        ))
    })
}
