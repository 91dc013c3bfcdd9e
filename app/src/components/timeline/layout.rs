//! Where everything on the timeline goes, as pure functions of the data and the zoom: the
//! lanes, rows, clusters, buckets, relation links and axis ticks. Positions are percents
//! of the *frame* (the window the data was fetched for); panning and zooming only move and
//! stretch the frame, so nothing here reruns while the analyst drags.

use crate::domain::lifecycle::LifecycleStep;
use crate::domain::timeline::{
    day_number, from_day_number, BucketUnit, Lanes, PeriodCount, TimelineItem, TimelineWindow,
    MAX_LANES, NO_ACTOR, OTHER_LANE,
};
use crate::domain::{DatePrecision, EventId, EventKind, FuzzyDate};
use chrono::{Datelike, NaiveDate};
use std::collections::{HashMap, HashSet};

/// A span of days: `[start, end)` in day numbers (days since 1970-01-01).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Span {
    pub start: f64,
    pub end: f64,
}

impl Span {
    pub fn of_dates(start: NaiveDate, end: NaiveDate) -> Span {
        Span {
            start: day_number(start) as f64,
            end: day_number(end) as f64 + 1.0,
        }
    }

    pub fn len(&self) -> f64 {
        self.end - self.start
    }

    /// Percent position of a day number within this span.
    pub fn pct(&self, day: f64) -> f64 {
        (day - self.start) / self.len() * 100.0
    }

    pub fn first_day(&self) -> NaiveDate {
        from_day_number(self.start.floor() as i64)
    }

    /// The last day (inclusive) this span shows.
    pub fn last_day(&self) -> NaiveDate {
        from_day_number((self.end.ceil() as i64 - 1).max(self.start.floor() as i64))
    }
}

pub const LANE_GAP: f64 = 6.0;
/// Rows, stacks and marks are at least 24 px apart: WCAG 2.5.8's minimum target, for a
/// finger on a phone as much as for the audit.
pub const BAR_ROW: f64 = 24.0;
const MAX_BAR_ROWS: usize = 3;
const POINT_ROW: f64 = 30.0;
const BUCKET_ROW: f64 = 44.0;
/// Up to this many points that crowd one spot are stacked; more become a cluster.
pub const MAX_STACK: usize = 3;
pub const STACK_STEP: f64 = 24.0;

#[derive(Debug, Clone, PartialEq)]
pub enum Mark {
    Point {
        id: EventId,
        left: f64,
        /// Stacked points (too close to tell apart, too few to cluster) get a row each.
        row: usize,
        kind: EventKind,
        label: String,
    },
    Bar {
        id: EventId,
        left: f64,
        width: f64,
        row: usize,
        kind: EventKind,
        label: String,
        /// A point in time known only to its month or year, drawn faintly over the whole
        /// period rather than on its first day.
        imprecise: bool,
    },
    Cluster {
        left: f64,
        count: usize,
        from: NaiveDate,
        to: NaiveDate,
        label: String,
    },
}

/// One bucket of a busy lane's histogram.
#[derive(Debug, Clone, PartialEq)]
pub struct BucketMark {
    pub left: f64,
    pub width: f64,
    /// Share of the lane's height, 0–1.
    pub height: f64,
    pub count: i64,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// For a band of events known only to a month or year: that period.
    pub period: Option<FuzzyDate>,
}

