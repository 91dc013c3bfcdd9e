//! Events: listing in date order with filters, one event with its citations and
//! relations, and writing an event with its actors.

use super::actors::{self, EventActors};
use super::{citations, lifecycle, stored, DbError, Pool};
use crate::domain::event_form::{
    cited_line, related_line, Editable, EventDraft, EventSnapshot, Removals,
};
use crate::domain::filter::Cursor;
use crate::domain::legal_act::{LegalAct, LegalActKind};
use crate::domain::revision::Snapshot;
use crate::domain::{
    ActorRole, EventDetail, EventFilter, EventId, EventKind, EventPage, EventStatus, EventSummary,
    FuzzyDate, Relation, RelationKind, Slug, SourceId,
};
use chrono::NaiveDate;
use sqlx::PgConnection;

pub(super) struct EventRow {
    pub(super) id: i64,
    pub(super) slug: String,
    pub(super) starts_on: NaiveDate,
    pub(super) precision: String,
    pub(super) ends_on: Option<NaiveDate>,
    pub(super) end_precision: Option<String>,
    pub(super) title: String,
    pub(super) kind: String,
}

/// The [`EventRow`] in a query's row that selects the event's columns under their names.
macro_rules! event_row {
    ($r:ident) => {
        $crate::db::events::EventRow {
            id: $r.id,
            slug: $r.slug,
            starts_on: $r.starts_on,
            precision: $r.precision,
            ends_on: $r.ends_on,
            end_precision: $r.end_precision,
            title: $r.title,
            kind: $r.kind,
        }
    };
}
pub(super) use event_row;

impl EventRow {
    fn into_summary(self, actors: Option<EventActors>) -> Result<EventSummary, DbError> {
        let end = match (self.ends_on, self.end_precision) {
            (Some(d), Some(p)) => Some(FuzzyDate::new(d, stored(&p)?)),
            _ => None,
        };
        let actors = actors.unwrap_or_default();
        Ok(EventSummary {
            id: EventId(self.id),
            slug: stored::<Slug>(&self.slug)?,
            date: FuzzyDate::new(self.starts_on, stored(&self.precision)?),
            end,
            title: self.title,
            kind: stored::<EventKind>(&self.kind)?,
            authorities: actors.authorities,
            targets: actors.targets,
        })
    }
}

pub(super) async fn with_actors(
    pool: &Pool,
    rows: Vec<EventRow>,
) -> Result<Vec<EventSummary>, DbError> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let actors = actors::of_events(pool, &ids).await?;
    // Copied, not taken: a list may hold one event twice (what changed: its entry into
    // force and its expiry).
    rows.into_iter()
        .map(|r| {
            let a = actors.get(&EventId(r.id)).cloned();
            r.into_summary(a)
        })
        .collect()
}

/// [`with_actors`] for rows that carry something beside the event (what the caller makes
/// of it), kept beside it.
pub(super) async fn with_actors_beside<T>(
    pool: &Pool,
    rows: Vec<(EventRow, T)>,
) -> Result<Vec<(EventSummary, T)>, DbError> {
    let (events, beside): (Vec<EventRow>, Vec<T>) = rows.into_iter().unzip();
    Ok(with_actors(pool, events)
        .await?
        .into_iter()
        .zip(beside)
        .collect())
}

/// Published events matching the filter, in date order, one page at a time.
pub async fn list(pool: &Pool, filter: &EventFilter) -> Result<EventPage, DbError> {
    let limit = filter.effective_limit();
    let rows = query_filtered!(
        as EventRow,
        filter,
        r#"SELECT e.id, e.slug, e.starts_on, e.precision, e.ends_on, e.end_precision,
                  e.title, e.kind
           FROM events e
           WHERE e.status = 'published' AND event_matches(e, $1, $2, $3, $4, $5, $6, $7, $8)
             AND ($9::date IS NULL OR (e.starts_on, e.id) > ($9, $10::bigint))
           ORDER BY e.starts_on, e.id
           LIMIT $11"#,
        filter.cursor.map(|c| c.date),
        filter.cursor.map(|c| c.id.0),
        limit + 1,
    )
    .fetch_all(pool)
    .await?;
    let mut events = with_actors(pool, rows).await?;
    let next_cursor = cut_page(&mut events, limit, |e| Cursor {
        date: e.date.date,
        id: e.id,
    });
    Ok(EventPage {
        events,
        next_cursor,
    })
}

