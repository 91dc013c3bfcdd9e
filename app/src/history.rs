//! History: every revision of an event or a source with what changed from the one before
//! (a line diff for long text), and what an admin's restore of an old revision gave. The
//! server functions that read and restore it are `server_fns::history`.

#[cfg(feature = "ssr")]
use crate::domain::revision::{FieldValue, Snapshot};
use serde::{Deserialize, Serialize};

/// An event's or a source's revisions, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct History {
    /// "event" or "source".
    pub entity: String,
    pub id: i64,
    pub title: String,
    /// Where readers (or, for drafts, editors) see it.
    pub href: String,
    pub revisions: Vec<RevisionView>,
    /// Editors' changes that did not go live: waiting for an admin, or rejected.
    #[serde(default)]
    pub proposals: Vec<ProposalView>,
}

/// A change an editor proposed to something readers see, which is not (yet) a revision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposalView {
    /// "pending" or "rejected".
    pub state: String,
    pub author: String,
    /// UTC, minutes.
    pub at: String,
    pub comment: String,
    /// The version it was made on.
    pub base_version: i32,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevisionView {
    pub version: i32,
    pub author: String,
    /// UTC, minutes.
    pub at: String,
    pub comment: String,
    pub changes: Vec<FieldChange>,
}

/// One field that differs from the revision before.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    pub field: String,
    pub before: Option<String>,
    pub after: Option<String>,
    /// For long text: the changed lines with a line of context, instead of before/after.
    pub lines: Vec<DiffLine>,
}

/// One line of a long text's change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "SignedLine", try_from = "SignedLine")]
pub enum DiffLine {
    Added(String),
    Removed(String),
    /// Unchanged, shown around a change.
    Context(String),
    /// Unchanged lines left out.
    Skipped,
}

impl DiffLine {
    /// The class the page styles the line by.
    pub fn class(&self) -> &'static str {
        match self {
            DiffLine::Added(_) => "added",
            DiffLine::Removed(_) => "removed",
            DiffLine::Context(_) => "same",
            DiffLine::Skipped => "elided",
        }
    }

    /// The line as the page prints it: its sign, then its text.
    pub fn shown(&self) -> String {
        match self {
            DiffLine::Added(text) => format!("+ {text}"),
            DiffLine::Removed(text) => format!("- {text}"),
            DiffLine::Context(text) => format!("  {text}"),
            DiffLine::Skipped => "…".to_owned(),
        }
    }
}

/// A diff line as the history's JSON carries it (what API clients read): '+' added,
/// '-' removed, ' ' context, '…' lines left out, with its text.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct SignedLine {
    kind: char,
    text: String,
}

impl From<DiffLine> for SignedLine {
    fn from(line: DiffLine) -> Self {
        let (kind, text) = match line {
            DiffLine::Added(t) => ('+', t),
            DiffLine::Removed(t) => ('-', t),
            DiffLine::Context(t) => (' ', t),
            DiffLine::Skipped => ('…', String::new()),
        };
        SignedLine { kind, text }
    }
}

