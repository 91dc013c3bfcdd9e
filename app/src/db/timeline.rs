//! The timeline's window, bucket and facet queries: what makes 100,000 events answerable
//! in milliseconds. A window is read as "events starting inside it" (btree on
//! `(starts_on, id)`) plus "ranges still running at its start" (a backward walk of the
//! events spanning more than a day); actor names come from the event row, so no join is
//! needed.

use super::{stored, DbError, Pool};
use crate::domain::timeline::{
    Bucket, BucketCounts, BucketUnit, Facets, Lanes, PeriodCount, RelationLink, TimelineItem,
    TimelineQuery, TimelineWindow, MAX_LANES, MAX_RUNNING_RANGES, MAX_WINDOW_EVENTS, TOP_EVENTS,
};
use crate::domain::{DatePrecision, EventFilter, EventId, EventKind, FuzzyDate, RelationKind};
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::BTreeMap;

mod steps;
mod words;

pub use steps::{
    scanned_buckets as scanned_step_buckets, word_buckets as word_step_buckets, EVENTS_TRIED,
    STEPS_PICKED_FROM, STEPS_TRIED,
};

struct ItemRow {
    id: i64,
    slug: String,
    starts_on: NaiveDate,
    precision: String,
    ends_on: Option<NaiveDate>,
    covers_until: NaiveDate,
    title: String,
    kind: String,
    authority_names: Vec<String>,
    target_names: Vec<String>,
    prominence: i32,
    /// Set where the row stands for one step of the event (lanes by lifecycle step).
    step: Option<String>,
}

impl ItemRow {
    fn into_item(self) -> Result<TimelineItem, DbError> {
        Ok(TimelineItem {
            id: EventId(self.id),
            slug: stored(&self.slug)?,
            start: self.starts_on,
            precision: stored(&self.precision)?,
            until: self.ends_on.map(|_| self.covers_until),
            title: self.title,
            kind: stored(&self.kind)?,
            authorities: self.authority_names,
            targets: self.target_names,
            prominence: self.prominence,
            lifecycle: Default::default(),
            step: self.step.as_deref().map(stored).transpose()?,
        })
    }
}

/// The events of a window, or its buckets and most prominent events when there are more
/// than the timeline draws one by one.
pub async fn window(pool: &Pool, q: &TimelineQuery) -> Result<TimelineWindow, DbError> {
    if q.lanes == Lanes::Lifecycle {
        return steps::window(pool, q).await;
    }
    // A past day: the instant it ended, the events saved since (the queries leave them
    // out), and those of them drawn as they then stood.
    let (cut, saved_since, then) = match q.as_recorded {
        Some(day) => {
            let r = super::as_recorded::window(pool, day, q).await?;
            (Some(r.cut), r.saved_since, r.then)
        }
        None => (None, Vec::new(), Vec::new()),
    };
    if cut.is_none() && q.filter.q.is_some() {
        let (items, buckets) = searched(pool, q).await?;
        return with_steps_and_relations(pool, q, items, buckets, &Default::default()).await;
    }
    // Only events starting inside the window decide whether it is too busy to draw. Where
    // the rollups count the window, they say so (0.1 ms) before any event is read: its
    // first 301 events by date are a walk past every event of other kinds or actors
    // (3,100 read for the whole record of one kind at 100,000 events, 2–7 ms), thrown
    // away when it is busy. Quiet, its two halves read different indexes: asked at once,
    // on two connections, the window waits for the slower, not for both. Under a filter
    // no rollup counts (two filters, a past day), the walk back over the running ranges
    // reads many events per match, so it is asked only once the window is known to be
    // drawn one by one.
    let one_by_one = if cut.is_none() && Rollup::for_query(q).is_some() {
        if rolled_up_starting_inside(pool, q).await? > MAX_WINDOW_EVENTS as i64 {
            None
        } else {
            Some(tokio::try_join!(
                starting_inside(pool, q, cut, &saved_since),
                running_at_start(pool, q, cut, &saved_since)
            )?)
        }
    } else {
        let starting = starting_inside(pool, q, cut, &saved_since).await?;
        let inside = starting.len() + then.iter().filter(|i| i.start >= q.start).count();
        if inside > MAX_WINDOW_EVENTS {
            None
        } else {
            let running = running_at_start(pool, q, cut, &saved_since).await?;
            Some((starting, running))
        }
    };

    // The versions of a past day saved since keep the steps they had then.
    let as_then: std::collections::HashSet<EventId> = then.iter().map(|i| i.id).collect();
    let (items, buckets) = if let Some((starting, running)) = one_by_one {
        let mut items = starting
            .into_iter()
            .chain(running)
            .map(ItemRow::into_item)
            .collect::<Result<Vec<_>, _>>()?;
        items.extend(then);
        (items, None)
    } else {
        let unit = BucketUnit::for_span(q.span_days());
        // The counts and the most prominent events are independent, so asked at once.
        // The rollups count the record as it is now: a past day's is counted anew.
        let counts = async {
            match cut {
                Some(_) => {
                    let mut folded = scanned(pool, q, unit, cut, &saved_since).await?;
                    folded.add_items(q, &then);
                    Ok(folded.into_counts())
                }
                None => buckets(pool, q, unit).await,
            }
        };
        let (counts, mut top) = tokio::try_join!(counts, top_events(pool, q, cut, &saved_since))?;
        top.extend(then.into_iter().filter(|i| i.start >= q.start));
        top.sort_by_key(|i| (std::cmp::Reverse(i.prominence), i.start));
        top.truncate(TOP_EVENTS as usize);
        (top, Some(counts))
    };
    with_steps_and_relations(pool, q, items, buckets, &as_then).await
}

