//! The timeline in lanes by lifecycle step: every recorded step of the matching measures
//! (announced, signed, published, in force, expires, lifted) that falls in the window, each
//! drawn in its step's lane at its own date, so the lags between announcement and force, or
//! force and expiry, read across the lanes. Read from `event_steps` by date.

use super::{words, Folded, ItemRow, TOP_EVENTS};
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
    let by_date = if q.filter.q.is_some() {
        searched_steps_by_date(pool, q, cap).await?
    } else {
        ByDate::Steps(steps_by_date(pool, q, cap).await?)
    };
    let (rows, buckets) = match by_date {
        ByDate::Steps(rows) if rows.len() <= MAX_WINDOW_EVENTS => (rows, None),
        ByDate::Steps(_) => {
            let unit = BucketUnit::for_span(q.span_days());
            // Independent, so asked at once (each on its own connection).
            let (top, counts) = tokio::try_join!(top_steps(pool, q), buckets(pool, q, unit))?;
            (top, Some(counts))
        }
        ByDate::Counted { counts, top } => (top, Some(counts)),
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
/// than a bucket is counted over that period, apart. Unfiltered and zoomed out to whole
/// months, the months come from `event_step_month_counts` (less the steps of the events
/// not published) and only the part months at the edges are read step by step.
pub async fn buckets(
    pool: &Pool,
    q: &TimelineQuery,
    unit: BucketUnit,
) -> Result<BucketCounts, DbError> {
    if let Some(counts) = word_buckets(pool, q, unit).await? {
        return Ok(counts);
    }
    let (full_from, full_until) = super::whole_months(q);
    if !(q.filter.is_empty() && unit.from_months() && full_from < full_until) {
        return scanned_buckets(pool, q, unit).await;
    }
    let mut folded = Folded::new(unit);
    // A month's count stands at its first day: the same bucket as each of its days at
    // this unit, and the first day of a month- or year-precise step's period.
    let months = sqlx::query!(
        r#"SELECT month, precision, step, n AS "n!" FROM event_step_month_counts
           WHERE month >= $1 AND month < $2 AND n <> 0"#,
        full_from,
        full_until,
    )
    .fetch_all(pool)
    .await?;
    for r in months {
        folded.add(r.month, stored(&r.precision)?, r.step, r.n.into());
    }
    let unpublished = sqlx::query!(
        r#"SELECT s.starts_on AS "day!", s.precision AS "precision!", s.step AS "step!",
                  count(*) AS "count!"
           FROM events u JOIN event_steps s ON s.event_id = u.id
           WHERE u.status <> 'published' AND s.starts_on >= $1 AND s.starts_on < $2
           GROUP BY 1, 2, 3"#,
        full_from,
        full_until,
    )
    .fetch_all(pool)
    .await?;
    for r in unpublished {
        folded.add(r.day, stored(&r.precision)?, r.step, -r.count);
    }
    for (from, until) in [(earliest_overlapping(q), full_from), (full_until, after(q))] {
        fold(&mut folded, q, counted(pool, q, from, until).await?)?;
    }
    Ok(folded.into_counts())
}

/// The buckets of a window searched for one word, from the word rollups (see
/// [`words::counted_steps`]); `None` where they cannot count it.
pub async fn word_buckets(
    pool: &Pool,
    q: &TimelineQuery,
    unit: BucketUnit,
) -> Result<Option<BucketCounts>, DbError> {
    match words::counted_steps(pool, q, unit).await? {
        Some(rows) => in_buckets(q, unit, rows).map(Some),
        None => Ok(None),
    }
}

/// The same buckets counted step by step, as any filtered or finer window is.
pub async fn scanned_buckets(
    pool: &Pool,
    q: &TimelineQuery,
    unit: BucketUnit,
) -> Result<BucketCounts, DbError> {
    in_buckets(q, unit, counted_in_window(pool, q).await?)
}

/// [`counted`] over every step that can overlap the window: their sum is how many steps
/// it would draw one by one.
async fn counted_in_window(
    pool: &Pool,
    q: &TimelineQuery,
) -> Result<Vec<(NaiveDate, String, String, i64)>, DbError> {
    counted(pool, q, earliest_overlapping(q), after(q)).await
}

/// The window's counted steps in buckets of `unit`.
fn in_buckets(
    q: &TimelineQuery,
    unit: BucketUnit,
    rows: Vec<(NaiveDate, String, String, i64)>,
) -> Result<BucketCounts, DbError> {
    let mut folded = Folded::new(unit);
    fold(&mut folded, q, rows)?;
    Ok(folded.into_counts())
}

/// The first day a step overlapping the window can start on: a year-precise step covers
/// at most 366 days from its first.
pub(super) fn earliest_overlapping(q: &TimelineQuery) -> NaiveDate {
    q.start - chrono::Duration::days(366)
}

fn after(q: &TimelineQuery) -> NaiveDate {
    q.end + chrono::Duration::days(1)
}

/// (day, precision, step, count) of the window's published steps starting in
/// `[from, until)`. `e.had_steps` (true of every event with a step) changes no answer; it
/// lets a text search take its matching events with steps from their own index
/// (`events_published_search_with_steps`) instead of reading every match to join it with
/// all the steps: the whole record's "huawei" at 100,000 events, 7,904 matches, 1,305
/// with steps, 15 → 8 ms. So does every statement here that gathers a search's steps.
/// Only under a search: with a kind alone the planner, expecting a fifth of the events it
/// reads, sorted the steps to count them, 23 → 29 ms.
async fn counted(
    pool: &Pool,
    q: &TimelineQuery,
    from: NaiveDate,
    until: NaiveDate,
) -> Result<Vec<(NaiveDate, String, String, i64)>, DbError> {
    if from >= until {
        return Ok(Vec::new());
    }
    // Unfiltered: the steps alone, less the few of events not published
    // (`events_unpublished`), with no join to every event.
    Ok(if q.filter.is_empty() {
        sqlx::query!(
            r#"SELECT s.starts_on AS "day!", s.precision AS "precision!", s.step AS "step!",
                      count(*) AS "count!"
               FROM event_steps s
               WHERE s.starts_on <= $2 AND s.covers_until >= $1
                 AND s.starts_on >= $3 AND s.starts_on < $4
                 AND NOT EXISTS (SELECT 1 FROM events u
                                 WHERE u.id = s.event_id AND u.status <> 'published')
               GROUP BY 1, 2, 3"#,
            q.start,
            q.end,
            from,
            until,
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
               WHERE s.starts_on <= $10 AND s.covers_until >= $9
                 AND s.starts_on >= $11 AND s.starts_on < $12 AND e.status = 'published'
                 AND ($1::text IS NULL OR e.had_steps)
                 AND event_matches(e, $1, $2, $3, $4, $5, $6, $7, $8)
               GROUP BY 1, 2, 3"#,
            q.start,
            q.end,
            from,
            until,
        )
        .fetch_all(pool)
        .await?
        .into_iter()
        .map(|r| (r.day, r.precision, r.step, r.count))
        .collect()
    })
}

fn fold(
    folded: &mut Folded,
    q: &TimelineQuery,
    rows: Vec<(NaiveDate, String, String, i64)>,
) -> Result<(), DbError> {
    for (day, precision, step, count) in rows {
        let precision = stored::<DatePrecision>(&precision)?;
        // A day-dated step's bucket lies inside the window; a period may begin before it.
        let day = if folded.unit.holds(precision) {
            day.max(q.start)
        } else {
            day
        };
        folded.add(day, precision, step, count);
    }
    Ok(())
}

/// How many of a window's first steps by date a text search tries before it gathers all
/// the window's matching steps (see [`searched_steps_by_date`]): a year's steps at
/// 100,000 events, about 10 ms of walking at most.
pub const STEPS_TRIED: i64 = 4000;
/// How many of the record's most prominent events a text search tries before it gathers
/// all the window's matching steps (see [`searched_top_steps`]).
pub const EVENTS_TRIED: i64 = 2000;
/// Up to how many steps in a window's months its most prominent steps are picked from its
/// own steps rather than by walking the events by prominence (see [`top_steps`]).
pub const STEPS_PICKED_FROM: i64 = 2500;

/// What a window's walk by date found: its first steps (too many to draw one by one when
/// the walk reached its limit), or, where a text search counted its matching steps first
/// and found them too many, their buckets and the most prominent events' steps.
enum ByDate {
    Steps(Vec<ItemRow>),
    Counted {
        counts: BucketCounts,
        top: Vec<ItemRow>,
    },
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

/// [`steps_by_date`] under a text search. Walking the window's steps by date until
/// `limit` match reads every step of the window when few match (the whole record's
/// "retaliates" at 100,000 events: all 55,000 steps, each with its event, 70 ms, for
/// none). So the window's first [`STEPS_TRIED`] steps are tried: a common word fills the
/// window from them, and a window with no more steps is answered whole. Otherwise all
/// the window's matching steps are gathered, from its steps or from the word's matches,
/// whichever the planner expects fewer (a rare word's matches: 20 ms for that
/// "retaliates"), and the first `limit` taken. Exact either way: the tried steps are
/// the first of the same order. But where the tried steps' share of matches says the
/// window holds more than `limit` of them (the whole record's "bank": 250 in the first
/// 4,000 of 55,000 steps), gathering them only to learn that it is busy came before its
/// buckets joined the same matches to the steps again (10 ms each at 100,000 events);
/// there the matches are counted first, beside the most prominent events' steps, and when
/// busy those are its buckets.
async fn searched_steps_by_date(
    pool: &Pool,
    q: &TimelineQuery,
    limit: i64,
) -> Result<ByDate, DbError> {
    // One word over months: its rollup says exactly how many steps match, so nothing is
    // tried to guess it (the whole record's "huawei": 1.3 ms against 13 for gathering).
    let unit = BucketUnit::for_span(q.span_days());
    if let Some(counts) = words::counted_steps(pool, q, unit).await? {
        if counts.iter().map(|(.., n)| n).sum::<i64>() >= limit {
            let top = searched_top_steps(pool, q).await?;
            let counts = in_buckets(q, unit, counts)?;
            return Ok(ByDate::Counted { counts, top });
        }
        return Ok(ByDate::Steps(gathered_by_date(pool, q, limit).await?));
    }
    let tried = query_filtered!(
        as ItemRow,
        &q.filter,
        r#"SELECT e.id AS "id!", e.slug AS "slug!", s.starts_on AS "starts_on!",
                  s.precision AS "precision!", NULL::date AS ends_on,
                  s.covers_until AS "covers_until!", e.title AS "title!", e.kind AS "kind!",
                  e.authority_names AS "authority_names!", e.target_names AS "target_names!",
                  e.prominence AS "prominence!", s.step AS "step?"
           FROM (SELECT event_id, step, starts_on, precision, covers_until FROM event_steps
                 WHERE starts_on <= $10 AND covers_until >= $9
                 ORDER BY starts_on, event_id, step LIMIT $12) s
           JOIN events e ON e.id = s.event_id
           WHERE e.status = 'published' AND event_matches(e, $1, $2, $3, $4, $5, $6, $7, $8)
           ORDER BY s.starts_on, s.event_id, s.step
           LIMIT $11"#,
        q.start,
        q.end,
        limit,
        STEPS_TRIED,
    )
    .fetch_all(pool)
    .await?;
    if tried.len() as i64 >= limit {
        return Ok(ByDate::Steps(tried));
    }
    let window_steps = sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!" FROM (
             SELECT 1 FROM event_steps WHERE starts_on <= $2 AND covers_until >= $1 LIMIT $3
           ) window_steps"#,
        q.start,
        q.end,
        STEPS_TRIED + 1,
    )
    .fetch_one(pool)
    .await?;
    if window_steps <= STEPS_TRIED {
        return Ok(ByDate::Steps(tried));
    }
    if tried.len() as i64 * steps_in_months(pool, q).await? > (limit - 1) * STEPS_TRIED {
        // Likely busy, so its most prominent steps are asked beside the count. Gathered,
        // not tried first: gathering joins the matches to the steps as the count does, in
        // about its time (6–8 ms at 100,000 events), while trying the most prominent
        // events first adds 5 ms before it whenever they hold too few (the whole record's
        // "zte").
        let (counts, top) =
            tokio::try_join!(counted_in_window(pool, q), gathered_top_steps(pool, q))?;
        if counts.iter().map(|(.., n)| n).sum::<i64>() >= limit {
            let counts = in_buckets(q, BucketUnit::for_span(q.span_days()), counts)?;
            return Ok(ByDate::Counted { counts, top });
        }
    }
    Ok(ByDate::Steps(gathered_by_date(pool, q, limit).await?))
}

