//! The "add or edit an event" form: what an editor typed, and its parse into an event
//! that may be stored, or an error next to each field that is wrong.

use super::dates::{covers_until, end_before_start, FuzzyDate};
use super::event::{EventKind, EventStatus};
use super::legal_act::{LegalAct, LegalActKind};
use super::lifecycle::{Lifecycle, LifecycleStep, Milestone};
use super::source::SourceId;
use super::source_form::FieldErrors;
use serde::{Deserialize, Serialize};

pub const MAX_TITLE_CHARS: usize = 300;
pub const MAX_SUMMARY_CHARS: usize = 5000;
pub const MAX_ACTORS: usize = 20;

/// The form's fields as typed. The quote fields are filled by selecting text in the
/// source shown beside the form: offsets are the browser's (UTF-16 code units).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventForm {
    pub title: String,
    #[serde(default)]
    pub summary: String,
    pub kind: String,
    pub date: String,
    #[serde(default)]
    pub end: String,
    #[serde(default)]
    pub date_phrase: String,
    #[serde(default)]
    pub authorities: String,
    #[serde(default)]
    pub targets: String,
    #[serde(default)]
    pub legal_instrument: String,
    /// The legal act's official identifier: its kind ([`LegalActKind::as_str`], or empty
    /// for none) and the identifier as typed.
    #[serde(default)]
    pub legal_act_kind: String,
    #[serde(default)]
    pub legal_act_id: String,
    /// The lifecycle's dates, each `YYYY`, `YYYY-MM` or `YYYY-MM-DD` or empty (see
    /// [`LifecycleStep::field`]).
    #[serde(default)]
    pub announced_on: String,
    #[serde(default)]
    pub adopted_on: String,
    #[serde(default)]
    pub published_on: String,
    #[serde(default)]
    pub effective_on: String,
    #[serde(default)]
    pub expires_on: String,
    #[serde(default)]
    pub lifted_on: String,
    #[serde(default)]
    pub quote_source: String,
    #[serde(default)]
    pub quote_exact: String,
    #[serde(default)]
    pub quote_start: String,
    #[serde(default)]
    pub quote_end: String,
    /// The lifecycle step the selected passage states, or empty when it reports the
    /// event itself.
    #[serde(default)]
    pub quote_states: String,
    /// A relation to add: how this event bears on another, and that event's number or
    /// permalink.
    #[serde(default)]
    pub relation_kind: String,
    #[serde(default)]
    pub relation_to: String,
    /// Cited passages to take away, by citation number, separated by spaces.
    #[serde(default)]
    pub remove_citations: String,
    /// Relations this event states to take away, as `kind:event`, separated by spaces.
    #[serde(default)]
    pub remove_relations: String,
}

/// A passage picked in a source, still in the browser's UTF-16 offsets: the server
/// converts and checks them against the stored text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PickedQuote {
    pub source: SourceId,
    pub exact: String,
    pub utf16_start: usize,
    pub utf16_end: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub states: Option<LifecycleStep>,
}

/// An event that passed every check, ready to store; also what a revision keeps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventDraft {
    pub title: String,
    pub summary: String,
    pub kind: EventKind,
    pub date: FuzzyDate,
    pub end: Option<FuzzyDate>,
    pub date_phrase: Option<String>,
    pub authorities: Vec<String>,
    pub targets: Vec<String>,
    pub legal_instrument: Option<String>,
    /// Revisions from before typed legal acts have none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_act: Option<LegalAct>,
    /// Revisions from before the measure's dates existed have none (and an event without
    /// dates is stored as those were, so they read back and write back the same).
    #[serde(default, skip_serializing_if = "Lifecycle::is_empty")]
    pub lifecycle: Lifecycle,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<PickedQuote>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relation: Option<NewRelation>,
    /// What this save takes away; never part of a revision's snapshot.
    #[serde(skip)]
    pub removals: Removals,
}

impl EventDraft {
    /// The last day the event covers (see [`covers_until`]).
    pub fn covers_until(&self) -> chrono::NaiveDate {
        covers_until(self.date, self.end)
    }