/// A window under a text search, of the record as it is now. Its events starting inside it cannot be
/// walked by date cheaply (a word in one event of twelve: 3,600 read for 301), and
/// reading them all (bitmap and sort: 6–12 ms over the whole record at 100,000 events)
/// only to learn that the window is busy came before its buckets read every match
/// again. So the buckets are counted first, and their total inside the window tells
/// busy (then its most prominent matches) from quiet (then its matches, few, one by one
/// with the ranges running at its start). Beside the count, how many events the window
/// holds (0.1 ms from the monthly rollup): with the matches inside it, the share of its
/// events that match, which says how far down its most prominent events the 40 lie, so
/// no trial walk is needed to guess it. Not the most prominent matches themselves beside
/// the count: in a quiet window of two months their walk down the prominent events of
/// the whole record would cost more than the rest.
async fn searched(
    pool: &Pool,
    q: &TimelineQuery,
) -> Result<(Vec<TimelineItem>, Option<BucketCounts>), DbError> {
    let unit = BucketUnit::for_span(q.span_days());
    let counting = async {
        match q.lanes {
            Lanes::None | Lanes::Kind => match words::counted(pool, q, unit).await? {
                Some(counted) => Ok(counted),
                None => counted_matches(pool, q, unit).await,
            },
            _ => scanned(pool, q, unit, None, &[]).await,
        }
    };
    let (counted, events) = tokio::try_join!(counting, window_events(pool, q))?;
    if counted.inside > MAX_WINDOW_EVENTS as i64 {
        let share = MatchShare {
            matching: counted.inside,
            of: events.max(counted.inside),
            most_prominent: counted.most_prominent,
        };
        let rows = prominent_matches_by_share(pool, q, None, &[], share).await?;
        let top = rows
            .into_iter()
            .map(ItemRow::into_item)
            .collect::<Result<Vec<_>, _>>()?;
        return Ok((top, Some(counted.into_counts())));
    }
    // The count says how many matches start inside the window. With none, their walk
    // by date is not asked: where the planner takes a word and a kind as independent
    // ("retaliates" and imposed: 3,100 matches expected, none there) it walks every
    // event of the window to find none (180 ms over the whole record at 100,000).
    let starting = async {
        match counted.inside {
            0 => Ok(Vec::new()),
            _ => starting_inside(pool, q, None, &[]).await,
        }
    };
    let (starting, running) = tokio::try_join!(starting, running_at_start(pool, q, None, &[]))?;
    let items = starting
        .into_iter()
        .chain(running)
        .map(ItemRow::into_item)
        .collect::<Result<Vec<_>, _>>()?;
    Ok((items, None))
}

/// The window with its events' steps and the relations among them, in date order;
/// `as_then`: events drawn as a past day had them, steps included.
async fn with_steps_and_relations(
    pool: &Pool,
    q: &TimelineQuery,
    mut items: Vec<TimelineItem>,
    buckets: Option<BucketCounts>,
    as_then: &std::collections::HashSet<EventId>,
) -> Result<TimelineWindow, DbError> {
    items.sort_by_key(|i| (i.start, i.id));
    let ids: Vec<EventId> = items
        .iter()
        .map(|i| i.id)
        .filter(|id| !as_then.contains(id))
        .collect();
    let (mut lifecycles, relations) = tokio::try_join!(
        super::lifecycle::of_events(pool, &ids),
        relations_among(pool, &items)
    )?;
    for item in &mut items {
        if let Some(lifecycle) = lifecycles.remove(&item.id) {
            item.lifecycle = lifecycle;
        }
    }
    Ok(TimelineWindow {
        start: q.start,
        end: q.end,
        today: chrono::Utc::now().date_naive(),
        lanes: q.lanes,
        items,
        buckets,
        relations,
    })
}

/// The events starting inside the window, by date, one more than the timeline draws one
/// by one (so that a busier window shows as such).
async fn starting_inside(
    pool: &Pool,
    q: &TimelineQuery,
    cut: Option<DateTime<Utc>>,
    saved_since: &[i64],
) -> Result<Vec<ItemRow>, DbError> {
    Ok(query_filtered!(
        as ItemRow,
        &q.filter,
        r#"SELECT id AS "id!", slug AS "slug!", starts_on AS "starts_on!",
                  precision AS "precision!", ends_on, covers_until AS "covers_until!",
                  title AS "title!", kind AS "kind!", authority_names AS "authority_names!",
                  target_names AS "target_names!", prominence AS "prominence!",
                  NULL::text AS step
           FROM events e
           WHERE status = 'published' AND starts_on BETWEEN $9 AND $10
             AND event_matches(e, $1, $2, $3, $4, $5, $6, $7, $8)
             AND ($12::timestamptz IS NULL OR (created_at < $12 AND NOT (id = ANY($13))))
           ORDER BY starts_on, id LIMIT $11"#,
        q.start,
        q.end,
        MAX_WINDOW_EVENTS as i64 + 1,
        cut,
        saved_since,
    )
    .fetch_all(pool)
    .await?)
}

/// The ranges that began before the window and still run at its start, latest first (a
/// backward walk of the events spanning more than a day).
async fn running_at_start(
    pool: &Pool,
    q: &TimelineQuery,
    cut: Option<DateTime<Utc>>,
    saved_since: &[i64],
) -> Result<Vec<ItemRow>, DbError> {
    Ok(query_filtered!(
        as ItemRow,
        &q.filter,
        r#"SELECT id AS "id!", slug AS "slug!", starts_on AS "starts_on!",
                  precision AS "precision!", ends_on, covers_until AS "covers_until!",
                  title AS "title!", kind AS "kind!", authority_names AS "authority_names!",
                  target_names AS "target_names!", prominence AS "prominence!",
                  NULL::text AS step
           FROM events e
           WHERE status = 'published' AND starts_on < $9 AND covers_until >= $9
             AND covers_until > starts_on
             AND event_matches(e, $1, $2, $3, $4, $5, $6, $7, $8)
             AND ($11::timestamptz IS NULL OR (created_at < $11 AND NOT (id = ANY($12))))
           ORDER BY starts_on DESC, id LIMIT $10"#,
        q.start,
        MAX_RUNNING_RANGES,
        cut,
        saved_since,
    )
    .fetch_all(pool)
    .await?)
}

/// A busy window's buckets, and apart from them the events known only to a period longer
/// than a bucket (overlapping the window, even from before its start). Unfiltered windows
/// (the common, zoomed-out case) and those filtered by kind alone or by actor alone are
/// counted from the rollups (see [`Rollup`]); other filtered ones by scanning the
/// matching events.
pub async fn buckets(
    pool: &Pool,
    q: &TimelineQuery,
    unit: BucketUnit,
) -> Result<BucketCounts, DbError> {
    if q.lanes == Lanes::Lifecycle {
        return steps::buckets(pool, q, unit).await;
    }
    match Rollup::for_query(q) {
        Some(rollup) => counted_buckets(pool, q, unit, rollup).await,
        None => scanned_buckets(pool, q, unit).await,
    }
}

/// Buckets counted event by event (straight off the covering index), the lanes busiest in
/// the window kept by name; folded into weeks, quarters or years below. Besides the
/// window's own days, the two periods that can overlap its start from before it (its
/// month, its year) are read by their first day, where buckets are finer than them.
pub async fn scanned_buckets(
    pool: &Pool,
    q: &TimelineQuery,
    unit: BucketUnit,
) -> Result<BucketCounts, DbError> {
    Ok(scanned(pool, q, unit, None, &[]).await?.into_counts())
}

