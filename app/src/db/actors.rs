//! Actors: the authorities that impose sanctions and their targets, one row each, with
//! where other databases know them.

use super::{stored, DbError, Pool};
use crate::domain::actor_identifier::{ActorIdentifiers, OpenSanctionsId, WikidataQid};
use crate::domain::{ActorProfile, ActorRef, ActorRole, EventId, KnownActor};
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

/// The actor with this id, if there is one, with how many published events name it in
/// each role (from the timeline's per-lane totals: no event is read).
pub async fn profile(pool: &Pool, id: i64) -> Result<Option<ActorProfile>, DbError> {
    let row = sqlx::query!(
        r#"SELECT a.id, a.name, a.wikidata_qid, a.opensanctions_id,
                  COALESCE(ta.n, 0)::bigint AS "as_authority!",
                  COALESCE(tt.n, 0)::bigint AS "as_target!"
           FROM actors a
           LEFT JOIN event_lane_totals ta ON ta.lanes = 'authority' AND ta.lane = a.name
           LEFT JOIN event_lane_totals tt ON tt.lanes = 'target' AND tt.lane = a.name
           WHERE a.id = $1"#,
        id
    )
    .fetch_optional(pool)
    .await?;
    let Some(r) = row else {
        return Ok(None);
    };
    let identifiers = ActorIdentifiers {
        wikidata: r.wikidata_qid.as_deref().map(stored).transpose()?,
        opensanctions: r.opensanctions_id.as_deref().map(stored).transpose()?,
    };
    Ok(Some(ActorProfile {
        actor: ActorRef {
            id: r.id,
            name: r.name,
        },
        as_authority: r.as_authority,
        as_target: r.as_target,
        identifiers,
    }))
}

/// Sets an actor's identifiers if they are still `was` (what the editor's form was
/// loaded with): `Ok(false)` when another editor changed them since, or there is no
/// such actor. A Wikidata item already another actor's is refused, naming that actor.
pub async fn set_identifiers(
    pool: &Pool,
    id: i64,
    was: &ActorIdentifiers,
    new: &ActorIdentifiers,
) -> Result<bool, DbError> {
    let qid = new.wikidata.as_ref().map(WikidataQid::as_str);
    if let Some(qid) = qid {
        let holder = sqlx::query_scalar!(
            "SELECT name FROM actors WHERE wikidata_qid = $1 AND id <> $2",
            qid,
            id
        )
        .fetch_optional(pool)
        .await?;
        if let Some(name) = holder {
            return Err(DbError::Invalid {
                field: "wikidata",
                reason: format!(
                    "{qid} is already the Wikidata item of “{name}”: one actor recorded twice?"
                ),
            });
        }
    }
    let updated = sqlx::query!(
        r#"UPDATE actors SET wikidata_qid = $2, opensanctions_id = $3
           WHERE id = $1 AND wikidata_qid IS NOT DISTINCT FROM $4
             AND opensanctions_id IS NOT DISTINCT FROM $5"#,
        id,
        qid,
        new.opensanctions.as_ref().map(OpenSanctionsId::as_str),
        was.wikidata.as_ref().map(WikidataQid::as_str),
        was.opensanctions.as_ref().map(OpenSanctionsId::as_str),
    )
    .execute(pool)
    .await?;
    Ok(updated.rows_affected() == 1)
}