impl BucketMark {
    /// What it counts, in words. Only the busiest bucket's is shown (the drawing's
    /// description), so it is written when asked for, not for each of a window's
    /// buckets (up to about 1,500) on every zoom step.
    pub fn label(&self) -> String {
        let events = if self.count == 1 { "event" } else { "events" };
        match self.period {
            Some(period) => format!("Sometime in {period}: {} {events}", self.count),
            None => format!(
                "{}: {} {events}",
                date_range_label(self.from, self.to),
                self.count
            ),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct LaneLayout {
    pub key: String,
    pub label: String,
    pub top: f64,
    pub height: f64,
    pub bar_rows: usize,
    pub marks: Vec<Mark>,
    /// The histogram of a window answered in buckets; empty otherwise.
    pub buckets: Vec<BucketMark>,
    /// Beside the histogram, events known only to a period longer than its buckets, each
    /// period's as one faint band over it.
    pub periods: Vec<BucketMark>,
}

impl LaneLayout {
    /// Vertical centre of the point row, in px from the top of the lanes.
    pub fn point_y(&self) -> f64 {
        self.top + self.bar_rows as f64 * BAR_ROW + POINT_ROW / 2.0 + 2.0
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    pub from: EventId,
    pub to: EventId,
    pub x1: f64,
    pub y1: f64,
    pub x2: f64,
    pub y2: f64,
}

/// A measure's dated steps drawn through its marker: a thin line from its first step (or
/// the marker) to its last, and a tick at each step, as wide as the month or year a step
/// is known only to.
#[derive(Debug, Clone, PartialEq)]
pub struct LifecycleMark {
    pub id: EventId,
    pub y: f64,
    pub from: f64,
    pub to: f64,
    pub steps: Vec<StepMark>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StepMark {
    pub step: LifecycleStep,
    pub left: f64,
    pub width: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub frame: Span,
    /// The server's today, marked on the axis when it is in the frame.
    pub today: NaiveDate,
    pub lanes: Vec<LaneLayout>,
    pub links: Vec<Link>,
    pub lifecycles: Vec<LifecycleMark>,
    pub height: f64,
    pub bucketed: bool,
}

pub fn lane_label(lanes: Lanes, key: &str) -> String {
    match lanes {
        Lanes::None => "All events".to_owned(),
        Lanes::Kind => key
            .parse::<EventKind>()
            .map(|k| k.label().to_owned())
            .unwrap_or_else(|_| key.to_owned()),
        Lanes::Lifecycle => key
            .parse::<LifecycleStep>()
            .map(|s| s.label().to_owned())
            .unwrap_or_else(|_| key.to_owned()),
        _ => key.to_owned(),
    }
}

fn item_label(item: &TimelineItem) -> String {
    let date = FuzzyDate::new(item.start, item.precision);
    let when = match item.until {
        Some(u) => format!("{date} to {}", FuzzyDate::new(u, DatePrecision::Day)),
        None if is_imprecise(item) => format!("Sometime in {date}"),
        None => date.to_string(),
    };
    if let Some(step) = item.step {
        let when = if is_imprecise(item) {
            format!("sometime in {date}")
        } else {
            date.to_string()
        };
        return format!(
            "{} {when}, {}: {}",
            step.label(),
            item.kind.label(),
            item.title
        );
    }
    let steps = item
        .lifecycle
        .strip()
        .into_iter()
        .map(|s| format!("{} {}", s.step.label().to_lowercase(), s.date))
        .collect::<Vec<_>>();
    if steps.is_empty() {
        format!("{when}, {}: {}", item.kind.label(), item.title)
    } else {
        format!(
            "{when}, {}: {} ({})",
            item.kind.label(),
            item.title,
            steps.join(", ")
        )
    }
}

/// An event at a moment known only to its month or year (not a range).
fn is_imprecise(item: &TimelineItem) -> bool {
    item.until.is_none() && item.precision != DatePrecision::Day
}

/// How many buckets of this unit a period touches (a year: 12 months, 53 weeks or so).
fn buckets_in(unit: BucketUnit, period: FuzzyDate) -> usize {
    let last = period.last_day();
    std::iter::successors(Some(unit.bucket_of(period.date)), |b| Some(unit.next(*b)))
        .take_while(|b| *b <= last)
        .take(400)
        .count()
        .max(1)
}

fn date_range_label(from: NaiveDate, to: NaiveDate) -> String {
    let f = FuzzyDate::day(from);
    if from == to {
        f.to_string()
    } else {
        format!("{f} – {}", FuzzyDate::day(to))
    }
}

/// Lays out a window's data for a zoom at which marks closer than `cluster_days` days
/// would crowd one another (their 24 px targets would touch): such points are stacked
/// or clustered, and such bars go to another row.
pub fn layout(window: &TimelineWindow, cluster_days: f64) -> Layout {
    let frame = Span::of_dates(window.start, window.end);
    let lanes = window.lanes;

    // Lane order: busiest first; beyond MAX_LANES, the rest share one lane.
    let mut weight: HashMap<String, i64> = HashMap::new();
    match &window.buckets {
        Some(b) => {
            for bucket in &b.buckets {
                *weight.entry(bucket.lane.clone()).or_default() += bucket.count;
            }
            for period in &b.periods {
                *weight.entry(period.lane.clone()).or_default() += period.count;
            }
        }
        None => {
            for item in &window.items {
                for lane in item.lanes(lanes) {
                    *weight.entry(lane).or_default() += 1;
                }
            }
        }
    }
    let mut order: Vec<(String, i64)> = weight.into_iter().collect();
    // Steps keep the order a measure goes through them.
    let step_rank = |k: &str| {
        (lanes == Lanes::Lifecycle)
            .then(|| k.parse::<LifecycleStep>().ok().map(LifecycleStep::rank))
            .flatten()
    };
    order.sort_by(|a, b| {
        let special = |k: &str| k == OTHER_LANE || k == NO_ACTOR;
        special(&a.0)
            .cmp(&special(&b.0))
            .then(step_rank(&a.0).cmp(&step_rank(&b.0)))
            .then(b.1.cmp(&a.1))
            .then(a.0.cmp(&b.0))
    });
    let kept: Vec<String> = order
        .iter()
        .take(MAX_LANES)
        .map(|(k, _)| k.clone())
        .collect();
    let lane_of = |key: &str| -> String {
        if kept.iter().any(|k| k == key) {
            key.to_owned()
        } else {
            OTHER_LANE.to_owned()
        }
    };
    let mut keys = kept.clone();
    if order.len() > MAX_LANES && !keys.iter().any(|k| k == OTHER_LANE) {
        keys.push(OTHER_LANE.to_owned());
    }
    if keys.is_empty() {
        keys.push(String::new());
    }

    let mut per_lane: HashMap<String, Vec<&TimelineItem>> = HashMap::new();
    for item in &window.items {
        let mut seen = Vec::new();
        for lane in item.lanes(lanes) {
            let lane = lane_of(&lane);
            if !seen.contains(&lane) {
                per_lane.entry(lane.clone()).or_default().push(item);
                seen.push(lane);
            }
        }
    }

    let mut out = Vec::new();
    let mut top = 0.0;
    let mut point_at: HashMap<EventId, (f64, f64)> = HashMap::new();
    // A period's events are drawn at their rate per bucket, as if spread evenly over it.
    let per_bucket = |unit: BucketUnit, period: &PeriodCount| {
        period.count as f64 / buckets_in(unit, period.period()) as f64
    };
    let max_bucket = window
        .buckets
        .as_ref()
        .map(|b| {
            let buckets = b.buckets.iter().map(|b| b.count as f64);
            let periods = b.periods.iter().map(|p| per_bucket(b.unit, p));
            buckets.chain(periods).fold(1.0, f64::max)
        })
        .unwrap_or(1.0);
    for key in keys {
        let items = per_lane.remove(&key).unwrap_or_default();
        let mut marks = Vec::new();

        // Ranges, and moments known only to their month or year, as bars stacked into
        // rows.
        let mut row_ends: Vec<f64> = Vec::new();
        let mut unrowed: HashSet<EventId> = HashSet::new();
        for item in items
            .iter()
            .filter(|i| i.until.is_some() || is_imprecise(i))
        {
            let start = day_number(item.start) as f64;
            let last = item
                .until
                .unwrap_or_else(|| FuzzyDate::new(item.start, item.precision).last_day());
            let end = day_number(last) as f64 + 1.0;
            // A short bar's target is wider than the bar: rows keep targets apart.
            let mid = (start + end) / 2.0;
            let (hit_start, hit_end) = (
                start.min(mid - cluster_days / 2.0),
                end.max(mid + cluster_days / 2.0),
            );
            let row = match row_ends.iter().position(|&e| e <= hit_start) {
                Some(r) => r,
                None if row_ends.len() < MAX_BAR_ROWS => {
                    row_ends.push(f64::MIN);
                    row_ends.len() - 1
                }
                // No free row: drawn as a point at its start (stacked or clustered like
                // any point) rather than over another bar, where neither could be hit.
                None => {
                    unrowed.insert(item.id);
                    continue;
                }
            };
            row_ends[row] = hit_end;
            marks.push(Mark::Bar {
                id: item.id,
                left: frame.pct(start),
                width: (frame.pct(end) - frame.pct(start)).max(0.05),
                row,
                kind: item.kind,
                label: item_label(item),
                imprecise: is_imprecise(item),
            });
        }
        let bar_rows = row_ends.len();
        let lane_top = top;

        let mut buckets = Vec::new();
        if let Some(b) = &window.buckets {
            for bucket in b.buckets.iter().filter(|b| b.lane == key) {
                let next = b.unit.next(bucket.start);
                let (from, to) = (bucket.start, next.pred_opt().unwrap_or(next));
                let s = day_number(from) as f64;
                let e = day_number(next) as f64;
                buckets.push(BucketMark {
                    left: frame.pct(s),
                    width: frame.pct(e) - frame.pct(s),
                    height: bucket.count as f64 / max_bucket,
                    count: bucket.count,
                    from,
                    to,
                    period: None,
                });
            }
        }

        let mut periods = Vec::new();
        if let Some(b) = &window.buckets {
            for p in b.periods.iter().filter(|p| p.lane == key) {
                let period = p.period();
                let (from, to) = (period.date, period.last_day());
                let s = day_number(from) as f64;
                let e = day_number(to) as f64 + 1.0;
                periods.push(BucketMark {
                    left: frame.pct(s),
                    width: frame.pct(e) - frame.pct(s),
                    height: per_bucket(b.unit, p) / max_bucket,
                    count: p.count,
                    from,
                    to,
                    period: Some(period),
                });
            }
        }

        // Points, merged into clusters where they would overlap.
        let lane_probe = LaneLayout {
            key: String::new(),
            label: String::new(),
            top: lane_top,
            height: 0.0,
            bar_rows,
            marks: Vec::new(),
            buckets: Vec::new(),
            periods: Vec::new(),
        };
        let y = lane_probe.point_y()
            + if window.buckets.is_some() {
                BUCKET_ROW - POINT_ROW
            } else {
                0.0
            };
        let mut points: Vec<&TimelineItem> = items
            .iter()
            .copied()
            .filter(|i| (i.until.is_none() && !is_imprecise(i)) || unrowed.contains(&i.id))
            .collect();
        points.sort_by_key(|i| (i.start, i.id));
        let mut group: Vec<&TimelineItem> = Vec::new();
        let mut stacked = 1;
        let mut flush = |group: &mut Vec<&TimelineItem>, marks: &mut Vec<Mark>| {
            match group.as_slice() {
                [] => {}
                few if few.len() <= MAX_STACK => {
                    stacked = stacked.max(few.len());
                    for (row, one) in few.iter().enumerate() {
                        let x = frame.pct(day_number(one.start) as f64 + 0.5);
                        point_at.insert(one.id, (x, y + row as f64 * STACK_STEP));
                        marks.push(Mark::Point {
                            id: one.id,
                            left: x,
                            row,
                            kind: one.kind,
                            label: item_label(one),
                        });
                    }
                }
                many => {
                    let from = many[0].start;
                    let to = many[many.len() - 1].start;
                    let mid = (day_number(from) + day_number(to)) as f64 / 2.0 + 0.5;
                    marks.push(Mark::Cluster {
                        left: frame.pct(mid),
                        count: many.len(),
                        from,
                        to,
                        label: format!(
                            "{} events, {}: zoom in",
                            many.len(),
                            date_range_label(from, to)
                        ),
                    });
                }
            }
            group.clear();
        };
        for item in points {
            let day = day_number(item.start) as f64;
            if let Some(last) = group.last() {
                if day - day_number(last.start) as f64 >= cluster_days {
                    flush(&mut group, &mut marks);
                }
            }
            group.push(item);
        }
        flush(&mut group, &mut marks);

        let height = bar_rows as f64 * BAR_ROW
            + if window.buckets.is_some() {
                BUCKET_ROW
            } else {
                POINT_ROW
            }
            + (stacked - 1) as f64 * STACK_STEP
            + 4.0;
        out.push(LaneLayout {
            label: lane_label(lanes, &key),
            key,
            top: lane_top,
            height,
            bar_rows,
            marks,
            buckets,
            periods,
        });
        top += height + LANE_GAP;
    }

    let links = window
        .relations
        .iter()
        .filter_map(|r| {
            let (x1, y1) = *point_at.get(&r.from)?;
            let (x2, y2) = *point_at.get(&r.to)?;
            Some(Link {
                from: r.from,
                to: r.to,
                x1,
                y1,
                x2,
                y2,
            })
        })
        .collect();

    let lifecycles = window
        .items
        .iter()
        .filter(|i| !i.lifecycle.is_empty())
        .filter_map(|item| {
            let (x, y) = *point_at.get(&item.id)?;
            let steps: Vec<StepMark> = item
                .lifecycle
                .iter()
                .map(|m| {
                    let span = Span::of_dates(m.date.date, m.date.last_day());
                    let left = frame.pct(span.start);
                    StepMark {
                        step: m.step,
                        left,
                        width: frame.pct(span.end) - left,
                    }
                })
                .collect();
            let from = steps.iter().map(|s| s.left).fold(x, f64::min);
            let to = steps.iter().map(|s| s.left + s.width).fold(x, f64::max);
            Some(LifecycleMark {
                id: item.id,
                y,
                from,
                to,
                steps,
            })
        })
        .collect();

    Layout {
        frame,
        today: window.today,
        lanes: out,
        links,
        lifecycles,
        height: (top - LANE_GAP).max(POINT_ROW),
        bucketed: window.buckets.is_some(),
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Tick {
    pub left: f64,
    pub label: String,
    pub major: bool,
}

const MONTHS_SHORT: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Axis ticks over the frame for a view `view_days` long: decades or years when zoomed
/// out, then months, then days.
pub fn ticks(frame: Span, view_days: f64) -> Vec<Tick> {
    let first = frame.first_day();
    let last = frame.last_day();
    let mut out = Vec::new();
    let push = |out: &mut Vec<Tick>, d: NaiveDate, label: String, major: bool| {
        out.push(Tick {
            left: frame.pct(day_number(d) as f64),
            label,
            major,
        });
    };
    if view_days > 365.0 * 3.0 {
        let step = if view_days > 365.0 * 60.0 {
            10
        } else if view_days > 365.0 * 25.0 {
            5
        } else if view_days > 365.0 * 12.0 {
            2
        } else {
            1
        };
        let mut y = first.year() - first.year().rem_euclid(step);
        while y <= last.year() {
            if let Some(d) = NaiveDate::from_ymd_opt(y, 1, 1) {
                push(&mut out, d, y.to_string(), true);
            }
            y += step;
        }
    } else if view_days > 45.0 {
        let step = if view_days > 365.0 * 1.5 {
            3
        } else if view_days > 240.0 {
            2
        } else {
            1
        };
        let mut d = NaiveDate::from_ymd_opt(first.year(), first.month(), 1).unwrap_or(first);
        while d <= last {
            if d.month0().is_multiple_of(step) {
                let major = d.month() == 1;
                let label = if major {
                    d.year().to_string()
                } else {
                    MONTHS_SHORT[d.month0() as usize].to_owned()
                };
                push(&mut out, d, label, major);
            }
            match d.checked_add_months(chrono::Months::new(1)) {
                Some(next) => d = next,
                None => break,
            }
        }
    } else {
        let step = if view_days > 20.0 {
            7
        } else if view_days > 8.0 {
            2
        } else {
            1
        };
        let mut d = first;
        while d <= last {
            let major = d.day() == 1;
            if major || (d.day() - 1).is_multiple_of(step) {
                let label = if major {
                    format!("{} {}", MONTHS_SHORT[d.month0() as usize], d.year())
                } else {
                    d.day().to_string()
                };
                push(&mut out, d, label, major);
            }
            match d.succ_opt() {
                Some(next) => d = next,
                None => break,
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::timeline::{Bucket, BucketCounts, RelationLink};
    use crate::domain::RelationKind;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn item(id: i64, start: &str, until: Option<&str>, target: &str) -> TimelineItem {
        TimelineItem {
            id: EventId(id),
            slug: "e".parse().unwrap(),
            start: d(start),
            precision: DatePrecision::Day,
            until: until.map(d),
            title: format!("Event {id}"),
            kind: EventKind::Imposed,
            authorities: vec!["US".into()],
            targets: vec![target.into()],
            prominence: 0,
            lifecycle: Default::default(),
            step: None,
        }
    }

    fn window(items: Vec<TimelineItem>, lanes: Lanes) -> TimelineWindow {
        TimelineWindow {
            start: d("2019-01-01"),
            end: d("2019-12-31"),
            today: d("2026-11-25"),
            lanes,
            items,
            buckets: None,
            relations: vec![],
        }
    }

    #[test]
    fn a_measures_steps_are_drawn_through_its_marker_from_first_to_last() {
        use crate::domain::lifecycle::{Lifecycle, Milestone};
        let step = |step, date: &str| Milestone {
            step,
            date: date.parse().unwrap(),
        };
        let licence = TimelineItem {
            lifecycle: Lifecycle::from(vec![
                step(LifecycleStep::Effective, "2019-05-20"),
                step(LifecycleStep::Expires, "2019-08-19"),
                step(LifecycleStep::Announced, "2019-05"),
            ]),
            ..item(1, "2019-05-20", None, "Huawei")
        };
        let l = layout(
            &window(
                vec![licence, item(2, "2019-06-01", None, "Huawei")],
                Lanes::None,
            ),
            5.0,
        );
        assert_eq!(l.lifecycles.len(), 1, "only the event that records steps");
        let c = &l.lifecycles[0];
        let pct = |s: &str| l.frame.pct(day_number(d(s)) as f64);
        let close = |a: f64, b: f64| (a - b).abs() < 1e-9;
        // From the announcement's month to the day of expiry, through the marker.
        assert!(close(c.from, pct("2019-05-01")), "{c:?}");
        assert!(close(c.to, pct("2019-08-20")), "{c:?}");
        let announced = &c.steps[0];
        assert_eq!(announced.step, LifecycleStep::Announced);
        assert!(close(
            announced.width,
            pct("2019-06-01") - pct("2019-05-01")
        ));
        let marker = l.lanes[0]
            .marks
            .iter()
            .find_map(|m| match m {
                Mark::Point {
                    id: EventId(1),
                    label,
                    ..
                } => Some(label.clone()),
                _ => None,
            })
            .expect("the licence's marker");
        assert!(
            marker.ends_with("(announced May 2019, in force 20 May 2019, expires 19 August 2019)"),
            "{marker}"
        );
    }

    #[test]
    fn a_moment_known_only_to_its_month_is_a_faint_band_over_the_month() {
        let may = TimelineItem {
            start: d("2019-05-01"),
            precision: DatePrecision::Month,
            ..item(1, "2019-05-01", None, "Huawei")
        };
        let l = layout(
            &window(
                vec![may, item(2, "2019-05-01", None, "Huawei")],
                Lanes::None,
            ),
            5.0,
        );
        let frame = l.frame;
        let (may_start, june) = (
            day_number(d("2019-05-01")) as f64,
            day_number(d("2019-06-01")) as f64,
        );
        let bar = l.lanes[0].marks.iter().find_map(|m| match m {
            Mark::Bar {
                id: EventId(1),
                left,
                width,
                imprecise,
                label,
                ..
            } => Some((*left, *width, *imprecise, label.clone())),
            _ => None,
        });
        let (left, width, imprecise, label) = bar.expect("drawn as a band, not a point");
        assert!(imprecise);
        assert!((left - frame.pct(may_start)).abs() < 1e-9);
        assert!((left + width - frame.pct(june)).abs() < 1e-9);
        assert!(label.starts_with("Sometime in May 2019, "), "{label}");
        // The day-precise event on 1 May stays a point, alone.
        assert!(matches!(
            l.lanes[0].marks[..],
            [Mark::Bar { .. }, Mark::Point { id: EventId(2), .. }]
        ));
    }

    #[test]
    fn many_points_in_one_spot_cluster() {
        let items = (1..=5)
            .map(|i| item(i, "2019-05-16", None, "Huawei"))
            .collect();
        let l = layout(&window(items, Lanes::None), 5.0);
        assert!(matches!(
            l.lanes[0].marks[..],
            [Mark::Cluster { count: 5, .. }]
        ));
    }

    #[test]
    fn points_close_together_stack_and_separate_when_zoomed_in() {
        let w = window(
            vec![
                item(1, "2019-05-16", None, "Huawei"),
                item(2, "2019-05-17", None, "Huawei"),
                item(3, "2019-09-01", None, "Huawei"),
            ],
            Lanes::None,
        );
        let zoomed_out = layout(&w, 5.0);
        let marks = &zoomed_out.lanes[0].marks;
        assert!(matches!(
            marks[0],
            Mark::Point {
                id: EventId(1),
                row: 0,
                ..
            }
        ));
        assert!(matches!(
            marks[1],
            Mark::Point {
                id: EventId(2),
                row: 1,
                ..
            }
        ));
        assert!(matches!(
            marks[2],
            Mark::Point {
                id: EventId(3),
                row: 0,
                ..
            }
        ));
        let zoomed_in = layout(&w, 0.5);
        assert_eq!(
            zoomed_in.lanes[0]
                .marks
                .iter()
                .filter(|m| matches!(m, Mark::Point { .. }))
                .count(),
            3
        );
    }

    #[test]
    fn lanes_by_lifecycle_step_keep_a_measures_order_and_place_each_step_at_its_date() {
        use crate::domain::lifecycle::LifecycleStep::*;
        let step = |id, step, start: &str| TimelineItem {
            step: Some(step),
            ..item(id, start, None, "Huawei")
        };
        // Expiries are the busiest lane here, yet they come after the announcements.
        let items = vec![
            step(1, Announced, "2019-05-15"),
            step(1, Effective, "2019-05-16"),
            step(2, Expires, "2019-08-19"),
            step(3, Expires, "2019-11-18"),
        ];
        let l = layout(&window(items, Lanes::Lifecycle), 1.0);
        let lanes: Vec<&str> = l.lanes.iter().map(|l| l.label.as_str()).collect();
        assert_eq!(lanes, ["Announced", "In force", "Expires"]);
        let marked = |lane: usize| -> Vec<(EventId, String)> {
            l.lanes[lane]
                .marks
                .iter()
                .filter_map(|m| match m {
                    Mark::Point { id, label, .. } => Some((*id, label.clone())),
                    _ => None,
                })
                .collect()
        };
        assert_eq!(
            marked(1),
            [(EventId(1), "In force 16 May 2019, Imposed: Event 1".into())]
        );
        assert_eq!(marked(2).len(), 2);
        let left = |lane: usize| match l.lanes[lane].marks[0] {
            Mark::Point { left, .. } => left,
            _ => f64::NAN,
        };
        assert!(left(0) < left(1), "announced the day before it took effect");
    }

    #[test]
    fn ranges_stack_into_rows_and_lanes_follow_the_grouping() {
        let mut w = window(
            vec![
                item(1, "2019-01-10", Some("2019-06-01"), "Huawei"),
                item(2, "2019-02-10", Some("2019-03-01"), "Huawei"),
                item(3, "2019-07-01", None, "ZTE"),
            ],
            Lanes::Target,
        );
        w.relations = vec![RelationLink {
            from: EventId(3),
            to: EventId(1),
            kind: RelationKind::Modifies,
        }];
        let l = layout(&w, 1.0);
        assert_eq!(l.lanes.len(), 2);
        assert_eq!(l.lanes[0].key, "Huawei");
        assert_eq!(l.lanes[0].bar_rows, 2);
        assert!(l.lanes[1].top > l.lanes[0].top);
        // Links join only events drawn as points.
        assert!(l.links.is_empty());
        let first = match &l.lanes[0].marks[0] {
            Mark::Bar { left, width, .. } => (*left, *width),
            m => panic!("{m:?}"),
        };
        assert!((first.0 - 9.0 / 365.0 * 100.0).abs() < 0.01);
        assert!(first.1 > 30.0);
    }

    /// The rows of the first lane's bars, in order.
    fn bar_rows_of(l: &Layout) -> Vec<usize> {
        l.lanes[0]
            .marks
            .iter()
            .filter_map(|m| match m {
                Mark::Bar { row, .. } => Some(*row),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn ranges_beyond_the_last_row_become_points_not_bars_over_bars() {
        let w = window(
            (1..=5)
                .map(|i| item(i, &format!("2019-0{i}-01"), Some("2019-11-30"), "Huawei"))
                .collect(),
            Lanes::None,
        );
        let l = layout(&w, 2.0);
        assert_eq!(bar_rows_of(&l), vec![0, 1, 2]);
        let points: Vec<EventId> = l.lanes[0]
            .marks
            .iter()
            .filter_map(|m| match m {
                Mark::Point { id, .. } => Some(*id),
                _ => None,
            })
            .collect();
        assert_eq!(points, vec![EventId(4), EventId(5)]);
    }

    #[test]
    fn short_ranges_whose_targets_would_touch_take_separate_rows() {
        // Two one-day ranges three days apart: apart at a zoom where marks need two
        // days, on top of each other's targets where they need ten.
        let w = window(
            vec![
                item(1, "2019-03-01", Some("2019-03-01"), "Huawei"),
                item(2, "2019-03-04", Some("2019-03-04"), "Huawei"),
            ],
            Lanes::None,
        );
        assert_eq!(bar_rows_of(&layout(&w, 2.0)), vec![0, 0]);
        assert_eq!(bar_rows_of(&layout(&w, 10.0)), vec![0, 1]);
    }

    #[test]
    fn buckets_scale_to_the_busiest_and_keep_their_dates() {
        let mut w = window(vec![], Lanes::None);
        w.buckets = Some(BucketCounts {
            unit: BucketUnit::Month,
            buckets: vec![
                Bucket {
                    start: d("2019-05-01"),
                    lane: String::new(),
                    count: 10,
                },
                Bucket {
                    start: d("2019-06-01"),
                    lane: String::new(),
                    count: 5,
                },
            ],
            periods: Vec::new(),
        });
        let l = layout(&w, 1.0);
        let bucket = &l.lanes[0].buckets[1];
        assert_eq!(bucket.height, 0.5);
        assert_eq!(bucket.to, d("2019-06-30"));
        assert_eq!(bucket.label(), "1 June 2019 – 30 June 2019: 5 events");
    }

    #[test]
    fn a_period_longer_than_a_bucket_is_a_band_at_its_rate_not_a_spike() {
        let mut w = window(vec![], Lanes::None);
        w.start = d("2019-01-01");
        w.end = d("2019-12-31");
        w.buckets = Some(BucketCounts {
            unit: BucketUnit::Week,
            buckets: vec![Bucket {
                start: d("2019-03-04"),
                lane: String::new(),
                count: 10,
            }],
            // 530 events dated "2019": about 10 a week over its 53 weeks.
            periods: vec![PeriodCount {
                start: d("2019-01-01"),
                precision: DatePrecision::Year,
                lane: String::new(),
                count: 530,
            }],
        });
        let l = layout(&w, 1.0);
        let band = &l.lanes[0].periods[0];
        assert_eq!((band.from, band.to), (d("2019-01-01"), d("2019-12-31")));
        assert!((band.left - 0.0).abs() < 1e-9 && (band.width - 100.0).abs() < 1e-6);
        assert_eq!(band.height, 1.0);
        assert_eq!(band.label(), "Sometime in 2019: 530 events");
        // The week's own bucket keeps its height against the band's rate.
        assert_eq!(l.lanes[0].buckets[0].height, 1.0);
    }

    #[test]
    fn tick_labels_adapt_to_the_zoom() {
        let frame = Span::of_dates(d("2010-01-01"), d("2029-12-31"));
        let years = ticks(frame, 365.0 * 15.0);
        assert!(years.iter().all(|t| t.label.len() == 4));
        let frame = Span::of_dates(d("2019-01-01"), d("2019-12-31"));
        let months = ticks(frame, 200.0);
        assert_eq!(months[0].label, "2019");
        assert_eq!(months[1].label, "Feb");
        let frame = Span::of_dates(d("2019-06-01"), d("2019-06-30"));
        let days = ticks(frame, 7.0);
        assert_eq!(days[0].label, "Jun 2019");
        assert_eq!(days[1].label, "2");
        assert_eq!(days.len(), 30);
    }
}