/// [`scanned_buckets`], of the events added before `cut` and not saved since when a past
/// day is drawn.
async fn scanned(
    pool: &Pool,
    q: &TimelineQuery,
    unit: BucketUnit,
    cut: Option<DateTime<Utc>>,
    saved_since: &[i64],
) -> Result<Folded, DbError> {
    let [month_before, year_before] = periods_before(q, unit);
    let rows = query_filtered!(
        &q.filter,
        r#"WITH counted AS (
             SELECT CASE WHEN $9 THEN e.starts_month ELSE e.starts_on END AS b,
                    e.precision, lane, e.starts_on >= $11 AS inside, count(*) AS n,
                    -- Each event once, by its first lane.
                    count(*) FILTER (WHERE nth = 1) AS events, max(e.prominence) AS most
             FROM events e
             CROSS JOIN LATERAL unnest(CASE $10::text
                 WHEN 'authority' THEN COALESCE(NULLIF(e.authority_names, '{}'), ARRAY['(none)'])
                 WHEN 'target' THEN COALESCE(NULLIF(e.target_names, '{}'), ARRAY['(none)'])
                 WHEN 'kind' THEN ARRAY[e.kind]
                 ELSE ARRAY[''] END) WITH ORDINALITY AS l(lane, nth)
             -- Three ranges of the `starts_on` index, not a join on them (its plan
             -- scanned every event).
             WHERE (e.starts_on BETWEEN $11::date AND $12::date
                    OR (e.starts_on = $15::date AND e.precision = 'month')
                    OR (e.starts_on = $16::date AND e.precision = 'year'))
               AND e.status = 'published'
               AND event_matches(e, $1, $2, $3, $4, $5, $6, $7, $8)
               AND ($17::timestamptz IS NULL
                    OR (e.created_at < $17 AND NOT (e.id = ANY($18))))
             GROUP BY 1, 2, 3, 4
           ), top AS (
             SELECT lane FROM counted WHERE inside
             GROUP BY lane ORDER BY sum(n) DESC, lane LIMIT $13
           )
           SELECT b AS "bucket!", precision AS "precision!",
                  CASE WHEN lane IN (SELECT lane FROM top) THEN lane ELSE $14 END AS "lane!",
                  sum(n)::bigint AS "count!",
                  COALESCE(sum(events) FILTER (WHERE inside), 0)::bigint AS "inside!",
                  max(most) FILTER (WHERE inside) AS most_prominent
           FROM counted GROUP BY 1, 2, 3"#,
        unit.from_months(),
        q.lanes.as_str(),
        q.start,
        q.end,
        MAX_LANES as i64,
        // Where the window draws one lane, a period before it is drawn there even when no
        // event starts inside the window (and so no lane is ranked).
        q.leftover_lane(),
        month_before,
        year_before,
        cut,
        saved_since,
    )
    .fetch_all(pool)
    .await?;
    let mut folded = Folded::new(unit);
    for r in rows {
        let precision = stored::<DatePrecision>(&r.precision)?;
        folded.add(r.bucket, precision, r.lane, r.count);
        folded.inside += r.inside;
        folded.most_prominent = folded.most_prominent.max(r.most_prominent);
    }
    Ok(folded)
}

/// [`scanned`] for a window without lanes or in lanes by kind, of the record as it is
/// now: an event has one kind, so no lanes are unnested (a function scan per match:
/// 13–17 ms against 6–7 for the whole record's "huawei" at 100,000 events) and, with
/// fewer kinds than lanes drawn, none ranked.
async fn counted_matches(
    pool: &Pool,
    q: &TimelineQuery,
    unit: BucketUnit,
) -> Result<Folded, DbError> {
    const _: () = assert!(EventKind::ALL.len() <= MAX_LANES);
    let [month_before, year_before] = periods_before(q, unit);
    let rows = query_filtered!(
        as CountedRow,
        &q.filter,
        r#"SELECT CASE WHEN $9 THEN e.starts_month ELSE e.starts_on END AS "bucket!",
                  e.precision AS "precision!",
                  CASE WHEN $14 THEN e.kind ELSE '' END AS "lane!", count(*) AS "count!",
                  count(*) FILTER (WHERE e.starts_on >= $10) AS "inside!",
                  max(e.prominence) FILTER (WHERE e.starts_on >= $10) AS most_prominent
           FROM events e
           WHERE (e.starts_on BETWEEN $10::date AND $11::date
                  OR (e.starts_on = $12::date AND e.precision = 'month')
                  OR (e.starts_on = $13::date AND e.precision = 'year'))
             AND e.status = 'published'
             AND event_matches(e, $1, $2, $3, $4, $5, $6, $7, $8)
           GROUP BY 1, 2, 3"#,
        unit.from_months(),
        q.start,
        q.end,
        month_before,
        year_before,
        q.lanes == Lanes::Kind,
    )
    .fetch_all(pool)
    .await?;
    Folded::from_counted(q, unit, rows)
}

/// Matches counted by bucket, precision and lane (`''` without lanes, the kind by kind).
struct CountedRow {
    bucket: NaiveDate,
    precision: String,
    lane: String,
    count: i64,
    /// Of `count`, those starting inside the window.
    inside: i64,
    /// The highest prominence of those, or above it (an upper bound is enough).
    most_prominent: Option<i32>,
}

/// A searched window's buckets and how many of its matches start inside it, counted from
/// the word rollups when `by_word` (`None` where they cannot count it), else from the
/// matches themselves: the two ways a search without lanes or by kind is counted, public
/// so that tests can hold them to each other.
pub async fn searched_counts(
    pool: &Pool,
    q: &TimelineQuery,
    by_word: bool,
) -> Result<Option<(BucketCounts, i64)>, DbError> {
    let unit = BucketUnit::for_span(q.span_days());
    let folded = if by_word {
        words::counted(pool, q, unit).await?
    } else {
        Some(counted_matches(pool, q, unit).await?)
    };
    Ok(folded.map(|f| {
        let inside = f.inside;
        (f.into_counts(), inside)
    }))
}

/// The first days of the periods that began before the window and still overlap its
/// start, [its month, its year], where such a period is longer than a bucket.
fn periods_before(q: &TimelineQuery, unit: BucketUnit) -> [Option<NaiveDate>; 2] {
    let before = |precision: DatePrecision| {
        let first = FuzzyDate::new(q.start, precision).date;
        (unit.longer_precisions().any(|p| p == precision) && first < q.start).then_some(first)
    };
    [before(DatePrecision::Month), before(DatePrecision::Year)]
}

