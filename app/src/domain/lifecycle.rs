//! An event's lifecycle: the dated steps of the measure it records (announced, signed or
//! adopted, published in the official journal, in force, expires, lifted), each at its
//! precision, the rules of their order, and the lags between them as a reader reads them
//! ("in force 3 days after publication").

use super::dates::FuzzyDate;
use super::event::word_enum;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

word_enum!(
    /// A step in the life of a measure, in the order a measure normally goes through them.
    LifecycleStep, "a lifecycle step" {
        Announced => "announced" / "Announced",
        Adopted => "adopted" / "Signed or adopted",
        Published => "published" / "Published in the official journal",
        Effective => "effective" / "In force",
        Expires => "expires" / "Expires",
        Lifted => "lifted" / "Lifted",
    }
);

impl LifecycleStep {
    /// The edit form's field for this step's date.
    pub fn field(self) -> &'static str {
        match self {
            LifecycleStep::Announced => "announced_on",
            LifecycleStep::Adopted => "adopted_on",
            LifecycleStep::Published => "published_on",
            LifecycleStep::Effective => "effective_on",
            LifecycleStep::Expires => "expires_on",
            LifecycleStep::Lifted => "lifted_on",
        }
    }

    /// What a passage that states this step says: "when it came into force".
    pub fn stated_as(self) -> &'static str {
        match self {
            LifecycleStep::Announced => "when it was announced",
            LifecycleStep::Adopted => "when it was signed or adopted",
            LifecycleStep::Published => "when it was published in the official journal",
            LifecycleStep::Effective => "when it came into force",
            LifecycleStep::Expires => "when it expires",
            LifecycleStep::Lifted => "when it was lifted",
        }
    }

    /// How the later step of a lag is said: "*in force* 3 days after publication".
    fn as_later(self) -> &'static str {
        match self {
            LifecycleStep::Announced => "announced",
            LifecycleStep::Adopted => "signed",
            LifecycleStep::Published => "published",
            LifecycleStep::Effective => "in force",
            LifecycleStep::Expires => "expires",
            LifecycleStep::Lifted => "lifted",
        }
    }

    /// How the earlier step of a lag is said: "in force 3 days after *publication*".
    fn as_earlier(self) -> &'static str {
        match self {
            LifecycleStep::Announced => "the announcement",
            LifecycleStep::Adopted => "signature",
            LifecycleStep::Published => "publication",
            LifecycleStep::Effective => "entry into force",
            LifecycleStep::Expires => "expiry",
            LifecycleStep::Lifted => "lifting",
        }
    }

    /// Where the step comes in a measure's life: announced first, lifted last.
    pub fn rank(self) -> usize {
        LifecycleStep::ALL
            .iter()
            .position(|s| *s == self)
            .unwrap_or(usize::MAX)
    }
}

/// Orders that are rules, not habits: (earlier, later). An announcement may come after
/// the act (a measure made public once in force); a measure may be lifted before it took
/// effect.
const RULES: &[(LifecycleStep, LifecycleStep)] = &[
    (LifecycleStep::Adopted, LifecycleStep::Published),
    (LifecycleStep::Adopted, LifecycleStep::Effective),
    (LifecycleStep::Effective, LifecycleStep::Expires),
];

/// One dated step: `{"step", "date", "precision"}` in JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
// Through a flat twin rather than `#[serde(flatten)]`, which only self-describing
// formats can read: the timeline's windows also travel as postcard.
#[serde(from = "FlatMilestone", into = "FlatMilestone")]
pub struct Milestone {
    pub step: LifecycleStep,
    #[serde(flatten)]
    pub date: FuzzyDate,
}

#[derive(Serialize, Deserialize)]
#[cfg_attr(
    feature = "ssr",
    derive(schemars::JsonSchema),
    schemars(rename = "Milestone")
)]
struct FlatMilestone {
    step: LifecycleStep,
    #[serde(
        serialize_with = "super::dates::day::serialize",
        deserialize_with = "super::dates::day::deserialize"
    )]
    date: chrono::NaiveDate,
    precision: super::dates::DatePrecision,
}

