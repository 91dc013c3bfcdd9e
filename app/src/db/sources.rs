//! Sources: articles with their full stored text.

use super::{stored, DbError, Pool};
use crate::domain::citation::{reanchor, Anchor, Quote};
use crate::domain::revision::Snapshot;
use crate::domain::source::CitedPassage;
use crate::domain::source_form::{EditableSource, FlaggedQuote, ReanchorReport};
use crate::domain::{CharSpan, CitationId, EventId, SourceDetail, SourceId, SourceRef};
use sha2::{Digest, Sha256};
use sqlx::PgConnection;

/// A source as it is written: the same checked record the editors' form produces.
pub use crate::domain::source_form::SourceDraft as NewSource;

pub fn body_sha256(body: &str) -> String {
    hex::encode(Sha256::digest(body.as_bytes()))
}

/// Stores a source keyed by URL. An existing source keeps its body (citations point into
/// it); only its descriptive fields are brought up to date. Returns its id.
pub async fn upsert_by_url(conn: &mut PgConnection, s: &NewSource) -> Result<SourceId, DbError> {
    if !(s.url.starts_with("https://") || s.url.starts_with("http://")) {
        return Err(DbError::Invalid {
            field: "url",
            reason: format!("“{}” is not an http(s) address", s.url),
        });
    }
    let id = sqlx::query_scalar!(
        r#"INSERT INTO sources (url, title, publisher, authors, published_on, language, body,
                                body_sha256, archive_url)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
           ON CONFLICT (url) DO UPDATE SET
             title = EXCLUDED.title, publisher = EXCLUDED.publisher,
             authors = EXCLUDED.authors, published_on = EXCLUDED.published_on,
             language = EXCLUDED.language, archive_url = EXCLUDED.archive_url,
             updated_at = now()
           RETURNING id"#,
        s.url,
        s.title,
        s.publisher,
        &s.authors,
        s.published_on,
        s.language.as_str(),
        s.body,
        body_sha256(&s.body),
        s.archive_url,
    )
    .fetch_one(conn)
    .await?;
    Ok(SourceId(id))
}

/// A source with its text and the passages published events cite from it. Readers see a
/// source only once a published event cites it (one only drafts cite is not public);
/// editors (`for_editors`) see every source.
pub async fn detail(
    pool: &Pool,
    id: SourceId,
    for_editors: bool,
) -> Result<Option<SourceDetail>, DbError> {
    let Some(s) = sqlx::query!(
        r#"SELECT id, url, archive_url, title, publisher, authors, published_on, language, body,
                  body_sha256
           FROM sources s WHERE id = $1 AND ($2 OR EXISTS (
             SELECT 1 FROM citations c JOIN events e ON e.id = c.event_id
             WHERE c.source_id = s.id AND e.status = 'published'))"#,
        id.0,
        for_editors
    )
    .fetch_optional(pool)
    .await?
    else {
        return Ok(None);
    };
    let cited = sqlx::query!(
        r#"SELECT c.id, c.start_char, c.end_char, c.exact, e.id AS event_id, e.slug,
                  e.title, e.kind
           FROM citations c JOIN events e ON e.id = c.event_id
           WHERE c.source_id = $1 AND e.status = 'published' AND NOT c.needs_review
           ORDER BY c.start_char, c.id"#,
        id.0
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|c| {
        Ok(CitedPassage {
            citation_id: CitationId(c.id),
            span: CharSpan {
                start: c.start_char as usize,
                end: c.end_char as usize,
            },
            exact: c.exact,
            event_id: EventId(c.event_id),
            event_slug: stored(&c.slug)?,
            event_title: c.title,
            event_kind: stored(&c.kind)?,
        })
    })
    .collect::<Result<Vec<_>, DbError>>()?;
    Ok(Some(SourceDetail {
        source: SourceRef {
            id: SourceId(s.id),
            url: s.url,
            archive_url: s.archive_url,
            title: s.title,
            publisher: s.publisher,
            published_on: s.published_on,
            language: stored(&s.language)?,
        },
        authors: s.authors,
        body: s.body,
        body_sha256: s.body_sha256,
        cited,
    }))
}