/// Counts added up into buckets of one unit, and the events known to a longer period
/// apart, over that period.
struct Folded {
    unit: BucketUnit,
    counts: BTreeMap<(NaiveDate, String), i64>,
    periods: BTreeMap<(NaiveDate, DatePrecision, String), i64>,
    /// Scanned or counted: how many of the counted events start inside the window.
    inside: i64,
    /// Scanned or counted: the highest prominence of those events.
    most_prominent: Option<i32>,
}

impl Folded {
    fn new(unit: BucketUnit) -> Self {
        Folded {
            unit,
            counts: BTreeMap::new(),
            periods: BTreeMap::new(),
            inside: 0,
            most_prominent: None,
        }
    }

    /// Counted matches folded: as `scanned` ranks them, a lane is drawn by name when one
    /// of its events starts inside the window; a period before it of another kind goes to
    /// the leftover lane.
    fn from_counted(
        q: &TimelineQuery,
        unit: BucketUnit,
        rows: Vec<CountedRow>,
    ) -> Result<Folded, DbError> {
        let drawn: std::collections::HashSet<String> = rows
            .iter()
            .filter(|r| r.inside > 0)
            .map(|r| r.lane.clone())
            .collect();
        let mut folded = Folded::new(unit);
        for r in rows {
            let precision = stored::<DatePrecision>(&r.precision)?;
            let lane = if drawn.contains(&r.lane) {
                r.lane
            } else {
                q.leftover_lane().to_owned()
            };
            folded.add(r.bucket, precision, lane, r.count);
            folded.inside += r.inside;
            folded.most_prominent = folded.most_prominent.max(r.most_prominent);
        }
        Ok(folded)
    }

    /// `n` events of this lane dated `day` at `precision` (a period's first day).
    fn add(&mut self, day: NaiveDate, precision: DatePrecision, lane: String, n: i64) {
        if n == 0 {
            return;
        }
        if self.unit.holds(precision) {
            *self
                .counts
                .entry((self.unit.bucket_of(day), lane))
                .or_default() += n;
        } else {
            *self.periods.entry((day, precision, lane)).or_default() += n;
        }
    }

    /// Events counted one by one, as [`scanned`] counts rows: those starting in the
    /// window, and those known to the month or year that overlaps its start. Each goes to
    /// its lanes where the counts so far drew them by name, else to the leftover lane.
    fn add_items(&mut self, q: &TimelineQuery, items: &[TimelineItem]) {
        let [month_before, year_before] = periods_before(q, self.unit);
        let named: std::collections::HashSet<String> = self
            .counts
            .keys()
            .map(|(_, lane)| lane.clone())
            .chain(self.periods.keys().map(|(_, _, lane)| lane.clone()))
            .collect();
        for item in items {
            let before = match item.precision {
                DatePrecision::Month => month_before,
                DatePrecision::Year => year_before,
                DatePrecision::Day => None,
            };
            let inside = (q.start..=q.end).contains(&item.start);
            if !inside && before != Some(item.start) {
                continue;
            }
            let day = if self.unit.from_months() {
                month_of(item.start)
            } else {
                item.start
            };
            for lane in item.lanes(q.lanes) {
                let lane = if named.contains(&lane) {
                    lane
                } else {
                    q.leftover_lane().to_owned()
                };
                self.add(day, item.precision, lane, 1);
            }
        }
    }

    fn into_counts(self) -> BucketCounts {
        BucketCounts {
            unit: self.unit,
            buckets: self
                .counts
                .into_iter()
                .filter(|(_, count)| *count > 0)
                .map(|((start, lane), count)| Bucket { start, lane, count })
                .collect(),
            periods: self
                .periods
                .into_iter()
                .filter(|(_, count)| *count > 0)
                .map(|((start, precision, lane), count)| PeriodCount {
                    start,
                    precision,
                    lane,
                    count,
                })
                .collect(),
        }
    }
}

/// How many of the lanes busiest over the whole record are ranked first: when the
/// window's twelfth busiest of them is busier than the next lane has ever been, no other
/// lane can beat it and the full ranking is skipped.
const LANE_CANDIDATES: usize = 48;

