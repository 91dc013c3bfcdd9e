//! A target's standing over time, per authority: restricted, eased, or no longer under any
//! measure, folded from the measures against it and the days they may be in force (the
//! ranges the in-force view tests), each change tied to the event that made it.

use super::event::{permalink_path, ActorRef, EventId, EventKind, Slug};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// At most this many authorities get a row of their own; the rest are counted.
pub const MAX_AUTHORITIES: usize = 12;
/// At most this many of a target's measures are read (the earliest to take effect).
pub const MAX_MEASURES: i64 = 20_000;

/// Where a target stands with one authority on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Standing {
    /// A restriction (imposed, retaliated, or extending one) is in force.
    Restricted,
    /// An easing (a licence, an exemption, or extending one) is in force, with or
    /// without a restriction the record holds.
    Eased,
    /// Measures were in force before; none is now (lifted, expired or reversed).
    Ended,
}

impl Standing {
    pub fn as_str(self) -> &'static str {
        match self {
            Standing::Restricted => "restricted",
            Standing::Eased => "eased",
            Standing::Ended => "ended",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Standing::Restricted => "Restricted",
            Standing::Eased => "Eased",
            Standing::Ended => "No measure in force",
        }
    }
}

/// The event a span's change is tied to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventLink {
    pub id: EventId,
    pub slug: Slug,
    pub title: String,
    pub kind: EventKind,
}

impl EventLink {
    pub fn permalink(&self) -> String {
        permalink_path(self.id, &self.slug)
    }
}

/// One measure against the target, as the record dates it: it may be in force from
/// `from` until the day before `until` (none: it runs on).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeasureRange {
    pub event: EventLink,
    pub authorities: Vec<String>,
    /// An easing (or an extension of one), as opposed to a restriction.
    pub easing: bool,
    pub from: NaiveDate,
    pub until: Option<NaiveDate>,
    /// The first day it is certainly in force: later than `from` when it took effect on a
    /// day known only to its month or year.
    pub certain_from: NaiveDate,
    /// The first day it may be out of force, when it is certainly so only from `until`.
    pub ends_from: Option<NaiveDate>,
}

impl MeasureRange {
    /// The days (from, until) it may or may not be in force: the rest of the month or year
    /// it took effect in, and that it ended in.
    fn uncertain(&self) -> impl Iterator<Item = (NaiveDate, NaiveDate)> {
        let start = (self.certain_from > self.from).then_some((self.from, self.certain_from));
        let end = self
            .ends_from
            .zip(self.until)
            .filter(|(from, until)| from < until);
        start.into_iter().chain(end)
    }
}

/// A run of days when the standing drawn may not hold: some measure of the row, dated
/// only to its month or year, may or may not be in force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UncertainSpan {
    pub from: NaiveDate,
    /// The first day after it.
    pub until: NaiveDate,
    /// How many measures' dates it covers.
    pub measures: u32,
}

/// The runs of days `measures` may or may not be in force, overlapping ones merged: a
/// sort and one pass, O(n log n) in the measures.
pub fn uncertain_spans(measures: &[&MeasureRange]) -> Vec<UncertainSpan> {
    let mut ranges: Vec<(NaiveDate, NaiveDate)> =
        measures.iter().flat_map(|m| m.uncertain()).collect();
    ranges.sort();
    let mut out: Vec<UncertainSpan> = Vec::new();
    for (from, until) in ranges {
        match out.last_mut() {
            Some(open) if from <= open.until => {
                open.until = open.until.max(until);
                open.measures += 1;
            }
            _ => out.push(UncertainSpan {
                from,
                until,
                measures: 1,
            }),
        }
    }
    out
}

/// A run of days with one standing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusSpan {
    pub from: NaiveDate,
    /// The first day of the next span; none while it lasts.
    pub until: Option<NaiveDate>,
    pub standing: Standing,
    /// How many measures may be in force in the span (at its start).
    pub in_force: u32,
    /// The measure whose start (or end) began the span.
    pub because: EventLink,
    /// Whether the span began because `because` ended, not because it took effect.
    pub by_ending: bool,
}

/// One authority's row: its measures against the target, and the spans they make.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorityStatus {
    pub authority: String,
    pub measures: usize,
    pub spans: Vec<StatusSpan>,
    /// Where the spans may not hold, drawn shaded over them.
    #[serde(default)]
    pub uncertain: Vec<UncertainSpan>,
}