/// What adding a source came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Added {
    New(SourceId),
    /// A source with this URL exists already; nothing was written.
    Duplicate(SourceId),
}

/// Adds an editor's source, with its first revision, in one transaction.
pub async fn add(
    pool: &Pool,
    draft: &NewSource,
    author: i64,
    comment: &str,
) -> Result<Added, DbError> {
    let mut tx = pool.begin().await?;
    let id = sqlx::query_scalar!(
        r#"INSERT INTO sources (url, title, publisher, authors, published_on, language, body,
                                body_sha256, created_by, archive_url)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
           ON CONFLICT (url) DO NOTHING RETURNING id"#,
        draft.url,
        draft.title,
        draft.publisher,
        &draft.authors,
        draft.published_on,
        draft.language.as_str(),
        draft.body,
        body_sha256(&draft.body),
        author,
        draft.archive_url,
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(id) = id else {
        let existing = sqlx::query_scalar!("SELECT id FROM sources WHERE url = $1", draft.url)
            .fetch_one(&mut *tx)
            .await?;
        return Ok(Added::Duplicate(SourceId(existing)));
    };
    super::revisions::record(
        &mut tx,
        id,
        1,
        author,
        comment,
        &Snapshot::Source(draft.into()),
    )
    .await?;
    tx.commit().await?;
    Ok(Added::New(SourceId(id)))
}

/// Every source, newest first, for the editors' source picker.
pub async fn list(pool: &Pool) -> Result<Vec<SourceRef>, DbError> {
    sqlx::query!(
        r#"SELECT id, url, archive_url, title, publisher, published_on, language FROM sources
           ORDER BY created_at DESC, id DESC LIMIT 500"#
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|s| {
        Ok(SourceRef {
            id: SourceId(s.id),
            url: s.url,
            archive_url: s.archive_url,
            title: s.title,
            publisher: s.publisher,
            published_on: s.published_on,
            language: stored(&s.language)?,
        })
    })
    .collect()
}

/// The outcome of editing a source at a version.
#[derive(Debug)]
pub enum SourceSaved {
    Done {
        version: i32,
        report: ReanchorReport,
    },
    /// Someone else changed it first; nothing was written.
    Stale(Box<EditableSource>),
}

/// A source's address, which edits keep: `None` for an unknown id.
pub async fn url_of(pool: &Pool, id: SourceId) -> Result<Option<String>, DbError> {
    Ok(
        sqlx::query_scalar!("SELECT url FROM sources WHERE id = $1", id.0)
            .fetch_optional(pool)
            .await?,
    )
}

/// A source for its edit form.
pub async fn editable(pool: &Pool, id: SourceId) -> Result<Option<EditableSource>, DbError> {
    Ok(current(pool, id)
        .await?
        .map(|(version, draft)| EditableSource {
            id,
            version,
            form: draft.to_form(),
        }))
}

/// Whether a published event cites the source: then readers see it, and an editor's
/// change to it waits for an admin.
pub async fn cited_by_published(pool: &Pool, id: SourceId) -> Result<bool, DbError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM citations c JOIN events e ON e.id = c.event_id
                          WHERE c.source_id = $1 AND e.status = 'published') AS "e!""#,
        id.0
    )
    .fetch_one(pool)
    .await?)
}

/// A source as stored now, with its version.
pub async fn current(pool: &Pool, id: SourceId) -> Result<Option<(i32, NewSource)>, DbError> {
    let row = sqlx::query!(
        r#"SELECT url, archive_url, title, publisher, authors, published_on, language, body,
                  version
           FROM sources WHERE id = $1"#,
        id.0
    )
    .fetch_optional(pool)
    .await?;
    row.map(|s| {
        let draft = NewSource {
            url: s.url,
            archive_url: s.archive_url,
            title: s.title,
            publisher: s.publisher,
            authors: s.authors,
            published_on: s.published_on,
            language: stored(&s.language)?,
            body: s.body,
        };
        Ok((s.version, draft))
    })
    .transpose()
}

