//! The interactive timeline's view: a visible window of days, how events are grouped into
//! lanes, and what the server answers for a window: the events themselves when they are
//! few enough to draw, per-bucket counts (and the most prominent events) when not.

use super::as_recorded::RecordedDay;
use super::dates::{parse_iso_day, DatePrecision, FuzzyDate};
use super::event::{EventId, EventKind, RelationKind, Slug};
use super::filter::{EventFilter, FilterError, RawEventFilter};
use super::lifecycle::{Lifecycle, LifecycleStep};
use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// At most this many events are drawn one by one; a busier window is answered in buckets.
pub const MAX_WINDOW_EVENTS: usize = 300;
/// How many prominent events accompany the buckets of a busy window.
pub const TOP_EVENTS: i64 = 40;
/// A window may not be longer than this (in days): two centuries.
pub const MAX_WINDOW_DAYS: i64 = 366 * 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum Lanes {
    #[default]
    None,
    Authority,
    Target,
    Kind,
    /// One lane per step of a measure's life (announced … lifted): each event is drawn in
    /// the lane of every step it records, at that step's date.
    Lifecycle,
}

impl Lanes {
    pub const ALL: [Lanes; 5] = [
        Lanes::None,
        Lanes::Authority,
        Lanes::Target,
        Lanes::Kind,
        Lanes::Lifecycle,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Lanes::None => "none",
            Lanes::Authority => "authority",
            Lanes::Target => "target",
            Lanes::Kind => "kind",
            Lanes::Lifecycle => "lifecycle",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Lanes::None => "No lanes",
            Lanes::Authority => "By authority",
            Lanes::Target => "By target",
            Lanes::Kind => "By kind",
            Lanes::Lifecycle => "By lifecycle step",
        }
    }
}

impl FromStr for Lanes {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Lanes::ALL
            .into_iter()
            .find(|l| l.as_str() == s)
            .ok_or_else(|| {
                format!(
                    "“{s}” is not a lane grouping; use none, authority, target, kind or lifecycle"
                )
            })
    }
}

/// The calendar unit of a bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum BucketUnit {
    Day,
    Week,
    Month,
    Quarter,
    Year,
}

impl BucketUnit {
    /// The Postgres `date_trunc` field.
    pub fn as_str(self) -> &'static str {
        match self {
            BucketUnit::Day => "day",
            BucketUnit::Week => "week",
            BucketUnit::Month => "month",
            BucketUnit::Quarter => "quarter",
            BucketUnit::Year => "year",
        }
    }

    fn approx_days(self) -> i64 {
        match self {
            BucketUnit::Day => 1,
            BucketUnit::Week => 7,
            BucketUnit::Month => 30,
            BucketUnit::Quarter => 91,
            BucketUnit::Year => 365,
        }
    }

    /// The finest unit that cuts `days` into no more than about 130 buckets (a decade is
    /// 120 months).
    pub fn for_span(days: i64) -> BucketUnit {
        [
            BucketUnit::Day,
            BucketUnit::Week,
            BucketUnit::Month,
            BucketUnit::Quarter,
        ]
        .into_iter()
        .find(|u| days / u.approx_days() <= 130)
        .unwrap_or(BucketUnit::Year)
    }

    /// The day after the bucket that starts on `start`.
    pub fn next(self, start: NaiveDate) -> NaiveDate {
        let months = |n: u32| {
            start
                .checked_add_months(chrono::Months::new(n))
                .unwrap_or(start)
        };
        match self {
            BucketUnit::Day => start + Duration::days(1),
            BucketUnit::Week => start + Duration::days(7),
            BucketUnit::Month => months(1),
            BucketUnit::Quarter => months(3),
            BucketUnit::Year => months(12),
        }
    }
}

impl BucketUnit {
    /// The start of the bucket holding `day`.
    pub fn bucket_of(self, day: NaiveDate) -> NaiveDate {
        let ymd = |y, m| NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(day);
        match self {
            BucketUnit::Day => day,
            BucketUnit::Week => day - Duration::days(day.weekday().num_days_from_monday() as i64),
            BucketUnit::Month => ymd(day.year(), day.month()),
            BucketUnit::Quarter => ymd(day.year(), (day.month0() / 3) * 3 + 1),
            BucketUnit::Year => ymd(day.year(), 1),
        }
    }