/// Which rollup family counts a window's buckets, and how its lanes are drawn.
#[derive(Debug, Clone, PartialEq)]
pub enum Rollup {
    /// The window's own lanes: the busiest by name, the rest as "(other)". Unfiltered
    /// windows read the family named like their lanes; windows of one kind by authority
    /// or target read `authority/<kind>` or `target/<kind>`.
    Lanes(String),
    /// One lane of a family, drawn as the window's only lane: one kind (family `kind`)
    /// without lanes or by kind, one actor (family `actor`, lower-cased) without lanes.
    One { family: &'static str, lane: String },
}

impl Rollup {
    /// The rollup that counts this window exactly, if one does.
    pub fn for_query(q: &TimelineQuery) -> Option<Rollup> {
        let f = &q.filter;
        let only_kind = f.kind.is_some()
            && EventFilter {
                kind: None,
                ..f.clone()
            }
            .is_empty();
        let only_actor = f.actor.is_some()
            && EventFilter {
                actor: None,
                ..f.clone()
            }
            .is_empty();
        match (f.kind, q.lanes) {
            // Steps are counted from `event_steps` (see `steps`), never rolled up.
            (_, Lanes::Lifecycle) => None,
            _ if f.is_empty() => Some(Rollup::Lanes(q.lanes.as_str().to_owned())),
            (Some(kind), Lanes::None | Lanes::Kind) if only_kind => Some(Rollup::One {
                family: Lanes::Kind.as_str(),
                lane: kind.as_str().to_owned(),
            }),
            (Some(kind), Lanes::Authority | Lanes::Target) if only_kind => Some(Rollup::Lanes(
                format!("{}/{}", q.lanes.as_str(), kind.as_str()),
            )),
            (_, Lanes::None) if only_actor => Some(Rollup::One {
                family: "actor",
                lane: f.actor.clone().unwrap_or_default(),
            }),
            _ => None,
        }
    }
}

/// Buckets of a window that a rollup counts ([`Rollup::for_query`]), from
/// `event_month_counts` (whole months inside the window) and `event_day_counts` (part
/// months at its edges, or every day when the buckets are days or weeks). Lanes are
/// ranked by the months the window touches.
pub async fn counted_buckets(
    pool: &Pool,
    q: &TimelineQuery,
    unit: BucketUnit,
    rollup: Rollup,
) -> Result<BucketCounts, DbError> {
    let (first_month, last_month) = (month_of(q.start), month_of(q.end));
    let other = q.leftover_lane();
    // `one`: the single lane read and the lane it is drawn as ('' without lanes, the
    // kind's own by kind). Otherwise the named lanes, and '' for the rest.
    let (family, named, one) = match rollup {
        Rollup::One { family, lane } => {
            // Lower-cased as the filter and the rollup lower-case it, by the database.
            let lane = if family == "actor" {
                sqlx::query_scalar!(r#"SELECT lower($1) AS "lane!""#, lane)
                    .fetch_one(pool)
                    .await?
            } else {
                lane
            };
            (
                family.to_owned(),
                vec![lane],
                Some(q.leftover_lane().to_owned()),
            )
        }
        Rollup::Lanes(family) if q.lanes == Lanes::None => (family, Vec::new(), None),
        Rollup::Lanes(family) => {
            let named = busiest_lanes(pool, &family, first_month, last_month).await?;
            (family, named, None)
        }
    };
    let lanes = family.as_str();
    // Whole months inside the window: [full_from, full_until).
    let (full_from, full_until) = if unit.from_months() {
        whole_months(q)
    } else {
        (q.start, q.start)
    };

    // '' is every lane together: what is left of it after the named lanes is "(other)".
    let wanted: Vec<&str> = match one {
        Some(_) => named.iter().map(String::as_str).collect(),
        None => named.iter().map(String::as_str).chain([""]).collect(),
    };
    let mut folded = Folded::new(unit);
    // The rollups count every event on its first day (`Day`); those known to a longer
    // period than a bucket are moved from there to their period below.
    let mut add = |day: NaiveDate, precision: DatePrecision, lane: String, n: i64| {
        if let Some(drawn) = &one {
            folded.add(day, precision, drawn.clone(), n);
        } else if lane.is_empty() {
            folded.add(day, precision, other.to_owned(), n);
        } else {
            // Named lanes were counted in '' too.
            folded.add(day, precision, other.to_owned(), -n);
            folded.add(day, precision, lane, n);
        }
    };
    // The rest of the window (part months at its edges, or all of it) day by day.
    let (before, after) = if full_from < full_until {
        (
            (q.start, full_from - chrono::Duration::days(1)),
            Some((full_until, q.end)),
        )
    } else {
        ((q.start, q.end), None)
    };
    let longer: Vec<&str> = unit
        .longer_precisions()
        .map(DatePrecision::as_str)
        .collect();
    // Each reads its own rollup and waits only on the lanes: asked at once.
    let (months, before, after, periods) = tokio::try_join!(
        month_counts(pool, lanes, &wanted, (full_from, full_until)),
        day_counts(pool, lanes, &wanted, Some(before)),
        day_counts(pool, lanes, &wanted, after),
        period_counts(pool, lanes, &wanted, &longer, q),
    )?;
    for (day, lane, n) in months.into_iter().chain(before).chain(after) {
        add(day, DatePrecision::Day, lane, n);
    }
    for (precision, period, lane, n) in periods {
        let precision = stored::<DatePrecision>(&precision)?;
        if period >= q.start {
            add(period, DatePrecision::Day, lane.clone(), -n);
        }
        add(period, precision, lane, n);
    }
    Ok(folded.into_counts())
}

/// A lane's events counted on one day (or, from `event_month_counts`, in one month).
type LaneCount = (NaiveDate, String, i64);

/// Whole months `[from, until)` from `event_month_counts`; none when the range is empty.
async fn month_counts(
    pool: &Pool,
    lanes: &str,
    wanted: &[&str],
    (from, until): (NaiveDate, NaiveDate),
) -> Result<Vec<LaneCount>, DbError> {
    if from >= until {
        return Ok(Vec::new());
    }
    let rows = sqlx::query!(
        r#"SELECT month, lane, n FROM event_month_counts
           WHERE lanes = $1 AND lane = ANY($4) AND month >= $2 AND month < $3 AND n <> 0"#,
        lanes,
        from,
        until,
        wanted as &[&str],
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.month, r.lane, r.n.into()))
        .collect())
}

/// The days `from..=to` from `event_day_counts`; none without days or when `from > to`.
async fn day_counts(
    pool: &Pool,
    lanes: &str,
    wanted: &[&str],
    days: Option<(NaiveDate, NaiveDate)>,
) -> Result<Vec<LaneCount>, DbError> {
    let Some((from, to)) = days.filter(|(from, to)| from <= to) else {
        return Ok(Vec::new());
    };
    let rows = sqlx::query!(
        r#"SELECT day, lane, n FROM event_day_counts
           WHERE lanes = $1 AND lane = ANY($4) AND day BETWEEN $2 AND $3 AND n <> 0"#,
        lanes,
        from,
        to,
        wanted as &[&str],
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.day, r.lane, r.n.into()))
        .collect())
}

/// Events known only to a period of these precisions (longer than a bucket) that
/// overlaps the window, from `event_period_counts`: (precision, period, lane, n).
async fn period_counts(
    pool: &Pool,
    lanes: &str,
    wanted: &[&str],
    longer: &[&str],
    q: &TimelineQuery,
) -> Result<Vec<(String, NaiveDate, String, i64)>, DbError> {
    if longer.is_empty() {
        return Ok(Vec::new());
    }
    let rows = sqlx::query!(
        r#"SELECT precision, period, lane, n FROM event_period_counts
           WHERE lanes = $1 AND lane = ANY($2) AND precision = ANY($3)
             AND period BETWEEN date_trunc('year', $4::date)::date AND $5
             AND period_last_day(period, precision) >= $4 AND n <> 0"#,
        lanes,
        wanted as &[&str],
        longer as &[&str],
        q.start,
        q.end,
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.precision, r.period, r.lane, r.n.into()))
        .collect())
}

