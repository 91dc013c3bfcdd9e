//! `GET /api/changes?from=&to=`: what changed between two days.

use super::ApiError;
use app::db;
use app::domain::changes::{period, Changes, MAX_CHANGES};
use app::state::AppState;
use axum::extract::{Query, State};
use axum::Json;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct Period {
    from: Option<String>,
    to: Option<String>,
}

/// The published measures that took effect, expired or were lifted between `from` and `to`
/// (`YYYY-MM-DD`, both included), in date order (at most 500), with their total.
pub async fn between(
    State(state): State<AppState>,
    query: Result<Query<Period>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Changes>, ApiError> {
    let Query(p) = query?;
    let (from, to) = period(p.from.as_deref(), p.to.as_deref())
        .map_err(|e| ApiError::BadRequest(e.to_string()))?;
    Ok(Json(
        db::changes::between(&state.pool, from, to, MAX_CHANGES).await?,
    ))
}