/// A target's standing with each authority that has acted against it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetStatus {
    pub target: ActorRef,
    /// The busiest authorities first.
    pub rows: Vec<AuthorityStatus>,
    /// Authorities with measures against the target that get no row.
    pub other_authorities: usize,
    /// Measures read; `truncated` when the target has more than [`MAX_MEASURES`].
    pub measures: usize,
    pub truncated: bool,
}

impl TargetStatus {
    /// Rows for the busiest authorities among `measures`, the rest counted.
    pub fn fold(target: ActorRef, measures: Vec<MeasureRange>, truncated: bool) -> Self {
        let mut grouped: BTreeMap<&str, Vec<&MeasureRange>> = BTreeMap::new();
        for m in &measures {
            for a in &m.authorities {
                grouped.entry(a).or_default().push(m);
            }
        }
        let mut by_authority: Vec<(String, Vec<&MeasureRange>)> = grouped
            .into_iter()
            .map(|(name, list)| (name.to_owned(), list))
            .collect();
        by_authority.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then_with(|| a.0.cmp(&b.0)));
        let other_authorities = by_authority.len().saturating_sub(MAX_AUTHORITIES);
        let rows = by_authority
            .into_iter()
            .take(MAX_AUTHORITIES)
            .map(|(authority, list)| AuthorityStatus {
                measures: list.len(),
                spans: spans(&list),
                uncertain: uncertain_spans(&list),
                authority,
            })
            .collect();
        TargetStatus {
            target,
            rows,
            other_authorities,
            measures: measures.len(),
            truncated,
        }
    }

    /// The first and last day the rows change, for the band's scale.
    pub fn extent(&self) -> Option<(NaiveDate, NaiveDate)> {
        let spans = self.rows.iter().flat_map(|r| &r.spans);
        let first = spans.clone().map(|s| s.from).min()?;
        let last = spans
            .flat_map(|s| [Some(s.from), s.until])
            .flatten()
            .max()?;
        Some((first, last))
    }
}

