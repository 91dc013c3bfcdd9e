//! What the feeds carry: the published events a filter selects that changed last (Atom),
//! and the dated steps of its measures (iCalendar).

use super::{stored, DbError, Pool};
use crate::domain::event::permalink_path;
use crate::domain::lifecycle::Lifecycle;
use crate::domain::{EventFilter, EventId, EventKind, FuzzyDate};
use chrono::{DateTime, NaiveDate, Utc};

/// An event as a feed entry shows it.
pub struct FeedEvent {
    pub id: EventId,
    pub permalink: String,
    pub title: String,
    pub summary: String,
    pub kind: EventKind,
    pub date: FuzzyDate,
    pub authorities: Vec<String>,
    pub targets: Vec<String>,
    pub first_published: DateTime<Utc>,
    pub updated: DateTime<Utc>,
    pub version: i32,
    /// The measure's dated steps.
    pub lifecycle: Lifecycle,
}

struct FeedRow {
    id: i64,
    slug: String,
    title: String,
    summary: String,
    kind: String,
    starts_on: NaiveDate,
    precision: String,
    authority_names: Vec<String>,
    target_names: Vec<String>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    version: i32,
}

impl FeedRow {
    fn into_event(self, lifecycle: Lifecycle) -> Result<FeedEvent, DbError> {
        Ok(FeedEvent {
            id: EventId(self.id),
            permalink: permalink_path(EventId(self.id), &stored(&self.slug)?),
            title: self.title,
            summary: self.summary,
            kind: stored(&self.kind)?,
            date: FuzzyDate::new(self.starts_on, stored(&self.precision)?),
            authorities: self.authority_names,
            targets: self.target_names,
            first_published: self.created_at,
            updated: self.updated_at,
            version: self.version,
            lifecycle,
        })
    }
}

/// The published events `filter` selects (its `limit` and `cursor` aside), the latest
/// changed first, at most `limit`.
pub async fn latest_changed(
    pool: &Pool,
    filter: &EventFilter,
    limit: i64,
) -> Result<Vec<FeedEvent>, DbError> {
    let rows = query_filtered!(
        as FeedRow,
        filter,
        r#"SELECT e.id, e.slug, e.title, e.summary, e.kind, e.starts_on, e.precision,
                  e.authority_names, e.target_names, e.created_at, e.updated_at, e.version
           FROM events e
           WHERE e.status = 'published' AND event_matches(e, $1, $2, $3, $4, $5, $6, $7, $8)
           ORDER BY e.updated_at DESC, e.id DESC
           LIMIT $9"#,
        limit,
    )
    .fetch_all(pool)
    .await?;
    with_steps(pool, rows).await
}

/// The published events `filter` selects dated (or with a step dated) on or after
/// `since`, the earliest first, at most `limit`.
pub async fn dated_since(
    pool: &Pool,
    filter: &EventFilter,
    since: NaiveDate,
    limit: i64,
) -> Result<Vec<FeedEvent>, DbError> {
    let rows = query_filtered!(
        as FeedRow,
        filter,
        r#"SELECT e.id, e.slug, e.title, e.summary, e.kind, e.starts_on, e.precision,
                  e.authority_names, e.target_names, e.created_at, e.updated_at, e.version
           FROM events e
           WHERE e.status = 'published' AND event_matches(e, $1, $2, $3, $4, $5, $6, $7, $8)
             AND (e.covers_until >= $9
                  OR EXISTS (SELECT 1 FROM event_steps s
                             WHERE s.event_id = e.id AND s.covers_until >= $9))
           ORDER BY e.starts_on, e.id
           LIMIT $10"#,
        since,
        limit,
    )
    .fetch_all(pool)
    .await?;
    with_steps(pool, rows).await
}

/// The rows as events, each with its steps (one query for them all).
async fn with_steps(pool: &Pool, rows: Vec<FeedRow>) -> Result<Vec<FeedEvent>, DbError> {
    let ids: Vec<EventId> = rows.iter().map(|r| EventId(r.id)).collect();
    let mut steps = super::lifecycle::of_events(pool, &ids).await?;
    rows.into_iter()
        .map(|r| {
            let lifecycle = steps.remove(&EventId(r.id)).unwrap_or_default();
            r.into_event(lifecycle)
        })
        .collect()
}
