//! The record as published at the end of a past day, rebuilt from the revisions. Every
//! save writes a revision, so an event without one since the day ended is the same now:
//! those are read as they are, with the reader's filter, like the list. Only the events
//! saved since are read from their last revision before the day ended: the work grows
//! with the edits made since, not with the record. A source's page of a past day is its
//! last revision before the day ended, likewise.

use super::events::{cut_page, with_actors, EventRow};
use super::{revisions, stored, DbError, Pool};
use crate::domain::as_recorded::{
    AsRecorded, RecordedDay, RecordedEvent, RecordedLookup, RecordedSource, Then, COUNTED_UP_TO,
};
use crate::domain::event_form::EventSnapshot;
use crate::domain::filter::Cursor;
use crate::domain::timeline::{TimelineItem, TimelineQuery};
use crate::domain::{ActorRef, EventFilter, EventId, EventStatus, EventSummary, Slug, SourceId};
use chrono::{DateTime, Utc};
use std::collections::HashMap;

/// An event saved since the day ended.
struct SavedSince {
    id: i64,
    slug: String,
    /// As it is now (a revision does not keep it): orders the busy timeline's top events.
    prominence: i32,
    /// Added before the day ended.
    existed: bool,
    /// The version it had then, if a revision kept one, and whether that version was
    /// published and matched the filter's text, kind and actors.
    then: Option<(i32, EventSnapshot, bool)>,
}

async fn saved_since(
    pool: &Pool,
    cut: DateTime<Utc>,
    filter: &EventFilter,
) -> Result<Vec<SavedSince>, DbError> {
    // The filter's text, kind and actors are tested on the kept version as
    // `event_matches` tests the columns: the same search expression, exact names.
    let rows = sqlx::query!(
        r#"SELECT e.id, e.slug, e.prominence, e.created_at < $1 AS "existed!",
                  t.version AS "then_version?", t.snapshot AS "then_snapshot?",
                  COALESCE(t.snapshot->>'status' = 'published'
                    AND ($2::text IS NULL OR to_tsvector('simple',
                          (t.snapshot->>'title') || ' ' || (t.snapshot->>'summary'))
                        @@ event_search_query($2))
                    AND ($3::text IS NULL OR t.snapshot->>'kind' = $3)
                    AND ($4::text IS NULL OR lower($4) IN (
                          SELECT lower(n) FROM jsonb_array_elements_text(
                            t.snapshot->'authorities' || t.snapshot->'targets') n))
                    AND ($5::text IS NULL
                         OR t.snapshot->'authorities' @> jsonb_build_array($5::text))
                    AND ($6::text IS NULL
                         OR t.snapshot->'targets' @> jsonb_build_array($6::text)),
                  false) AS "matches!"
           FROM events e
           LEFT JOIN LATERAL (
               SELECT r.version, r.snapshot FROM revisions r
               WHERE r.entity = 'event' AND r.entity_id = e.id AND r.created_at < $1
               ORDER BY r.version DESC LIMIT 1) t ON true
           WHERE e.id IN (SELECT r.entity_id FROM revisions r
                          WHERE r.entity = 'event' AND r.created_at >= $1)
           ORDER BY e.id"#,
        cut,
        filter.q.as_deref(),
        filter.kind.map(crate::domain::EventKind::as_str),
        filter.actor.as_deref(),
        filter.authority.as_deref(),
        filter.target.as_deref(),
    )
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|r| {
            let then = match (r.then_version, r.then_snapshot) {
                (Some(v), Some(s)) => Some((v, revisions::event_snapshot(r.id, v, s)?, r.matches)),
                _ => None,
            };
            Ok(SavedSince {
                id: r.id,
                slug: r.slug,
                prominence: r.prominence,
                existed: r.existed,
                then,
            })
        })
        .collect()
}

/// Actors by the names a revision kept (names never change and actors are never
/// removed, so each is found).
async fn actors_named(
    pool: &Pool,
    names: Vec<String>,
) -> Result<HashMap<String, ActorRef>, DbError> {
    let rows = sqlx::query!(
        r#"SELECT n AS "asked!", a.id, a.name
           FROM unnest($1::text[]) n JOIN actors a ON lower(a.name) = lower(n)"#,
        &names
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            (
                r.asked,
                ActorRef {
                    id: r.id,
                    name: r.name,
                },
            )
        })
        .collect())
}

/// The actors of these names, in their order.
fn named(actors: &HashMap<String, ActorRef>, names: &[String]) -> Vec<ActorRef> {
    names
        .iter()
        .filter_map(|n| actors.get(n).cloned())
        .collect()
}

/// Whether a kept version falls in the filter's `from`..`to`, as `event_matches` tests
/// the columns.
fn in_period(filter: &EventFilter, s: &EventSnapshot) -> bool {
    filter.from.is_none_or(|f| s.draft.covers_until() >= f)
        && filter.to.is_none_or(|t| s.draft.date.date <= t)
}

