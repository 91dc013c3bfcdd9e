//! Pending changes: an editor's save to something readers see, kept until an admin
//! approves it (it then goes live through the normal save) or rejects it.

use super::revisions::Entity;
use super::{DbError, Pool};
use crate::domain::event_form::EventForm;
use crate::domain::source_form::SourceForm;
use sqlx::PgConnection;

/// The form an editor submitted, as typed: approval parses and saves it exactly as the
/// editor's own save would have.
#[derive(Debug, Clone, PartialEq, Eq)]
// One value per request, moved a few times: the size of the larger form costs nothing.
#[allow(clippy::large_enum_variant)]
pub enum Proposed {
    Event(EventForm),
    Source(SourceForm),
}

impl Proposed {
    pub fn entity(&self) -> Entity {
        match self {
            Proposed::Event(_) => Entity::Event,
            Proposed::Source(_) => Entity::Source,
        }
    }

    fn to_json(&self) -> Result<serde_json::Value, DbError> {
        match self {
            Proposed::Event(f) => serde_json::to_value(f),
            Proposed::Source(f) => serde_json::to_value(f),
        }
        .map_err(|e| DbError::Corrupt(format!("pending form: {e}")))
    }

    fn from_stored(entity: &str, form: serde_json::Value) -> Result<Self, DbError> {
        let corrupt = |e: serde_json::Error| DbError::Corrupt(format!("pending form: {e}"));
        match entity {
            "event" => Ok(Proposed::Event(
                serde_json::from_value(form).map_err(corrupt)?,
            )),
            "source" => Ok(Proposed::Source(
                serde_json::from_value(form).map_err(corrupt)?,
            )),
            other => Err(DbError::Corrupt(format!("pending change of “{other}”"))),
        }
    }
}

/// Where a change stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Pending,
    Approved,
    Rejected,
}

impl std::str::FromStr for State {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        match s {
            "pending" => Ok(State::Pending),
            "approved" => Ok(State::Approved),
            "rejected" => Ok(State::Rejected),
            _ => Err(()),
        }
    }
}

/// One stored change.
#[derive(Debug, Clone)]
pub struct Pending {
    pub id: i64,
    pub entity_id: i64,
    pub base_version: i32,
    pub author_id: i64,
    pub author: String,
    pub comment: String,
    pub proposed: Proposed,
    pub state: State,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub decided_by: Option<String>,
    pub decided_at: Option<chrono::DateTime<chrono::Utc>>,
    pub reason: Option<String>,
}

impl Pending {
    pub fn entity(&self) -> Entity {
        self.proposed.entity()
    }
}

/// Keeps an editor's change for review; nothing of the record itself changes.
pub async fn submit(
    pool: &Pool,
    entity_id: i64,
    base_version: i32,
    author: i64,
    comment: &str,
    proposed: &Proposed,
) -> Result<i64, DbError> {
    Ok(sqlx::query_scalar!(
        r#"INSERT INTO pending_changes (entity, entity_id, base_version, author, comment, form)
           VALUES ($1, $2, $3, $4, $5, $6) RETURNING id"#,
        proposed.entity().as_str(),
        entity_id,
        base_version,
        author,
        comment.trim(),
        proposed.to_json()?,
    )
    .fetch_one(pool)
    .await?)
}

/// The most changes the queue lists at once (oldest first; the rest follow as these are
/// decided).
pub const QUEUE_LIMIT: i64 = 100;

macro_rules! read_rows {
    ($rows:expr) => {
        $rows
            .into_iter()
            .map(|r| {
                Ok(Pending {
                    id: r.id,
                    entity_id: r.entity_id,
                    base_version: r.base_version,
                    author_id: r.author_id,
                    author: r.author,
                    comment: r.comment,
                    proposed: Proposed::from_stored(&r.entity, r.form)?,
                    state: super::stored(&r.state)?,
                    created_at: r.created_at,
                    decided_by: r.decided_by,
                    decided_at: r.decided_at,
                    reason: r.reason,
                })
            })
            .collect::<Result<Vec<_>, DbError>>()
    };
}

