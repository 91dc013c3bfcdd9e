//! Actors: the authorities that impose sanctions and their targets, one row each.

use super::{stored, DbError};
use crate::domain::{ActorRef, ActorRole, EventId, KnownActor};
use sqlx::PgConnection;
use std::collections::HashMap;

/// The id of the actor with this name (case-insensitively), creating it if new.
pub async fn ensure(conn: &mut PgConnection, name: &str) -> Result<i64, DbError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(DbError::Invalid {
            field: "actor",
            reason: "a name of 1 to 200 characters".into(),
        });
    }
    let id = sqlx::query_scalar!(
        r#"INSERT INTO actors (name) VALUES ($1)
           ON CONFLICT ((lower(name))) DO UPDATE SET name = actors.name
           RETURNING id"#,
        name
    )
    .fetch_one(conn)
    .await?;
    Ok(id)
}

/// Existing actors whose name contains `typed` (any case), for an editor picking one:
/// the exact name first (so a typed name is always recognised), then names that start
/// with it, then the ones used most in `role`, then most overall.
/// Counts come from the timeline's per-lane totals (published events), so this reads a
/// few rows per actor and no events, however large the record.
pub async fn matching(
    pool: &super::Pool,
    typed: &str,
    role: ActorRole,
    limit: i64,
) -> Result<Vec<KnownActor>, DbError> {
    let rows = sqlx::query_as!(
        KnownActor,
        r#"SELECT a.name,
                  COALESCE(ta.n, 0) AS "as_authority!",
                  COALESCE(tt.n, 0) AS "as_target!"
           FROM actors a
           LEFT JOIN event_lane_totals ta ON ta.lanes = 'authority' AND ta.lane = a.name
           LEFT JOIN event_lane_totals tt ON tt.lanes = 'target' AND tt.lane = a.name
           WHERE strpos(lower(a.name), lower($1)) > 0
           ORDER BY lower(a.name) = lower($1) DESC,
                    starts_with(lower(a.name), lower($1)) DESC,
                    CASE WHEN $2 = 'authority' THEN COALESCE(ta.n, 0)
                         ELSE COALESCE(tt.n, 0) END DESC,
                    COALESCE(ta.n, 0) + COALESCE(tt.n, 0) DESC,
                    a.name
           LIMIT $3"#,
        typed.trim(),
        role.as_str(),
        limit
    )
    .fetch_all(pool)
    .await?;
    Ok(rows)
}

/// An event's authorities and targets, in the order the event lists them.
#[derive(Debug, Default, Clone)]
pub struct EventActors {
    pub authorities: Vec<ActorRef>,
    pub targets: Vec<ActorRef>,
}

/// The actors of many events at once, keyed by event.
pub async fn of_events(
    pool: &super::Pool,
    ids: &[i64],
) -> Result<HashMap<EventId, EventActors>, DbError> {
    let rows = sqlx::query!(
        r#"SELECT ea.event_id, ea.role, a.id, a.name
           FROM event_actors ea JOIN actors a ON a.id = ea.actor_id
           WHERE ea.event_id = ANY($1)
           ORDER BY ea.event_id, ea.role, ea.position, a.name"#,
        ids
    )
    .fetch_all(pool)
    .await?;
    let mut out: HashMap<EventId, EventActors> = HashMap::new();
    for row in rows {
        let entry = out.entry(EventId(row.event_id)).or_default();
        let actor = ActorRef {
            id: row.id,
            name: row.name,
        };
        match stored::<ActorRole>(&row.role)? {
            ActorRole::Authority => entry.authorities.push(actor),
            ActorRole::Target => entry.targets.push(actor),
        }
    }
    Ok(out)
}

/// Replaces an event's actors of one role with these names, in this order.
pub async fn set_for_event(
    conn: &mut PgConnection,
    event: EventId,
    role: ActorRole,
    names: &[String],
) -> Result<(), DbError> {
    sqlx::query!(
        "DELETE FROM event_actors WHERE event_id = $1 AND role = $2",
        event.0,
        role.as_str()
    )
    .execute(&mut *conn)
    .await?;
    for (position, name) in names.iter().enumerate() {
        let actor = ensure(conn, name).await?;
        sqlx::query!(
            r#"INSERT INTO event_actors (event_id, actor_id, role, position)
               VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING"#,
            event.0,
            actor,
            role.as_str(),
            position as i16
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}
