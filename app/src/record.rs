//! Reading the record: the server functions pages load their data through. Each runs the
//! same queries the JSON API uses, with the same domain types.

use crate::domain::filter::RawEventFilter;
use crate::domain::{EventDetail, EventPage, SourceDetail};
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
fn state() -> Result<crate::state::AppState, ServerFnError> {
    use_context::<crate::state::AppState>()
        .ok_or_else(|| ServerFnError::new("server state is missing"))
}

/// A failed read: 503 with Retry-After while the database is down, else 500.
#[cfg(feature = "ssr")]
fn unavailable(e: crate::db::DbError) -> ServerFnError {
    crate::auth::gate::internal(e)
}

/// A page of the timeline, or why the filter was refused.
#[server(input = GetUrl)]
pub async fn load_timeline(
    // An unfiltered page sends no fields at all.
    #[server(default)] filter: RawEventFilter,
) -> Result<Result<EventPage, String>, ServerFnError> {
    use crate::domain::EventFilter;
    let state = state()?;
    let filter = match EventFilter::try_from(filter) {
        Ok(f) => f,
        Err(e) => return Ok(Err(e.to_string())),
    };
    crate::db::events::list(&state.pool, &filter)
        .await
        .map(Ok)
        .map_err(unavailable)
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum EventLookup {
    Found {
        detail: Box<EventDetail>,
        /// Absolute URL of the canonical permalink.
        canonical_url: String,
    },
    /// Withdrawn by an admin: the permalink says so (410 Gone).
    Archived {
        title: String,
    },
    NotFound,
}

/// One published event by its permalink key (`42` or `42-any-slug`).
#[server(input = GetUrl)]
pub async fn load_event(key: String) -> Result<EventLookup, ServerFnError> {
    let state = state()?;
    let Ok(key) = key.parse::<crate::domain::EventKey>() else {
        return Ok(EventLookup::NotFound);
    };
    let detail = crate::db::events::detail(&state.pool, key.id, false)
        .await
        .map_err(unavailable)?;
    Ok(match detail {
        Some(detail) => EventLookup::Found {
            canonical_url: format!("{}{}", state.public_url, detail.event.permalink()),
            detail: Box::new(detail),
        },
        None => match crate::db::events::status_of(&state.pool, key.id)
            .await
            .map_err(unavailable)?
        {
            Some((crate::domain::EventStatus::Archived, _, title)) => {
                EventLookup::Archived { title }
            }
            _ => EventLookup::NotFound,
        },
    })
}

/// One source with its text and cited passages.
#[server(input = GetUrl)]
pub async fn load_source(id: String) -> Result<Option<SourceDetail>, ServerFnError> {
    use crate::domain::SourceId;
    let state = state()?;
    let Ok(id) = id.parse::<i64>() else {
        return Ok(None);
    };
    // An editor opening a source nobody cites yet (just added) sees it; readers do not.
    let for_editors = crate::auth::gate::signed_in().await?.is_some();
    crate::db::sources::detail(&state.pool, SourceId(id), for_editors)
        .await
        .map_err(unavailable)
}

/// One window of the interactive timeline.
#[server(input = GetUrl)]
pub async fn load_window(
    #[server(default)] query: crate::domain::timeline::RawTimelineQuery,
) -> Result<Result<crate::domain::timeline::TimelineWindow, String>, ServerFnError> {
    use crate::domain::timeline::TimelineQuery;
    let state = state()?;
    let mut query = query;
    let blank = |s: &Option<String>| s.as_deref().is_none_or(|s| s.trim().is_empty());
    if blank(&query.start) || blank(&query.end) {
        // No view yet: frame the whole record the filters select.
        let filter = match crate::domain::EventFilter::try_from(query.filter.clone()) {
            Ok(f) => f,
            Err(e) => return Ok(Err(e.to_string())),
        };
        let (first, last) = crate::db::timeline::extent(&state.pool, &filter)
            .await
            .map_err(unavailable)?;
        let pad = ((last - first).num_days() / 25).max(15);
        let fmt = |d: chrono::NaiveDate| Some(d.format("%Y-%m-%d").to_string());
        query.start = fmt(first - chrono::Duration::days(pad));
        query.end = fmt(last + chrono::Duration::days(pad));
    }
    let q = match TimelineQuery::try_from(query) {
        Ok(q) => q,
        Err(e) => return Ok(Err(e.to_string())),
    };
    crate::db::timeline::window(&state.pool, &q)
        .await
        .map(Ok)
        .map_err(unavailable)
}

/// Counts for the filter controls and the density strip.
#[server(input = GetUrl)]
pub async fn load_facets(
    #[server(default)] filter: RawEventFilter,
) -> Result<Result<crate::domain::timeline::Facets, String>, ServerFnError> {
    use crate::domain::EventFilter;
    let state = state()?;
    let f = match EventFilter::try_from(filter) {
        Ok(f) => f,
        Err(e) => return Ok(Err(e.to_string())),
    };
    crate::db::timeline::facets(&state.pool, &f)
        .await
        .map(Ok)
        .map_err(unavailable)
}
