//! `GET /api/timeline` (one window: events, or buckets when busy) and
//! `GET /api/timeline/facets` (counts for the filter controls and the density strip).

use super::ApiError;
use app::db;
use app::domain::filter::RawEventFilter;
use app::domain::timeline::{Facets, RawTimelineQuery, TimelineQuery, TimelineWindow};
use app::domain::EventFilter;
use app::state::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::Json;

/// Query: `start`, `end` (the visible days, YYYY-MM-DD, both required), `lanes`
/// (none, authority, target, kind) and the filters of `/api/events`.
pub async fn window(
    State(state): State<AppState>,
    query: Result<Query<RawTimelineQuery>, QueryRejection>,
) -> Result<Json<TimelineWindow>, ApiError> {
    let Query(raw) = query?;
    let q = TimelineQuery::try_from(raw).map_err(|e| ApiError::BadRequest(e.to_string()))?;
    Ok(Json(db::timeline::window(&state.pool, &q).await?))
}

pub async fn facets(
    State(state): State<AppState>,
    query: Result<Query<RawEventFilter>, QueryRejection>,
) -> Result<Json<Facets>, ApiError> {
    let Query(raw) = query?;
    let f = EventFilter::try_from(raw).map_err(|e| ApiError::BadRequest(e.to_string()))?;
    Ok(Json(db::timeline::facets(&state.pool, &f).await?))
}