    /// Whether one bucket of this unit holds any whole period of this precision: a date
    /// known to its month fits a month's (or quarter's, or year's) bucket, but drawn in
    /// days or weeks it would pile up on the month's first day.
    pub fn holds(self, precision: DatePrecision) -> bool {
        match precision {
            DatePrecision::Day => true,
            DatePrecision::Month => self.from_months(),
            DatePrecision::Year => self == BucketUnit::Year,
        }
    }

    /// The precisions whose periods are longer than a bucket of this unit: events known
    /// only to such a period are counted over it, apart from the buckets.
    pub fn longer_precisions(self) -> impl Iterator<Item = DatePrecision> {
        [DatePrecision::Month, DatePrecision::Year]
            .into_iter()
            .filter(move |p| !self.holds(*p))
    }

    /// Whether buckets of this unit can be folded from month counts.
    pub fn from_months(self) -> bool {
        matches!(
            self,
            BucketUnit::Month | BucketUnit::Quarter | BucketUnit::Year
        )
    }
}

/// At most this many lanes are drawn; the rest are counted together as "(other)".
pub const MAX_LANES: usize = 12;
pub const OTHER_LANE: &str = "(other)";

/// Ranges still running at a window's start: at most this many (the latest begun) are drawn.
pub const MAX_RUNNING_RANGES: i64 = 100;

/// The raw view state, as it travels in the page's query string and the API's.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawTimelineQuery {
    pub start: Option<String>,
    pub end: Option<String>,
    pub lanes: Option<String>,
    /// The record as published at the end of this day (`YYYY-MM-DD`), not as it is now.
    #[serde(default)]
    pub as_recorded: Option<String>,
    #[serde(flatten)]
    pub filter: RawEventFilter,
}

/// A checked window request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineQuery {
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub lanes: Lanes,
    pub filter: EventFilter,
    /// Drawn as the record stood at the end of this day (see `db::as_recorded`).
    #[serde(default)]
    pub as_recorded: Option<RecordedDay>,
}

impl TryFrom<RawTimelineQuery> for TimelineQuery {
    type Error = FilterError;
    fn try_from(raw: RawTimelineQuery) -> Result<Self, Self::Error> {
        let day = |field: &'static str, s: Option<String>| {
            let s = s
                .filter(|s| !s.trim().is_empty())
                .ok_or(FilterError::Field {
                    field,
                    reason: "required: the first (start) or last (end) visible day, YYYY-MM-DD"
                        .into(),
                })?;
            parse_iso_day(s.trim()).map_err(|e| FilterError::Field {
                field,
                reason: format!("{e}; give a full date like 2019-05-16"),
            })
        };
        let start = day("start", raw.start)?;
        let end = day("end", raw.end)?;
        if start > end {
            return Err(FilterError::ReversedWindow { start, end });
        }
        if (end - start).num_days() > MAX_WINDOW_DAYS {
            return Err(FilterError::Field {
                field: "end",
                reason: "the window may span at most 200 years".into(),
            });
        }
        let lanes = match raw
            .lanes
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(l) => l.parse().map_err(|reason| FilterError::Field {
                field: "lanes",
                reason,
            })?,
            None => Lanes::None,
        };
        let filter = EventFilter::try_from(raw.filter)?;
        let as_recorded = match raw.as_recorded.as_deref().map(str::trim) {
            Some(day) if !day.is_empty() => {
                // Only the server parses a window (the browser has no clock to ask).
                Some(RecordedDay::parse(day, chrono::Utc::now().date_naive())?)
            }
            _ => None,
        };
        if as_recorded.is_some() {
            // Neither is rebuilt from the revisions yet: say so rather than mix the record
            // of then with the record of now.
            if filter.in_force.is_some() {
                return Err(FilterError::Field {
                    field: "as_recorded",
                    reason: super::as_recorded::NOT_WITH_IN_FORCE.into(),
                });
            }
            if lanes == Lanes::Lifecycle {
                return Err(FilterError::Field {
                    field: "lanes",
                    reason: "lanes by lifecycle step are drawn from the record as it is now; \
                             choose other lanes with `as_recorded`"
                        .into(),
                });
            }
        }
        Ok(TimelineQuery {
            start,
            end,
            lanes,
            filter,
            as_recorded,
        })
    }
}

