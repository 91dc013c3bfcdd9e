//! `/exports/events.csv`, `/exports/events.ndjson` and `/exports/events.ftm.json`
//! (FollowTheMoney entities, see [`super::ftm`]): every published event the filter
//! selects (the list's and the timeline's own filter: `q`, `kind`, `actor`, `authority`,
//! `target`, `from`, `to`, `in_force`), in date order, streamed a page at a time so the
//! whole record exports in bounded memory. The first page is read before the answer
//! starts, so a failing database is a 503, not a cut download.

use super::cell;
use crate::api::ApiError;
use app::db;
use app::domain::export::{ExportedEvent, EXPORT_PAGE};
use app::domain::filter::{Cursor, RawEventFilter};
use app::domain::lifecycle::LifecycleStep;
use app::domain::EventFilter;
use app::state::AppState;
use axum::body::{Body, Bytes};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use std::collections::HashSet;
use tokio::sync::{Semaphore, SemaphorePermit};

/// Downloads written at once; more wait for none of them and get a 503 to retry.
const AT_ONCE: usize = 4;
static WRITING: Semaphore = Semaphore::const_new(AT_ONCE);

/// The formats an event export is written in.
#[derive(Clone, Copy)]
enum Format {
    Csv,
    Ndjson,
    FollowTheMoney,
}

impl Format {
    fn content_type(self) -> &'static str {
        match self {
            Format::Csv => "text/csv; charset=utf-8",
            Format::Ndjson => "application/x-ndjson; charset=utf-8",
            // FtM's entity files are named `.ftm.json` but hold one entity per line.
            Format::FollowTheMoney => "application/x-ndjson; charset=utf-8",
        }
    }

    fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Ndjson => "ndjson",
            Format::FollowTheMoney => "ftm.json",
        }
    }

    /// What comes before the first event: the CSV's header row.
    fn head(self) -> Result<Vec<u8>, String> {
        match self {
            Format::Csv => {
                let mut out = csv::Writer::from_writer(Vec::new());
                out.write_record(CSV_COLUMNS).map_err(|e| e.to_string())?;
                out.into_inner().map_err(|e| e.to_string())
            }
            Format::Ndjson | Format::FollowTheMoney => Ok(Vec::new()),
        }
    }

    /// One page of events; `named` keeps what earlier pages wrote once for the export.
    fn page(
        self,
        events: &[ExportedEvent],
        public_url: &str,
        named: &mut HashSet<String>,
    ) -> Result<Vec<u8>, String> {
        match self {
            Format::Csv => csv_rows(events, public_url),
            Format::FollowTheMoney => super::ftm::entities(events, public_url, named),
            Format::Ndjson => {
                let mut out = Vec::new();
                for e in events {
                    serde_json::to_writer(&mut out, &addressed(e, public_url))
                        .map_err(|e| e.to_string())?;
                    out.push(b'\n');
                }
                Ok(out)
            }
        }
    }
}

pub async fn events_csv(
    state: State<AppState>,
    query: Result<Query<RawEventFilter>, QueryRejection>,
) -> Result<Response, ApiError> {
    export(state, query, Format::Csv).await
}

pub async fn events_ndjson(
    state: State<AppState>,
    query: Result<Query<RawEventFilter>, QueryRejection>,
) -> Result<Response, ApiError> {
    export(state, query, Format::Ndjson).await
}

pub async fn events_ftm(
    state: State<AppState>,
    query: Result<Query<RawEventFilter>, QueryRejection>,
) -> Result<Response, ApiError> {
    export(state, query, Format::FollowTheMoney).await
}

async fn export(
    State(state): State<AppState>,
    query: Result<Query<RawEventFilter>, QueryRejection>,
    format: Format,
) -> Result<Response, ApiError> {
    let Query(raw) = query?;
    let filter = EventFilter::try_from(raw).map_err(|e| ApiError::BadRequest(e.to_string()))?;
    let permit = WRITING.try_acquire().map_err(|_| ApiError::Busy)?;
    let first = db::exports::events_page(&state.pool, &filter, None, EXPORT_PAGE).await?;
    let mut named = HashSet::new();
    let mut head = format.head().map_err(ApiError::Export)?;
    head.extend(
        format
            .page(&first.events, &state.public_url, &mut named)
            .map_err(ApiError::Export)?,
    );
    let rest = Rest {
        state,
        filter,
        format,
        next: first.next,
        named,
        _permit: permit,
    };
    let body = futures_util::stream::once(async move { Ok(Bytes::from(head)) })
        .chain(futures_util::stream::try_unfold(rest, Rest::next_chunk));
    Ok((
        [
            (CONTENT_TYPE, format.content_type().to_owned()),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"events.{}\"", format.extension()),
            ),
            // Not kept by the page cache or a shared cache: it can be large. While the
            // record's changes are followed, the page cache's layer makes this `no-cache`
            // with validators (`page_cache::serve_download`).
            (CACHE_CONTROL, "no-store".to_owned()),
        ],
        Body::from_stream(body),
    )
        .into_response())
}