/// What the timeline's window queries need to draw a past day: the instant it ended, the
/// events saved since (they leave them out), and those of them that were published then
/// and match the filter, as they then stood, where they overlap the window.
pub struct RecordedWindow {
    pub cut: DateTime<Utc>,
    pub saved_since: Vec<i64>,
    pub then: Vec<TimelineItem>,
}

pub async fn window(
    pool: &Pool,
    day: RecordedDay,
    q: &TimelineQuery,
) -> Result<RecordedWindow, DbError> {
    let cut = day.cut();
    let saved = saved_since(pool, cut, &q.filter).await?;
    let saved_since = saved.iter().map(|s| s.id).collect();
    let mut then = Vec::new();
    for s in saved {
        let Some((_, snapshot, true)) = s.then else {
            continue;
        };
        if !in_period(&q.filter, &snapshot) {
            continue;
        }
        let draft = snapshot.draft;
        let until = draft.covers_until();
        if until < q.start || draft.date.date > q.end {
            continue;
        }
        then.push(TimelineItem {
            id: EventId(s.id),
            slug: stored::<Slug>(&s.slug)?,
            start: draft.date.date,
            precision: draft.date.precision,
            until: draft.end.map(|_| until),
            title: draft.title,
            kind: draft.kind,
            authorities: draft.authorities,
            targets: draft.targets,
            prominence: s.prominence,
            lifecycle: draft.lifecycle,
            step: None,
        });
    }
    Ok(RecordedWindow {
        cut,
        saved_since,
        then,
    })
}

/// A page of the published record at the end of `day`, in date order, with the filter.
/// The filter's `in_force` is not applied (the caller refuses it).
pub async fn list(
    pool: &Pool,
    day: RecordedDay,
    filter: &EventFilter,
) -> Result<AsRecorded, DbError> {
    let cut = day.cut();
    let limit = filter.effective_limit();
    let saved = saved_since(pool, cut, filter).await?;
    let saved_ids: Vec<i64> = saved.iter().map(|s| s.id).collect();
    let not_kept = saved
        .iter()
        .filter(|s| s.existed && s.then.is_none())
        .count() as i64;

    let after_cursor = |date: chrono::NaiveDate, id: i64| {
        filter.cursor.is_none_or(|c| (date, id) > (c.date, c.id.0))
    };
    let mut changed: Vec<(SavedSince, i32, EventSnapshot)> = Vec::new();
    let mut changed_total = 0;
    for mut s in saved {
        let Some((version, snapshot, true)) = s.then.take() else {
            continue;
        };
        if !in_period(filter, &snapshot) {
            continue;
        }
        changed_total += 1;
        if after_cursor(snapshot.draft.date.date, s.id) {
            changed.push((s, version, snapshot));
        }
    }

    let rows = query_filtered!(
        as EventRow,
        filter,
        r#"SELECT e.id, e.slug, e.starts_on, e.precision, e.ends_on, e.end_precision,
                  e.title, e.kind
           FROM events e
           WHERE e.status = 'published' AND event_matches(e, $1, $2, $3, $4, $5, $6, $7, $8)
             AND e.created_at < $9 AND NOT (e.id = ANY($10))
             AND ($11::date IS NULL OR (e.starts_on, e.id) > ($11, $12::bigint))
           ORDER BY e.starts_on, e.id
           LIMIT $13"#,
        cut,
        &saved_ids,
        filter.cursor.map(|c| c.date),
        filter.cursor.map(|c| c.id.0),
        limit + 1,
    )
    .fetch_all(pool)
    .await?;
    // Counted up to a bound, as the in-force list is: an exact count of a whole record
    // is a scan of it on every page.
    let unchanged_total = query_filtered!(
        filter,
        r#"SELECT count(*) AS "n!" FROM (
               SELECT 1 FROM events e
               WHERE e.status = 'published'
                 AND event_matches(e, $1, $2, $3, $4, $5, $6, $7, $8)
                 AND e.created_at < $9 AND NOT (e.id = ANY($10))
               LIMIT $11) counted"#,
        cut,
        &saved_ids,
        COUNTED_UP_TO + 1,
    )
    .fetch_one(pool)
    .await?
    .n;

    let mut events: Vec<RecordedEvent> = with_actors(pool, rows)
        .await?
        .into_iter()
        .map(|event| RecordedEvent {
            event,
            then: Then::Unchanged,
        })
        .collect();
    let names = changed
        .iter()
        .flat_map(|(_, _, s)| s.draft.authorities.iter().chain(&s.draft.targets))
        .cloned()
        .collect();
    let actors = actors_named(pool, names).await?;
    for (s, version, snapshot) in changed {
        let draft = snapshot.draft;
        events.push(RecordedEvent {
            event: EventSummary {
                id: EventId(s.id),
                slug: stored::<Slug>(&s.slug)?,
                date: draft.date,
                end: draft.end,
                authorities: named(&actors, &draft.authorities),
                targets: named(&actors, &draft.targets),
                title: draft.title,
                kind: draft.kind,
            },
            then: Then::Version(version),
        });
    }
    events.sort_by_key(|e| (e.event.date.date, e.event.id.0));
    let next_cursor = cut_page(&mut events, limit, |e| Cursor {
        date: e.event.date.date,
        id: e.event.id,
    });
    Ok(AsRecorded {
        day,
        events,
        next_cursor,
        total: unchanged_total.min(COUNTED_UP_TO) + changed_total,
        more: unchanged_total > COUNTED_UP_TO,
        changed_since: changed_total,
        not_kept,
    })
}

