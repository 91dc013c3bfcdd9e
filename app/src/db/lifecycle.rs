//! Events' lifecycles: the dated steps (announced, in force, expires, ...) of the
//! measures they record, one row per step in `event_steps`.

use super::{stored, DbError, Pool};
use crate::domain::lifecycle::{Lifecycle, Milestone};
use crate::domain::{EventId, FuzzyDate};
use sqlx::PgConnection;
use std::collections::HashMap;

/// One event's steps.
pub async fn of_event(pool: &Pool, event: EventId) -> Result<Lifecycle, DbError> {
    Ok(of_events(pool, &[event])
        .await?
        .remove(&event)
        .unwrap_or_default())
}

/// The lifecycles of those of these events that record one (one query for a window's
/// items).
pub async fn of_events(
    pool: &Pool,
    events: &[EventId],
) -> Result<HashMap<EventId, Lifecycle>, DbError> {
    let ids: Vec<i64> = events.iter().map(|e| e.0).collect();
    let rows = sqlx::query!(
        "SELECT event_id, step, starts_on, precision FROM event_steps WHERE event_id = ANY($1)",
        &ids
    )
    .fetch_all(pool)
    .await?;
    let mut by_event: HashMap<EventId, Vec<Milestone>> = HashMap::new();
    for r in rows {
        by_event
            .entry(EventId(r.event_id))
            .or_default()
            .push(Milestone {
                step: stored(&r.step)?,
                date: FuzzyDate::new(r.starts_on, stored(&r.precision)?),
            });
    }
    Ok(by_event
        .into_iter()
        .map(|(id, steps)| (id, Lifecycle::from(steps)))
        .collect())
}

/// Makes an event's stored steps exactly `lifecycle`, rewriting only the rows that change;
/// tells whether any did.
pub async fn set_for_event(
    conn: &mut PgConnection,
    event: EventId,
    lifecycle: &Lifecycle,
) -> Result<bool, DbError> {
    let steps: Vec<&str> = lifecycle.iter().map(|m| m.step.as_str()).collect();
    let starts: Vec<chrono::NaiveDate> = lifecycle.iter().map(|m| m.date.date).collect();
    let precisions: Vec<&str> = lifecycle
        .iter()
        .map(|m| m.date.precision.as_str())
        .collect();
    let ends: Vec<chrono::NaiveDate> = lifecycle.iter().map(|m| m.date.last_day()).collect();
    let removed = sqlx::query!(
        "DELETE FROM event_steps WHERE event_id = $1 AND NOT (step = ANY($2::text[]))",
        event.0,
        &steps as &[&str]
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    let written = sqlx::query!(
        r#"INSERT INTO event_steps (event_id, step, starts_on, precision, covers_until)
           SELECT $1, * FROM UNNEST($2::text[], $3::date[], $4::text[], $5::date[])
           ON CONFLICT (event_id, step) DO UPDATE SET
             starts_on = EXCLUDED.starts_on, precision = EXCLUDED.precision,
             covers_until = EXCLUDED.covers_until
           WHERE (event_steps.starts_on, event_steps.precision)
             IS DISTINCT FROM (EXCLUDED.starts_on, EXCLUDED.precision)"#,
        event.0,
        &steps as &[&str],
        &starts,
        &precisions as &[&str],
        &ends
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    Ok(removed + written > 0)
}