/// Cuts a list fetched one past `limit` to its page, and says where the next begins.
pub(super) fn cut_page<T>(
    items: &mut Vec<T>,
    limit: i64,
    at: impl Fn(&T) -> Cursor,
) -> Option<String> {
    if items.len() as i64 <= limit {
        return None;
    }
    items.truncate(limit as usize);
    items.last().map(|i| at(i).encode())
}

/// Events by id: published ones, or (for editors) any.
async fn summaries(
    pool: &Pool,
    ids: &[i64],
    include_drafts: bool,
) -> Result<Vec<EventSummary>, DbError> {
    let rows = sqlx::query_as!(
        EventRow,
        r#"SELECT id, slug, starts_on, precision, ends_on, end_precision, title, kind
           FROM events WHERE id = ANY($1) AND (status = 'published' OR $2)
           ORDER BY starts_on, id"#,
        ids,
        include_drafts
    )
    .fetch_all(pool)
    .await?;
    with_actors(pool, rows).await
}

/// One event with its citations and relations. Drafts (the event, and the events it is
/// related to) are only returned when `include_drafts` is set (for editors): readers get
/// `None` for a draft, as for an unknown id, and only relations to published events.
pub async fn detail(
    pool: &Pool,
    id: EventId,
    include_drafts: bool,
) -> Result<Option<EventDetail>, DbError> {
    let Some(row) = sqlx::query!(
        r#"SELECT id, slug, starts_on, precision, ends_on, end_precision, title, kind,
                  summary, date_phrase, legal_instrument, legal_act_kind, legal_act_id,
                  status, version
           FROM events WHERE id = $1 AND (status = 'published' OR $2)"#,
        id.0,
        include_drafts
    )
    .fetch_optional(pool)
    .await?
    else {
        return Ok(None);
    };
    let (summary, date_phrase, legal_instrument, status, version) = (
        row.summary,
        row.date_phrase,
        row.legal_instrument,
        stored::<EventStatus>(&row.status)?,
        row.version,
    );
    let legal_act = stored_legal_act(row.legal_act_kind, row.legal_act_id)?;
    let event = with_actors(pool, vec![event_row!(row)])
        .await?
        .pop()
        .ok_or(DbError::NotFound("event"))?;

    let links = sqlx::query!(
        r#"SELECT kind AS "kind!", outgoing AS "outgoing!", other AS "other!" FROM (
             SELECT kind, true AS outgoing, to_event_id AS other
             FROM event_relations WHERE from_event_id = $1
             UNION ALL
             SELECT kind, false, from_event_id FROM event_relations WHERE to_event_id = $1
           ) r"#,
        id.0
    )
    .fetch_all(pool)
    .await?;
    let others: Vec<i64> = links.iter().map(|l| l.other).collect();
    let summaries = summaries(pool, &others, include_drafts).await?;
    let mut relations = Vec::new();
    for s in summaries {
        for link in links.iter().filter(|l| l.other == s.id.0) {
            relations.push(Relation {
                kind: stored::<RelationKind>(&link.kind)?,
                outgoing: link.outgoing,
                event: s.clone(),
            });
        }
    }

    Ok(Some(EventDetail {
        event,
        summary,
        date_phrase,
        legal_instrument,
        legal_act,
        lifecycle: lifecycle::of_event(pool, id).await?,
        status,
        version,
        citations: citations::of_event(pool, id).await?,
        relations,
    }))
}

/// A typed legal act as its two columns (kind, identifier), `None` for both without one.
fn legal_act_columns(act: Option<&LegalAct>) -> (Option<&'static str>, Option<String>) {
    (
        act.map(|a| a.kind().as_str()),
        act.map(LegalAct::identifier),
    )
}

/// A typed legal act as stored (both columns or neither, as a CHECK keeps them).
pub(super) fn stored_legal_act(
    kind: Option<String>,
    id: Option<String>,
) -> Result<Option<LegalAct>, DbError> {
    match (kind, id) {
        (Some(kind), Some(id)) => stored::<LegalActKind>(&kind)?
            .parse(&id)
            .map(Some)
            .map_err(|e| DbError::Corrupt(format!("stored legal act “{id}”: {e}"))),
        _ => Ok(None),
    }
}