impl TryFrom<SignedLine> for DiffLine {
    type Error = String;
    fn try_from(line: SignedLine) -> Result<Self, String> {
        Ok(match line.kind {
            '+' => DiffLine::Added(line.text),
            '-' => DiffLine::Removed(line.text),
            ' ' => DiffLine::Context(line.text),
            '…' => DiffLine::Skipped,
            other => return Err(format!("“{other}” is not a diff line's sign")),
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum RestoreOutcome {
    Restored {
        version: i32,
    },
    /// Someone changed it meanwhile; nothing was written.
    Conflict,
}

/// Which history: parsed from the URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Event,
    Source,
}

impl std::str::FromStr for Kind {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        match s {
            "event" => Ok(Kind::Event),
            "source" => Ok(Kind::Source),
            _ => Err(()),
        }
    }
}

/// A time as the history and the review queue show it.
#[cfg(feature = "ssr")]
pub(crate) fn minutes(at: chrono::DateTime<chrono::Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// What changes between each pair of snapshots (before, after), within one page's time
/// budget: a pair past it is named as not compared.
#[cfg(feature = "ssr")]
pub(crate) fn compare_all(pairs: &[(Snapshot, Snapshot)]) -> Vec<Vec<FieldChange>> {
    let page_deadline = std::time::Instant::now() + PAGE_DIFF_BUDGET;
    pairs
        .iter()
        .map(|(before, after)| {
            let deadline = page_deadline.min(std::time::Instant::now() + DIFF_BUDGET);
            changes_until(Some(before), after, deadline)
        })
        .collect()
}

/// Only this many of the newest revisions are compared with the one before; older ones
/// are listed (and restorable) without their changes.
#[cfg(feature = "ssr")]
pub const COMPARED_REVISIONS: usize = 50;

/// The most time one page spends diffing long texts, and one diff of them.
#[cfg(feature = "ssr")]
const PAGE_DIFF_BUDGET: std::time::Duration = std::time::Duration::from_secs(2);
#[cfg(feature = "ssr")]
const DIFF_BUDGET: std::time::Duration = std::time::Duration::from_millis(500);

/// Texts of more lines than this are not diffed at all: listing every changed line of
/// them would not be read anyway.
#[cfg(feature = "ssr")]
const MAX_DIFF_LINES: usize = 20_000;

/// A diff of more changed lines, or more text, than this is not shown.
#[cfg(feature = "ssr")]
const MAX_SHOWN_LINES: usize = 2_000;
#[cfg(feature = "ssr")]
const MAX_SHOWN_CHARS: usize = 200_000;

/// The revisions (oldest first) as the page lists them: newest first, the newest
/// [`COMPARED_REVISIONS`] with what changed from the one before, within one time budget.
#[cfg(feature = "ssr")]
pub(crate) fn views(stored: &[crate::db::revisions::Stored]) -> Vec<RevisionView> {
    let page_deadline = std::time::Instant::now() + PAGE_DIFF_BUDGET;
    let first_compared = stored.len().saturating_sub(COMPARED_REVISIONS);
    let mut views: Vec<RevisionView> = stored
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let changes = match &r.snapshot {
                Some(after) if i >= first_compared => {
                    // The first revision's "before" is nothing.
                    let before = i.checked_sub(1).and_then(|p| stored[p].snapshot.as_ref());
                    let deadline = page_deadline.min(std::time::Instant::now() + DIFF_BUDGET);
                    changes_until(before, after, deadline)
                }
                _ => vec![FieldChange {
                    field: "Changes".into(),
                    before: None,
                    after: Some(format!(
                        "(not compared: only the {COMPARED_REVISIONS} newest revisions are)"
                    )),
                    lines: Vec::new(),
                }],
            };
            RevisionView {
                version: r.version,
                author: r.author.clone(),
                at: minutes(r.at),
                comment: r.comment.clone(),
                changes,
            }
        })
        .collect();
    views.reverse();
    views
}

/// The fields that differ between two snapshots, in the pages' order; `before` is `None`
/// for the first revision.
#[cfg(feature = "ssr")]
pub fn changes(before: Option<&Snapshot>, after: &Snapshot) -> Vec<FieldChange> {
    changes_until(before, after, std::time::Instant::now() + DIFF_BUDGET)
}

/// [`changes`], with long texts diffed until `deadline` at the latest.
#[cfg(feature = "ssr")]
fn changes_until(
    before: Option<&Snapshot>,
    after: &Snapshot,
    deadline: std::time::Instant,
) -> Vec<FieldChange> {
    let first = before.is_none();
    let before = before.map(Snapshot::fields).unwrap_or_default();
    after
        .fields()
        .into_iter()
        .filter_map(|(field, new)| {
            let old = before.iter().find(|(f, _)| *f == field).map(|(_, v)| v);
            let label = field.label().to_owned();
            match new {
                FieldValue::Lines(new) => {
                    let old = match old {
                        Some(FieldValue::Lines(old)) => old.clone(),
                        _ if first => Some(Vec::new()),
                        _ => None,
                    };
                    // A revision that did not keep the list shows no change in it.
                    let (Some(old), Some(new)) = (old, new) else {
                        return None;
                    };
                    if old == new {
                        return None;
                    }
                    let lines = |items: Vec<String>| -> String {
                        items.into_iter().map(|i| i + "\n").collect()
                    };
                    Some(diffed(label, &lines(old), &lines(new), deadline))
                }
                FieldValue::Text(new) => {
                    let old = match old {
                        Some(FieldValue::Text(old)) => old.clone(),
                        _ => None,
                    };
                    text_change(label, old, new, first, deadline)
                }
            }
        })
        .collect()
}

/// A text field's change: before and after, or for long text its changed lines (the
/// first revision names its size instead).
#[cfg(feature = "ssr")]
fn text_change(
    field: String,
    old: Option<String>,
    new: Option<String>,
    first: bool,
    deadline: std::time::Instant,
) -> Option<FieldChange> {
    if old == new {
        return None;
    }
    let long = |s: &Option<String>| {
        s.as_ref()
            .is_some_and(|s| s.contains('\n') || s.chars().count() > 300)
    };
    if first && long(&new) {
        let n = new.as_deref().map_or(0, |s| s.chars().count());
        return Some(FieldChange {
            field,
            before: None,
            after: Some(format!("({n} characters)")),
            lines: Vec::new(),
        });
    }
    if long(&old) || long(&new) {
        return Some(diffed(
            field,
            old.as_deref().unwrap_or(""),
            new.as_deref().unwrap_or(""),
            deadline,
        ));
    }
    Some(FieldChange {
        field,
        before: old,
        after: new,
        lines: Vec::new(),
    })
}

/// A long text's change as changed lines, or, when that is too large to work out or to
/// read, a note saying so with the sizes.
#[cfg(feature = "ssr")]
fn diffed(field: String, old: &str, new: &str, deadline: std::time::Instant) -> FieldChange {
    match line_diff(old, new, deadline) {
        Some(lines) => FieldChange {
            field,
            before: None,
            after: None,
            lines,
        },
        None => FieldChange {
            field,
            before: None,
            after: Some(format!(
                "(too large to compare: {} characters before, {} after)",
                old.chars().count(),
                new.chars().count()
            )),
            lines: Vec::new(),
        },
    }
}

/// Changed lines with one line of context; unchanged stretches between are elided.
/// `None` when the texts have too many lines, the diff is not done by `deadline`, or it
/// is too long to show.
#[cfg(feature = "ssr")]
fn line_diff(old: &str, new: &str, deadline: std::time::Instant) -> Option<Vec<DiffLine>> {
    use similar::{ChangeTag, TextDiff};
    let too_many = |s: &str| s.bytes().filter(|&b| b == b'\n').count() >= MAX_DIFF_LINES;
    if too_many(old) || too_many(new) || std::time::Instant::now() >= deadline {
        return None;
    }
    let diff = TextDiff::configure()
        .deadline(deadline)
        .diff_lines(old, new);
    // Past its deadline the diff gives up and approximates: not worth showing.
    if std::time::Instant::now() >= deadline {
        return None;
    }
    let mut out = Vec::new();
    let mut shown_chars = 0;
    for (i, group) in diff.grouped_ops(2).iter().enumerate() {
        if i > 0 {
            out.push(DiffLine::Skipped);
        }
        for op in group {
            for change in diff.iter_changes(op) {
                let text = change.value().trim_end_matches('\n');
                // Paragraph breaks are blank lines: not worth a row of their own.
                if change.tag() == ChangeTag::Equal && text.is_empty() {
                    continue;
                }
                shown_chars += text.len();
                if out.len() >= MAX_SHOWN_LINES || shown_chars > MAX_SHOWN_CHARS {
                    return None;
                }
                let text = text.to_owned();
                out.push(match change.tag() {
                    ChangeTag::Delete => DiffLine::Removed(text),
                    ChangeTag::Insert => DiffLine::Added(text),
                    ChangeTag::Equal => DiffLine::Context(text),
                });
            }
        }
    }
    Some(out)
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use crate::db::revisions;
    use crate::domain::event_form::{EventDraft, EventSnapshot};
    use crate::domain::revision::SourceSnapshot;
    use crate::domain::{DatePrecision, EventKind, EventStatus, FuzzyDate};

    fn day(date: &str, precision: DatePrecision) -> FuzzyDate {
        FuzzyDate {
            date: date.parse().expect("test date"),
            precision,
        }
    }

    /// An event titled `title`, nothing cited; the tests change what they compare.
    fn event(title: &str) -> EventSnapshot {
        EventSnapshot {
            draft: EventDraft {
                title: title.into(),
                summary: String::new(),
                kind: EventKind::Imposed,
                date: day("2019-05-16", DatePrecision::Day),
                end: None,
                date_phrase: None,
                authorities: vec!["X".into()],
                targets: Vec::new(),
                legal_instrument: None,
                legal_act: None,
                lifecycle: Default::default(),
                quote: None,
                relation: None,
                removals: Default::default(),
            },
            status: EventStatus::Draft,
            cited: Vec::new(),
            related: Vec::new(),
        }
    }

    fn source(body: &str) -> Snapshot {
        Snapshot::Source(SourceSnapshot {
            url: "https://example.org/kilde".into(),
            archive_url: None,
            title: "Kilde".into(),
            publisher: "DR".into(),
            authors: Vec::new(),
            published_on: "2019-05-17".parse().expect("test date"),
            language: "da".parse().expect("test language"),
            body: body.into(),
        })
    }

    fn changed(before: &Snapshot, after: &Snapshot) -> Vec<FieldChange> {
        changes(Some(before), after)
    }

    fn field<'a>(changes: &'a [FieldChange], label: &str) -> &'a FieldChange {
        let found = changes.iter().find(|c| c.field == label);
        found.unwrap_or_else(|| panic!("no change to {label}: {changes:?}"))
    }

    #[test]
    fn only_changed_fields_are_listed_with_readable_values() {
        let before = event("A");
        let mut after = event("A");
        after.draft.authorities.push("Y".into());
        after.draft.date = day("2019-05-01", DatePrecision::Month);
        after.draft.summary = "Now with a summary".into();
        let c = changed(&Snapshot::Event(before), &Snapshot::Event(after));
        let fields: Vec<&str> = c.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["Date", "Imposed by", "Summary"]);
        assert_eq!(c[0].before.as_deref(), Some("2019-05-16 (day)"));
        assert_eq!(c[0].after.as_deref(), Some("2019-05-01 (month)"));
        assert_eq!(c[1].after.as_deref(), Some("X, Y"));
        assert_eq!(c[2].before, None);
    }

    #[test]
    fn cited_passages_and_relations_are_listed_as_lines_added_and_removed() {
        let mut v1 = event("A");
        v1.cited = vec!["“Et.” — Kilde (source 1)".into()];
        let mut v2 = event("A");
        v2.cited = vec!["“To.” — Kilde (source 1)".into()];
        v2.related = vec!["modifies B (event 2)".into()];
        let c = changed(&Snapshot::Event(v1.clone()), &Snapshot::Event(v2));
        let shown: Vec<(&str, &[DiffLine])> = c
            .iter()
            .map(|f| (f.field.as_str(), f.lines.as_slice()))
            .collect();
        assert_eq!(
            shown,
            [
                (
                    "Cited passages",
                    &[
                        DiffLine::Removed("“Et.” — Kilde (source 1)".into()),
                        DiffLine::Added("“To.” — Kilde (source 1)".into())
                    ][..]
                ),
                (
                    "Bears on",
                    &[DiffLine::Added("modifies B (event 2)".into())][..]
                ),
            ]
        );
        // A revision written before these lists existed shows no change in them.
        let older = Snapshot::EventBeforeLists(event("A"));
        assert!(changed(&older, &Snapshot::Event(v1.clone())).is_empty());
        // The first revision lists what it cites.
        let first = changes(None, &Snapshot::Event(v1));
        assert_eq!(
            field(&first, "Cited passages").lines,
            [DiffLine::Added("“Et.” — Kilde (source 1)".into())]
        );
        assert!(!first.iter().any(|c| c.field == "Bears on"), "{first:?}");
    }

    #[test]
    fn long_text_changes_are_shown_as_changed_lines() {
        let old = "Et.\n\nTo.\n\nTre.\n\nFire.\n\nFem.";
        let new = "Et.\n\nTo.\n\nTre, rettet.\n\nFire.\n\nFem.";
        let c = changed(&source(old), &source(new));
        assert_eq!(
            c[0].lines,
            [
                DiffLine::Context("To.".into()),
                DiffLine::Removed("Tre.".into()),
                DiffLine::Added("Tre, rettet.".into()),
                DiffLine::Context("Fire.".into()),
            ]
        );
        // As the page prints them.
        let printed: Vec<(&str, String)> =
            c[0].lines.iter().map(|l| (l.class(), l.shown())).collect();
        assert_eq!(
            printed,
            [
                ("same", "  To.".into()),
                ("removed", "- Tre.".into()),
                ("added", "+ Tre, rettet.".into()),
                ("same", "  Fire.".into()),
            ]
        );
        // The first revision names the text's size instead of listing all of it.
        let first = changes(None, &source(old));
        assert_eq!(
            field(&first, "Text").after.as_deref(),
            Some("(27 characters)")
        );
    }

    #[test]
    fn diff_lines_travel_as_a_sign_and_a_text() {
        let lines = vec![
            DiffLine::Added("Ny.".into()),
            DiffLine::Removed("Gammel.".into()),
            DiffLine::Context("Samme.".into()),
            DiffLine::Skipped,
        ];
        let json = serde_json::to_value(&lines).unwrap();
        assert_eq!(
            json,
            serde_json::json!([
                {"kind": "+", "text": "Ny."},
                {"kind": "-", "text": "Gammel."},
                {"kind": " ", "text": "Samme."},
                {"kind": "…", "text": ""},
            ])
        );
        let back: Vec<DiffLine> = serde_json::from_value(json).unwrap();
        assert_eq!(back, lines);
        assert!(
            serde_json::from_value::<DiffLine>(serde_json::json!({"kind": "?", "text": ""}))
                .is_err()
        );
    }

    /// A text of the largest size a source may have, in one-letter paragraphs.
    fn largest_text(letters: &[char]) -> String {
        use crate::domain::source_form::MAX_BODY_CHARS;
        let text: Vec<String> = (0..MAX_BODY_CHARS.div_ceil(3))
            .map(|i| letters[i % letters.len()].to_string())
            .collect();
        text.join("\n\n")
    }

    fn note(change: &FieldChange) -> &str {
        let some: Vec<_> = change.lines.iter().take(3).collect();
        assert!(change.lines.is_empty(), "{some:?}");
        change.after.as_deref().unwrap_or_default()
    }

    #[test]
    fn two_texts_too_large_to_compare_are_named_not_diffed() {
        // Two different texts of the largest size: a third of a million lines each.
        let old = largest_text(&['a', 'b', 'c']);
        let new = largest_text(&['x', 'y']);
        let c = changed(&source(&old), &source(&new));
        assert_eq!(c[0].field, "Text");
        assert_eq!(
            note(&c[0]),
            "(too large to compare: 1000000 characters before, 1000000 after)"
        );
        // Few lines, but every one of them different and long: too much to show.
        let long_lines = |c: char| (c.to_string().repeat(9_999) + "\n").repeat(100);
        let c = changed(&source(&long_lines('a')), &source(&long_lines('b')));
        assert!(note(&c[0]).starts_with("(too large to compare"), "{c:?}");
    }

    #[test]
    fn a_small_change_to_a_large_text_is_still_shown() {
        let paragraph = |i: usize| format!("Paragraph {i} {}", "x".repeat(80));
        let old: Vec<String> = (0..10_000).map(paragraph).collect();
        let mut new = old.clone();
        new[5_000] = "Rettet.".into();
        let (old, new) = (old.join("\n"), new.join("\n"));
        // A deadline no machine misses: this is about what is shown, not how fast.
        let far = std::time::Instant::now() + std::time::Duration::from_secs(600);
        let c = changes_until(Some(&source(&old)), &source(&new), far);
        let lines: Vec<String> = c[0]
            .lines
            .iter()
            .map(|l| l.shown().chars().take(16).collect())
            .collect();
        assert_eq!(
            lines,
            [
                "  Paragraph 4998",
                "  Paragraph 4999",
                "- Paragraph 5000",
                "+ Rettet.",
                "  Paragraph 5001",
                "  Paragraph 5002",
            ]
        );
    }

    #[test]
    fn only_the_newest_revisions_are_compared() {
        let stored: Vec<revisions::Stored> = (1..=COMPARED_REVISIONS as i32 + 10)
            .map(|version| revisions::Stored {
                version,
                author: "Ed".into(),
                at: chrono::DateTime::UNIX_EPOCH,
                comment: String::new(),
                snapshot: Some(Snapshot::Event(event(&format!("Version {version}")))),
            })
            .collect();
        let shown = views(&stored);
        assert_eq!(shown.len(), stored.len());
        assert_eq!(shown[0].version, COMPARED_REVISIONS as i32 + 10);
        let newest_compared = &shown[COMPARED_REVISIONS - 1].changes[0];
        assert_eq!(newest_compared.after.as_deref(), Some("Version 11"));
        let older = &shown[COMPARED_REVISIONS].changes[0];
        assert!(note(older).starts_with("(not compared"), "{older:?}");
    }
}