impl TimelineQuery {
    pub fn span_days(&self) -> i64 {
        (self.end - self.start).num_days() + 1
    }

    /// The lane for what no ranked lane holds: none (`""`) without lanes; the kind's own
    /// lane when lanes are by kind and the filter names that one kind (it is the window's
    /// only lane); else [`OTHER_LANE`].
    pub fn leftover_lane(&self) -> &str {
        match (self.lanes, self.filter.kind) {
            (Lanes::None, _) => "",
            (Lanes::Kind, Some(kind)) => kind.as_str(),
            _ => OTHER_LANE,
        }
    }
}

/// An event as the timeline draws it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct TimelineItem {
    pub id: EventId,
    pub slug: Slug,
    #[serde(
        serialize_with = "super::dates::day::serialize",
        deserialize_with = "super::dates::day::deserialize"
    )]
    pub start: NaiveDate,
    pub precision: DatePrecision,
    /// Set for ranges: the last day covered.
    #[serde(
        default,
        serialize_with = "super::dates::day::option::serialize",
        deserialize_with = "super::dates::day::option::deserialize"
    )]
    pub until: Option<NaiveDate>,
    pub title: String,
    pub kind: EventKind,
    pub authorities: Vec<String>,
    pub targets: Vec<String>,
    pub prominence: i32,
    /// The measure's dated steps (announced … lifted), when it records them.
    // Never skipped when empty: postcard, in which windows also travel, reads fields by
    // position.
    #[serde(default)]
    pub lifecycle: Lifecycle,
    /// In lanes by lifecycle step: the step this item stands for (`start` and `precision`
    /// are then that step's date; the same event comes once per step it records).
    #[serde(default)]
    pub step: Option<LifecycleStep>,
}

impl TimelineItem {
    pub fn permalink(&self) -> String {
        super::event::permalink_path(self.id, &self.slug)
    }

    /// The lanes this event is drawn in (an event with two targets is in both).
    pub fn lanes(&self, lanes: Lanes) -> Vec<String> {
        let or_none = |names: &[String]| {
            if names.is_empty() {
                vec![NO_ACTOR.to_owned()]
            } else {
                names.to_vec()
            }
        };
        match lanes {
            Lanes::None => vec![String::new()],
            Lanes::Authority => or_none(&self.authorities),
            Lanes::Target => or_none(&self.targets),
            Lanes::Kind => vec![self.kind.as_str().to_owned()],
            Lanes::Lifecycle => vec![self.step.map_or(NO_ACTOR, |s| s.as_str()).to_owned()],
        }
    }
}

/// The lane of events without an actor in the grouping role.
pub const NO_ACTOR: &str = "(none)";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct Bucket {
    #[serde(
        serialize_with = "super::dates::day::serialize",
        deserialize_with = "super::dates::day::deserialize"
    )]
    pub start: NaiveDate,
    pub lane: String,
    pub count: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct RelationLink {
    pub from: EventId,
    pub to: EventId,
    pub kind: RelationKind,
}

/// What the server answers for a window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct TimelineWindow {
    #[serde(
        serialize_with = "super::dates::day::serialize",
        deserialize_with = "super::dates::day::deserialize"
    )]
    pub start: NaiveDate,
    #[serde(
        serialize_with = "super::dates::day::serialize",
        deserialize_with = "super::dates::day::deserialize"
    )]
    pub end: NaiveDate,
    /// The server's today, so the marker for it renders the same on both sides.
    #[serde(
        serialize_with = "super::dates::day::serialize",
        deserialize_with = "super::dates::day::deserialize"
    )]
    pub today: NaiveDate,
    pub lanes: Lanes,
    /// Every event in the window (when `buckets` is `None`), else the most prominent ones.
    pub items: Vec<TimelineItem>,
    pub buckets: Option<BucketCounts>,
    pub relations: Vec<RelationLink>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct BucketCounts {
    pub unit: BucketUnit,
    pub buckets: Vec<Bucket>,
    /// Events whose date is known only to a period longer than a bucket, counted apart.
    #[serde(default)]
    pub periods: Vec<PeriodCount>,
}