/// The window's first `limit` matching steps by date, from all its matching steps.
async fn gathered_by_date(
    pool: &Pool,
    q: &TimelineQuery,
    limit: i64,
) -> Result<Vec<ItemRow>, DbError> {
    Ok(query_filtered!(
        as ItemRow,
        &q.filter,
        r#"WITH found AS MATERIALIZED (
             SELECT s.event_id, s.step, s.starts_on, s.precision, s.covers_until
             FROM event_steps s JOIN events e ON e.id = s.event_id
             WHERE s.starts_on <= $10 AND s.covers_until >= $9 AND e.status = 'published'
               AND e.had_steps AND event_matches(e, $1, $2, $3, $4, $5, $6, $7, $8)
           ), first AS (
             SELECT * FROM found ORDER BY starts_on, event_id, step LIMIT $11
           )
           SELECT e.id AS "id!", e.slug AS "slug!", f.starts_on AS "starts_on!",
                  f.precision AS "precision!", NULL::date AS ends_on,
                  f.covers_until AS "covers_until!", e.title AS "title!", e.kind AS "kind!",
                  e.authority_names AS "authority_names!", e.target_names AS "target_names!",
                  e.prominence AS "prominence!", f.step AS "step?"
           FROM first f JOIN events e ON e.id = f.event_id"#,
        q.start,
        q.end,
        limit,
    )
    .fetch_all(pool)
    .await?)
}