/// The (at most [`MAX_LANES`]) lanes with the most events in these months. A window
/// over every month the family counts (the whole record, 4.8 ms summed month by month at
/// 100,000 events) takes the lanes' totals instead, which count the same events.
async fn busiest_lanes(
    pool: &Pool,
    lanes: &str,
    first_month: NaiveDate,
    last_month: NaiveDate,
) -> Result<Vec<String>, DbError> {
    let candidates = sqlx::query!(
        r#"WITH span AS (SELECT min(month) AS first, max(month) AS last
                         FROM event_month_counts WHERE lanes = $1)
           SELECT c.lane AS "lane!", c.n AS "total!",
                  CASE WHEN span.first >= $2 AND span.last <= $3 THEN c.n::bigint
                  ELSE (SELECT COALESCE(sum(m.n), 0) FROM event_month_counts m
                        WHERE m.lanes = $1 AND m.lane = c.lane
                          AND m.month BETWEEN $2 AND $3)::bigint END AS "in_window!"
           FROM (SELECT lane, n FROM event_lane_totals
                 WHERE lanes = $1 AND lane <> '' AND n > 0
                 ORDER BY n DESC, lane LIMIT $4) c, span"#,
        lanes,
        first_month,
        last_month,
        LANE_CANDIDATES as i64 + 1,
    )
    .fetch_all(pool)
    .await?;
    let next_total = candidates.get(LANE_CANDIDATES).map(|c| i64::from(c.total));
    let mut ranked: Vec<(i64, String)> = candidates
        .into_iter()
        .take(LANE_CANDIDATES)
        .map(|c| (c.in_window, c.lane))
        .collect();
    ranked.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    let decided = match next_total {
        None => true,
        Some(next) => ranked.get(MAX_LANES - 1).is_some_and(|(n, _)| *n > next),
    };
    if decided {
        return Ok(ranked
            .into_iter()
            .filter(|(n, _)| *n > 0)
            .take(MAX_LANES)
            .map(|(_, lane)| lane)
            .collect());
    }
    Ok(sqlx::query_scalar!(
        r#"SELECT lane AS "lane!" FROM event_month_counts
           WHERE lanes = $1 AND month BETWEEN $2 AND $3 AND lane <> '' AND n > 0
           GROUP BY lane ORDER BY sum(n) DESC, lane LIMIT $4"#,
        lanes,
        first_month,
        last_month,
        MAX_LANES as i64,
    )
    .fetch_all(pool)
    .await?)
}

/// The whole months inside a window, `[from, until)` (empty when `from == until`).
fn whole_months(q: &TimelineQuery) -> (NaiveDate, NaiveDate) {
    whole_buckets(q, BucketUnit::Month)
}

/// The whole buckets of this unit inside a window, `[from, until)` (empty when
/// `from == until`).
fn whole_buckets(q: &TimelineQuery, unit: BucketUnit) -> (NaiveDate, NaiveDate) {
    let (first, last) = (unit.bucket_of(q.start), unit.bucket_of(q.end));
    let from = if q.start == first {
        first
    } else {
        unit.next(first)
    };
    let until = if q.end + chrono::Duration::days(1) == unit.next(last) {
        unit.next(last)
    } else {
        last
    };
    (from, until.max(from))
}

fn month_of(day: NaiveDate) -> NaiveDate {
    BucketUnit::Month.bucket_of(day)
}

/// A busy window's most prominent events.
async fn top_events(
    pool: &Pool,
    q: &TimelineQuery,
    cut: Option<DateTime<Utc>>,
    saved_since: &[i64],
) -> Result<Vec<TimelineItem>, DbError> {
    if q.filter.q.is_some() {
        return searched_top_events(pool, q, cut, saved_since).await;
    }
    let rows = query_filtered!(
        as ItemRow,
        &q.filter,
        r#"SELECT id, slug, starts_on, precision, ends_on, covers_until, title, kind,
                  authority_names, target_names, prominence, NULL::text AS step
           FROM events e
           WHERE status = 'published' AND starts_on BETWEEN $9 AND $10
             AND event_matches(e, $1, $2, $3, $4, $5, $6, $7, $8)
             AND ($12::timestamptz IS NULL OR (created_at < $12 AND NOT (id = ANY($13))))
           ORDER BY prominence DESC, starts_on LIMIT $11"#,
        q.start,
        q.end,
        TOP_EVENTS,
        cut,
        saved_since,
    )
    .fetch_all(pool)
    .await?;
    rows.into_iter().map(ItemRow::into_item).collect()
}

/// How many of a window's most prominent events [`searched_top_events`] tries first, and
/// the shortest walk [`prominent_matches_by_share`] takes.
const PROMINENT_TRIED: i64 = 200;
/// The longest walk down a window's most prominent events [`prominent_matches_by_share`]
/// takes: where the share asks for more, all the matches are read instead.
const PROMINENT_FURTHEST: i64 = 2000;
/// What walking on to one more prominent event costs, in reads of one match from the
/// search's index (measured at 100,000 events: 6.6 µs against 1.5).
const WALK_COST_PER_MATCH_READ: f64 = 4.4;

/// [`top_events`] under a text search. Walking the events from the most prominent down
/// until 40 match can read most of the record: the matches need not be prominent ones
/// (for the whole record's 40 most prominent synthetic "retaliates" at 100,000 events,
/// never related to other events, the walk read 50,000 events: 60 ms). So the window's
/// [`PROMINENT_TRIED`] most prominent events are tried first (0.5 ms), which answers a
/// word most events hold ("sanctions"); when fewer than 40 of them match, their share
/// decides as in [`prominent_matches_by_share`], and when none does, all the window's
/// matches are read. All are exact: a match below the tried events ranks below every
/// one of them.
async fn searched_top_events(
    pool: &Pool,
    q: &TimelineQuery,
    cut: Option<DateTime<Utc>>,
    saved_since: &[i64],
) -> Result<Vec<TimelineItem>, DbError> {
    let rows = most_prominent_matches(pool, q, cut, saved_since, PROMINENT_TRIED, None).await?;
    let found = rows.len() as i64;
    let rows = if found >= TOP_EVENTS {
        rows
    } else if found == 0 {
        most_prominent_of_all_matches(pool, q, cut, saved_since).await?
    } else {
        let share = MatchShare {
            matching: found,
            of: PROMINENT_TRIED,
            most_prominent: None,
        };
        let events = window_events(pool, q).await?;
        prominent_matches_by_share(pool, q, cut, saved_since, share.scaled_to(events)).await?
    };
    rows.into_iter().map(ItemRow::into_item).collect()
}

/// How many of a number of a window's events match a text search.
#[derive(Clone, Copy)]
struct MatchShare {
    matching: i64,
    of: i64,
    /// When known, the highest prominence of a match: no event above it need be walked.
    most_prominent: Option<i32>,
}

impl MatchShare {
    fn share(self) -> f64 {
        self.matching as f64 / self.of.max(1) as f64
    }

    /// The same share of `events`: the window's matches, as estimated from a sample.
    fn scaled_to(self, events: i64) -> MatchShare {
        MatchShare {
            matching: (self.share() * events as f64).round() as i64,
            of: events,
            ..self
        }
    }
}

