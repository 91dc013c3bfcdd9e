//! What was in force on a day: the measures (imposed, eased, extended, retaliated) that
//! their dates and the events reversing them put in force then, each with how sure the
//! record is, grouped by target and authority.

use super::citation::CitationId;
use super::dates::FuzzyDate;
use super::event::{group_by_actors, ActorRole, ByActors, EventSummary};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The most measures one answer lists; `InForce::total` counts them.
pub const MAX_MEASURES: i64 = 200;
/// Counting stops here: `InForce::more` says there are more.
pub const MAX_COUNTED: i64 = 1_000;

/// One measure in force on the day asked about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct MeasureInForce {
    pub event: EventSummary,
    /// In force from: its effective date, else the event's date.
    pub since: FuzzyDate,
    /// In force until: its expiry, else the event's end, when the record has one.
    pub until: Option<FuzzyDate>,
    /// `false` when the day falls in the month or year that its start or end is known
    /// only to: it may or may not have been in force then.
    pub certain: bool,
    /// Whether the doubt, if any, is about its start (else about its end).
    pub start_uncertain: bool,
    /// When it may be out of force from, and when it certainly is (its lifting, expiry,
    /// end or a reversing event, whichever comes first), if it ends.
    pub out_of_force: Option<(NaiveDate, NaiveDate)>,
    /// The cited passage that states when it came into force.
    pub evidence: Option<CitationId>,
}

impl MeasureInForce {
    /// Why the record cannot say for sure that it was in force on the day asked about.
    pub fn doubt(&self) -> Option<String> {
        if self.certain {
            return None;
        }
        if self.start_uncertain {
            return Some(format!(
                "perhaps not yet: it took effect some day in {}",
                self.since
            ));
        }
        Some(match self.out_of_force {
            Some((from, surely)) => format!(
                "perhaps no longer: it may be out of force from {}, and certainly is from {}",
                FuzzyDate::day(from),
                FuzzyDate::day(surely)
            ),
            None => "its dates are known only to their month or year".to_owned(),
        })
    }

    /// Its permalink, at the passage that states when it came into force if one does.
    pub fn evidence_href(&self) -> String {
        let page = self.event.permalink();
        match self.evidence {
            Some(c) => format!("{page}#quote-{}", c.0),
            None => page,
        }
    }
}

/// The measures in force on `day` (the latest to take effect first, at most
/// [`MAX_MEASURES`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct InForce {
    pub day: NaiveDate,
    /// How many measures are in force, listed or not, up to [`MAX_COUNTED`].
    pub total: i64,
    /// More than [`MAX_COUNTED`] are in force.
    #[serde(default)]
    pub more: bool,
    pub measures: Vec<MeasureInForce>,
}

impl InForce {
    /// Target, then the authority that imposed it, each in the order first met (so the
    /// target of the latest measure comes first). A measure with two targets is under both.
    pub fn by_target(&self) -> ByActors<MeasureInForce> {
        group_by_actors(&self.measures, |m| &m.event, ActorRole::Target)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{ActorRef, EventId, EventKind, Slug};

    fn measure(id: i64, targets: &[&str], authority: &str, since: &str) -> MeasureInForce {
        let actor = |name: &str| ActorRef {
            id: 0,
            name: name.into(),
        };
        MeasureInForce {
            event: EventSummary {
                id: EventId(id),
                slug: Slug::from_title("m"),
                date: since.parse().unwrap(),
                end: None,
                title: format!("measure {id}"),
                kind: EventKind::Imposed,
                authorities: vec![actor(authority)],
                targets: targets.iter().map(|t| actor(t)).collect(),
            },
            since: since.parse().unwrap(),
            until: None,
            certain: true,
            start_uncertain: false,
            out_of_force: None,
            evidence: None,
        }
    }

    #[test]
    fn measures_are_grouped_by_target_then_authority_in_the_order_met() {
        let answer = InForce {
            day: NaiveDate::from_ymd_opt(2019, 6, 30).unwrap(),
            total: 3,
            more: false,
            measures: vec![
                measure(1, &["Huawei"], "BIS", "2019-05-16"),
                measure(2, &["ZTE", "Huawei"], "FCC", "2019-05"),
                measure(3, &["Huawei"], "BIS", "2019-05-20"),
            ],
        };
        type Groups = Vec<(String, Vec<(String, Vec<i64>)>)>;
        let groups: Groups = answer
            .by_target()
            .into_iter()
            .map(|(target, by_authority)| {
                (
                    target.name,
                    by_authority
                        .into_iter()
                        .map(|(a, ms)| (a.name, ms.iter().map(|m| m.event.id.0).collect()))
                        .collect(),
                )
            })
            .collect();
        assert_eq!(
            groups,
            [
                (
                    "Huawei".to_owned(),
                    vec![("BIS".to_owned(), vec![1, 3]), ("FCC".to_owned(), vec![2])]
                ),
                ("ZTE".to_owned(), vec![("FCC".to_owned(), vec![2])]),
            ]
        );
    }

    #[test]
    fn an_uncertain_measure_says_which_end_is_in_doubt() {
        let starting = MeasureInForce {
            certain: false,
            start_uncertain: true,
            ..measure(1, &["Huawei"], "BIS", "2019-05")
        };
        assert_eq!(
            starting.doubt().as_deref(),
            Some("perhaps not yet: it took effect some day in May 2019")
        );
        // Lifted some day in March 2020: the doubt is the lifting's, whatever its expiry.
        let ending = MeasureInForce {
            until: Some("2021-08-19".parse().unwrap()),
            certain: false,
            out_of_force: Some((
                NaiveDate::from_ymd_opt(2020, 3, 1).unwrap(),
                NaiveDate::from_ymd_opt(2020, 3, 31).unwrap(),
            )),
            ..measure(2, &["Huawei"], "BIS", "2019-05-16")
        };
        assert_eq!(
            ending.doubt().as_deref(),
            Some("perhaps no longer: it may be out of force from 1 March 2020, and certainly is from 31 March 2020")
        );
        assert_eq!(measure(3, &["Huawei"], "BIS", "2019-05-01").doubt(), None);
    }
}
