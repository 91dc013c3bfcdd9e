//! Downloads of the record's lists in open formats, from the same queries as the pages:
//! `/exports/changes.csv?from=&to=`, what changed between two days, one change per row,
//! and `/exports/events.csv` / `.ndjson` / `.ftm.json`, every event a filter selects (see
//! [`events`]).

mod events;
mod ftm;

use crate::api::ApiError;
use app::db;
use app::domain::changes::{period, Changes, MAX_EXPORTED_CHANGES};
use app::domain::ActorRef;
use app::state::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/exports/changes.csv", get(changes_csv))
        .route("/exports/events.csv", get(events::events_csv))
        .route("/exports/events.ndjson", get(events::events_ndjson))
        .route("/exports/events.ftm.json", get(events::events_ftm))
}

#[derive(Deserialize)]
pub struct Period {
    from: Option<String>,
    to: Option<String>,
}

/// Every change between `from` and `to` (`YYYY-MM-DD`, both included) that `/changes`
/// lists, as CSV. A period with more than [`MAX_EXPORTED_CHANGES`] is refused, never cut.
pub async fn changes_csv(
    State(state): State<AppState>,
    query: Result<Query<Period>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(p) = query?;
    let (from, to) = period(p.from.as_deref(), p.to.as_deref())
        .map_err(|e| ApiError::BadRequest(e.to_string()))?;
    let changes = db::changes::between(&state.pool, from, to, MAX_EXPORTED_CHANGES).await?;
    if changes.total > MAX_EXPORTED_CHANGES {
        return Err(ApiError::BadRequest(format!(
            "{} changes in that period, more than the {MAX_EXPORTED_CHANGES} one download holds: choose a shorter period",
            changes.total
        )));
    }
    let table =
        changes_table(&changes, &state.public_url).map_err(|e| ApiError::Export(e.to_string()))?;
    Ok((
        [
            (CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"changes-{from}-to-{to}.csv\""),
            ),
        ],
        table,
    )
        .into_response())
}

/// The columns: the change's date as `/changes` gives it (`2019-05` for a month) and its
/// precision, what happened, and the event (id, title, kind, actors, permalink).
fn changes_table(changes: &Changes, public_url: &str) -> Result<Vec<u8>, csv::Error> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record([
        "date",
        "precision",
        "change",
        "what",
        "event_id",
        "title",
        "kind",
        "authorities",
        "targets",
        "permalink",
    ])?;
    for c in &changes.changes {
        let e = &c.event;
        out.write_record([
            c.on.iso(),
            c.on.precision.as_str().to_owned(),
            c.change.as_str().to_owned(),
            c.what().to_owned(),
            e.id.0.to_string(),
            cell(&e.title),
            e.kind.as_str().to_owned(),
            cell(&names(&e.authorities)),
            cell(&names(&e.targets)),
            format!("{public_url}{}", e.permalink()),
        ])?;
    }
    out.into_inner().map_err(|e| e.into_error().into())
}

fn names(actors: &[ActorRef]) -> String {
    actors
        .iter()
        .map(|a| a.name.as_str())
        .collect::<Vec<_>>()
        .join("; ")
}

/// Text a spreadsheet shows as text: a cell that begins with `=`, `+`, `-`, `@`, a tab or
/// a carriage return would be read as a formula, so it gets a leading apostrophe (as
/// OWASP advises for CSV injection).
pub fn cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn a_cell_that_a_spreadsheet_would_run_is_kept_as_text() {
        for formula in ["=1+1", "+49 30", "-2", "@SUM(A1)", "\t=1", "\r=1"] {
            assert_eq!(cell(formula), format!("'{formula}"));
        }
        for text in ["Huawei", "ZTE = Zhongxing", "’=quoted", "", "Ærø 🙂"] {
            assert_eq!(cell(text), text);
        }
    }
}