impl From<FlatMilestone> for Milestone {
    fn from(m: FlatMilestone) -> Self {
        Milestone {
            step: m.step,
            date: FuzzyDate {
                date: m.date,
                precision: m.precision,
            },
        }
    }
}

impl From<Milestone> for FlatMilestone {
    fn from(m: Milestone) -> Self {
        FlatMilestone {
            step: m.step,
            date: m.date.date,
            precision: m.date.precision,
        }
    }
}

/// The steps an event records, at most one of each, in step order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[serde(from = "Vec<Milestone>", into = "Vec<Milestone>")]
pub struct Lifecycle(Vec<Milestone>);

impl From<Vec<Milestone>> for Lifecycle {
    /// Later entries for a step replace earlier ones.
    fn from(mut steps: Vec<Milestone>) -> Self {
        steps.reverse();
        steps.sort_by_key(|m| m.step.rank());
        steps.dedup_by_key(|m| m.step);
        Lifecycle(steps)
    }
}

impl From<Lifecycle> for Vec<Milestone> {
    fn from(l: Lifecycle) -> Self {
        l.0
    }
}

/// A step as the permalink's strip shows it, with the lag since the step before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StripStep {
    pub step: LifecycleStep,
    pub date: FuzzyDate,
    /// "in force 3 days after publication"; `None` for the first step.
    pub lag: Option<String>,
}