    /// Its dates as one period and its lifecycle's order, checked again wherever a draft
    /// is written (a draft may come from a revision or a proposal, not only from the
    /// form): the field to correct and why.
    pub fn check_dates(&self) -> Result<(), (&'static str, String)> {
        if let Some(why) = self.end.and_then(|end| end_before_start(self.date, end)) {
            return Err(("end", why));
        }
        match self.lifecycle.out_of_order().into_iter().next() {
            Some((step, why)) => Err((step.field(), why)),
            None => Ok(()),
        }
    }
}

/// Cited passages and stated relations an edit takes away.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Removals {
    pub citations: Vec<super::citation::CitationId>,
    pub relations: Vec<NewRelation>,
}

impl Removals {
    pub fn is_empty(&self) -> bool {
        self.citations.is_empty() && self.relations.is_empty()
    }
}

/// "This event `kind` event `to`", as the form adds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewRelation {
    pub kind: super::event::RelationKind,
    pub to: super::event::EventId,
}

/// An event as its history keeps it: the fields, the publication state, and, one line
/// each, the passages it cites and the relations it states (older revisions lack those).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventSnapshot {
    #[serde(flatten)]
    pub draft: EventDraft,
    pub status: EventStatus,
    #[serde(default)]
    pub cited: Vec<String>,
    #[serde(default)]
    pub related: Vec<String>,
}

/// A cited passage as a history line: the quote and where it is from.
pub fn cited_line(exact: &str, source_title: &str, source: super::source::SourceId) -> String {
    format!("“{exact}” — {source_title} (source {})", source.0)
}

/// A stated relation as a history line: "modifies Huawei added … (event 7)".
pub fn related_line(
    kind: super::event::RelationKind,
    title: &str,
    to: super::event::EventId,
) -> String {
    format!("{} {title} (event {})", kind.label(), to.0)
}

/// An event as the edit form and the history see it, drafts and archived ones included.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Editable {
    pub id: super::event::EventId,
    pub version: i32,
    pub permalink: String,
    pub snapshot: EventSnapshot,
    pub citations: Vec<super::citation::Citation>,
    #[serde(default)]
    pub relations: Vec<super::event::Relation>,
}

/// Whether the form must carry a quote: a new event cites at least one passage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuoteRule {
    Required,
    Optional,
}

/// The names in an actor field. The picker sends one name per line, so a name may hold a
/// comma ("Huawei Technologies Co., Ltd."); typed without line breaks, commas and
/// semicolons separate names. Repeats (in any case) count once.
pub fn actor_names(value: &str) -> Vec<String> {
    distinct_names(value, usize::MAX)
}

/// The first `most` distinct names of an actor field (see [`actor_names`]). Repeats are
/// found by a set of lower-cased names ([`same_actor`]'s rule), so a field of a hundred
/// thousand names costs one pass, not a comparison of every pair.
fn distinct_names(value: &str, most: usize) -> Vec<String> {
    let parts: Box<dyn Iterator<Item = &str>> = if value.contains('\n') {
        Box::new(value.lines())
    } else {
        Box::new(value.split([',', ';']))
    };
    let mut seen = std::collections::HashSet::new();
    let mut out: Vec<String> = Vec::new();
    for name in parts.map(str::trim) {
        if out.len() == most {
            break;
        }
        if !name.is_empty() && seen.insert(name.to_lowercase()) {
            out.push(name.to_owned());
        }
    }
    out
}

/// How an actor field carries these names: one per line (see [`actor_names`]).
pub fn join_actor_names<S: AsRef<str>>(names: &[S]) -> String {
    names.iter().map(|n| format!("{}\n", n.as_ref())).collect()
}

/// The database's rule for one actor: equal names ignoring case, in any script.
pub fn same_actor(a: &str, b: &str) -> bool {
    a.to_lowercase() == b.to_lowercase()
}

fn names(errors: &mut FieldErrors, field: &str, value: &str) -> Vec<String> {
    // One name past the limit is enough to refuse the field: the rest is not read.
    let out = distinct_names(value, MAX_ACTORS + 1);
    if out.iter().any(|n| n.chars().count() > 200) {
        errors.add(field, "a name may have at most 200 characters");
    } else if out.len() > MAX_ACTORS {
        errors.add(field, format!("name at most {MAX_ACTORS}"));
    }
    out
}

