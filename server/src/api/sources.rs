//! `GET /api/sources/{id}`.

use super::{parse_id, ApiError};
use app::db;
use app::domain::{SourceDetail, SourceId};
use app::state::AppState;
use axum::extract::{Path, State};
use axum::Json;

/// A source with its full text and the passages published events cite from it.
pub async fn one(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<SourceDetail>, ApiError> {
    let id = SourceId(parse_id("source", &id)?);
    db::sources::detail(&state.pool, id, false)
        .await?
        .map(Json)
        .ok_or(ApiError::NotFound("source"))
}
