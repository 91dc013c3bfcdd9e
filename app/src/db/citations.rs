//! Citations: the exact passages of sources that events rest on.

use super::{DbError, Pool};
use crate::domain::citation::{Quote, QuoteError};
use crate::domain::event_form::PickedQuote;
use crate::domain::lifecycle::LifecycleStep;
use crate::domain::{CharSpan, Citation, CitationId, EventId, SourceId, SourceRef};
use sqlx::PgConnection;

/// A citation as read with its source.
struct CitationRow {
    id: i64,
    exact: String,
    prefix: String,
    suffix: String,
    start_char: i32,
    end_char: i32,
    needs_review: bool,
    states: Option<String>,
    source_id: i64,
    url: String,
    archive_url: Option<String>,
    title: String,
    publisher: String,
    published_on: chrono::NaiveDate,
    language: String,
}

impl CitationRow {
    fn into_citation(self) -> Result<Citation, DbError> {
        Ok(Citation {
            id: CitationId(self.id),
            quote: Quote {
                exact: self.exact,
                prefix: self.prefix,
                suffix: self.suffix,
                span: CharSpan {
                    start: self.start_char as usize,
                    end: self.end_char as usize,
                },
            },
            source: SourceRef {
                id: SourceId(self.source_id),
                url: self.url,
                archive_url: self.archive_url,
                title: self.title,
                publisher: self.publisher,
                published_on: self.published_on,
                language: super::stored(&self.language)?,
            },
            needs_review: self.needs_review,
            states: self.states.as_deref().map(super::stored).transpose()?,
        })
    }
}

/// An event's citations with the sources they quote, in the event's order.
pub async fn of_event(pool: &Pool, event: EventId) -> Result<Vec<Citation>, DbError> {
    sqlx::query_as!(
        CitationRow,
        r#"SELECT c.id, c.exact, c.prefix, c.suffix, c.start_char, c.end_char, c.needs_review,
                  c.states, s.id AS source_id, s.url, s.archive_url, s.title, s.publisher, s.published_on, s.language
           FROM citations c JOIN sources s ON s.id = c.source_id
           WHERE c.event_id = $1
           ORDER BY c.position, c.id"#,
        event.0
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(CitationRow::into_citation)
    .collect()
}

/// One citation of a published event, with the event's permalink; `None` for no such
/// citation or one of a draft.
pub async fn published(pool: &Pool, id: CitationId) -> Result<Option<(Citation, String)>, DbError> {
    let Some(row) = sqlx::query!(
        r#"SELECT c.event_id, e.slug FROM citations c JOIN events e ON e.id = c.event_id
           WHERE c.id = $1 AND e.status = 'published'"#,
        id.0
    )
    .fetch_optional(pool)
    .await?
    else {
        return Ok(None);
    };
    let event = EventId(row.event_id);
    let permalink = crate::domain::event::permalink_path(event, &super::stored(&row.slug)?);
    let citation = of_event(pool, event)
        .await?
        .into_iter()
        .find(|c| c.id == id);
    Ok(citation.map(|c| (c, permalink)))
}

/// Cites a passage an editor selected in the source as the browser showed it. The
/// browser counts UTF-16 units; the stored offsets count characters.
pub async fn cite_picked(
    conn: &mut PgConnection,
    event: EventId,
    picked: &PickedQuote,
) -> Result<CitationId, DbError> {
    let body = locked_body(conn, picked.source).await?;
    let span = CharSpan::from_utf16(&body, picked.utf16_start, picked.utf16_end).ok_or(
        QuoteError::OutOfRange {
            start: picked.utf16_start,
            end: picked.utf16_end,
            len: body.chars().count(),
        },
    )?;
    let quote = Quote::verify(&body, &picked.exact, span)?;
    // Selected again, a passage states what the editor now says it states, or nothing.
    insert(
        conn,
        event,
        picked.source,
        &quote,
        Label::Set(picked.states),
    )
    .await
}

/// Cites `exact` from a source for an event, as the passage that states `states` when
/// given. With `span`, the span must hold exactly the quote; without, the quote must occur
/// once in the body. Prefix and suffix are taken from the stored body, so they are always
/// true to it.
pub async fn cite(
    conn: &mut PgConnection,
    event: EventId,
    source: SourceId,
    exact: &str,
    span: Option<CharSpan>,
    states: Option<LifecycleStep>,
) -> Result<CitationId, DbError> {
    let body = locked_body(conn, source).await?;
    let quote = match span {
        Some(span) => Quote::verify(&body, exact, span)?,
        None => Quote::find_unique(&body, exact)?,
    };
    let label = match states {
        Some(step) => Label::Set(Some(step)),
        None => Label::Keep,
    };
    insert(conn, event, source, &quote, label).await
}

/// A source's text, locked against edits until the caller's transaction ends. A source
/// edit re-anchors the citations it can see; without this lock a citation anchored in
/// the text being replaced could commit just after the edit read them, pointing into a
/// text that no longer exists (the offsets trigger, reading with this transaction's
/// snapshot, would not notice). FOR SHARE waits for an edit in progress and then reads
/// the edited text; an edit that starts later waits for this transaction, and then sees
/// its citation.
async fn locked_body(conn: &mut PgConnection, source: SourceId) -> Result<String, DbError> {
    sqlx::query_scalar!("SELECT body FROM sources WHERE id = $1 FOR SHARE", source.0)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(DbError::NotFound("source"))
}

/// What a citation says it states, when the passage is cited again.
enum Label {
    Keep,
    Set(Option<LifecycleStep>),
}

/// Stores a quote anchored in the source's text as [`locked_body`] read it, unless the
/// event already cites that very passage (then `label` decides what it states).
async fn insert(
    conn: &mut PgConnection,
    event: EventId,
    source: SourceId,
    quote: &Quote,
    label: Label,
) -> Result<CitationId, DbError> {
    let states = match label {
        Label::Set(step) => step.map(LifecycleStep::as_str),
        Label::Keep => None,
    };
    let existing = sqlx::query_scalar!(
        r#"SELECT id FROM citations
           WHERE event_id = $1 AND source_id = $2 AND start_char = $3 AND end_char = $4"#,
        event.0,
        source.0,
        quote.span.start as i32,
        quote.span.end as i32
    )
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(id) = existing {
        if matches!(label, Label::Set(_)) {
            sqlx::query!(
                "UPDATE citations SET states = $2 WHERE id = $1 AND states IS DISTINCT FROM $2",
                id,
                states
            )
            .execute(&mut *conn)
            .await?;
        }
        return Ok(CitationId(id));
    }
    let id = sqlx::query_scalar!(
        r#"INSERT INTO citations (event_id, source_id, exact, prefix, suffix, start_char,
                                  end_char, states, position)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8,
                   (SELECT count(*) FROM citations WHERE event_id = $1)::smallint)
           RETURNING id"#,
        event.0,
        source.0,
        quote.exact,
        quote.prefix,
        quote.suffix,
        quote.span.start as i32,
        quote.span.end as i32,
        states
    )
    .fetch_one(&mut *conn)
    .await?;
    super::events::refresh_derived(conn, &[event]).await?;
    Ok(CitationId(id))
}