fn optional(errors: &mut FieldErrors, field: &str, value: &str, max: usize) -> Option<String> {
    let v = value.trim();
    if v.chars().count() > max {
        errors.add(field, format!("at most {max} characters"));
    }
    (!v.is_empty()).then(|| v.to_owned())
}

/// A date field that may be left empty; what is typed must be a date.
fn optional_date(errors: &mut FieldErrors, field: &str, value: &str) -> Option<FuzzyDate> {
    match value.trim() {
        "" => None,
        d => d
            .parse::<FuzzyDate>()
            .map_err(|e| errors.add(field, e.to_string()))
            .ok(),
    }
}

impl EventForm {
    /// Checks every field (all errors at once, so the editor fixes them in one go).
    pub fn parse(&self, quote_rule: QuoteRule) -> Result<EventDraft, FieldErrors> {
        let mut errors = FieldErrors::default();
        let title = self.title.trim().to_owned();
        if title.is_empty() {
            errors.add("title", "the title is required");
        } else if title.chars().count() > MAX_TITLE_CHARS {
            errors.add(
                "title",
                format!("a title may have at most {MAX_TITLE_CHARS} characters"),
            );
        }
        let summary = self.summary.trim().to_owned();
        if summary.chars().count() > MAX_SUMMARY_CHARS {
            errors.add(
                "summary",
                format!("a summary may have at most {MAX_SUMMARY_CHARS} characters"),
            );
        }
        let kind = match self.kind.trim().parse::<EventKind>() {
            Ok(k) => Some(k),
            Err(_) => {
                errors.add("kind", "choose what the event did");
                None
            }
        };
        let date = match self.date.trim() {
            "" => {
                errors.add("date", "the date is required (YYYY-MM-DD, YYYY-MM or YYYY)");
                None
            }
            d => match d.parse::<FuzzyDate>() {
                Ok(d) => Some(d),
                Err(e) => {
                    errors.add("date", e.to_string());
                    None
                }
            },
        };
        let end = optional_date(&mut errors, "end", &self.end);
        if let Some(why) = date
            .zip(end)
            .and_then(|(start, end)| end_before_start(start, end))
        {
            errors.add("end", why);
        }
        let date_phrase = optional(&mut errors, "date_phrase", &self.date_phrase, 200);
        let legal_instrument =
            optional(&mut errors, "legal_instrument", &self.legal_instrument, 300);
        let legal_act = self.legal_act(&mut errors);
        let lifecycle = self.lifecycle(&mut errors);
        let authorities = names(&mut errors, "authorities", &self.authorities);
        if authorities.is_empty() {
            errors.add("authorities", "name who imposed or changed the measure");
        }
        let targets = names(&mut errors, "targets", &self.targets);
        if targets.is_empty() {
            errors.add("targets", "name whom the measure is aimed at");
        }
        let quote = self.quote(&mut errors, quote_rule);
        let relation = self.relation(&mut errors);
        let removals = self.removals(&mut errors);
        match (kind, date) {
            (Some(kind), Some(date)) if errors.is_empty() => Ok(EventDraft {
                title,
                summary,
                kind,
                date,
                end,
                date_phrase,
                authorities,
                targets,
                legal_instrument,
                legal_act,
                lifecycle,
                quote,
                relation,
                removals,
            }),
            _ => Err(errors),
        }
    }

    /// The legal act's kind and identifier, each checked: an identifier needs a kind,
    /// and fits its format.
    fn legal_act(&self, errors: &mut FieldErrors) -> Option<LegalAct> {
        let id = self.legal_act_id.trim();
        match self.legal_act_kind.trim() {
            "" if id.is_empty() => None,
            "" => {
                errors.add(
                    "legal_act_kind",
                    "choose what kind of identifier this is, or leave the identifier empty",
                );
                None
            }
            kind => match kind.parse::<LegalActKind>() {
                Err(e) => {
                    errors.add("legal_act_kind", e);
                    None
                }
                Ok(kind) => match kind.parse(id) {
                    Ok(act) => Some(act),
                    Err(e) => {
                        errors.add("legal_act_id", e);
                        None
                    }
                },
            },
        }
    }

