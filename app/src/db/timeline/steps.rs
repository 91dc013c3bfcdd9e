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
use chrono::NaiveDate;

/// The steps of a window (a step dated to a month or year overlapping it counts), or, when
/// more than the timeline draws one by one, their buckets per step and the steps of the
/// most prominent events. No relation links: an event stands in several lanes here.
pub async fn window(pool: &Pool, q: &TimelineQuery) -> Result<TimelineWindow, DbError> {
    let cap = MAX_WINDOW_EVENTS as i64 + 1;
    let rows = steps_by_date(pool, q, cap).await?;
    let (rows, buckets) = if rows.len() <= MAX_WINDOW_EVENTS {
        (rows, None)
    } else {
        let unit = BucketUnit::for_span(q.span_days());
        (
            top_steps(pool, q).await?,
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
    // Unfiltered (the common, zoomed-out view): the steps alone, less the few of events
    // not published (`events_unpublished`), with no join to every event.
    let rows: Vec<(NaiveDate, String, String, i64)> = if q.filter.is_empty() {
        sqlx::query!(
            r#"SELECT s.starts_on AS "day!", s.precision AS "precision!", s.step AS "step!",
                      count(*) AS "count!"
               FROM event_steps s
               WHERE s.starts_on <= $2 AND s.covers_until >= $1
                 AND NOT EXISTS (SELECT 1 FROM events u
                                 WHERE u.id = s.event_id AND u.status <> 'published')
               GROUP BY 1, 2, 3"#,
            q.start,
            q.end,
        )
        .fetch_all(pool)
        .await?
        .into_iter()
        .map(|r| (r.day, r.precision, r.step, r.count))
        .collect()
    } else {
        query_filtered!(
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
        .await?
        .into_iter()
        .map(|r| (r.day, r.precision, r.step, r.count))
        .collect()
    };
    let mut folded = Folded::new(unit);
    for (day, precision, step, count) in rows {
        let precision = stored::<DatePrecision>(&precision)?;
        // A day-dated step's bucket lies inside the window; a period may begin before it.
        let day = if unit.holds(precision) {
            day.max(q.start)
        } else {
            day
        };
        folded.add(day, precision, step, count);
    }
    Ok(folded.into_counts())
}

/// The window's steps by date (straight off `event_steps_by_day`), at most `limit`.
async fn steps_by_date(
    pool: &Pool,
    q: &TimelineQuery,
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
           ORDER BY s.starts_on, e.id, s.step
           LIMIT $11"#,
        q.start,
        q.end,
        limit,
    )
    .fetch_all(pool)
    .await?)
}

/// The window's steps of its most prominent events: the events walked by prominence
/// (`events_published_prominence`), each one's steps looked up by its key.
async fn top_steps(pool: &Pool, q: &TimelineQuery) -> Result<Vec<ItemRow>, DbError> {
    Ok(query_filtered!(
        as ItemRow,
        &q.filter,
        r#"SELECT e.id AS "id!", e.slug AS "slug!", s.starts_on AS "starts_on!",
                  s.precision AS "precision!", NULL::date AS ends_on,
                  s.covers_until AS "covers_until!", e.title AS "title!", e.kind AS "kind!",
                  e.authority_names AS "authority_names!", e.target_names AS "target_names!",
                  e.prominence AS "prominence!", s.step AS "step?"
           FROM events e
           JOIN event_steps s ON s.event_id = e.id AND s.starts_on <= $10 AND s.covers_until >= $9
           WHERE e.status = 'published' AND event_matches(e, $1, $2, $3, $4, $5, $6, $7, $8)
           ORDER BY e.prominence DESC, e.starts_on, e.id, s.step
           LIMIT $11"#,
        q.start,
        q.end,
        TOP_EVENTS,
    )
    .fetch_all(pool)
    .await?)
}
