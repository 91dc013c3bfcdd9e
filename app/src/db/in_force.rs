//! The measures in force on a day: a range test on the in-force dates each event keeps
//! (`refresh_event_derived`, migration `event_lifecycle`), narrowed by the reader's
//! filter, the latest to take effect first (a backward walk of the in-force index).

use super::events::{event_row, with_actors_beside};
use super::{stored, DbError, Pool};
use crate::domain::in_force::{InForce, MeasureInForce, MAX_COUNTED, MAX_MEASURES};
use crate::domain::{CitationId, EventFilter, FuzzyDate};
use chrono::NaiveDate;

/// Published measures in force on `day` that match the filter (its `from`, `to` and
/// `in_force` are not used: the day's test is written out, for the index walk).
pub async fn on(pool: &Pool, day: NaiveDate, filter: &EventFilter) -> Result<InForce, DbError> {
    let filter = EventFilter {
        from: None,
        to: None,
        in_force: None,
        ..filter.clone()
    };
    let limit = filter.limit.unwrap_or(MAX_MEASURES).min(MAX_MEASURES);
    let listing = query_filtered!(
        &filter,
        r#"SELECT e.id, e.slug, e.starts_on, e.precision, e.ends_on, e.end_precision, e.title,
                  e.kind,
                  COALESCE(eff.starts_on, e.starts_on) AS "since!",
                  COALESCE(eff.precision, e.precision) AS "since_precision!",
                  COALESCE(ex.starts_on, e.ends_on) AS until,
                  COALESCE(ex.precision, e.end_precision) AS until_precision,
                  (e.in_force_certain <= $9
                   AND (e.out_of_force_from IS NULL OR e.out_of_force_from > $9)) AS "certain!",
                  e.in_force_certain > $9 AS "start_uncertain!",
                  e.out_of_force_from, e.out_of_force_certain,
                  (SELECT c.id FROM citations c
                   WHERE eff.event_id IS NOT NULL AND c.event_id = e.id
                     AND c.states = 'effective' AND NOT c.needs_review
                   ORDER BY c.position, c.id LIMIT 1) AS evidence
           FROM events e
           LEFT JOIN event_steps eff ON eff.event_id = e.id AND eff.step = 'effective'
           LEFT JOIN event_steps ex ON ex.event_id = e.id AND ex.step = 'expires'
           WHERE e.status = 'published' AND e.in_force_from <= $9
             AND (e.out_of_force_certain IS NULL OR e.out_of_force_certain > $9)
             AND event_matches(e, $1, $2, $3, $4, $5, $6, $7, $8)
           ORDER BY e.in_force_from DESC, e.id DESC
           LIMIT $10"#,
        day,
        limit
    )
    .fetch_all(pool);
    // Counted up to a bound: at 100,000 events most of the record can be in force, and
    // counting all of it would cost more than the answer (a busy target's 3,400 measures
    // among 43,000 in force: 9 ms to count all, about 2 ms to stop at 1,000). Beside the
    // list, on its own connection: neither needs the other.
    let counting = query_filtered!(
        &filter,
        r#"SELECT count(*) AS "n!" FROM (
             SELECT 1 FROM events e
             WHERE e.status = 'published' AND e.in_force_from <= $9
               AND (e.out_of_force_certain IS NULL OR e.out_of_force_certain > $9)
               AND event_matches(e, $1, $2, $3, $4, $5, $6, $7, $8)
             LIMIT $10) x"#,
        day,
        MAX_COUNTED + 1
    )
    .fetch_one(pool);
    let (rows, counted) = tokio::try_join!(listing, counting)?;
    let counted = counted.n;

    let mut listed = Vec::with_capacity(rows.len());
    for r in rows {
        let until = match (r.until, r.until_precision) {
            (Some(d), Some(p)) => Some(FuzzyDate::new(d, stored(&p)?)),
            _ => None,
        };
        let since = FuzzyDate::new(r.since, stored(&r.since_precision)?);
        let (certain, start_uncertain) = (r.certain, r.start_uncertain);
        let out_of_force = r.out_of_force_from.zip(r.out_of_force_certain);
        let evidence = r.evidence.map(CitationId);
        listed.push((event_row!(r), move |event| MeasureInForce {
            event,
            since,
            until,
            certain,
            start_uncertain,
            out_of_force,
            evidence,
        }));
    }
    let measures = with_actors_beside(pool, listed)
        .await?
        .into_iter()
        .map(|(event, measure)| measure(event))
        .collect();
    Ok(InForce {
        day,
        total: counted.min(MAX_COUNTED),
        more: counted > MAX_COUNTED,
        measures,
    })
}