impl Lifecycle {
    pub fn get(&self, step: LifecycleStep) -> Option<FuzzyDate> {
        self.0.iter().find(|m| m.step == step).map(|m| m.date)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Milestone> {
        self.0.iter()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Every broken rule of order, as (the later step, why), the later step being the
    /// field to correct. A step known to a month or a year breaks a rule only when its
    /// whole period is before the other's.
    pub fn out_of_order(&self) -> Vec<(LifecycleStep, String)> {
        RULES
            .iter()
            .filter_map(|&(earlier, later)| {
                let (e, l) = (self.get(earlier)?, self.get(later)?);
                (l.last_day() < e.date).then(|| {
                    (
                        later,
                        format!(
                            "{} ({l}) cannot be before {} ({e})",
                            later.label().to_lowercase(),
                            earlier.as_earlier()
                        ),
                    )
                })
            })
            .collect()
    }

    /// The steps in the order they happened (step order on the same day), each with its
    /// lag since the one before.
    pub fn strip(&self) -> Vec<StripStep> {
        let mut steps = self.0.clone();
        steps.sort_by_key(|m| (m.date.date, m.step.rank()));
        let mut out: Vec<StripStep> = Vec::with_capacity(steps.len());
        for (i, m) in steps.iter().enumerate() {
            let lag = i
                .checked_sub(1)
                .map(|p| lag(steps[p].step, steps[p].date, m.step, m.date));
            out.push(StripStep {
                step: m.step,
                date: m.date,
                lag,
            });
        }
        out
    }
}

/// "in force 3 days after publication", honest about dates known only to a month or year.
fn lag(earlier: LifecycleStep, from: FuzzyDate, later: LifecycleStep, to: FuzzyDate) -> String {
    let (verb, noun) = (later.as_later(), earlier.as_earlier());
    let shortest = (to.date - from.last_day()).num_days();
    let longest = (to.last_day() - from.date).num_days();
    if shortest == longest {
        return match shortest {
            0 => format!("{verb} the same day as {noun}"),
            n => format!("{verb} {} after {noun}", span_of_days(n)),
        };
    }
    if shortest < 0 {
        return format!(
            "{verb} about the time of {noun} (one of the dates is known only to its month or year)"
        );
    }
    format!(
        "{verb} {} to {} after {noun}",
        span_of_days(shortest),
        span_of_days(longest)
    )
}

/// Days up to half a year; then months, then years, as a reader rounds them.
fn span_of_days(n: i64) -> String {
    match n {
        1 => "1 day".into(),
        0..=182 => format!("{n} days"),
        183..=729 => format!("about {} months", (n as f64 / 30.44).round() as i64),
        _ => format!("about {} years", (n as f64 / 365.25).round() as i64),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use LifecycleStep::*;

    fn at(step: LifecycleStep, date: &str) -> Milestone {
        Milestone {
            step,
            date: date.parse().unwrap(),
        }
    }

    #[test]
    fn steps_are_kept_once_each_in_step_order() {
        let l = Lifecycle::from(vec![
            at(Expires, "2019-08-19"),
            at(Effective, "2019-05-01"),
            at(Effective, "2019-05-20"),
        ]);
        let steps: Vec<_> = l.iter().map(|m| (m.step, m.date.iso())).collect();
        assert_eq!(
            steps,
            [
                (Effective, "2019-05-20".into()),
                (Expires, "2019-08-19".into())
            ]
        );
        let json = serde_json::to_string(&l).unwrap();
        assert_eq!(
            json,
            r#"[{"step":"effective","date":"2019-05-20","precision":"day"},{"step":"expires","date":"2019-08-19","precision":"day"}]"#
        );
        assert_eq!(serde_json::from_str::<Lifecycle>(&json).unwrap(), l);
        let bytes = postcard::to_allocvec(&l).unwrap();
        assert_eq!(postcard::from_bytes::<Lifecycle>(&bytes).unwrap(), l);
    }

    #[test]
    fn the_strip_says_each_lag_in_a_readers_words() {
        let l = Lifecycle::from(vec![
            at(Announced, "2019-05-15"),
            at(Effective, "2019-05-16"),
            at(Published, "2019-05-21"),
            at(Expires, "2019-08-19"),
        ]);
        let lags: Vec<_> = l.strip().into_iter().map(|s| (s.step, s.lag)).collect();
        assert_eq!(
            lags,
            [
                (Announced, None),
                (
                    Effective,
                    Some("in force 1 day after the announcement".into())
                ),
                (
                    Published,
                    Some("published 5 days after entry into force".into())
                ),
                (Expires, Some("expires 90 days after publication".into())),
            ]
        );
        let same_day =
            Lifecycle::from(vec![at(Adopted, "2019-05-15"), at(Effective, "2019-05-15")]);
        assert_eq!(
            same_day.strip()[1].lag.as_deref(),
            Some("in force the same day as signature")
        );
        let years = Lifecycle::from(vec![at(Effective, "2019-05-16"), at(Lifted, "2022-06-01")]);
        assert_eq!(
            years.strip()[1].lag.as_deref(),
            Some("lifted about 3 years after entry into force")
        );
    }

    #[test]
    fn a_lag_to_a_date_known_to_its_month_is_a_range_or_says_it_is_unknown() {
        let range = Lifecycle::from(vec![at(Published, "2019-05-21"), at(Effective, "2019-07")]);
        assert_eq!(
            range.strip()[1].lag.as_deref(),
            Some("in force 41 days to 71 days after publication")
        );
        let overlap = Lifecycle::from(vec![at(Published, "2019-05"), at(Effective, "2019-05-16")]);
        assert!(overlap.strip()[1]
            .lag
            .as_deref()
            .unwrap()
            .contains("known only to its month"));
    }

    #[test]
    fn only_the_rules_of_order_are_enforced_and_a_month_may_contain_the_day() {
        let wrong = Lifecycle::from(vec![
            at(Adopted, "2019-05-15"),
            at(Effective, "2019-05-14"),
            at(Expires, "2019-05-01"),
        ]);
        let broken: Vec<_> = wrong.out_of_order().into_iter().map(|(s, _)| s).collect();
        assert_eq!(broken, [Effective, Expires]);
        assert_eq!(
            wrong.out_of_order()[0].1,
            "in force (14 May 2019) cannot be before signature (15 May 2019)"
        );
        // Announced after the act, lifted before it took effect: allowed.
        let unusual = Lifecycle::from(vec![
            at(Announced, "2019-06-01"),
            at(Effective, "2019-05-16"),
            at(Lifted, "2019-05-10"),
            at(Adopted, "2019-05"),
        ]);
        assert!(unusual.out_of_order().is_empty());
    }
}
