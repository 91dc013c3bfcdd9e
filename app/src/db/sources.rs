//! Sources: articles with their full stored text.

use super::{stored, DbError, Pool};
use crate::domain::source::CitedPassage;
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
                                body_sha256)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
           ON CONFLICT (url) DO UPDATE SET
             title = EXCLUDED.title, publisher = EXCLUDED.publisher,
             authors = EXCLUDED.authors, published_on = EXCLUDED.published_on,
             language = EXCLUDED.language, updated_at = now()
           RETURNING id"#,
        s.url,
        s.title,
        s.publisher,
        &s.authors,
        s.published_on,
        s.language.as_str(),
        s.body,
        body_sha256(&s.body),
    )
    .fetch_one(conn)
    .await?;
    Ok(SourceId(id))
}

/// A source with its text and the passages published events cite from it.
pub async fn detail(pool: &Pool, id: SourceId) -> Result<Option<SourceDetail>, DbError> {
    let Some(s) = sqlx::query!(
        r#"SELECT id, url, title, publisher, authors, published_on, language, body, body_sha256
           FROM sources WHERE id = $1"#,
        id.0
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
           WHERE c.source_id = $1 AND e.status = 'published'
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
                                body_sha256, created_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
           ON CONFLICT (url) DO NOTHING RETURNING id"#,
        draft.url,
        draft.title,
        draft.publisher,
        &draft.authors,
        draft.published_on,
        draft.language.as_str(),
        draft.body,
        body_sha256(&draft.body),
        author
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(id) = id else {
        let existing = sqlx::query_scalar!("SELECT id FROM sources WHERE url = $1", draft.url)
            .fetch_one(&mut *tx)
            .await?;
        return Ok(Added::Duplicate(SourceId(existing)));
    };
    let snapshot = serde_json::json!({
        "url": draft.url, "title": draft.title, "publisher": draft.publisher,
        "authors": draft.authors, "published_on": draft.published_on,
        "language": draft.language.as_str(), "body": draft.body,
    });
    super::revisions::record(
        &mut tx,
        super::revisions::Entity::Source,
        id,
        1,
        author,
        comment,
        snapshot,
    )
    .await?;
    tx.commit().await?;
    Ok(Added::New(SourceId(id)))
}

/// Every source, newest first, for the editors' source picker.
pub async fn list(pool: &Pool) -> Result<Vec<SourceRef>, DbError> {
    sqlx::query!(
        r#"SELECT id, url, title, publisher, published_on, language FROM sources
           ORDER BY created_at DESC, id DESC LIMIT 500"#
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|s| {
        Ok(SourceRef {
            id: SourceId(s.id),
            url: s.url,
            title: s.title,
            publisher: s.publisher,
            published_on: s.published_on,
            language: stored(&s.language)?,
        })
    })
    .collect()
}
