//! The record as it was published at the end of a past day (`?as_recorded=YYYY-MM-DD`):
//! which version of each event readers could see then. `db::as_recorded` rebuilds it from
//! the revisions: an event saved since that day shows the version its last earlier
//! revision kept; one added since is left out.

use super::event_form::EventSnapshot;
use super::{dates::parse_iso_day, ActorRef, EventSummary, FuzzyDate};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Why `in_force` and `as_recorded` are refused together (what was in force is resolved
/// from the record as it is now).
pub const NOT_WITH_IN_FORCE: &str = "`in_force` and `as_recorded` cannot be asked together yet: \
    ask for what was in force with the record as it is now, or for the record as recorded \
    without `in_force`";

/// How far the events not edited since are counted.
pub const COUNTED_UP_TO: i64 = 1000;

/// A day the record is asked for: not after today (the record has no future).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordedDay(NaiveDate);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecordedDayError {
    #[error("`as_recorded` must be a day like 2019-06-30, not “{0}”")]
    Malformed(String),
    #[error("`as_recorded` ({day}) is after today ({today}): the record as it is now is the latest there is")]
    Future { day: NaiveDate, today: NaiveDate },
}

impl RecordedDay {
    pub fn parse(s: &str, today: NaiveDate) -> Result<RecordedDay, RecordedDayError> {
        let s = s.trim();
        let day = parse_iso_day(s)
            .map_err(|_| RecordedDayError::Malformed(s.chars().take(40).collect::<String>()))?;
        if day > today {
            return Err(RecordedDayError::Future { day, today });
        }
        Ok(RecordedDay(day))
    }

    pub fn day(self) -> NaiveDate {
        self.0
    }

    /// The instant the day ends, in UTC: the versions saved before it were the record.
    pub fn cut(self) -> DateTime<Utc> {
        let next = self.0.succ_opt().unwrap_or(self.0);
        next.and_time(chrono::NaiveTime::MIN).and_utc()
    }

    /// "30 June 2019", as the banners say it.
    pub fn label(self) -> String {
        FuzzyDate::day(self.0).to_string()
    }
}

/// How an event listed as recorded relates to the record now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Then {
    /// Not saved since: the version shown is the current one.
    Unchanged,
    /// Saved since: shown as this version, which its revision kept.
    Version(i32),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordedEvent {
    pub event: EventSummary,
    pub then: Then,
}

/// A page of the published events of a past day, in date order, with what sets them
/// apart from the record now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AsRecorded {
    pub day: RecordedDay,
    pub events: Vec<RecordedEvent>,
    pub next_cursor: Option<String>,
    /// Published events that match the filter then, on every page: those not edited
    /// since counted up to [`COUNTED_UP_TO`].
    pub total: i64,
    /// There are more than `total`.
    pub more: bool,
    /// Of those, how many have been saved since (shown as they stood).
    pub changed_since: i64,
    /// Events that existed then (loaded without a revision) and were edited since: the
    /// version they had is not kept, so they are left out and counted here.
    pub not_kept: i64,
}

/// One event's permalink as recorded on a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum RecordedLookup {
    /// Published then, and not saved since: the page as it is now.
    Unchanged,
    /// Published then, and saved since: the version a revision kept.
    Changed {
        version: i32,
        saved_at: DateTime<Utc>,
        snapshot: Box<EventSnapshot>,
        /// The actors the revision names, found by those names (so they link).
        authorities: Vec<ActorRef>,
        targets: Vec<ActorRef>,
        /// Whether readers can still see it now (else it was withdrawn or unpublished).
        published_now: bool,
    },
    /// Not in the published record that day: not yet added, or a draft then. Nothing
    /// about it is shown.
    NotPublished,
    /// It existed, but its version that day was not kept (loaded without a revision and
    /// edited since).
    NotKept,
}

/// A source's page as the published record had it at the end of a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum RecordedSource {
    /// In the record then and not saved since: the page as it is now.
    Unchanged,
    /// Saved since: the version its last earlier revision kept.
    Changed {
        version: i32,
        saved_at: DateTime<Utc>,
        snapshot: Box<super::revision::SourceSnapshot>,
    },
    /// Not added yet then, or not one readers can see now: nothing about it is shown.
    NotPublished,
    /// It existed, but its version that day was not kept (loaded without a revision and
    /// edited since).
    NotKept,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        parse_iso_day(s).expect("test day")
    }

    #[test]
    fn a_day_up_to_today_is_accepted() {
        let today = day("2026-12-03");
        assert_eq!(
            RecordedDay::parse(" 2019-06-30 ", today).map(RecordedDay::day),
            Ok(day("2019-06-30"))
        );
        assert!(RecordedDay::parse("2026-12-03", today).is_ok());
        assert_eq!(
            RecordedDay::parse("2026-12-04", today),
            Err(RecordedDayError::Future {
                day: day("2026-12-04"),
                today
            })
        );
        for bad in ["2019-06", "2019-02-30", "yesterday", "", "2019-06-30T00:00"] {
            assert!(
                matches!(
                    RecordedDay::parse(bad, today),
                    Err(RecordedDayError::Malformed(_))
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn the_record_of_a_day_is_cut_at_its_end() {
        let d = RecordedDay::parse("2019-06-30", day("2026-12-03")).expect("a day");
        assert_eq!(d.cut().to_rfc3339(), "2019-07-01T00:00:00+00:00");
        assert_eq!(d.label(), "30 June 2019");
    }
}
