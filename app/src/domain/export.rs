//! An event as the downloads write it (`/exports/events.csv`, `/exports/events.ndjson`):
//! what its permalink shows (dates, actors, kind, legal act, the measure's steps, each
//! cited passage with its source and offsets), flat enough for a spreadsheet row or one
//! line of JSON.

use super::event::{EventId, EventKind};
use super::legal_act::LegalAct;
use super::lifecycle::{Lifecycle, LifecycleStep};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// How many events one read of an export fetches: the memory an export holds at once.
pub const EXPORT_PAGE: i64 = 500;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportedEvent {
    pub id: EventId,
    /// The permalink: a path as read, an address once the server adds its own.
    pub permalink: String,
    pub title: String,
    pub kind: EventKind,
    /// `2019-05-16`, `2019-05` or `2019`, as precise as the record knows it.
    pub date: String,
    pub end_date: Option<String>,
    pub summary: String,
    pub authorities: Vec<String>,
    pub targets: Vec<String>,
    pub legal_instrument: Option<String>,
    pub legal_act: Option<LegalAct>,
    pub lifecycle: Lifecycle,
    pub citations: Vec<ExportedCitation>,
}

/// One cited passage: the exact quote, where it stands in the stored source text
/// (character offsets, as the source page marks it) and the source it comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportedCitation {
    pub quote: String,
    pub start: i64,
    pub end: i64,
    pub source_id: i64,
    pub source_url: String,
    /// The source's archived copy, when it has one.
    #[serde(default)]
    pub source_archive_url: Option<String>,
    pub source_title: String,
    pub publisher: String,
    pub published_on: NaiveDate,
    pub language: String,
    /// Our stored copy with the passage marked: a path as read, an address once served.
    #[serde(default)]
    pub stored_copy: String,
    /// The step of the measure the passage states, if it states one.
    pub states: Option<LifecycleStep>,
    /// The source was edited and the passage not yet placed again by an editor.
    pub needs_review: bool,
}