/// Writes an event keyed by its slug: inserts it, or brings the stored one up to these
/// fields (bumping its version only if something changed). Returns its id.
pub async fn upsert_by_slug(
    conn: &mut PgConnection,
    slug: &Slug,
    status: EventStatus,
    e: &EventDraft,
) -> Result<EventId, DbError> {
    check_dates(e)?;
    let (act_kind, act_id) = legal_act_columns(e.legal_act.as_ref());
    let written = sqlx::query_scalar!(
        r#"INSERT INTO events (slug, starts_on, precision, ends_on, end_precision, covers_until,
                               date_phrase, title, summary, kind, legal_instrument, status,
                               legal_act_kind, legal_act_id)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
           ON CONFLICT (slug) DO UPDATE SET
             starts_on = EXCLUDED.starts_on, precision = EXCLUDED.precision,
             ends_on = EXCLUDED.ends_on, end_precision = EXCLUDED.end_precision,
             covers_until = EXCLUDED.covers_until, date_phrase = EXCLUDED.date_phrase,
             title = EXCLUDED.title, summary = EXCLUDED.summary, kind = EXCLUDED.kind,
             legal_instrument = EXCLUDED.legal_instrument, status = EXCLUDED.status,
             legal_act_kind = EXCLUDED.legal_act_kind, legal_act_id = EXCLUDED.legal_act_id,
             version = events.version + 1, updated_at = now()
           WHERE (events.starts_on, events.precision, events.ends_on, events.end_precision,
                  events.date_phrase, events.title, events.summary, events.kind,
                  events.legal_instrument, events.status, events.legal_act_kind,
                  events.legal_act_id)
             IS DISTINCT FROM
                 (EXCLUDED.starts_on, EXCLUDED.precision, EXCLUDED.ends_on,
                  EXCLUDED.end_precision, EXCLUDED.date_phrase, EXCLUDED.title,
                  EXCLUDED.summary, EXCLUDED.kind, EXCLUDED.legal_instrument, EXCLUDED.status,
                  EXCLUDED.legal_act_kind, EXCLUDED.legal_act_id)
           RETURNING id"#,
        slug.as_str(),
        e.date.date,
        e.date.precision.as_str(),
        e.end.map(|d| d.date),
        e.end.map(|d| d.precision.as_str()),
        e.covers_until(),
        e.date_phrase,
        e.title,
        e.summary,
        e.kind.as_str(),
        e.legal_instrument,
        status.as_str(),
        act_kind,
        act_id,
    )
    .fetch_optional(&mut *conn)
    .await?;
    let id = match written {
        Some(id) => id,
        // Unchanged: the conditional update wrote nothing, so look the row up.
        None => {
            sqlx::query_scalar!("SELECT id FROM events WHERE slug = $1", slug.as_str())
                .fetch_one(&mut *conn)
                .await?
        }
    };
    let id = EventId(id);
    // New dates on an event whose fields stayed are a new version too: an edit or a
    // proposal made on the old one must not quietly take them away. (A write above
    // already counted one.)
    if lifecycle::set_for_event(conn, id, &e.lifecycle).await? && written.is_none() {
        sqlx::query!(
            "UPDATE events SET version = version + 1, updated_at = now() WHERE id = $1",
            id.0
        )
        .execute(&mut *conn)
        .await?;
    }
    actors::set_for_event(conn, id, ActorRole::Authority, &e.authorities).await?;
    actors::set_for_event(conn, id, ActorRole::Target, &e.targets).await?;
    refresh_derived(conn, &[id]).await?;
    Ok(id)
}

/// Recomputes what events keep for fast reading (actor names, prominence, search text)
/// after a write to their actors, citations or relations. Same transaction as the write.
pub async fn refresh_derived(conn: &mut PgConnection, ids: &[EventId]) -> Result<(), DbError> {
    let ids: Vec<i64> = ids.iter().map(|id| id.0).collect();
    sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!" FROM (SELECT refresh_event_derived($1)) r"#,
        &ids
    )
    .fetch_one(conn)
    .await?;
    Ok(())
}

/// Records that `from` bears on `to` (idempotent).
pub async fn relate(
    conn: &mut PgConnection,
    from: EventId,
    kind: RelationKind,
    to: EventId,
) -> Result<(), DbError> {
    sqlx::query!(
        r#"INSERT INTO event_relations (from_event_id, to_event_id, kind) VALUES ($1, $2, $3)
           ON CONFLICT DO NOTHING"#,
        from.0,
        to.0,
        kind.as_str()
    )
    .execute(&mut *conn)
    .await?;
    refresh_derived(conn, &[from, to]).await
}

