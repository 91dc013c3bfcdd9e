//! `GET /api/events` and `GET /api/events/{id}`.

use super::{parse_id, ApiError};
use app::db;
use app::domain::filter::RawEventFilter;
use app::domain::{EventDetail, EventFilter, EventId, EventPage};
use app::state::AppState;
use axum::extract::{Path, Query, State};
use axum::Json;

/// Published events in date order. Query: `from`, `to` (YYYY-MM-DD), `q`, `kind`, `actor`,
/// `limit` (1–1000, default 100), `cursor` (from the previous page's `next_cursor`).
pub async fn list(
    State(state): State<AppState>,
    query: Result<Query<RawEventFilter>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<EventPage>, ApiError> {
    let Query(raw) = query?;
    let filter = EventFilter::try_from(raw).map_err(|e| ApiError::BadRequest(e.to_string()))?;
    Ok(Json(db::events::list(&state.pool, &filter).await?))
}

/// One published event with its citations and relations.
pub async fn one(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<EventDetail>, ApiError> {
    let id = EventId(parse_id("event", &id)?);
    db::events::detail(&state.pool, id, false)
        .await?
        .map(Json)
        .ok_or(ApiError::NotFound("published event"))
}