/// Changes a source (its text included) if it is still at `expected_version`, and
/// re-anchors every citation of it in the same transaction: kept, moved to where its
/// quote now stands, or flagged for review — never silently moved elsewhere or dropped.
pub async fn update(
    pool: &Pool,
    id: SourceId,
    expected_version: i32,
    draft: &NewSource,
    author: i64,
    comment: &str,
) -> Result<SourceSaved, DbError> {
    let mut tx = pool.begin().await?;
    // The update locks the source's row until commit. A new citation reads the text
    // FOR SHARE (`citations::cite`), so it either waits for this commit and anchors in the
    // new text, or committed first and is among the citations re-anchored below.
    let version = sqlx::query_scalar!(
        r#"UPDATE sources SET title = $3, publisher = $4, authors = $5, published_on = $6,
                  language = $7, body = $8, body_sha256 = $9, archive_url = $10,
                  version = version + 1, updated_at = now()
           WHERE id = $1 AND version = $2 RETURNING version"#,
        id.0,
        expected_version,
        draft.title,
        draft.publisher,
        &draft.authors,
        draft.published_on,
        draft.language.as_str(),
        draft.body,
        body_sha256(&draft.body),
        draft.archive_url,
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(version) = version else {
        drop(tx);
        return match editable(pool, id).await? {
            Some(current) => Ok(SourceSaved::Stale(Box::new(current))),
            None => Err(DbError::NotFound("source")),
        };
    };
    let cited = sqlx::query!(
        r#"SELECT c.id, c.exact, c.prefix, c.suffix, c.start_char, c.end_char, c.event_id,
                  e.title AS event_title
           FROM citations c JOIN events e ON e.id = c.event_id
           WHERE c.source_id = $1 ORDER BY c.id FOR UPDATE OF c"#,
        id.0
    )
    .fetch_all(&mut *tx)
    .await?;
    // Re-anchoring is a pass over the text per citation: off the async workers.
    let body = draft.body.clone();
    let olds: Vec<Quote> = cited
        .iter()
        .map(|c| Quote {
            exact: c.exact.clone(),
            prefix: c.prefix.clone(),
            suffix: c.suffix.clone(),
            span: CharSpan {
                start: c.start_char as usize,
                end: c.end_char as usize,
            },
        })
        .collect();
    let anchors = match tokio::task::spawn_blocking(move || {
        olds.into_iter()
            .map(|old| {
                let anchor = reanchor(&body, &old);
                (old, anchor)
            })
            .collect::<Vec<_>>()
    })
    .await
    {
        Ok(anchors) => anchors,
        Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
        // Only a runtime shutting down cancels a blocking task.
        Err(e) => return Err(DbError::Sqlx(sqlx::Error::Io(std::io::Error::other(e)))),
    };
    let mut report = ReanchorReport::default();
    for (c, (old, anchor)) in cited.into_iter().zip(anchors) {
        let placed = match anchor {
            Anchor::Kept(q) => {
                report.kept += 1;
                Some(q)
            }
            Anchor::Moved(q) => {
                report.moved += 1;
                Some(q)
            }
            Anchor::Lost => None,
        };
        match placed {
            Some(q) => {
                sqlx::query!(
                    r#"UPDATE citations SET start_char = $2, end_char = $3, prefix = $4,
                              suffix = $5, needs_review = false
                       WHERE id = $1"#,
                    c.id,
                    q.span.start as i32,
                    q.span.end as i32,
                    q.prefix,
                    q.suffix,
                )
                .execute(&mut *tx)
                .await?;
            }
            None => {
                sqlx::query!(
                    "UPDATE citations SET needs_review = true WHERE id = $1",
                    c.id
                )
                .execute(&mut *tx)
                .await?;
                report.flagged.push(FlaggedQuote {
                    event_id: EventId(c.event_id),
                    event_title: c.event_title,
                    exact: old.exact,
                });
            }
        }
    }
    super::revisions::record(
        &mut tx,
        id.0,
        version,
        author,
        comment,
        &Snapshot::Source(draft.into()),
    )
    .await?;
    tx.commit().await?;
    Ok(SourceSaved::Done { version, report })
}