    /// The typed date of a lifecycle step.
    pub fn step_value(&self, step: LifecycleStep) -> &str {
        match step {
            LifecycleStep::Announced => &self.announced_on,
            LifecycleStep::Adopted => &self.adopted_on,
            LifecycleStep::Published => &self.published_on,
            LifecycleStep::Effective => &self.effective_on,
            LifecycleStep::Expires => &self.expires_on,
            LifecycleStep::Lifted => &self.lifted_on,
        }
    }

    fn step_value_mut(&mut self, step: LifecycleStep) -> &mut String {
        match step {
            LifecycleStep::Announced => &mut self.announced_on,
            LifecycleStep::Adopted => &mut self.adopted_on,
            LifecycleStep::Published => &mut self.published_on,
            LifecycleStep::Effective => &mut self.effective_on,
            LifecycleStep::Expires => &mut self.expires_on,
            LifecycleStep::Lifted => &mut self.lifted_on,
        }
    }

    /// The lifecycle's dates; a rule of order broken is told on the later step's field.
    fn lifecycle(&self, errors: &mut FieldErrors) -> Lifecycle {
        let mut steps = Vec::new();
        for &step in LifecycleStep::ALL {
            if let Some(date) = optional_date(errors, step.field(), self.step_value(step)) {
                steps.push(Milestone { step, date });
            }
        }
        let lifecycle = Lifecycle::from(steps);
        for (step, why) in lifecycle.out_of_order() {
            errors.add(step.field(), why);
        }
        lifecycle
    }

    fn removals(&self, errors: &mut FieldErrors) -> Removals {
        let mut out = Removals::default();
        for token in self
            .remove_citations
            .split([' ', ','])
            .filter(|t| !t.is_empty())
        {
            match token.parse::<i64>() {
                Ok(id) if id > 0 => out.citations.push(super::citation::CitationId(id)),
                _ => errors.add("citations", format!("“{token}” is not a cited passage")),
            }
        }
        for token in self
            .remove_relations
            .split([' ', ','])
            .filter(|t| !t.is_empty())
        {
            let parsed = token.split_once(':').and_then(|(kind, to)| {
                Some(NewRelation {
                    kind: kind.parse().ok()?,
                    to: super::event::EventId(to.parse::<i64>().ok().filter(|n| *n > 0)?),
                })
            });
            match parsed {
                Some(r) => out.relations.push(r),
                None => errors.add("relations", format!("“{token}” is not a relation")),
            }
        }
        out
    }

    fn relation(&self, errors: &mut FieldErrors) -> Option<NewRelation> {
        let to = self.relation_to.trim();
        if to.is_empty() {
            return None;
        }
        // "42", "42-slug", "/events/42-slug" or a whole permalink URL.
        let last = to
            .split(['?', '#'])
            .next()
            .unwrap_or_default()
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or_default();
        let key = last.parse::<super::event::EventKey>().ok();
        if key.is_none() {
            errors.add(
                "relation_to",
                "give the other event's number or its permalink",
            );
        }
        let kind = self
            .relation_kind
            .parse::<super::event::RelationKind>()
            .ok();
        if kind.is_none() {
            errors.add("relation_kind", "choose how the events relate");
        }
        Some(NewRelation {
            kind: kind?,
            to: key?.id,
        })
    }