/// About how many steps a window holds: those of the months it touches, from their
/// monthly rollup (steps of events not published included).
async fn steps_in_months(pool: &Pool, q: &TimelineQuery) -> Result<i64, DbError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT COALESCE(sum(n), 0)::bigint AS "n!" FROM event_step_month_counts
           WHERE month >= $1 AND month <= $2"#,
        super::month_of(q.start),
        q.end,
    )
    .fetch_one(pool)
    .await?)
}

/// The window's steps of its most prominent events: the events walked by prominence
/// (`events_published_prominence`), each one's steps looked up by its key. The walk reads
/// about 40 × events / steps of the window events before 40 have steps in it: a busy two
/// months' 538 steps at 100,000 events, 7,186 events, 15 ms. So a window whose months
/// hold at most [`STEPS_PICKED_FROM`] steps (their rollup says, 0.1 ms) has its steps
/// read instead, each joined to its event: 1.6 ms for those 538. About 1.5 µs a step
/// against 2 µs an event walked, so the two meet near 2,500 steps at 100,000 events (six
/// months' 1,753: 2.9 against 5.5 ms; a year's 3,673: 5.3 against 2.5). The same order
/// either way, so the same answer.
async fn top_steps(pool: &Pool, q: &TimelineQuery) -> Result<Vec<ItemRow>, DbError> {
    if q.filter.q.is_some() {
        return searched_top_steps(pool, q).await;
    }
    if steps_in_months(pool, q).await? <= STEPS_PICKED_FROM {
        return picked_top_steps(pool, q).await;
    }
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

/// [`top_steps`] picked from the window's own steps (those that can overlap it, by
/// `event_steps_by_day`), not by walking the events.
async fn picked_top_steps(pool: &Pool, q: &TimelineQuery) -> Result<Vec<ItemRow>, DbError> {
    Ok(query_filtered!(
        as ItemRow,
        &q.filter,
        r#"WITH in_window AS MATERIALIZED (
             SELECT event_id, step, starts_on, precision, covers_until FROM event_steps
             WHERE starts_on <= $10 AND covers_until >= $9 AND starts_on >= $11
           )
           SELECT e.id AS "id!", e.slug AS "slug!", s.starts_on AS "starts_on!",
                  s.precision AS "precision!", NULL::date AS ends_on,
                  s.covers_until AS "covers_until!", e.title AS "title!", e.kind AS "kind!",
                  e.authority_names AS "authority_names!", e.target_names AS "target_names!",
                  e.prominence AS "prominence!", s.step AS "step?"
           FROM in_window s JOIN events e ON e.id = s.event_id
           WHERE e.status = 'published' AND event_matches(e, $1, $2, $3, $4, $5, $6, $7, $8)
           ORDER BY e.prominence DESC, e.starts_on, e.id, s.step
           LIMIT $12"#,
        q.start,
        q.end,
        earliest_overlapping(q),
        TOP_EVENTS,
    )
    .fetch_all(pool)
    .await?)
}

