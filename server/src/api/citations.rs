//! `GET /api/citations/{id}`: one cited passage as a W3C Web Annotation.

use super::{parse_id, ApiError};
use app::db;
use app::domain::annotation::web_annotation;
use app::domain::CitationId;
use app::state::AppState;
use axum::extract::{Path, State};
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};

/// The media type the Web Annotation Protocol gives annotations.
const ANNOTATION: &str = r#"application/ld+json; profile="http://www.w3.org/ns/anno.jsonld""#;

/// A citation of a published event; `404` for one of a draft or none.
pub async fn one(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = CitationId(parse_id("citation", &id)?);
    let (citation, permalink) = db::citations::published(&state.pool, id)
        .await?
        .ok_or(ApiError::NotFound("citation of a published event"))?;
    let annotation = web_annotation(&citation, &permalink, &state.public_url);
    Ok(([(CONTENT_TYPE, ANNOTATION)], annotation.to_string()).into_response())
}
