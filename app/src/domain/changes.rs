//! What changed between two days: the measures imposed, eased, extended, retaliated or
//! lifted, and those that expired, in that period, grouped by authority and target.

use super::dates::{parse_iso_day, FuzzyDate};
use super::event::{group_by_actors, word_enum, ActorRole, ByActors, EventSummary};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The most changes one answer lists; `Changes::total` counts them all.
pub const MAX_CHANGES: i64 = 500;

/// The most changes one download holds: a longer period is refused, to be narrowed, so a
/// download is never quietly cut short.
pub const MAX_EXPORTED_CHANGES: i64 = 20_000;

word_enum!(
    /// What happened to a measure in the period.
    Change, "a change" {
        // It took effect (its effective date, else its date): the event's kind says how.
        TookEffect => "took_effect" / "Took effect",
        // Its expiry date (else a range's end) fell in the period.
        Expired => "expired" / "Expired",
        // Its own lifting date fell in the period.
        Lifted => "lifted" / "Lifted",
    }
);

/// One change, dated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct DatedChange {
    pub change: Change,
    pub on: FuzzyDate,
    pub event: EventSummary,
}

impl DatedChange {
    /// "Imposed", "Eased", …, or "Expired".
    pub fn what(&self) -> &'static str {
        match self.change {
            Change::TookEffect => self.event.kind.label(),
            other => other.label(),
        }
    }
}

/// The changes between `from` and `to` (both included), in date order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct Changes {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub total: i64,
    pub changes: Vec<DatedChange>,
}

impl Changes {
    /// Authority, then target, each in the order first met (the earliest change first);
    /// a change with two targets is under both.
    pub fn by_authority(&self) -> ByActors<DatedChange> {
        group_by_actors(&self.changes, |c| &c.event, ActorRole::Authority)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    #[error("`{0}`: give a full date like 2019-05-16")]
    Missing(&'static str),
    #[error("`{0}`: {1}; give a full date like 2019-05-16")]
    Malformed(&'static str, String),
    #[error("`from` ({0}) is after `to` ({1}); swap them")]
    Reversed(NaiveDate, NaiveDate),
}

/// The period asked for, as typed: both days required, in order.
pub fn period(from: Option<&str>, to: Option<&str>) -> Result<(NaiveDate, NaiveDate), PeriodError> {
    let day = |field: &'static str, s: Option<&str>| {
        let s = s.map(str::trim).filter(|s| !s.is_empty());
        let s = s.ok_or(PeriodError::Missing(field))?;
        parse_iso_day(s).map_err(|e| PeriodError::Malformed(field, e.to_string()))
    };
    let (from, to) = (day("from", from)?, day("to", to)?);
    if from > to {
        return Err(PeriodError::Reversed(from, to));
    }
    Ok((from, to))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_period_needs_two_days_in_order() {
        assert!(period(Some("2019-05-01"), Some("2019-08-31")).is_ok());
        assert_eq!(
            period(None, Some("2019-08-31")),
            Err(PeriodError::Missing("from"))
        );
        assert!(matches!(
            period(Some("2019-02-30"), Some("2019-08-31")),
            Err(PeriodError::Malformed("from", _))
        ));
        assert!(matches!(
            period(Some("2019-09-01"), Some("2019-08-31")),
            Err(PeriodError::Reversed(..))
        ));
    }
}
