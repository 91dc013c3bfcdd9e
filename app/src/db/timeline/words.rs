//! A wide window's buckets under a one-word search, from the word rollups
//! (`event_word_months`, `event_word_prominence`, migration `event_word_counts`) instead
//! of every match's row: the whole record's "huawei" (7,900 matches at 100,000 events)
//! reads 2,373 rollup rows off their index where counting its matches read 6,000 pages.

use super::{month_of, next_month, periods_before, CountedRow, Folded};
use crate::db::{DbError, Pool};
use crate::domain::timeline::{BucketUnit, Lanes, TimelineQuery};
use crate::domain::EventFilter;
use chrono::{Days, NaiveDate};

/// The window's matches counted as `counted_matches` counts them (buckets by month,
/// without lanes or by kind), when its search is one word and its buckets are months or
/// longer; `None` when the rollups cannot count it (several words, another filter, finer
/// buckets). The part months at the window's edges are counted from their matches.
pub(super) async fn counted(
    pool: &Pool,
    q: &TimelineQuery,
    unit: BucketUnit,
) -> Result<Option<Folded>, DbError> {
    let Some(text) = q.filter.q.as_deref() else {
        return Ok(None);
    };
    let only_search = EventFilter {
        q: None,
        kind: None,
        ..q.filter.clone()
    }
    .is_empty();
    if !only_search || !unit.from_months() || !matches!(q.lanes, Lanes::None | Lanes::Kind) {
        return Ok(None);
    }
    let Some(word) =
        sqlx::query_scalar!("SELECT search_word(event_search_query($1)) AS word", text)
            .fetch_one(pool)
            .await?
    else {
        return Ok(None);
    };

    let [month_before, year_before] = periods_before(q, unit);
    // Whole months inside the window from the rollup; the days before the first of them
    // and after the last from the events.
    let first_month = if q.start == month_of(q.start) {
        q.start
    } else {
        next_month(q.start)
    };
    let after_last_month = month_of(q.end + Days::new(1));
    let head_end = q.end.min(first_month.pred_opt().unwrap_or(NaiveDate::MIN));
    let tail_start = after_last_month.max(head_end.succ_opt().unwrap_or(NaiveDate::MAX));
    let rows = sqlx::query_as!(
        CountedRow,
        r#"SELECT month AS "bucket!", precision AS "precision!", lane AS "lane!",
                  sum(n)::bigint AS "count!", sum(inside)::bigint AS "inside!",
                  -- The word's highest prominence anywhere: none in the window is above it.
                  (SELECT max(p.prominence) FROM event_word_prominence p
                   WHERE p.word = $1 AND p.n > 0) AS most_prominent
           FROM (
             SELECT month, precision, CASE WHEN $3 THEN kind ELSE '' END AS lane, n,
                    CASE WHEN month >= $4 THEN n ELSE 0 END AS inside
             FROM event_word_months
             WHERE word = $1 AND ($2::text IS NULL OR kind = $2) AND n <> 0
               AND (month >= $4 AND month < $5
                    OR (month = $6 AND precision = 'month')
                    OR (month = $7 AND precision = 'year'))
             UNION ALL
             SELECT e.starts_month, e.precision, CASE WHEN $3 THEN e.kind ELSE '' END, 1, 1
             FROM events e
             WHERE e.status = 'published' AND e.search @@ event_search_query($8)
               AND ($2::text IS NULL OR e.kind = $2)
               AND (e.starts_on BETWEEN $9 AND $10 OR e.starts_on BETWEEN $11 AND $12)
           ) counted
           GROUP BY 1, 2, 3"#,
        word,
        q.filter.kind.map(|k| k.as_str()),
        q.lanes == Lanes::Kind,
        first_month,
        after_last_month,
        month_before,
        year_before,
        text,
        q.start,
        head_end,
        tail_start,
        q.end,
    )
    .fetch_all(pool)
    .await?;
    Folded::from_counted(q, unit, rows).map(Some)
}
