//! What the sitemap lists: every published event's permalink and every source page, read
//! by ranges of ids so one part of the sitemap costs one index range, whatever the size
//! of the record.

use super::{stored, DbError, Pool};
use crate::domain::event::permalink_path;
use crate::domain::EventId;
use chrono::NaiveDate;

/// The highest event and source ids (0 for none): how many parts the sitemap has.
pub async fn last_ids(pool: &Pool) -> Result<(i64, i64), DbError> {
    let r = sqlx::query!(
        r#"SELECT (SELECT COALESCE(max(id), 0) FROM events) AS "events!",
                  (SELECT COALESCE(max(id), 0) FROM sources) AS "sources!""#
    )
    .fetch_one(pool)
    .await?;
    Ok((r.events, r.sources))
}

/// One listed page: its path and the day it last changed.
pub struct Listed {
    pub path: String,
    pub changed: NaiveDate,
}

/// Published events with ids in `from..until`, by id.
pub async fn events(pool: &Pool, from: i64, until: i64) -> Result<Vec<Listed>, DbError> {
    let rows = sqlx::query!(
        r#"SELECT id, slug, updated_at FROM events
           WHERE id >= $1 AND id < $2 AND status = 'published' ORDER BY id"#,
        from,
        until
    )
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(Listed {
                path: permalink_path(EventId(r.id), &stored(&r.slug)?),
                changed: r.updated_at.date_naive(),
            })
        })
        .collect()
}

/// Sources with ids in `from..until`, by id.
pub async fn sources(pool: &Pool, from: i64, until: i64) -> Result<Vec<Listed>, DbError> {
    let rows = sqlx::query!(
        "SELECT id, updated_at FROM sources WHERE id >= $1 AND id < $2 ORDER BY id",
        from,
        until
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Listed {
            path: format!("/sources/{}", r.id),
            changed: r.updated_at.date_naive(),
        })
        .collect())
}