/// Events of a lane known only to their month or year, where the buckets are finer than
/// that: "sometime in May 2019", drawn over the whole period rather than counted on its
/// first day (where 300 events dated "2019" would make a spike that is not in the data).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct PeriodCount {
    /// The period's first day.
    #[serde(
        serialize_with = "super::dates::day::serialize",
        deserialize_with = "super::dates::day::deserialize"
    )]
    pub start: NaiveDate,
    pub precision: DatePrecision,
    pub lane: String,
    pub count: i64,
}

impl PeriodCount {
    pub fn period(&self) -> FuzzyDate {
        FuzzyDate::new(self.start, self.precision)
    }
}

/// How many events match the filters, by kind, authority and target (each counted with
/// the other filters applied), and per month over the whole record.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct Facets {
    pub total: i64,
    pub kinds: Vec<(EventKind, i64)>,
    pub authorities: Vec<(String, i64)>,
    pub targets: Vec<(String, i64)>,
    #[serde(
        serialize_with = "super::dates::day::counts::serialize",
        deserialize_with = "super::dates::day::counts::deserialize"
    )]
    pub density: Vec<(NaiveDate, i64)>,
}

/// Days since 1970-01-01: the timeline's coordinate.
pub fn day_number(d: NaiveDate) -> i64 {
    (d - NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default()).num_days()
}

pub fn from_day_number(n: i64) -> NaiveDate {
    NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default() + Duration::days(n)
}

/// First day of `d`'s year.
pub fn year_start(d: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(d.year(), 1, 1).unwrap_or(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(start: &str, end: &str) -> RawTimelineQuery {
        RawTimelineQuery {
            start: Some(start.into()),
            end: Some(end.into()),
            ..Default::default()
        }
    }

    #[test]
    fn a_window_needs_both_ends_in_order() {
        assert!(TimelineQuery::try_from(raw("2019-01-01", "2019-01-01")).is_ok());
        let err = TimelineQuery::try_from(raw("2020-01-01", "2019-01-01")).unwrap_err();
        assert!(err.to_string().contains("swap"), "{err}");
        let err = TimelineQuery::try_from(raw("2019-13-01", "2020-01-01")).unwrap_err();
        assert!(err.to_string().starts_with("`start`"), "{err}");
        let err = TimelineQuery::try_from(RawTimelineQuery::default()).unwrap_err();
        assert!(err.to_string().contains("required"), "{err}");
        let mut r = raw("2019-01-01", "2019-02-01");
        r.lanes = Some("colour".into());
        assert!(TimelineQuery::try_from(r)
            .unwrap_err()
            .to_string()
            .contains("lane"));
    }

    #[test]
    fn buckets_get_coarser_as_the_window_grows() {
        assert_eq!(BucketUnit::for_span(60), BucketUnit::Day);
        assert_eq!(BucketUnit::for_span(400), BucketUnit::Week);
        assert_eq!(BucketUnit::for_span(3650), BucketUnit::Month);
        assert_eq!(BucketUnit::for_span(36500), BucketUnit::Year);
        let jan = NaiveDate::from_ymd_opt(2019, 1, 1).unwrap();
        assert_eq!(
            BucketUnit::Quarter.next(jan),
            NaiveDate::from_ymd_opt(2019, 4, 1).unwrap()
        );
        let sat = NaiveDate::from_ymd_opt(2019, 6, 29).unwrap();
        assert_eq!(
            BucketUnit::Week.bucket_of(sat),
            NaiveDate::from_ymd_opt(2019, 6, 24).unwrap()
        );
        assert_eq!(
            BucketUnit::Quarter.bucket_of(sat),
            NaiveDate::from_ymd_opt(2019, 4, 1).unwrap()
        );
        assert_eq!(BucketUnit::Year.bucket_of(sat), jan);
    }

    #[test]
    fn a_period_is_counted_apart_only_where_buckets_are_finer() {
        use DatePrecision::*;
        assert!(BucketUnit::Day.holds(Day) && BucketUnit::Week.holds(Day));
        assert!(!BucketUnit::Week.holds(Month) && BucketUnit::Month.holds(Month));
        assert!(BucketUnit::Quarter.holds(Month) && !BucketUnit::Quarter.holds(Year));
        assert!(BucketUnit::Year.holds(Year));
    }

    #[test]
    fn day_numbers_round_trip() {
        let d = NaiveDate::from_ymd_opt(2019, 6, 29).unwrap();
        assert_eq!(from_day_number(day_number(d)), d);
    }
}