/// The outcome of an edit that names the version it was made on.
#[derive(Debug)]
pub enum Saved {
    /// Written; the event is now at this version and status.
    Done {
        id: EventId,
        version: i32,
        status: EventStatus,
    },
    /// Someone else changed the event first: nothing was written. Carries the event as
    /// it now stands, so the editor can compare.
    Stale(Box<Editable>),
}

/// Any event by id, whatever its status.
pub async fn editable(pool: &Pool, id: EventId) -> Result<Option<Editable>, DbError> {
    let Some(detail) = detail(pool, id, true).await? else {
        return Ok(None);
    };
    let e = &detail.event;
    let cited = detail
        .citations
        .iter()
        .map(|c| cited_line(&c.quote.exact, &c.source.title, c.source.id))
        .collect();
    let related = detail
        .relations
        .iter()
        .filter(|r| r.outgoing)
        .map(|r| related_line(r.kind, &r.event.title, r.event.id))
        .collect();
    Ok(Some(Editable {
        id: e.id,
        version: detail.version,
        permalink: e.permalink(),
        snapshot: EventSnapshot {
            draft: EventDraft {
                title: e.title.clone(),
                summary: detail.summary.clone(),
                kind: e.kind,
                date: e.date,
                end: e.end,
                date_phrase: detail.date_phrase.clone(),
                authorities: e.authorities.iter().map(|a| a.name.clone()).collect(),
                targets: e.targets.iter().map(|a| a.name.clone()).collect(),
                legal_instrument: detail.legal_instrument.clone(),
                legal_act: detail.legal_act.clone(),
                lifecycle: detail.lifecycle.clone(),
                quote: None,
                relation: None,
                removals: Removals::default(),
            },
            status: detail.status,
            cited,
            related,
        },
        citations: detail.citations,
        relations: detail.relations,
    }))
}

/// The status and canonical path of any event, for permalinks of withdrawn events.
pub async fn status_of(
    pool: &Pool,
    id: EventId,
) -> Result<Option<(EventStatus, String, String)>, DbError> {
    let row = sqlx::query!("SELECT status, slug, title FROM events WHERE id = $1", id.0)
        .fetch_optional(pool)
        .await?;
    row.map(|r| {
        let slug = stored::<Slug>(&r.slug)?;
        Ok((
            stored::<EventStatus>(&r.status)?,
            crate::domain::event::permalink_path(id, &slug),
            r.title,
        ))
    })
    .transpose()
}

fn check_dates(draft: &EventDraft) -> Result<(), DbError> {
    draft
        .check_dates()
        .map_err(|(field, reason)| DbError::Invalid { field, reason })
}

/// A new event, as a draft, with its actors, its first citation and its first revision.
pub async fn create(
    pool: &Pool,
    draft: &EventDraft,
    author: i64,
    comment: &str,
) -> Result<EventId, DbError> {
    check_dates(draft)?;
    let (act_kind, act_id) = legal_act_columns(draft.legal_act.as_ref());
    let mut tx = pool.begin().await?;
    // A title seen before gets the next free number after the highest in use; a
    // concurrent save that takes it first only moves this one to the number after.
    let base = Slug::from_title(&draft.title);
    let highest = sqlx::query_scalar!(
        r#"SELECT COALESCE(max(substring(slug FROM '-([0-9]{1,9})$')::bigint), 1) AS "n!"
           FROM events WHERE slug ~ ('^' || $1 || '-[0-9]{1,9}$')"#,
        base.as_str()
    )
    .fetch_one(&mut *tx)
    .await?;
    let mut number = None::<i64>;
    let id = loop {
        let slug: Slug = match number {
            None => base.clone(),
            Some(n) => stored(&format!("{}-{n}", base.as_str()))?,
        };
        let inserted = sqlx::query_scalar!(
            r#"INSERT INTO events (slug, starts_on, precision, ends_on, end_precision, covers_until,
                                   date_phrase, title, summary, kind, legal_instrument, status,
                                   legal_act_kind, legal_act_id)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'draft', $12, $13)
               ON CONFLICT (slug) DO NOTHING
               RETURNING id"#,
            slug.as_str(),
            draft.date.date,
            draft.date.precision.as_str(),
            draft.end.map(|d| d.date),
            draft.end.map(|d| d.precision.as_str()),
            draft.covers_until(),
            draft.date_phrase,
            draft.title,
            draft.summary,
            draft.kind.as_str(),
            draft.legal_instrument,
            act_kind,
            act_id.as_deref(),
        )
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(id) = inserted {
            break id;
        }
        number = Some(number.map_or(highest + 1, |n| n + 1));
    };
    let id = EventId(id);
    write_parts(&mut tx, id, draft).await?;
    record(&mut tx, id, 1, draft, EventStatus::Draft, author, comment).await?;
    tx.commit().await?;
    Ok(id)
}