/// A busy window's 40 most prominent matches, `share` of its events matching: down its
/// most prominent events (from the most prominent match's prominence, when known) twice
/// as far as the share says 40 lie, when that is no further than [`PROMINENT_FURTHEST`]
/// and costs less than reading all its matches; else (or when the walk comes back short)
/// all its matches. The whole record's "huawei" (7,900 matches of 100,000 events) walks about
/// 500 events, 1 ms, where reading its matches takes 6; "retaliates" (7,000, none of
/// them more prominent than 2, as half the record) walks from the first event of
/// prominence 2, where without that start 1,100 events were walked for nothing.
async fn prominent_matches_by_share(
    pool: &Pool,
    q: &TimelineQuery,
    cut: Option<DateTime<Utc>>,
    saved_since: &[i64],
    share: MatchShare,
) -> Result<Vec<ItemRow>, DbError> {
    if share.matching > 0 {
        // Never shorter than the trial walk: a share drawn from the whole window says
        // less about its most prominent events than a trial of them.
        let further = ((2 * TOP_EVENTS * share.of + share.matching - 1) / share.matching)
            .max(PROMINENT_TRIED);
        let walk = TOP_EVENTS as f64 / share.share() * WALK_COST_PER_MATCH_READ;
        if further <= PROMINENT_FURTHEST && walk < share.matching as f64 {
            let rows =
                most_prominent_matches(pool, q, cut, saved_since, further, share.most_prominent)
                    .await?;
            if rows.len() as i64 >= TOP_EVENTS {
                return Ok(rows);
            }
        }
    }
    most_prominent_of_all_matches(pool, q, cut, saved_since).await
}

/// The 40 most prominent of all the window's matches.
async fn most_prominent_of_all_matches(
    pool: &Pool,
    q: &TimelineQuery,
    cut: Option<DateTime<Utc>>,
    saved_since: &[i64],
) -> Result<Vec<ItemRow>, DbError> {
    Ok(query_filtered!(
        as ItemRow,
        &q.filter,
        r#"WITH matches AS MATERIALIZED (
             SELECT id, prominence, starts_on FROM events e
             WHERE status = 'published' AND starts_on BETWEEN $9 AND $10
               AND event_matches(e, $1, $2, $3, $4, $5, $6, $7, $8)
               AND ($12::timestamptz IS NULL OR (created_at < $12 AND NOT (id = ANY($13))))
           ), prominent AS (
             SELECT id FROM matches ORDER BY prominence DESC, starts_on LIMIT $11
           )
           SELECT e.id AS "id!", e.slug AS "slug!", e.starts_on AS "starts_on!",
                  e.precision AS "precision!", e.ends_on, e.covers_until AS "covers_until!",
                  e.title AS "title!", e.kind AS "kind!",
                  e.authority_names AS "authority_names!", e.target_names AS "target_names!",
                  e.prominence AS "prominence!", NULL::text AS step
           FROM prominent JOIN events e USING (id)"#,
        q.start,
        q.end,
        TOP_EVENTS,
        cut,
        saved_since,
    )
    .fetch_all(pool)
    .await?)
}

/// How many events of the record as it is now start inside a window the rollups count
/// ([`Rollup::for_query`]): its whole months and the days at its edges, of every event, of
/// the filter's kind or of its actor (each event once, whatever its lanes).
async fn rolled_up_starting_inside(pool: &Pool, q: &TimelineQuery) -> Result<i64, DbError> {
    let f = &q.filter;
    let (lanes, lane) = match (f.kind, f.actor.as_deref()) {
        (Some(kind), _) => ("kind", kind.as_str()),
        (None, Some(actor)) => ("actor", actor),
        (None, None) => ("none", ""),
    };
    // Days at the edges: [start, from) and [until, end] (a window inside one month is
    // all days: from == until, the first month after its start).
    let (from, until) = whole_months(q);
    Ok(sqlx::query_scalar!(
        r#"SELECT ((SELECT COALESCE(sum(n), 0) FROM event_month_counts
                    WHERE lanes = $1 AND lane = l.lane AND month >= $3 AND month < $4)
                 + (SELECT COALESCE(sum(n), 0) FROM event_day_counts
                    WHERE lanes = $1 AND lane = l.lane AND day >= $5 AND day < $3
                      AND day <= $6)
                 + (SELECT COALESCE(sum(n), 0) FROM event_day_counts
                    WHERE lanes = $1 AND lane = l.lane AND day >= $4 AND day <= $6)
                  )::bigint AS "n!"
           -- Actors are counted lower-cased, as the filter matches them.
           FROM (SELECT CASE WHEN $1 = 'actor' THEN lower($2) ELSE $2 END AS lane) l"#,
        lanes,
        lane,
        from,
        until,
        q.start,
        q.end,
    )
    .fetch_one(pool)
    .await?)
}

/// About how many events the window holds: those of the months it touches, of the
/// filter's kind when it has one (the events [`most_prominent_matches`] walks).
async fn window_events(pool: &Pool, q: &TimelineQuery) -> Result<i64, DbError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT COALESCE(sum(n), 0)::bigint AS "n!" FROM event_month_counts
           WHERE lanes = CASE WHEN $3::text IS NULL THEN 'none' ELSE 'kind' END
             AND lane = COALESCE($3, '') AND month BETWEEN $1 AND $2"#,
        month_of(q.start),
        month_of(q.end),
        q.filter.kind.map(|k| k.as_str()),
    )
    .fetch_one(pool)
    .await?)
}

/// The (at most 40) matches among the window's `tried` most prominent events (of the
/// filter's kind, when it has one: their own index), of those no more prominent than
/// `at_most`.
async fn most_prominent_matches(
    pool: &Pool,
    q: &TimelineQuery,
    cut: Option<DateTime<Utc>>,
    saved_since: &[i64],
    tried: i64,
    at_most: Option<i32>,
) -> Result<Vec<ItemRow>, DbError> {
    Ok(query_filtered!(
        as ItemRow,
        &q.filter,
        r#"SELECT e.id AS "id!", e.slug AS "slug!", e.starts_on AS "starts_on!",
                  e.precision AS "precision!", e.ends_on, e.covers_until AS "covers_until!",
                  e.title AS "title!", e.kind AS "kind!",
                  e.authority_names AS "authority_names!", e.target_names AS "target_names!",
                  e.prominence AS "prominence!", NULL::text AS step
           FROM (SELECT id, prominence, starts_on FROM events
                 WHERE status = 'published' AND starts_on BETWEEN $9 AND $10
                   AND ($12::timestamptz IS NULL OR (created_at < $12 AND NOT (id = ANY($13))))
                   AND ($15::integer IS NULL OR prominence <= $15)
                   AND ($2::text IS NULL OR kind = $2)
                 ORDER BY prominence DESC, starts_on LIMIT $14) tried
           JOIN events e USING (id)
           WHERE event_matches(e, $1, $2, $3, $4, $5, $6, $7, $8)
           -- In the tried events' own order, so the walk stops at the 40th match.
           ORDER BY tried.prominence DESC, tried.starts_on LIMIT $11"#,
        q.start,
        q.end,
        TOP_EVENTS,
        cut,
        saved_since,
        tried,
        at_most,
    )
    .fetch_all(pool)
    .await?)
}

