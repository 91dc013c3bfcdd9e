//! The timeline in lanes by lifecycle step: every recorded step of the matching measures
//! (announced, signed, published, in force, expires, lifted) that falls in the window, each
//! drawn in its step's lane at its own date, so the lags between announcement and force, or
//! force and expiry, read across the lanes. Read from `event_steps` by date.

use super::{Folded, ItemRow, TOP_EVENTS};
use crate::db::{stored, DbError, Pool};
use crate::domain::timeline::{
    BucketCounts, BucketUnit, Lanes, TimelineQuery, TimelineWindow, MAX_WINDOW_EVENTS,
};
use crate::domain::DatePrecision;

/// The steps of a window (a step dated to a month or year overlapping it counts), or, when
/// more than the timeline draws one by one, their buckets per step and the steps of the
/// most prominent events. No relation links: an event stands in several lanes here.
pub async fn window(pool: &Pool, q: &TimelineQuery) -> Result<TimelineWindow, DbError> {
    let cap = MAX_WINDOW_EVENTS as i64 + 1;
    let rows = steps_in(pool, q, false, cap).await?;
    let (rows, buckets) = if rows.len() <= MAX_WINDOW_EVENTS {
        (rows, None)
    } else {
        let unit = BucketUnit::for_span(q.span_days());
        (
            steps_in(pool, q, true, TOP_EVENTS).await?,
            Some(buckets(pool, q, unit).await?),
        )
    };
    let mut items = rows
        .into_iter()
        .map(ItemRow::into_item)
        .collect::<Result<Vec<_>, _>>()?;
    items.sort_by_key(|i| (i.start, i.id));
    Ok(TimelineWindow {
        start: q.start,
        end: q.end,
        today: chrono::Utc::now().date_naive(),
        lanes: Lanes::Lifecycle,
        items,
        buckets,
        relations: Vec::new(),
    })
}

/// The window's steps counted per step and bucket; a step known only to a period longer
/// than a bucket is counted over that period, apart.
pub async fn buckets(
    pool: &Pool,
    q: &TimelineQuery,
    unit: BucketUnit,
) -> Result<BucketCounts, DbError> {
    let rows = query_filtered!(
        &q.filter,
        r#"SELECT s.starts_on AS "day!", s.precision AS "precision!", s.step AS "step!",
                  count(*) AS "count!"
           FROM event_steps s JOIN events e ON e.id = s.event_id
           WHERE s.starts_on <= $10 AND s.covers_until >= $9 AND e.status = 'published'
             AND event_matches(e, $1, $2, $3, $4, $5, $6, $7, $8)
           GROUP BY 1, 2, 3"#,
        q.start,
        q.end,
    )
    .fetch_all(pool)
    .await?;
    let mut folded = Folded::new(unit);
    for r in rows {
        let precision = stored::<DatePrecision>(&r.precision)?;
        // A day-dated step's bucket lies inside the window; a period may begin before it.
        let day = if unit.holds(precision) {
            r.day.max(q.start)
        } else {
            r.day
        };
        folded.add(day, precision, r.step, r.count);
    }
    Ok(folded.into_counts())
}

/// The window's steps, by date, or (`by_prominence`) those of its most prominent events
/// first; at most `limit`.
async fn steps_in(
    pool: &Pool,
    q: &TimelineQuery,
    by_prominence: bool,
    limit: i64,
) -> Result<Vec<ItemRow>, DbError> {
    Ok(query_filtered!(
        as ItemRow,
        &q.filter,
        r#"SELECT e.id AS "id!", e.slug AS "slug!", s.starts_on AS "starts_on!",
                  s.precision AS "precision!", NULL::date AS ends_on,
                  s.covers_until AS "covers_until!", e.title AS "title!", e.kind AS "kind!",
                  e.authority_names AS "authority_names!", e.target_names AS "target_names!",
                  e.prominence AS "prominence!", s.step AS "step?"
           FROM event_steps s JOIN events e ON e.id = s.event_id
           WHERE s.starts_on <= $10 AND s.covers_until >= $9 AND e.status = 'published'
             AND event_matches(e, $1, $2, $3, $4, $5, $6, $7, $8)
           ORDER BY CASE WHEN $12 THEN e.prominence END DESC NULLS LAST, s.starts_on, e.id,
                    s.step
           LIMIT $11"#,
        q.start,
        q.end,
        limit,
        by_prominence,
    )
    .fetch_all(pool)
    .await?)
}