/// Changes an event's fields, if it is still at `expected_version`.
pub async fn update(
    pool: &Pool,
    id: EventId,
    expected_version: i32,
    draft: &EventDraft,
    author: i64,
    comment: &str,
) -> Result<Saved, DbError> {
    check_dates(draft)?;
    let (act_kind, act_id) = legal_act_columns(draft.legal_act.as_ref());
    let mut tx = pool.begin().await?;
    let row = sqlx::query!(
        r#"UPDATE events SET starts_on = $3, precision = $4, ends_on = $5, end_precision = $6,
                  covers_until = $7, date_phrase = $8, title = $9, summary = $10, kind = $11,
                  legal_instrument = $12, legal_act_kind = $13, legal_act_id = $14,
                  version = version + 1, updated_at = now()
           WHERE id = $1 AND version = $2
           RETURNING version, status"#,
        id.0,
        expected_version,
        draft.date.date,
        draft.date.precision.as_str(),
        draft.end.map(|d| d.date),
        draft.end.map(|d| d.precision.as_str()),
        draft.covers_until(),
        draft.date_phrase,
        draft.title,
        draft.summary,
        draft.kind.as_str(),
        draft.legal_instrument,
        act_kind,
        act_id,
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = row else {
        drop(tx);
        return stale(pool, id).await;
    };
    write_parts(&mut tx, id, draft).await?;
    take_away(&mut tx, id, &draft.removals).await?;
    let status = stored::<EventStatus>(&row.status)?;
    record(&mut tx, id, row.version, draft, status, author, comment).await?;
    tx.commit().await?;
    Ok(Saved::Done {
        id,
        version: row.version,
        status,
    })
}

/// Publishes, withdraws to draft, or archives an event at `expected_version`.
pub async fn set_status(
    pool: &Pool,
    id: EventId,
    expected_version: i32,
    status: EventStatus,
    author: i64,
    comment: &str,
) -> Result<Saved, DbError> {
    // Read first: at the expected version, these are the fields the revision keeps.
    let before = editable(pool, id)
        .await?
        .ok_or(DbError::NotFound("event"))?;
    if before.version != expected_version {
        return Ok(Saved::Stale(Box::new(before)));
    }
    let mut tx = pool.begin().await?;
    let version = sqlx::query_scalar!(
        r#"UPDATE events SET status = $3, version = version + 1, updated_at = now()
           WHERE id = $1 AND version = $2 RETURNING version"#,
        id.0,
        expected_version,
        status.as_str(),
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(version) = version else {
        drop(tx);
        return stale(pool, id).await;
    };
    // Public prominence counts relations to published events only: publishing or
    // withdrawing this one changes its neighbours'.
    sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!" FROM (SELECT refresh_event_derived(ARRAY(
             SELECT to_event_id FROM event_relations WHERE from_event_id = $1
             UNION SELECT from_event_id FROM event_relations WHERE to_event_id = $1))) r"#,
        id.0
    )
    .fetch_one(&mut *tx)
    .await?;
    record(
        &mut tx,
        id,
        version,
        &before.snapshot.draft,
        status,
        author,
        comment,
    )
    .await?;
    tx.commit().await?;
    Ok(Saved::Done {
        id,
        version,
        status,
    })
}

async fn stale(pool: &Pool, id: EventId) -> Result<Saved, DbError> {
    match editable(pool, id).await? {
        Some(current) => Ok(Saved::Stale(Box::new(current))),
        None => Err(DbError::NotFound("event")),
    }
}