/// [`top_steps`] under a text search. The walk by prominence reads events until 40 of
/// their steps match in the window: a year's "huawei" at 100,000 events read 1,500
/// events (25–30 ms). So the record's [`EVENTS_TRIED`] most prominent events with steps
/// are tried first (off `events_published_prominence_with_steps`; they answer a wide
/// window, or a word most events hold: the whole record's "huawei" 5.7 ms, "zte" 2.1,
/// against 13 for gathering); when their matching steps in the window are fewer than
/// 40, the window's matching steps are gathered as in [`searched_steps_by_date`] and
/// those of the most prominent events taken. Exact either way: every event left untried
/// ranks below every tried one, or has no step.
async fn searched_top_steps(pool: &Pool, q: &TimelineQuery) -> Result<Vec<ItemRow>, DbError> {
    let tried = query_filtered!(
        as ItemRow,
        &q.filter,
        r#"SELECT e.id AS "id!", e.slug AS "slug!", s.starts_on AS "starts_on!",
                  s.precision AS "precision!", NULL::date AS ends_on,
                  s.covers_until AS "covers_until!", e.title AS "title!", e.kind AS "kind!",
                  e.authority_names AS "authority_names!", e.target_names AS "target_names!",
                  e.prominence AS "prominence!", s.step AS "step?"
           FROM (SELECT id, prominence, starts_on FROM events
                 WHERE status = 'published' AND had_steps
                 ORDER BY prominence DESC, starts_on, id LIMIT $12) tried
           JOIN events e USING (id)
           JOIN event_steps s ON s.event_id = e.id AND s.starts_on <= $10 AND s.covers_until >= $9
           WHERE e.status = 'published' AND e.had_steps
             AND event_matches(e, $1, $2, $3, $4, $5, $6, $7, $8)
           -- In the tried events' own order, so the walk stops at the 40th step.
           ORDER BY tried.prominence DESC, tried.starts_on, tried.id, s.step
           LIMIT $11"#,
        q.start,
        q.end,
        TOP_EVENTS,
        EVENTS_TRIED,
    )
    .fetch_all(pool)
    .await?;
    if tried.len() as i64 >= TOP_EVENTS {
        return Ok(tried);
    }
    gathered_top_steps(pool, q).await
}