/// The changes waiting for an admin, oldest first.
pub async fn queue(pool: &Pool) -> Result<Vec<Pending>, DbError> {
    let rows = sqlx::query!(
        r#"SELECT p.id, p.entity, p.entity_id, p.base_version, p.author AS author_id,
                  u.display_name AS author, p.comment, p.form, p.state, p.created_at,
                  d.display_name AS "decided_by?", p.decided_at, p.reason
           FROM pending_changes p JOIN users u ON u.id = p.author
           LEFT JOIN users d ON d.id = p.decided_by
           WHERE p.state = 'pending'
           ORDER BY p.created_at, p.id
           LIMIT $1"#,
        QUEUE_LIMIT
    )
    .fetch_all(pool)
    .await?;
    read_rows!(rows)
}

/// How many changes wait for an admin.
pub async fn waiting(pool: &Pool) -> Result<i64, DbError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!" FROM pending_changes WHERE state = 'pending'"#
    )
    .fetch_one(pool)
    .await?)
}

/// The changes proposed for one event or source that did not go live (waiting or
/// rejected), newest first, for its history.
pub async fn not_applied(pool: &Pool, entity: Entity, id: i64) -> Result<Vec<Pending>, DbError> {
    let rows = sqlx::query!(
        r#"SELECT p.id, p.entity, p.entity_id, p.base_version, p.author AS author_id,
                  u.display_name AS author, p.comment, p.form, p.state, p.created_at,
                  d.display_name AS "decided_by?", p.decided_at, p.reason
           FROM pending_changes p JOIN users u ON u.id = p.author
           LEFT JOIN users d ON d.id = p.decided_by
           WHERE p.entity = $1 AND p.entity_id = $2 AND p.state <> 'approved'
           ORDER BY p.created_at DESC, p.id DESC
           LIMIT 50"#,
        entity.as_str(),
        id
    )
    .fetch_all(pool)
    .await?;
    read_rows!(rows)
}

/// A change still pending, locked until `conn`'s transaction ends, so no other admin
/// decides it meanwhile. `None` when there is no such change; its state when decided.
pub async fn lock(conn: &mut PgConnection, id: i64) -> Result<Option<Pending>, DbError> {
    let rows = sqlx::query!(
        r#"SELECT p.id, p.entity, p.entity_id, p.base_version, p.author AS author_id,
                  u.display_name AS author, p.comment, p.form, p.state, p.created_at,
                  d.display_name AS "decided_by?", p.decided_at, p.reason
           FROM pending_changes p JOIN users u ON u.id = p.author
           LEFT JOIN users d ON d.id = p.decided_by
           WHERE p.id = $1
           FOR UPDATE OF p"#,
        id
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(read_rows!(rows)?.pop())
}

/// Marks a locked change approved, as the revision it became.
pub async fn approved(
    conn: &mut PgConnection,
    id: i64,
    admin: i64,
    became_version: i32,
) -> Result<(), DbError> {
    sqlx::query!(
        r#"UPDATE pending_changes SET state = 'approved', decided_by = $2, decided_at = now(),
                  became_version = $3
           WHERE id = $1 AND state = 'pending'"#,
        id,
        admin,
        became_version
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Marks a locked change rejected, with the admin's reason (if any).
pub async fn rejected(
    conn: &mut PgConnection,
    id: i64,
    admin: i64,
    reason: Option<&str>,
) -> Result<(), DbError> {
    sqlx::query!(
        r#"UPDATE pending_changes SET state = 'rejected', decided_by = $2, decided_at = now(),
                  reason = $3
           WHERE id = $1 AND state = 'pending'"#,
        id,
        admin,
        reason
    )
    .execute(conn)
    .await?;
    Ok(())
}