/// The pages after the first, read one at a time as the client takes them.
struct Rest {
    state: AppState,
    filter: EventFilter,
    format: Format,
    next: Option<Cursor>,
    named: HashSet<String>,
    /// Held until the last page is written (or the client goes away).
    _permit: SemaphorePermit<'static>,
}

impl Rest {
    async fn next_chunk(mut self) -> Result<Option<(Bytes, Rest)>, std::io::Error> {
        let Some(after) = self.next else {
            return Ok(None);
        };
        let page =
            db::exports::events_page(&self.state.pool, &self.filter, Some(after), EXPORT_PAGE)
                .await
                .map_err(|e| {
                    // The answer has begun: the download ends short, and the client sees it
                    // fail rather than end cleanly.
                    tracing::error!(error = %e, "an export failed after it began");
                    std::io::Error::other(e.to_string())
                })?;
        let bytes = self
            .format
            .page(&page.events, &self.state.public_url, &mut self.named)
            .map_err(std::io::Error::other)?;
        self.next = page.next;
        Ok(Some((Bytes::from(bytes), self)))
    }
}

/// The event with its links made addresses of this site.
fn addressed(e: &ExportedEvent, public_url: &str) -> ExportedEvent {
    let mut e = e.clone();
    e.permalink = format!("{public_url}{}", e.permalink);
    for c in &mut e.citations {
        c.stored_copy = format!("{public_url}{}", c.stored_copy);
    }
    e
}

const CSV_COLUMNS: [&str; 24] = [
    "event_id",
    "permalink",
    "date",
    "end_date",
    "kind",
    "title",
    "summary",
    "authorities",
    "targets",
    "legal_instrument",
    "legal_act_kind",
    "legal_act_id",
    "legal_act_url",
    "announced",
    "adopted",
    "published",
    "effective",
    "expires",
    "lifted",
    "citations",
    "quotes",
    "source_urls",
    "source_archive_urls",
    "source_offsets",
];

/// One row per event. A measure's steps get a column each (`2019-05` when known to the
/// month); its cited passages share four cells, one line per passage in each, so the
/// n-th quote, source, archived copy (when any passage has one) and offsets are on the
/// n-th line of their cells.
fn csv_rows(events: &[ExportedEvent], public_url: &str) -> Result<Vec<u8>, String> {
    let mut out = csv::Writer::from_writer(Vec::new());
    for e in events {
        let step = |s: LifecycleStep| {
            e.lifecycle
                .iter()
                .find(|m| m.step == s)
                .map(|m| m.date.iso())
                .unwrap_or_default()
        };
        let lines = |f: &dyn Fn(&app::domain::export::ExportedCitation) -> String| {
            e.citations.iter().map(f).collect::<Vec<_>>().join("\n")
        };
        let mut row = vec![
            e.id.0.to_string(),
            format!("{public_url}{}", e.permalink),
            e.date.clone(),
            e.end_date.clone().unwrap_or_default(),
            e.kind.as_str().to_owned(),
            cell(&e.title),
            cell(&e.summary),
            cell(&e.authorities.join("; ")),
            cell(&e.targets.join("; ")),
            cell(e.legal_instrument.as_deref().unwrap_or_default()),
            e.legal_act
                .as_ref()
                .map(|a| a.kind().as_str().to_owned())
                .unwrap_or_default(),
            cell(
                &e.legal_act
                    .as_ref()
                    .map(|a| a.identifier())
                    .unwrap_or_default(),
            ),
            e.legal_act
                .as_ref()
                .map(|a| a.official_url())
                .unwrap_or_default(),
        ];
        row.extend(LifecycleStep::ALL.iter().map(|s| step(*s)));
        row.extend([
            e.citations.len().to_string(),
            cell(&lines(&|c| c.quote.clone())),
            cell(&lines(&|c| c.source_url.clone())),
            if e.citations.iter().any(|c| c.source_archive_url.is_some()) {
                cell(&lines(&|c| {
                    c.source_archive_url.clone().unwrap_or_default()
                }))
            } else {
                String::new()
            },
            lines(&|c| format!("{}-{}", c.start, c.end)),
        ]);
        out.write_record(&row).map_err(|e| e.to_string())?;
    }
    out.into_inner().map_err(|e| e.to_string())
}
