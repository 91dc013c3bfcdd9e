//! What changed between two days: measures taking effect (their effective date, else their
//! date), expiring (their expiry date, else a range's end) or lifted in the period, read
//! from `events` and `event_steps`.

use super::events::{event_row, with_actors_beside};
use super::{stored, DbError, Pool};
#[cfg(doc)]
use crate::domain::changes::MAX_CHANGES;
use crate::domain::changes::{Changes, DatedChange};
use crate::domain::FuzzyDate;
use chrono::NaiveDate;

/// The published measures' changes whose date (at its precision) overlaps `from`..=`to`,
/// in date order, at most `limit` (the page: [`MAX_CHANGES`]), with how many there are in
/// all.
pub async fn between(
    pool: &Pool,
    from: NaiveDate,
    to: NaiveDate,
    limit: i64,
) -> Result<Changes, DbError> {
    // An event's own date overlaps the period only if it starts at most a year before it
    // (a year-precision date starts on 1 January): that bound lets the date index serve.
    let rows = sqlx::query!(
        r#"SELECT c.change AS "change!", c.on_day AS "on_day!", c.on_precision AS "on_precision!",
                  count(*) OVER () AS "total!",
                  e.id, e.slug, e.starts_on, e.precision, e.ends_on, e.end_precision, e.title,
                  e.kind
           FROM (
               SELECT e.id AS event_id, 'took_effect' AS change, e.starts_on AS on_day,
                      e.precision AS on_precision
               FROM events e
               WHERE e.status = 'published'
                 AND e.starts_on <= $2 AND e.starts_on >= date_trunc('year', $1::date)::date
                 AND period_last_day(e.starts_on, e.precision) >= $1
                 AND NOT EXISTS (SELECT 1 FROM event_steps s
                                 WHERE s.event_id = e.id AND s.step = 'effective')
               UNION ALL
               -- A range's end is its expiry when no expiry date is given.
               SELECT e.id, 'expired', e.ends_on, e.end_precision
               FROM events e
               WHERE e.status = 'published' AND e.ends_on IS NOT NULL
                 AND e.ends_on <= $2 AND e.covers_until >= $1
                 AND NOT EXISTS (SELECT 1 FROM event_steps s
                                 WHERE s.event_id = e.id AND s.step = 'expires')
               UNION ALL
               SELECT s.event_id,
                      CASE s.step WHEN 'effective' THEN 'took_effect'
                                  WHEN 'expires' THEN 'expired' ELSE 'lifted' END,
                      s.starts_on, s.precision
               FROM event_steps s
               WHERE s.step IN ('effective', 'expires', 'lifted')
                 AND s.starts_on <= $2 AND s.covers_until >= $1
           ) c
           JOIN events e ON e.id = c.event_id
           WHERE e.status = 'published'
             AND e.kind IN ('imposed', 'eased', 'extended', 'lifted', 'retaliated')
           ORDER BY c.on_day, e.id, c.change
           LIMIT $3"#,
        from,
        to,
        limit
    )
    .fetch_all(pool)
    .await?;
    let total = rows.first().map_or(0, |r| r.total);
    let mut listed = Vec::with_capacity(rows.len());
    for r in rows {
        let change = stored(&r.change)?;
        let on = FuzzyDate::new(r.on_day, stored(&r.on_precision)?);
        listed.push((event_row!(r), move |event| DatedChange {
            change,
            on,
            event,
        }));
    }
    let changes = with_actors_beside(pool, listed)
        .await?
        .into_iter()
        .map(|(event, dated)| dated(event))
        .collect();
    Ok(Changes {
        from,
        to,
        total,
        changes,
    })
}
