//! A wide window's buckets under a one-word search, from the word rollups instead of
//! every match's row: the events per word (`event_word_months`, `event_word_prominence`,
//! migration `event_word_counts`; `event_word_weeks` for buckets of weeks, migration
//! `event_word_weeks`) and, in lanes by lifecycle step, their steps per word
//! (`event_word_step_months`, migration `event_word_step_counts`). The whole record's
//! "huawei" (7,900 matches at 100,000 events) reads 2,373 rollup rows off their index
//! where counting its matches read 6,000 pages; by step, 1,055 rows (1.3 ms) where
//! joining its 1,305 matches with steps to all the steps took 13.
//!
//! A word stemmed apart by the three configurations ("sanctions": 'sanctions' |
//! 'sanction') matches the events holding any of its forms. They are counted as its most
//! frequent form's rollup plus the matches that do not hold that form, read one by one:
//! nearly always none, as an event holding "sanctions" holds 'sanction' too (an event
//! whose only such word is the Danish-stemmed "sanctionsen" is one that does not). When
//! no event holds the word as written only as another word's stem
//! (`event_word_stem_only`), there are none, and they are not looked for.

use super::{periods_before, whole_buckets, whole_months, CountedRow, Folded};
use crate::db::{DbError, Pool};
use crate::domain::timeline::{BucketUnit, Lanes, TimelineQuery};
use crate::domain::EventFilter;
use chrono::NaiveDate;

/// How the rollups count a one-word search.
struct CountedWord {
    /// The search's form that most events hold: the rollups count the events holding it.
    word: String,
    /// The matches that do not hold `word` (its other forms, and not it), a tsquery as
    /// text; `None` when the search has one form.
    without_word: Option<String>,
}

/// The one word the window's search is, when the rollups can count its filter (a search
/// alone, or with a kind where `kind_counted`); `None` for several words, a phrase, a
/// negation or another filter. The forms are those `event_search_query` ORs together.
async fn searched_word(
    pool: &Pool,
    q: &TimelineQuery,
    kind_counted: bool,
) -> Result<Option<CountedWord>, DbError> {
    let Some(text) = q.filter.q.as_deref() else {
        return Ok(None);
    };
    let rest = EventFilter {
        q: None,
        kind: if kind_counted { None } else { q.filter.kind },
        ..q.filter.clone()
    };
    if !rest.is_empty() {
        return Ok(None);
    }
    // The matches without the word as its other forms and not it ('sanctions' &
    // !'sanction'), not as the search and not it: GIN then walks one form's matches, not
    // both (5.7 ms against 14 for "sanctions" at 100,000 events).
    let word = sqlx::query!(
        r#"WITH forms AS (
             SELECT c.config, f.form, search_word(f.form) AS word
             FROM unnest(ARRAY['simple', 'english', 'danish']) AS c(config),
                  websearch_to_tsquery(c.config::regconfig, $1) AS f(form)
             -- A configuration's stop word gives it no form.
             WHERE numnode(f.form) > 0
           ), counted AS (
             SELECT f.config, f.word, f.form FROM forms f
             WHERE NOT EXISTS (SELECT 1 FROM forms WHERE word IS NULL)
             ORDER BY (SELECT sum(p.n) FROM event_word_prominence p WHERE p.word = f.word)
                      DESC NULLS LAST, f.config
             LIMIT 1
           )
           SELECT c.word AS "word!",
                  ((SELECT string_agg(DISTINCT f.form::text, ' | ') FROM forms f
                    WHERE f.word <> c.word
                      -- The word as written, where the counted form is its stem and no
                      -- event holds it as another word's stem only: every event holding
                      -- it holds the stem (migration event_word_stem_only).
                      AND NOT (c.config <> 'simple'
                               AND f.word = (SELECT s.word FROM forms s
                                             WHERE s.config = 'simple')
                               AND NOT EXISTS (SELECT 1 FROM event_word_stem_only o
                                               WHERE o.word = f.word AND o.n > 0)))::tsquery
                   && !! c.form)::text AS without_word
           FROM counted c"#,
        text
    )
    .fetch_optional(pool)
    .await?;
    Ok(word.map(|w| CountedWord {
        word: w.word,
        without_word: w.without_word,
    }))
}