async fn relations_among(
    pool: &Pool,
    items: &[TimelineItem],
) -> Result<Vec<RelationLink>, DbError> {
    let ids: Vec<i64> = items.iter().map(|i| i.id.0).collect();
    let rows = sqlx::query!(
        r#"SELECT from_event_id, to_event_id, kind FROM event_relations
           WHERE from_event_id = ANY($1) AND to_event_id = ANY($1)"#,
        &ids
    )
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(RelationLink {
                from: EventId(r.from_event_id),
                to: EventId(r.to_event_id),
                kind: stored::<RelationKind>(&r.kind)?,
            })
        })
        .collect()
}

/// Counts for the filter controls and the density strip: from the rollups when nothing is
/// filtered (the first view of `/`, whatever the record's size), else by scanning.
pub async fn facets(pool: &Pool, filter: &EventFilter) -> Result<Facets, DbError> {
    if filter.is_empty() {
        rolled_up_facets(pool).await
    } else {
        scanned_facets(pool, filter).await
    }
}

/// The unfiltered facets from `event_lane_totals` and `event_month_counts`, which the
/// database keeps exact on every write; the same counts, ties and limits as scanning.
pub async fn rolled_up_facets(pool: &Pool) -> Result<Facets, DbError> {
    let rows = sqlx::query!(
        r#"SELECT 'total' AS "facet!", '' AS "value!", NULL::date AS month,
                  COALESCE(sum(n), 0)::bigint AS "n!"
             FROM event_lane_totals WHERE lanes = 'none' AND lane = ''
           UNION ALL
           SELECT 'kind', lane, NULL, n::bigint FROM event_lane_totals
             WHERE lanes = 'kind' AND lane <> '' AND n > 0
           UNION ALL
           (SELECT 'authority', lane, NULL, n::bigint FROM event_lane_totals
             WHERE lanes = 'authority' AND lane NOT IN ('', '(none)') AND n > 0
             ORDER BY n DESC, lane LIMIT $1)
           UNION ALL
           (SELECT 'target', lane, NULL, n::bigint FROM event_lane_totals
             WHERE lanes = 'target' AND lane NOT IN ('', '(none)') AND n > 0
             ORDER BY n DESC, lane LIMIT $1)
           UNION ALL
           SELECT 'month', '', month, n::bigint FROM event_month_counts
             WHERE lanes = 'none' AND lane = '' AND n > 0"#,
        FACET_VALUES,
    )
    .fetch_all(pool)
    .await?;
    collect_facets(rows.into_iter().map(|r| (r.facet, r.value, r.month, r.n)))
}

/// How many authorities and targets the facets offer.
const FACET_VALUES: i64 = 30;

/// The facets of a filter, counted over the events it selects.
pub async fn scanned_facets(pool: &Pool, filter: &EventFilter) -> Result<Facets, DbError> {
    // One pass over the events the filter's scope (text, actor, period) selects; each facet
    // then applies the remaining fields but its own, so a control shows what choosing
    // another value would give.
    let rows = query_filtered!(
        filter,
        r#"WITH base AS (
             SELECT kind, authority_names, target_names, starts_on,
                    event_matches(e, NULL, $2, NULL, $4, $5, NULL, NULL, NULL) AS chosen,
                    event_matches(e, NULL, NULL, NULL, $4, $5, NULL, NULL, NULL) AS any_kind,
                    event_matches(e, NULL, $2, NULL, NULL, $5, NULL, NULL, NULL) AS any_authority,
                    event_matches(e, NULL, $2, NULL, $4, NULL, NULL, NULL, NULL) AS any_target
             FROM events e
             WHERE status = 'published' AND event_matches(e, $1, NULL, $3, NULL, NULL, $6, $7, $8)
           )
           SELECT 'total' AS "facet!", '' AS "value!", NULL::date AS month, count(*) AS "n!"
             FROM base WHERE chosen
           UNION ALL
           SELECT 'kind', kind, NULL, count(*) FROM base WHERE any_kind GROUP BY kind
           UNION ALL
           (SELECT 'authority', a, NULL, count(*) FROM base, unnest(authority_names) a
             WHERE any_authority GROUP BY a ORDER BY count(*) DESC, a LIMIT $9)
           UNION ALL
           (SELECT 'target', t, NULL, count(*) FROM base, unnest(target_names) t
             WHERE any_target GROUP BY t ORDER BY count(*) DESC, t LIMIT $9)
           UNION ALL
           SELECT 'month', '', date_trunc('month', starts_on::timestamp)::date, count(*)
             FROM base WHERE chosen GROUP BY 3"#,
        FACET_VALUES,
    )
    .fetch_all(pool)
    .await?;
    collect_facets(rows.into_iter().map(|r| (r.facet, r.value, r.month, r.n)))
}

/// Facets from rows of (facet, value, month, count), in the controls' order.
fn collect_facets(
    rows: impl Iterator<Item = (String, String, Option<NaiveDate>, i64)>,
) -> Result<Facets, DbError> {
    let mut facets = Facets::default();
    for (facet, value, month, n) in rows {
        match facet.as_str() {
            "total" => facets.total = n,
            "kind" => facets.kinds.push((stored(&value)?, n)),
            "authority" => facets.authorities.push((value, n)),
            "target" => facets.targets.push((value, n)),
            _ => {
                if let Some(m) = month {
                    facets.density.push((m, n));
                }
            }
        }
    }
    facets
        .kinds
        .sort_by_key(|(k, _)| EventKind::ALL.iter().position(|x| x == k));
    facets
        .authorities
        .sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    facets
        .targets
        .sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    facets.density.sort();
    Ok(facets)
}

/// First and last start date of the events the filter selects (a year around today when
/// there are none): the frame of "the whole record".
pub async fn extent(pool: &Pool, filter: &EventFilter) -> Result<(NaiveDate, NaiveDate), DbError> {
    let row = query_filtered!(
        filter,
        r#"SELECT min(starts_on) AS first, max(starts_on) AS last FROM events e
           WHERE status = 'published' AND event_matches(e, $1, $2, $3, $4, $5, $6, $7, $8)"#,
    )
    .fetch_one(pool)
    .await?;
    let today = chrono::Utc::now().date_naive();
    Ok(match (row.first, row.last) {
        (Some(a), Some(b)) => (a, b),
        _ => (today - chrono::Duration::days(365), today),
    })
}