/// The spans `measures` make, in date order, adjacent ones of one standing merged. A
/// sweep over their starts and ends: O(n log n) in the measures.
pub fn spans(measures: &[&MeasureRange]) -> Vec<StatusSpan> {
    // (day, starts, index): ends before starts on the same day, so a measure replaced on
    // the day another ends is not counted twice.
    let mut changes: Vec<(NaiveDate, bool, usize)> = Vec::with_capacity(measures.len() * 2);
    for (i, m) in measures.iter().enumerate() {
        changes.push((m.from, true, i));
        if let Some(until) = m.until.filter(|u| *u > m.from) {
            changes.push((until, false, i));
        }
    }
    changes.sort();
    let (mut restricting, mut easing) = (0u32, 0u32);
    let mut out: Vec<StatusSpan> = Vec::new();
    let mut at = 0;
    while at < changes.len() {
        let day = changes[at].0;
        let mut last = changes[at];
        while at < changes.len() && changes[at].0 == day {
            let (_, starts, i) = changes[at];
            let counter = if measures[i].easing {
                &mut easing
            } else {
                &mut restricting
            };
            if starts {
                *counter += 1;
            } else {
                *counter = counter.saturating_sub(1);
            }
            last = changes[at];
            at += 1;
        }
        let standing = match (restricting, easing) {
            (0, 0) => Standing::Ended,
            (_, 0) => Standing::Restricted,
            _ => Standing::Eased,
        };
        if let Some(open) = out.last_mut() {
            if open.standing == standing {
                continue;
            }
            open.until = Some(day);
        } else if standing == Standing::Ended {
            continue;
        }
        let (_, starts, i) = last;
        out.push(StatusSpan {
            from: day,
            until: None,
            standing,
            in_force: restricting + easing,
            because: measures[i].event.clone(),
            by_ending: !starts,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().expect("test date")
    }

    fn measure(id: i64, easing: bool, from: &str, until: Option<&str>) -> MeasureRange {
        MeasureRange {
            event: EventLink {
                id: EventId(id),
                slug: Slug::from_title(&format!("m{id}")),
                title: format!("Measure {id}"),
                kind: if easing {
                    EventKind::Eased
                } else {
                    EventKind::Imposed
                },
            },
            authorities: vec!["US".into()],
            easing,
            from: day(from),
            until: until.map(day),
            certain_from: day(from),
            ends_from: None,
        }
    }

    fn standings(measures: &[MeasureRange]) -> Vec<(String, Option<String>, Standing, i64)> {
        let refs: Vec<&MeasureRange> = measures.iter().collect();
        spans(&refs)
            .into_iter()
            .map(|s| {
                (
                    s.from.to_string(),
                    s.until.map(|d| d.to_string()),
                    s.standing,
                    s.because.id.0,
                )
            })
            .collect()
    }

    #[test]
    fn a_listing_eased_by_a_licence_then_lifted_reads_restricted_eased_restricted_ended() {
        let got = standings(&[
            measure(1, false, "2019-05-16", Some("2021-01-01")),
            measure(2, true, "2019-05-20", Some("2019-08-19")),
        ]);
        assert_eq!(
            got,
            vec![
                (
                    "2019-05-16".into(),
                    Some("2019-05-20".into()),
                    Standing::Restricted,
                    1
                ),
                (
                    "2019-05-20".into(),
                    Some("2019-08-19".into()),
                    Standing::Eased,
                    2
                ),
                (
                    "2019-08-19".into(),
                    Some("2021-01-01".into()),
                    Standing::Restricted,
                    2
                ),
                ("2021-01-01".into(), None, Standing::Ended, 1),
            ]
        );
    }

    #[test]
    fn overlapping_restrictions_make_one_span_until_the_last_ends() {
        let got = standings(&[
            measure(1, false, "2019-05-16", Some("2020-01-01")),
            measure(2, false, "2019-09-01", None),
            measure(3, false, "2019-10-01", Some("2019-11-01")),
        ]);
        assert_eq!(
            got,
            vec![("2019-05-16".into(), None, Standing::Restricted, 1)]
        );
    }

    #[test]
    fn a_measure_replaced_on_the_day_the_last_ends_leaves_no_gap() {
        let got = standings(&[
            measure(1, false, "2019-01-01", Some("2019-06-01")),
            measure(2, false, "2019-06-01", None),
        ]);
        assert_eq!(
            got,
            vec![("2019-01-01".into(), None, Standing::Restricted, 1)]
        );
    }

    #[test]
    fn an_easing_alone_reads_eased_and_nothing_before_the_first_measure() {
        let got = standings(&[measure(7, true, "2020-03-01", Some("2020-06-01"))]);
        assert_eq!(
            got,
            vec![
                (
                    "2020-03-01".into(),
                    Some("2020-06-01".into()),
                    Standing::Eased,
                    7
                ),
                ("2020-06-01".into(), None, Standing::Ended, 7),
            ]
        );
    }

    #[test]
    fn days_a_measure_dated_to_its_month_or_year_may_not_be_in_force_are_shaded_merged() {
        // In force sometime in 2019, lifted sometime in March 2021; a licence in force
        // sometime in May 2019; one dated to the day (nothing uncertain).
        let year = MeasureRange {
            certain_from: day("2019-12-31"),
            ends_from: Some(day("2021-03-01")),
            ..measure(1, false, "2019-01-01", Some("2021-03-31"))
        };
        let may = MeasureRange {
            certain_from: day("2019-05-31"),
            ..measure(2, true, "2019-05-01", None)
        };
        let exact = measure(3, false, "2019-06-10", Some("2019-07-01"));
        let runs: Vec<(String, String, u32)> = uncertain_spans(&[&year, &may, &exact])
            .into_iter()
            .map(|u| (u.from.to_string(), u.until.to_string(), u.measures))
            .collect();
        assert_eq!(
            runs,
            [
                ("2019-01-01".into(), "2019-12-31".into(), 2),
                ("2021-03-01".into(), "2021-03-31".into(), 1),
            ]
        );
    }

    #[test]
    fn authorities_get_rows_busiest_first_and_the_rest_are_counted() {
        let mut measures = Vec::new();
        for a in 0..(MAX_AUTHORITIES + 2) {
            for i in 0..=a {
                let mut m = measure((a * 100 + i) as i64, false, "2019-01-01", None);
                m.authorities = vec![format!("Authority {a:02}")];
                measures.push(m);
            }
        }
        let target = ActorRef {
            id: 1,
            name: "Huawei".into(),
        };
        let status = TargetStatus::fold(target, measures, false);
        assert_eq!(status.rows.len(), MAX_AUTHORITIES);
        assert_eq!(status.other_authorities, 2);
        assert_eq!(status.rows[0].authority, "Authority 13");
        assert_eq!(status.rows[0].measures, 14);
    }
}