/// The rows an event's form writes beside the event's own: its lifecycle steps, its
/// actors, the passage picked, a relation added.
async fn write_parts(
    conn: &mut PgConnection,
    id: EventId,
    draft: &EventDraft,
) -> Result<(), DbError> {
    lifecycle::set_for_event(conn, id, &draft.lifecycle).await?;
    actors::set_for_event(conn, id, ActorRole::Authority, &draft.authorities).await?;
    actors::set_for_event(conn, id, ActorRole::Target, &draft.targets).await?;
    if let Some(q) = &draft.quote {
        citations::cite_picked(conn, id, q).await?;
    }
    if let Some(r) = draft.relation {
        if r.to == id {
            return Err(DbError::Invalid {
                field: "relation_to",
                reason: "an event cannot relate to itself".into(),
            });
        }
        let exists = sqlx::query_scalar!(
            r#"SELECT EXISTS (SELECT 1 FROM events WHERE id = $1 AND status <> 'archived') AS "e!""#,
            r.to.0
        )
        .fetch_one(&mut *conn)
        .await?;
        if !exists {
            return Err(DbError::Invalid {
                field: "relation_to",
                reason: format!("there is no event {}", r.to.0),
            });
        }
        relate(conn, id, r.kind, r.to).await?;
    }
    refresh_derived(conn, &[id]).await
}

/// Removes cited passages and stated relations; an event keeps at least one citation.
async fn take_away(
    conn: &mut PgConnection,
    id: EventId,
    removals: &Removals,
) -> Result<(), DbError> {
    if removals.is_empty() {
        return Ok(());
    }
    let citations: Vec<i64> = removals.citations.iter().map(|c| c.0).collect();
    sqlx::query!(
        "DELETE FROM citations WHERE event_id = $1 AND id = ANY($2)",
        id.0,
        &citations
    )
    .execute(&mut *conn)
    .await?;
    let kinds: Vec<&str> = removals.relations.iter().map(|r| r.kind.as_str()).collect();
    let others: Vec<i64> = removals.relations.iter().map(|r| r.to.0).collect();
    let unrelated = sqlx::query_scalar!(
        r#"DELETE FROM event_relations r
           USING UNNEST($2::text[], $3::bigint[]) AS gone (kind, to_event_id)
           WHERE r.from_event_id = $1 AND r.kind = gone.kind AND r.to_event_id = gone.to_event_id
           RETURNING r.to_event_id"#,
        id.0,
        &kinds as &[&str],
        &others
    )
    .fetch_all(&mut *conn)
    .await?;
    let left = sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!" FROM citations WHERE event_id = $1 AND NOT needs_review"#,
        id.0
    )
    .fetch_one(&mut *conn)
    .await?;
    if left == 0 {
        return Err(DbError::Invalid {
            field: "citations",
            reason: "an event cites at least one passage that is in place: select the new \
                     one in the source before removing the last"
                .into(),
        });
    }
    let mut touched: Vec<EventId> = unrelated.into_iter().map(EventId).collect();
    touched.push(id);
    refresh_derived(conn, &touched).await
}

async fn record(
    conn: &mut PgConnection,
    id: EventId,
    version: i32,
    draft: &EventDraft,
    status: EventStatus,
    author: i64,
    comment: &str,
) -> Result<(), DbError> {
    let cited = sqlx::query!(
        r#"SELECT c.exact, s.id AS source_id, s.title
           FROM citations c JOIN sources s ON s.id = c.source_id
           WHERE c.event_id = $1 ORDER BY c.id"#,
        id.0
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|c| cited_line(&c.exact, &c.title, SourceId(c.source_id)))
    .collect();
    let related = sqlx::query!(
        r#"SELECT r.kind, e.id, e.title
           FROM event_relations r JOIN events e ON e.id = r.to_event_id
           WHERE r.from_event_id = $1 ORDER BY r.kind, e.id"#,
        id.0
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|r| Ok(related_line(stored(&r.kind)?, &r.title, EventId(r.id))))
    .collect::<Result<_, DbError>>()?;
    let snapshot = EventSnapshot {
        draft: EventDraft {
            quote: None,
            relation: None,
            removals: Removals::default(),
            ..draft.clone()
        },
        status,
        cited,
        related,
    };
    super::revisions::record(
        conn,
        id.0,
        version,
        author,
        comment,
        &Snapshot::Event(snapshot),
    )
    .await
}