/// [`searched_top_steps`] from all the window's matching steps.
async fn gathered_top_steps(pool: &Pool, q: &TimelineQuery) -> Result<Vec<ItemRow>, DbError> {
    Ok(query_filtered!(
        as ItemRow,
        &q.filter,
        r#"WITH found AS MATERIALIZED (
             SELECT e.id, e.prominence, e.starts_on AS event_start, s.step, s.starts_on,
                    s.precision, s.covers_until
             FROM event_steps s JOIN events e ON e.id = s.event_id
             WHERE s.starts_on <= $10 AND s.covers_until >= $9 AND e.status = 'published'
               AND e.had_steps AND event_matches(e, $1, $2, $3, $4, $5, $6, $7, $8)
           ), prominent AS (
             SELECT * FROM found ORDER BY prominence DESC, event_start, id, step LIMIT $11
           )
           SELECT e.id AS "id!", e.slug AS "slug!", p.starts_on AS "starts_on!",
                  p.precision AS "precision!", NULL::date AS ends_on,
                  p.covers_until AS "covers_until!", e.title AS "title!", e.kind AS "kind!",
                  e.authority_names AS "authority_names!", e.target_names AS "target_names!",
                  e.prominence AS "prominence!", p.step AS "step?"
           FROM prominent p JOIN events e USING (id)"#,
        q.start,
        q.end,
        TOP_EVENTS,
    )
    .fetch_all(pool)
    .await?)
}
