//! Revisions: every editor's change to an event or a source, as the record then stood.

use super::DbError;
use sqlx::PgConnection;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entity {
    Event,
    Source,
}

impl Entity {
    fn as_str(self) -> &'static str {
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
