//! `GET /api/events` and `GET /api/events/{id}`.

use super::{parse_id, ApiError};
use app::db;
use app::domain::filter::RawEventFilter;
use app::domain::{EventDetail, EventFilter, EventId};
use app::state::AppState;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::Json;

/// Published events in date order. Query: `from`, `to` (YYYY-MM-DD), `q`, `kind`, `actor`,
/// `authority`, `target`, `limit` (1–1000, default 100), `cursor` (from the previous
/// page's `next_cursor`). With `in_force=YYYY-MM-DD`: the measures in force on that day
/// that match the other fields, the most prominent first (at most 200), and their total.
pub async fn list(
    State(state): State<AppState>,
    query: Result<Query<RawEventFilter>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(raw) = query?;
    let filter = EventFilter::try_from(raw).map_err(|e| ApiError::BadRequest(e.to_string()))?;
    Ok(match filter.in_force {
        Some(day) => Json(db::in_force::on(&state.pool, day, &filter).await?).into_response(),
        None => Json(db::events::list(&state.pool, &filter).await?).into_response(),
    })
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
