//! Feeds for any filter the timeline accepts: `/feeds/events.atom` (the published events
//! that changed last: newly published or corrected, an entry per event, updated with each
//! published revision) and `/feeds/events.ics` (an iCalendar of the events' dated steps,
//! upcoming ones included, so an analyst can subscribe to "Huawei, US" in a calendar).
//! Both are written by crates built for the format, which escape and fold every text.

use crate::api::ApiError;
use app::db;
use app::db::feeds::FeedEvent;
use app::domain::filter::RawEventFilter;
use app::domain::url_query::with_query;
use app::domain::EventFilter;
use app::state::AppState;
use atom_syndication::{Category, Feed, Link, Person, Text};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use chrono::{DateTime, Duration, Utc};
use icalendar::{Calendar, Component, EventLike};

/// Entries in the Atom feed.
pub const ATOM_ENTRIES: i64 = 50;
/// Events whose dates the calendar holds, the earliest first.
pub const CALENDAR_EVENTS: i64 = 2_000;
/// Without `from`, the calendar starts this many days before today.
pub const CALENDAR_PAST_DAYS: i64 = 365;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/feeds/events.atom", get(atom))
        .route("/feeds/events.ics", get(calendar))
}

/// The filter, and the same filter as a query string (blank fields, `limit` and `cursor`
/// left out) for the feed's own links.
fn filter_of(raw: RawEventFilter) -> Result<(EventFilter, String), ApiError> {
    let query = raw.selection_query();
    let filter = EventFilter::try_from(raw).map_err(|e| ApiError::BadRequest(e.to_string()))?;
    Ok((filter, query))
}

/// "Imposed · US Department of Commerce → Huawei · 16 May 2019"
fn headline(e: &FeedEvent) -> String {
    let mut parts = vec![e.kind.label().to_owned()];
    if !e.authorities.is_empty() || !e.targets.is_empty() {
        parts.push(format!(
            "{} → {}",
            e.authorities.join(", "),
            e.targets.join(", ")
        ));
    }
    parts.push(e.date.to_string());
    parts.join(" · ")
}

async fn atom(
    State(state): State<AppState>,
    query: Result<Query<RawEventFilter>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(raw) = query?;
    let (filter, query) = filter_of(raw)?;
    let events = db::feeds::latest_changed(&state.pool, &filter, ATOM_ENTRIES).await?;
    let site = &state.public_url;
    let entries = events
        .iter()
        .map(|e| {
            let address = format!("{site}{}", e.permalink);
            let mut entry = atom_syndication::Entry::default();
            entry.set_id(address.clone());
            entry.set_title(Text::plain(e.title.clone()));
            entry.set_updated(e.updated.fixed_offset());
            entry.set_published(Some(e.first_published.fixed_offset()));
            entry.set_links(vec![Link {
                href: address,
                rel: "alternate".into(),
                mime_type: Some("text/html".into()),
                ..Default::default()
            }]);
            let summary = match e.summary.trim() {
                "" => headline(e),
                s => format!("{}. {s}", headline(e)),
            };
            entry.set_summary(Some(Text::plain(summary)));
            entry.set_categories(vec![Category {
                term: e.kind.as_str().into(),
                label: Some(e.kind.label().into()),
                ..Default::default()
            }]);
            entry
        })
        .collect::<Vec<_>>();
    let mut feed = Feed::default();
    feed.set_id(format!(
        "{site}{}",
        with_query("/feeds/events.atom", &query)
    ));
    feed.set_title(Text::plain(if query.is_empty() {
        "Sanctions Timeline: latest changes".to_owned()
    } else {
        format!(
            "Sanctions Timeline: latest changes ({})",
            query.replace('&', ", ")
        )
    }));
    // The newest change shown, so the feed is the same until the record changes.
    let updated = events
        .iter()
        .map(|e| e.updated)
        .max()
        .unwrap_or(DateTime::<Utc>::UNIX_EPOCH);
    feed.set_updated(updated.fixed_offset());
    feed.set_links(vec![
        Link {
            href: format!("{site}{}", with_query("/feeds/events.atom", &query)),
            rel: "self".into(),
            mime_type: Some("application/atom+xml".into()),
            ..Default::default()
        },
        Link {
            href: format!("{site}{}", with_query("/", &query)),
            rel: "alternate".into(),
            mime_type: Some("text/html".into()),
            ..Default::default()
        },
    ]);
    feed.set_authors(vec![Person {
        name: "Sanctions Timeline".into(),
        uri: Some(site.clone()),
        ..Default::default()
    }]);
    feed.set_entries(entries);
    Ok((
        [(CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        feed.to_string(),
    )
        .into_response())
}

async fn calendar(
    State(state): State<AppState>,
    query: Result<Query<RawEventFilter>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(raw) = query?;
    let (filter, query) = filter_of(raw)?;
    let since = filter
        .from
        .unwrap_or_else(|| Utc::now().date_naive() - Duration::days(CALENDAR_PAST_DAYS));
    let events = db::feeds::dated_since(&state.pool, &filter, since, CALENDAR_EVENTS).await?;
    let site = &state.public_url;
    let host = site
        .split("://")
        .nth(1)
        .and_then(|h| h.split(['/', ':']).next())
        .unwrap_or("sanctions-timeline");
    let mut cal = Calendar::new();
    cal.name(&if query.is_empty() {
        "Sanctions Timeline".to_owned()
    } else {
        format!("Sanctions Timeline ({})", query.replace('&', ", "))
    });
    for e in &events {
        let address = format!("{site}{}", e.permalink);
        // The event's own date, then each step of the measure, each an all-day entry
        // over the day, month or year it is known to.
        let dated = std::iter::once(("date", e.kind.label(), e.date)).chain(
            e.lifecycle
                .iter()
                .map(|m| (m.step.as_str(), m.step.label(), m.date)),
        );
        for (what, label, date) in dated {
            if date.last_day() < since {
                continue;
            }
            let title = if what == "date" {
                format!("{label}: {}", e.title)
            } else {
                format!("{label} — {}", e.title)
            };
            let mut entry = icalendar::Event::new();
            entry
                .uid(&format!("event-{}-{what}@{host}", e.id.0))
                .summary(&title)
                .description(&format!("{}\n{}\n{address}", headline(e), e.summary))
                .url(&address)
                .timestamp(e.updated)
                .add_property("SEQUENCE", e.version.to_string());
            entry.starts(date.date);
            entry.ends(date.last_day() + Duration::days(1));
            cal.push(entry.done());
        }
    }
    Ok((
        [(CONTENT_TYPE, "text/calendar; charset=utf-8")],
        cal.done().to_string(),
    )
        .into_response())
}
