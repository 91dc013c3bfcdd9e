//! Review: an editor's save to a published event, or to a source published events cite,
//! waits as a pending change until an admin approves it (it then goes live through the
//! normal save, as a revision authored by the editor) or rejects it. Readers see the
//! approved record throughout. This is what the review page shows; the server functions
//! that hold, list and decide changes are `server_fns::review`.

use crate::domain::source_form::{FieldErrors, ReanchorReport};
use crate::history::FieldChange;
use serde::{Deserialize, Serialize};

/// One change waiting for an admin, with what it would change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingView {
    pub id: i64,
    /// "event" or "source".
    pub entity: String,
    pub entity_id: i64,
    /// The title readers see now.
    pub title: String,
    /// Its edit page.
    pub href: String,
    pub author: String,
    /// UTC, minutes.
    pub at: String,
    pub comment: String,
    /// The version the change was made on, and the version the record is at now: when
    /// they differ, approving is refused.
    pub base_version: i32,
    pub current_version: i32,
    /// The fields that differ from the live record.
    pub changes: Vec<FieldChange>,
    /// Why no changes can be shown (the form no longer passes its checks).
    pub note: Option<String>,
}

/// What an admin's decision on a pending change came to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum DecideOutcome {
    /// Live as revision `version`; for a source, what became of its cited passages.
    Approved {
        version: i32,
        href: String,
        report: Option<ReanchorReport>,
    },
    Rejected,
    /// The record moved on since the change was made: nothing was written and the change
    /// stays pending (reject it, or let the editor redo it on the new version).
    Stale {
        base: i32,
        current: i32,
    },
    /// The change no longer applies (a passage, a relation, a field): nothing was written
    /// and it stays pending.
    Invalid(FieldErrors),
    /// Another admin decided it first.
    AlreadyDecided,
}
