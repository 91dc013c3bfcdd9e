//! Revisions: every editor's change to an event or a source, as the record then stood.

use super::DbError;
use sqlx::PgConnection;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entity {
    Event,
    Source,
}

impl Entity {
    pub fn as_str(self) -> &'static str {
        match self {
            Entity::Event => "event",
            Entity::Source => "source",
        }
    }
}

/// Writes one revision; the caller's transaction makes it part of the change itself.
pub async fn record(
    conn: &mut PgConnection,
    entity: Entity,
    id: i64,
    version: i32,
    author: i64,
    comment: &str,
    snapshot: serde_json::Value,
) -> Result<(), DbError> {
    sqlx::query!(
        r#"INSERT INTO revisions (entity, entity_id, version, author_id, comment, snapshot)
           VALUES ($1, $2, $3, $4, $5, $6)"#,
        entity.as_str(),
        id,
        version,
        author,
        comment.trim(),
        snapshot
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// One stored revision, oldest first in [`list`].
#[derive(Debug, Clone)]
pub struct Stored {
    pub version: i32,
    pub author: String,
    pub at: chrono::DateTime<chrono::Utc>,
    pub comment: String,
    pub snapshot: serde_json::Value,
}

/// Every revision of one event or source, oldest first.
pub async fn list(
    pool: &super::Pool,
    entity: Entity,
    id: i64,
    newest_with_snapshots: i32,
) -> Result<Vec<Stored>, DbError> {
    // A source's snapshot holds its whole text: only the newest few, which the page
    // compares, are read, so a long history costs rows, not megabytes each.
    Ok(sqlx::query!(
        r#"SELECT r.version, r.comment, r.created_at,
                  CASE WHEN r.version > max(r.version) OVER () - $3 THEN r.snapshot
                       ELSE 'null'::jsonb END AS "snapshot!",
                  COALESCE(u.display_name, 'the system') AS "author!"
           FROM revisions r LEFT JOIN users u ON u.id = r.author_id
           WHERE r.entity = $1 AND r.entity_id = $2
           ORDER BY r.version"#,
        entity.as_str(),
        id,
        newest_with_snapshots
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|r| Stored {
        version: r.version,
        author: r.author,
        at: r.created_at,
        comment: r.comment,
        snapshot: r.snapshot,
    })
    .collect())
}

/// The snapshot one revision kept, if there is such a revision.
pub async fn snapshot_at(
    pool: &super::Pool,
    entity: Entity,
    id: i64,
    version: i32,
) -> Result<Option<serde_json::Value>, DbError> {
    Ok(sqlx::query_scalar!(
        "SELECT snapshot FROM revisions WHERE entity = $1 AND entity_id = $2 AND version = $3",
        entity.as_str(),
        id,
        version
    )
    .fetch_optional(pool)
    .await?)
}
