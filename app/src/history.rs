//! History: every revision of an event or a source with what changed from the one before
//! (a line diff for long text), and an admin's restore of an old revision as a new one.

use leptos::prelude::*;
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

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiffLine {
    /// '+' added, '-' removed, ' ' unchanged context, '…' unchanged lines left out.
    pub kind: char,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum RestoreOutcome {
    Restored {
        version: i32,
    },
    /// Someone changed it meanwhile; nothing was written.
    Conflict,
}

/// The revisions of `entity` ("event" or "source") `id`: editors only.
#[server(input = leptos::server_fn::codec::GetUrl, prefix = "/api", endpoint = "history")]
pub async fn load_history(entity: String, id: String) -> Result<Option<History>, ServerFnError> {
    use crate::auth::gate;
    gate::editor().await?;
    let (Ok(entity), Ok(id)) = (entity.parse::<Kind>(), id.parse::<i64>()) else {
        return Ok(None);
    };
    let state = gate::state()?;
    build(&state.pool, entity, id).await.map_err(gate::internal)
}

/// Makes revision `version` the current state again, as a new revision (admins only).
/// For an event the fields come back and its status stays; for a source its text comes
/// back and its citations are re-anchored as for any edit.
#[server(prefix = "/api", endpoint = "restore_revision")]
pub async fn restore_revision(
    csrf: String,
    entity: String,
    id: i64,
    version: i32,
) -> Result<RestoreOutcome, ServerFnError> {
    use crate::auth::gate;
    use crate::domain::account::Role;
    use axum::http::StatusCode;
    let me = gate::require(Role::Admin, &csrf).await?;
    let Ok(entity) = entity.parse::<Kind>() else {
        return Err(gate::refuse(
            StatusCode::BAD_REQUEST,
            "entity must be event or source",
        ));
    };
    let state = gate::state()?;
    match restore(&state.pool, entity, id, version, me.editor.id).await {
        Ok(Some(outcome)) => Ok(outcome),
        Ok(None) => Err(gate::refuse(
            StatusCode::NOT_FOUND,
            "there is no such revision",
        )),
        Err(e) => Err(gate::internal(e)),
    }
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

#[cfg(feature = "ssr")]
use crate::db::{revisions, DbError, Pool};

#[cfg(feature = "ssr")]
async fn build(pool: &Pool, kind: Kind, id: i64) -> Result<Option<History>, DbError> {
    use crate::domain::{EventId, SourceId};
    let (title, href, entity) = match kind {
        Kind::Event => match crate::db::events::editable(pool, EventId(id)).await? {
            Some(e) => (
                e.snapshot.draft.title,
                format!("/events/{id}/edit"),
                revisions::Entity::Event,
            ),
            None => return Ok(None),
        },
        Kind::Source => match crate::db::sources::editable(pool, SourceId(id)).await? {
            Some(s) => (
                s.form.title,
                format!("/sources/{id}"),
                revisions::Entity::Source,
            ),
            None => return Ok(None),
        },
    };
    // The compared revisions and the one before the oldest of them.
    let stored = revisions::list(pool, entity, id, COMPARED_REVISIONS as i32 + 1).await?;
    // Diffing long texts is CPU work of up to the page's budget: off the async workers.
    let views = match tokio::task::spawn_blocking(move || views(&stored)).await {
        Ok(views) => views,
        Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
        // Only a runtime shutting down cancels a blocking task.
        Err(e) => return Err(DbError::Sqlx(sqlx::Error::Io(std::io::Error::other(e)))),
    };
    let proposals = crate::db::pending::not_applied(pool, entity, id)
        .await?
        .into_iter()
        .map(|p| ProposalView {
            state: match p.state {
                crate::db::pending::State::Pending => "pending",
                crate::db::pending::State::Approved => "approved",
                crate::db::pending::State::Rejected => "rejected",
            }
            .into(),
            author: p.author,
            at: minutes(p.created_at),
            comment: p.comment,
            base_version: p.base_version,
            decided_by: p.decided_by,
            decided_at: p.decided_at.map(minutes),
            reason: p.reason,
        })
        .collect();
    Ok(Some(History {
        entity: match kind {
            Kind::Event => "event".into(),
            Kind::Source => "source".into(),
        },
        id,
        title,
        href,
        revisions: views,
        proposals,
    }))
}

/// A time as the history and the review queue show it.
#[cfg(feature = "ssr")]
pub(crate) fn minutes(at: chrono::DateTime<chrono::Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// What changes between each pair of snapshots (before, after), within one page's time
/// budget: a pair past it is named as not compared.
#[cfg(feature = "ssr")]
pub(crate) fn compare_all(
    pairs: &[(serde_json::Value, serde_json::Value)],
) -> Vec<Vec<FieldChange>> {
    let page_deadline = std::time::Instant::now() + PAGE_DIFF_BUDGET;
    pairs
        .iter()
        .map(|(before, after)| {
            let deadline = page_deadline.min(std::time::Instant::now() + DIFF_BUDGET);
            changes_until(before, after, deadline)
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
fn views(stored: &[revisions::Stored]) -> Vec<RevisionView> {
    let page_deadline = std::time::Instant::now() + PAGE_DIFF_BUDGET;
    let first_compared = stored.len().saturating_sub(COMPARED_REVISIONS);
    let empty = serde_json::Value::Object(Default::default());
    let mut views: Vec<RevisionView> = stored
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let changes = if i < first_compared {
                vec![FieldChange {
                    field: "Changes".into(),
                    before: None,
                    after: Some(format!(
                        "(not compared: only the {COMPARED_REVISIONS} newest revisions are)"
                    )),
                    lines: Vec::new(),
                }]
            } else {
                let before = match i.checked_sub(1) {
                    Some(prev) => &stored[prev].snapshot,
                    None => &empty,
                };
                let deadline = page_deadline.min(std::time::Instant::now() + DIFF_BUDGET);
                changes_until(before, &r.snapshot, deadline)
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

#[cfg(feature = "ssr")]
async fn restore(
    pool: &Pool,
    kind: Kind,
    id: i64,
    version: i32,
    author: i64,
) -> Result<Option<RestoreOutcome>, DbError> {
    use crate::domain::event_form::EventSnapshot;
    use crate::domain::{EventId, SourceId};
    let entity = match kind {
        Kind::Event => revisions::Entity::Event,
        Kind::Source => revisions::Entity::Source,
    };
    let Some(old) = revisions::snapshot_at(pool, entity, id, version).await? else {
        return Ok(None);
    };
    let comment = format!("Restored version {version}");
    let corrupt = |e: serde_json::Error| DbError::Corrupt(format!("revision {version}: {e}"));
    match kind {
        Kind::Event => {
            use crate::db::events::{editable, update, Saved};
            let snapshot: EventSnapshot = serde_json::from_value(old).map_err(corrupt)?;
            let Some(current) = editable(pool, EventId(id)).await? else {
                return Ok(None);
            };
            Ok(Some(
                match update(
                    pool,
                    EventId(id),
                    current.version,
                    &snapshot.draft,
                    author,
                    &comment,
                )
                .await?
                {
                    Saved::Done { version, .. } => RestoreOutcome::Restored { version },
                    Saved::Stale(_) => RestoreOutcome::Conflict,
                },
            ))
        }
        Kind::Source => {
            use crate::db::sources::{editable, from_snapshot, update, SourceSaved};
            let draft = from_snapshot(old)?;
            let Some(current) = editable(pool, SourceId(id)).await? else {
                return Ok(None);
            };
            Ok(Some(
                match update(
                    pool,
                    SourceId(id),
                    current.version,
                    &draft,
                    author,
                    &comment,
                )
                .await?
                {
                    SourceSaved::Done { version, .. } => RestoreOutcome::Restored { version },
                    SourceSaved::Stale(_) => RestoreOutcome::Conflict,
                },
            ))
        }
    }
}

/// Field labels in the order pages show them; snapshot keys not listed come last.
#[cfg(feature = "ssr")]
const LABELS: &[(&str, &str)] = &[
    ("title", "Title"),
    ("status", "Status"),
    ("date", "Date"),
    ("end", "End"),
    ("date_phrase", "The source's words for the date"),
    ("kind", "What happened"),
    ("authorities", "Imposed by"),
    ("targets", "Aimed at"),
    ("legal_instrument", "Legal instrument"),
    ("summary", "Summary"),
    ("cited", "Cited passages"),
    ("related", "Bears on"),
    ("url", "Address"),
    ("publisher", "Publisher"),
    ("authors", "Authors"),
    ("published_on", "Published"),
    ("language", "Language"),
    ("body", "Text"),
];

/// Snapshot keys that hold one line per item (passages, relations): their changes are
/// listed as lines added and removed.
#[cfg(feature = "ssr")]
const LISTS: &[&str] = &["cited", "related"];

/// A snapshot value as a person reads it.
#[cfg(feature = "ssr")]
fn shown(v: &serde_json::Value) -> Option<String> {
    use serde_json::Value;
    match v {
        Value::Null => None,
        Value::String(s) if s.is_empty() => None,
        Value::String(s) => Some(s.clone()),
        Value::Array(items) if items.is_empty() => None,
        Value::Array(items) => Some(
            items
                .iter()
                .filter_map(shown)
                .collect::<Vec<_>>()
                .join(", "),
        ),
        // A date with its precision.
        Value::Object(map) => match (map.get("date"), map.get("precision")) {
            (Some(Value::String(d)), Some(Value::String(p))) => Some(format!("{d} ({p})")),
            _ => Some(v.to_string()),
        },
        other => Some(other.to_string()),
    }
}

/// The fields that differ between two snapshots, in the pages' order.
#[cfg(feature = "ssr")]
pub fn changes(before: &serde_json::Value, after: &serde_json::Value) -> Vec<FieldChange> {
    changes_until(before, after, std::time::Instant::now() + DIFF_BUDGET)
}

/// [`changes`], with long texts diffed until `deadline` at the latest.
#[cfg(feature = "ssr")]
fn changes_until(
    before: &serde_json::Value,
    after: &serde_json::Value,
    deadline: std::time::Instant,
) -> Vec<FieldChange> {
    let null = serde_json::Value::Null;
    let mut keys: Vec<&str> = LABELS.iter().map(|(k, _)| *k).collect();
    if let Some(map) = after.as_object() {
        for k in map.keys() {
            if !keys.contains(&k.as_str()) {
                keys.push(k);
            }
        }
    }
    let first = before.as_object().is_none_or(|m| m.is_empty());
    keys.into_iter()
        .filter_map(|key| {
            let (old, new) = (
                shown(before.get(key).unwrap_or(&null)),
                shown(after.get(key).unwrap_or(&null)),
            );
            if old == new {
                return None;
            }
            let label = LABELS
                .iter()
                .find(|(k, _)| *k == key)
                .map_or(key, |(_, l)| *l)
                .to_owned();
            if LISTS.contains(&key) {
                // Revisions older than these lists do not have them: no change to show.
                if !first && before.get(key).is_none() {
                    return None;
                }
                let lines = |v: Option<&serde_json::Value>| -> String {
                    v.and_then(serde_json::Value::as_array)
                        .map(|items| {
                            items
                                .iter()
                                .filter_map(|i| i.as_str())
                                .map(|i| format!("{i}\n"))
                                .collect()
                        })
                        .unwrap_or_default()
                };
                return Some(diffed(
                    label,
                    &lines(before.get(key)),
                    &lines(after.get(key)),
                    deadline,
                ));
            }
            let long = |s: &Option<String>| {
                s.as_ref()
                    .is_some_and(|s| s.contains('\n') || s.chars().count() > 300)
            };
            if first && long(&new) {
                let n = new.as_deref().map_or(0, |s| s.chars().count());
                return Some(FieldChange {
                    field: label,
                    before: None,
                    after: Some(format!("({n} characters)")),
                    lines: Vec::new(),
                });
            }
            if long(&old) || long(&new) {
                return Some(diffed(
                    label,
                    old.as_deref().unwrap_or(""),
                    new.as_deref().unwrap_or(""),
                    deadline,
                ));
            }
            Some(FieldChange {
                field: label,
                before: old,
                after: new,
                lines: Vec::new(),
            })
        })
        .collect()
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
            out.push(DiffLine {
                kind: '…',
                text: String::new(),
            });
        }
        for op in group {
            for change in diff.iter_changes(op) {
                let kind = match change.tag() {
                    ChangeTag::Delete => '-',
                    ChangeTag::Insert => '+',
                    ChangeTag::Equal => ' ',
                };
                let text = change.value().trim_end_matches('\n');
                // Paragraph breaks are blank lines: not worth a row of their own.
                if kind == ' ' && text.is_empty() {
                    continue;
                }
                shown_chars += text.len();
                if out.len() >= MAX_SHOWN_LINES || shown_chars > MAX_SHOWN_CHARS {
                    return None;
                }
                out.push(DiffLine {
                    kind,
                    text: text.to_owned(),
                });
            }
        }
    }
    Some(out)
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_changed_fields_are_listed_with_readable_values() {
        let before = json!({"title": "A", "authorities": ["X"], "date": {"date": "2019-05-16", "precision": "day"}, "summary": ""});
        let after = json!({"title": "A", "authorities": ["X", "Y"], "date": {"date": "2019-05-01", "precision": "month"}, "summary": "Now with a summary"});
        let c = changes(&before, &after);
        let fields: Vec<&str> = c.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["Date", "Imposed by", "Summary"]);
        assert_eq!(c[0].before.as_deref(), Some("2019-05-16 (day)"));
        assert_eq!(c[1].after.as_deref(), Some("X, Y"));
        assert_eq!(c[2].before, None);
    }

    #[test]
    fn cited_passages_and_relations_are_listed_as_lines_added_and_removed() {
        let v1 = json!({"title": "A", "cited": ["“Et.” — Kilde (source 1)"], "related": []});
        let v2 = json!({"title": "A", "cited": ["“To.” — Kilde (source 1)"], "related": ["modifies B (event 2)"]});
        let c = changes(&v1, &v2);
        let shown: Vec<(&str, Vec<(char, &str)>)> = c
            .iter()
            .map(|f| {
                let lines = f.lines.iter().map(|l| (l.kind, l.text.as_str())).collect();
                (f.field.as_str(), lines)
            })
            .collect();
        assert_eq!(
            shown,
            [
                (
                    "Cited passages",
                    vec![
                        ('-', "“Et.” — Kilde (source 1)"),
                        ('+', "“To.” — Kilde (source 1)")
                    ]
                ),
                ("Bears on", vec![('+', "modifies B (event 2)")]),
            ]
        );
        // A revision written before these lists existed shows no change in them.
        assert!(changes(&json!({"title": "A"}), &v1).is_empty());
        // The first revision lists what it cites.
        let first = changes(&json!({}), &v1);
        assert_eq!(first.len(), 2, "{first:?}");
        assert_eq!(first[1].lines.len(), 1);
    }

    #[test]
    fn long_text_changes_are_shown_as_changed_lines() {
        let old = "Et.\n\nTo.\n\nTre.\n\nFire.\n\nFem.";
        let new = "Et.\n\nTo.\n\nTre, rettet.\n\nFire.\n\nFem.";
        let c = changes(&json!({"body": old}), &json!({"body": new}));
        let lines: Vec<(char, &str)> = c[0]
            .lines
            .iter()
            .map(|l| (l.kind, l.text.as_str()))
            .collect();
        assert_eq!(
            lines,
            [
                (' ', "To."),
                ('-', "Tre."),
                ('+', "Tre, rettet."),
                (' ', "Fire.")
            ]
        );
        // The first revision names the text's size instead of listing all of it.
        let first = changes(&json!({}), &json!({"body": old}));
        assert_eq!(first[0].after.as_deref(), Some("(27 characters)"));
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
        let c = changes(&json!({"body": old}), &json!({"body": new}));
        assert_eq!(c[0].field, "Text");
        assert_eq!(
            note(&c[0]),
            "(too large to compare: 1000000 characters before, 1000000 after)"
        );
        // Few lines, but every one of them different and long: too much to show.
        let long_lines = |c: char| (c.to_string().repeat(9_999) + "\n").repeat(100);
        let c = changes(
            &json!({"body": long_lines('a')}),
            &json!({"body": long_lines('b')}),
        );
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
        let c = changes_until(&json!({"body": old}), &json!({"body": new}), far);
        let lines: Vec<(char, String)> = c[0]
            .lines
            .iter()
            .map(|l| (l.kind, l.text.chars().take(14).collect()))
            .collect();
        assert_eq!(
            lines,
            [
                (' ', "Paragraph 4998".into()),
                (' ', "Paragraph 4999".into()),
                ('-', "Paragraph 5000".into()),
                ('+', "Rettet.".into()),
                (' ', "Paragraph 5001".into()),
                (' ', "Paragraph 5002".into()),
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
                snapshot: json!({"title": format!("Version {version}")}),
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