    fn quote(&self, errors: &mut FieldErrors, rule: QuoteRule) -> Option<PickedQuote> {
        let blank = self.quote_exact.trim().is_empty();
        if blank {
            if rule == QuoteRule::Required {
                errors.add(
                    "quote",
                    "select the passage of the source that reports the event",
                );
            }
            return None;
        }
        let number = |s: &str| s.trim().parse::<usize>().ok();
        match (
            number(&self.quote_source),
            number(&self.quote_start),
            number(&self.quote_end),
        ) {
            (Some(source), Some(start), Some(end)) if start < end => Some(PickedQuote {
                source: SourceId(source as i64),
                exact: self.quote_exact.clone(),
                utf16_start: start,
                utf16_end: end,
                states: match self.quote_states.trim() {
                    "" => None,
                    step => match step.parse::<LifecycleStep>() {
                        Ok(step) => Some(step),
                        Err(_) => {
                            errors.add("quote_states", "choose what the passage states");
                            None
                        }
                    },
                },
            }),
            _ => {
                errors.add("quote", "select the passage again in the source text");
                None
            }
        }
    }
}

impl EventDraft {
    /// The form filled in with this event, for editing it.
    pub fn to_form(&self) -> EventForm {
        let (legal_act_kind, legal_act_id) = self
            .legal_act
            .as_ref()
            .map(|a| (a.kind().as_str().to_owned(), a.identifier()))
            .unwrap_or_default();
        let mut form = EventForm {
            title: self.title.clone(),
            summary: self.summary.clone(),
            kind: self.kind.as_str().to_owned(),
            date: self.date.iso(),
            end: self.end.map(|e| e.iso()).unwrap_or_default(),
            date_phrase: self.date_phrase.clone().unwrap_or_default(),
            authorities: join_actor_names(&self.authorities),
            targets: join_actor_names(&self.targets),
            legal_instrument: self.legal_instrument.clone().unwrap_or_default(),
            legal_act_kind,
            legal_act_id,
            ..EventForm::default()
        };
        for m in self.lifecycle.iter() {
            *form.step_value_mut(m.step) = m.date.iso();
        }
        form
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filled() -> EventForm {
        EventForm {
            title: "Huawei added to the Entity List".into(),
            kind: "imposed".into(),
            date: "2019-05-16".into(),
            authorities: "US Department of Commerce".into(),
            targets: "Huawei, huawei; 68 affiliates".into(),
            quote_source: "3".into(),
            quote_exact: "Det skete, da han dengang tilføjede Huawei".into(),
            quote_start: "10".into(),
            quote_end: "52".into(),
            ..EventForm::default()
        }
    }

    #[test]
    fn a_filled_form_parses_and_names_are_deduplicated() {
        let d = filled().parse(QuoteRule::Required).unwrap();
        assert_eq!(d.targets, vec!["Huawei", "68 affiliates"]);
        assert_eq!(d.date.to_string(), "16 May 2019");
        assert_eq!(d.quote.unwrap().utf16_end, 52);
    }

    #[test]
    fn a_picked_name_may_hold_a_comma_and_case_is_ignored_in_every_script() {
        let picked = join_actor_names(&["Huawei Technologies Co., Ltd.", "ØK", "øk"]);
        assert_eq!(
            actor_names(&picked),
            vec!["Huawei Technologies Co., Ltd.", "ØK"]
        );
        // Typed on one line, commas separate.
        assert_eq!(actor_names("BIS, ØK;øk"), vec!["BIS", "ØK"]);
        let d = EventForm {
            targets: picked,
            ..filled()
        }
        .parse(QuoteRule::Required)
        .unwrap();
        assert_eq!(
            d.to_form().parse(QuoteRule::Optional).unwrap().targets,
            d.targets
        );
    }

    /// The most a form may send: axum's default body limit, which server functions read
    /// their forms through.
    const MAX_REQUEST_BYTES: usize = 2 * 1024 * 1024;

    /// An actor field as large as a form may be: `name(i)` for the i-th line.
    fn fill(name: impl Fn(usize) -> String) -> String {
        let mut field = String::with_capacity(MAX_REQUEST_BYTES);
        for i in 0.. {
            let line = format!("{}\n", name(i));
            if field.len() + line.len() > MAX_REQUEST_BYTES {
                break;
            }
            field.push_str(&line);
        }
        field
    }

    #[test]
    fn a_form_full_of_actor_names_is_read_without_comparing_every_pair() {
        // Some 160,000 different names: refused at the count.
        let distinct = fill(|i| format!("actor {i}"));
        let errors = EventForm {
            authorities: distinct.clone(),
            targets: distinct.clone(),
            ..filled()
        }
        .parse(QuoteRule::Required)
        .unwrap_err();
        for field in ["authorities", "targets"] {
            let message = errors.get(field).unwrap_or_default();
            assert!(message.contains("at most 20"), "{field}: {message}");
        }
        // The picker reads every name.
        assert_eq!(actor_names(&distinct).len(), distinct.lines().count());
        // Twenty names over and over, in changing case; one name in two cases: twenty
        // actors and one, spelt as first written, and accepted.
        let twenty = fill(|i| {
            let name = format!("Actor {}", i % 20);
            if i / 20 % 2 == 1 {
                name.to_uppercase()
            } else {
                name
            }
        });
        let one = fill(|i| if i % 2 == 0 { "Huawei" } else { "HUAWEI" }.to_owned());
        let d = EventForm {
            authorities: twenty,
            targets: one,
            ..filled()
        }
        .parse(QuoteRule::Required)
        .unwrap();
        assert_eq!(d.authorities.len(), 20);
        assert_eq!(d.authorities[19], "Actor 19");
        assert_eq!(d.targets, ["Huawei"]);
    }

    #[test]
    fn every_wrong_field_gets_its_own_message() {
        let form = EventForm {
            title: "  ".into(),
            kind: "embargoed".into(),
            date: "2019-02-30".into(),
            end: "2018".into(),
            authorities: "".into(),
            quote_exact: "".into(),
            summary: "x".repeat(MAX_SUMMARY_CHARS + 1),
            ..filled()
        };
        let errors = form.parse(QuoteRule::Required).unwrap_err();
        for field in ["title", "kind", "date", "authorities", "quote", "summary"] {
            assert!(errors.get(field).is_some(), "{field}: {errors:?}");
        }
        assert!(errors
            .get("date")
            .unwrap()
            .contains("not a day of the calendar"));
        // The end cannot be compared with a start that does not exist.
        assert!(errors.get("end").is_none());
    }

    #[test]
    fn an_end_before_the_start_is_refused_but_a_month_containing_it_is_not() {
        let before = EventForm {
            end: "2019-05-15".into(),
            ..filled()
        };
        assert!(before
            .parse(QuoteRule::Required)
            .unwrap_err()
            .get("end")
            .is_some());
        let same_month = EventForm {
            date: "2019-05".into(),
            end: "2019-05".into(),
            ..filled()
        };
        assert!(same_month.parse(QuoteRule::Required).is_ok());
    }

    #[test]
    fn editing_may_leave_the_quote_out_but_not_half_of_it() {
        let no_quote = EventForm {
            quote_exact: String::new(),
            ..filled()
        };
        assert!(no_quote.parse(QuoteRule::Optional).is_ok());
        let half = EventForm {
            quote_start: String::new(),
            ..filled()
        };
        assert!(half
            .parse(QuoteRule::Optional)
            .unwrap_err()
            .get("quote")
            .is_some());
    }

    #[test]
    fn a_draft_fills_the_form_it_came_from() {
        let d = filled().parse(QuoteRule::Required).unwrap();
        let again = d.to_form().parse(QuoteRule::Optional).unwrap();
        assert_eq!(EventDraft { quote: None, ..d }, again);
    }

    #[test]
    fn a_relation_names_the_other_event_by_number_or_permalink() {
        for to in [
            "42",
            "42-huawei-listed",
            "https://x.example/events/42-huawei-listed?x#y",
        ] {
            let form = EventForm {
                relation_kind: "modifies".into(),
                relation_to: to.into(),
                ..filled()
            };
            let r = form.parse(QuoteRule::Required).unwrap().relation.unwrap();
            assert_eq!((r.kind.as_str(), r.to.0), ("modifies", 42), "{to}");
        }
        let bad = EventForm {
            relation_kind: "likes".into(),
            relation_to: "the huawei one".into(),
            ..filled()
        };
        let errors = bad.parse(QuoteRule::Required).unwrap_err();
        assert!(errors.get("relation_to").is_some() && errors.get("relation_kind").is_some());
    }
}