/// The window's matches counted as `counted_matches` counts them (without lanes or by
/// kind), when its search is one word and its buckets are weeks or longer; `None` when the
/// rollups cannot count it (several words, another filter, buckets of days). The whole
/// months (or weeks) inside the window come from `event_word_months` (or
/// `event_word_weeks`, where an event known only to its month or year is keyed by its
/// period's first day, as a month's rollup keys it); the days at its edges from their
/// matches.
pub(super) async fn counted(
    pool: &Pool,
    q: &TimelineQuery,
    unit: BucketUnit,
) -> Result<Option<Folded>, DbError> {
    let by_week = unit == BucketUnit::Week;
    if !(unit.from_months() || by_week) || !matches!(q.lanes, Lanes::None | Lanes::Kind) {
        return Ok(None);
    }
    let Some(word) = searched_word(pool, q, true).await? else {
        return Ok(None);
    };

    let [month_before, year_before] = periods_before(q, unit);
    // Whole buckets inside the window from the rollup; the days before the first of them
    // and after the last from the events.
    let (first, after_last) = whole_buckets(
        q,
        if by_week {
            BucketUnit::Week
        } else {
            BucketUnit::Month
        },
    );
    let head_end = q.end.min(first.pred_opt().unwrap_or(NaiveDate::MIN));
    let tail_start = after_last.max(head_end.succ_opt().unwrap_or(NaiveDate::MAX));
    let rows = sqlx::query_as!(
        CountedRow,
        r#"SELECT CASE WHEN $14 THEN bucket ELSE date_trunc($15, bucket::timestamp)::date END
                    AS "bucket!",
                  precision AS "precision!", lane AS "lane!",
                  sum(n)::bigint AS "count!", sum(inside)::bigint AS "inside!",
                  -- The word's highest prominence anywhere: none holding it in the window
                  -- is above it; those not holding it are read.
                  GREATEST((SELECT max(p.prominence) FROM event_word_prominence p
                            WHERE p.word = $1 AND p.n > 0), max(prominence)) AS most_prominent
           FROM (
             SELECT bucket, precision, CASE WHEN $3 THEN kind ELSE '' END AS lane, n,
                    CASE WHEN bucket >= $4 THEN n ELSE 0 END AS inside, prominence
             FROM (
               SELECT month AS bucket, precision, kind, n, NULL::int AS prominence
               FROM event_word_months WHERE NOT $14 AND word = $1 AND n <> 0
               UNION ALL
               SELECT bucket, precision, kind, n, NULL::int
               FROM event_word_weeks WHERE $14 AND word = $1 AND n <> 0
               UNION ALL
               -- The matches of the search's other forms without the word.
               SELECT CASE WHEN $14 THEN word_week_bucket(e.starts_on, e.precision)
                           ELSE e.starts_month END,
                      e.precision, e.kind, 1, e.prominence
               FROM events e
               WHERE $13::text IS NOT NULL AND e.status = 'published'
                 AND e.search @@ $13::text::tsquery
             ) rolled_up
             WHERE ($2::text IS NULL OR kind = $2)
               AND (bucket >= $4 AND bucket < $5
                    OR (bucket = $6 AND precision = 'month')
                    OR (bucket = $7 AND precision = 'year'))
             UNION ALL
             SELECT CASE WHEN $14 THEN word_week_bucket(e.starts_on, e.precision)
                         ELSE e.starts_month END,
                    e.precision, CASE WHEN $3 THEN e.kind ELSE '' END, 1, 1, e.prominence
             FROM events e
             WHERE e.status = 'published' AND e.search @@ event_search_query($8)
               AND ($2::text IS NULL OR e.kind = $2)
               AND (e.starts_on BETWEEN $9 AND $10 OR e.starts_on BETWEEN $11 AND $12)
           ) counted
           GROUP BY 1, 2, 3"#,
        word.word,
        q.filter.kind.map(|k| k.as_str()),
        q.lanes == Lanes::Kind,
        first,
        after_last,
        month_before,
        year_before,
        q.filter.q.as_deref(),
        q.start,
        head_end,
        tail_start,
        q.end,
        word.without_word,
        by_week,
        // Months summed into the window's buckets here: fewer rows to send and fold.
        unit.as_str(),
    )
    .fetch_all(pool)
    .await?;
    Folded::from_counted(q, unit, rows).map(Some)
}

/// The window's matching steps counted as `steps::counted` counts them, (day, precision,
/// step, count), when its search is one word (of one or several forms) and nothing else,
/// and its buckets are months or longer; `None` otherwise. The whole months inside the
/// window come from the rollup; the steps before them that may overlap the window (a
/// year-precise step begun up to a year before it) and those of the part month at its
/// end, from the steps by date.
pub(super) async fn counted_steps(
    pool: &Pool,
    q: &TimelineQuery,
    unit: BucketUnit,
) -> Result<Option<Vec<(NaiveDate, String, String, i64)>>, DbError> {
    if !unit.from_months() || q.lanes != Lanes::Lifecycle {
        return Ok(None);
    }
    let Some(word) = searched_word(pool, q, false).await? else {
        return Ok(None);
    };
    let (full_from, full_until) = whole_months(q);
    let rows = sqlx::query!(
        r#"SELECT month AS "day!", precision AS "precision!", step AS "step!",
                  sum(n)::bigint AS "count!"
           FROM (
             SELECT month, precision, step, n FROM event_word_step_months
             WHERE word = $1 AND month >= $2 AND month < $3 AND n <> 0
             UNION ALL
             -- The same months' steps of matches of the search's other forms without it.
             SELECT s.starts_on, s.precision, s.step, 1
             FROM events e JOIN event_steps s ON s.event_id = e.id
             WHERE $8::text IS NOT NULL AND e.status = 'published'
               AND e.search @@ $8::text::tsquery
               AND s.starts_on >= $2 AND s.starts_on < $3
             UNION ALL
             -- Driven by date: the edges hold a few steps, the word thousands of matches.
             SELECT s.starts_on, s.precision, s.step, 1
             FROM event_steps s JOIN events e ON e.id = s.event_id
             WHERE s.starts_on <= $5 AND s.covers_until >= $4
               AND (s.starts_on >= $6 AND s.starts_on < $2 OR s.starts_on >= $3 AND s.starts_on <= $5)
               AND e.status = 'published' AND e.search @@ event_search_query($7)
           ) counted
           GROUP BY 1, 2, 3"#,
        word.word,
        full_from,
        full_until,
        q.start,
        q.end,
        super::steps::earliest_overlapping(q),
        q.filter.q.as_deref(),
        word.without_word,
    )
    .fetch_all(pool)
    .await?;
    Ok(Some(
        rows.into_iter()
            .map(|r| (r.day, r.precision, r.step, r.count))
            .collect(),
    ))
}