/// One event as the published record had it at the end of `day`.
pub async fn event(pool: &Pool, id: EventId, day: RecordedDay) -> Result<RecordedLookup, DbError> {
    let row = sqlx::query!(
        r#"SELECT e.status, e.created_at < $2 AS "existed!",
                  EXISTS (SELECT 1 FROM revisions r WHERE r.entity = 'event'
                          AND r.entity_id = e.id AND r.created_at >= $2) AS "saved_since!",
                  t.version AS "then_version?", t.created_at AS "then_at?",
                  t.snapshot AS "then_snapshot?"
           FROM events e
           LEFT JOIN LATERAL (
               SELECT r.version, r.created_at, r.snapshot FROM revisions r
               WHERE r.entity = 'event' AND r.entity_id = e.id AND r.created_at < $2
               ORDER BY r.version DESC LIMIT 1) t ON true
           WHERE e.id = $1"#,
        id.0,
        day.cut()
    )
    .fetch_optional(pool)
    .await?;
    let Some(row) = row else {
        return Ok(RecordedLookup::NotPublished);
    };
    let published_now = stored::<EventStatus>(&row.status)? == EventStatus::Published;
    if !row.existed {
        return Ok(RecordedLookup::NotPublished);
    }
    if !row.saved_since {
        return Ok(if published_now {
            RecordedLookup::Unchanged
        } else {
            RecordedLookup::NotPublished
        });
    }
    Ok(match (row.then_version, row.then_at, row.then_snapshot) {
        (Some(version), Some(saved_at), Some(stored)) => {
            let snapshot = revisions::event_snapshot(id.0, version, stored)?;
            if snapshot.status == EventStatus::Published {
                let d = &snapshot.draft;
                let names = d.authorities.iter().chain(&d.targets).cloned().collect();
                let actors = actors_named(pool, names).await?;
                RecordedLookup::Changed {
                    version,
                    saved_at,
                    authorities: named(&actors, &d.authorities),
                    targets: named(&actors, &d.targets),
                    snapshot: Box::new(snapshot),
                    published_now,
                }
            } else {
                RecordedLookup::NotPublished
            }
        }
        _ => RecordedLookup::NotKept,
    })
}

/// One source as the published record had it at the end of `day`. Whether readers could
/// see it then (a published event cited it) is not rebuilt: a source is shown for a past
/// day when it existed then and readers can see it now, so nothing a reader cannot see
/// today is shown for any day.
pub async fn source(
    pool: &Pool,
    id: SourceId,
    day: RecordedDay,
) -> Result<RecordedSource, DbError> {
    let row = sqlx::query!(
        r#"SELECT s.created_at < $2 AS "existed!",
                  EXISTS (SELECT 1 FROM citations c JOIN events e ON e.id = c.event_id
                          WHERE c.source_id = s.id AND e.status = 'published') AS "public!",
                  EXISTS (SELECT 1 FROM revisions r WHERE r.entity = 'source'
                          AND r.entity_id = s.id AND r.created_at >= $2) AS "saved_since!",
                  t.version AS "then_version?", t.created_at AS "then_at?",
                  t.snapshot AS "then_snapshot?"
           FROM sources s
           LEFT JOIN LATERAL (
               SELECT r.version, r.created_at, r.snapshot FROM revisions r
               WHERE r.entity = 'source' AND r.entity_id = s.id AND r.created_at < $2
               ORDER BY r.version DESC LIMIT 1) t ON true
           WHERE s.id = $1"#,
        id.0,
        day.cut()
    )
    .fetch_optional(pool)
    .await?;
    let Some(row) = row.filter(|r| r.existed && r.public) else {
        return Ok(RecordedSource::NotPublished);
    };
    if !row.saved_since {
        return Ok(RecordedSource::Unchanged);
    }
    Ok(match (row.then_version, row.then_at, row.then_snapshot) {
        (Some(version), Some(saved_at), Some(stored)) => RecordedSource::Changed {
            version,
            saved_at,
            snapshot: Box::new(revisions::source_snapshot(id.0, version, stored)?),
        },
        _ => RecordedSource::NotKept,
    })
}
