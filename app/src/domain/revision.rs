//! What a revision keeps: an event or a source as it stood after a change, and its fields
//! in the order and words a history shows them. `db::revisions` writes and reads these;
//! `crate::history` compares them.

use super::event_form::EventSnapshot;
use super::source::LanguageTag;
use super::source_form::SourceDraft;
use super::FuzzyDate;
use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize};

/// The record as one revision kept it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Snapshot {
    Event(EventSnapshot),
    /// An event as revisions kept it before they listed its cited passages and relations:
    /// read back, never written. Its history shows no change in those lists.
    EventBeforeLists(EventSnapshot),
    Source(SourceSnapshot),
}

/// A source as its revisions keep it. The field names are the stored JSON's: rows
/// written by earlier versions read back unchanged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceSnapshot {
    pub url: String,
    /// Absent from revisions written before sources had one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archive_url: Option<String>,
    pub title: String,
    pub publisher: String,
    pub authors: Vec<String>,
    pub published_on: NaiveDate,
    /// Checked as it is read back: a restore stores it again.
    #[serde(deserialize_with = "language_tag")]
    pub language: LanguageTag,
    pub body: String,
}

fn language_tag<'de, D: Deserializer<'de>>(d: D) -> Result<LanguageTag, D::Error> {
    String::deserialize(d)?
        .parse()
        .map_err(serde::de::Error::custom)
}

impl From<&SourceDraft> for SourceSnapshot {
    fn from(d: &SourceDraft) -> Self {
        SourceSnapshot {
            url: d.url.clone(),
            archive_url: d.archive_url.clone(),
            title: d.title.clone(),
            publisher: d.publisher.clone(),
            authors: d.authors.clone(),
            published_on: d.published_on,
            language: d.language.clone(),
            body: d.body.clone(),
        }
    }
}

impl From<SourceSnapshot> for SourceDraft {
    fn from(s: SourceSnapshot) -> Self {
        SourceDraft {
            url: s.url,
            archive_url: s.archive_url,
            title: s.title,
            publisher: s.publisher,
            authors: s.authors,
            published_on: s.published_on,
            language: s.language,
            body: s.body,
        }
    }
}

/// A field of an event or a source, in the order a history lists changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Title,
    Status,
    Date,
    End,
    DatePhrase,
    Kind,
    Authorities,
    Targets,
    LegalInstrument,
    LegalAct,
    Lifecycle,
    Summary,
    Cited,
    Related,
    Url,
    ArchiveUrl,
    Publisher,
    Authors,
    PublishedOn,
    Language,
    Body,
}

impl Field {
    /// The field's name as the forms and the history show it.
    pub fn label(self) -> &'static str {
        match self {
            Field::Title => "Title",
            Field::Status => "Status",
            Field::Date => "Date",
            Field::End => "End",
            Field::DatePhrase => "The source's words for the date",
            Field::Kind => "What happened",
            Field::Authorities => "Imposed by",
            Field::Targets => "Aimed at",
            Field::LegalInstrument => "Legal instrument",
            Field::LegalAct => "Official identifier",
            Field::Lifecycle => "The measure's dates",
            Field::Summary => "Summary",
            Field::Cited => "Cited passages",
            Field::Related => "Bears on",
            Field::Url => "Address",
            Field::ArchiveUrl => "Archived copy",
            Field::Publisher => "Publisher",
            Field::Authors => "Authors",
            Field::PublishedOn => "Published",
            Field::Language => "Language",
            Field::Body => "Text",
        }
    }
}

/// A field's value as a person reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldValue {
    /// `None` when empty.
    Text(Option<String>),
    /// One line per item (cited passages, relations); `None` when the revision did not
    /// keep the list.
    Lines(Option<Vec<String>>),
}

impl Snapshot {
    /// Every field with its value, in the history's order.
    pub fn fields(&self) -> Vec<(Field, FieldValue)> {
        use FieldValue::{Lines, Text};
        match self {
            Snapshot::Event(e) | Snapshot::EventBeforeLists(e) => {
                let kept = matches!(self, Snapshot::Event(_));
                let d = &e.draft;
                vec![
                    (Field::Title, Text(text(&d.title))),
                    (Field::Status, Text(Some(e.status.as_str().to_owned()))),
                    (Field::Date, Text(Some(dated(d.date)))),
                    (Field::End, Text(d.end.map(dated))),
                    (
                        Field::DatePhrase,
                        Text(d.date_phrase.as_deref().and_then(text)),
                    ),
                    (Field::Kind, Text(Some(d.kind.as_str().to_owned()))),
                    (Field::Authorities, Text(names(&d.authorities))),
                    (Field::Targets, Text(names(&d.targets))),
                    (
                        Field::LegalInstrument,
                        Text(d.legal_instrument.as_deref().and_then(text)),
                    ),
                    (
                        Field::LegalAct,
                        Text(d.legal_act.as_ref().map(|a| a.citation())),
                    ),
                    (
                        Field::Lifecycle,
                        Lines(Some(
                            d.lifecycle
                                .iter()
                                .map(|m| format!("{}: {}", m.step.label(), dated(m.date)))
                                .collect(),
                        )),
                    ),
                    (Field::Summary, Text(text(&d.summary))),
                    (Field::Cited, Lines(kept.then(|| e.cited.clone()))),
                    (Field::Related, Lines(kept.then(|| e.related.clone()))),
                ]
            }
            Snapshot::Source(s) => vec![
                (Field::Title, Text(text(&s.title))),
                (Field::Url, Text(text(&s.url))),
                (Field::ArchiveUrl, Text(s.archive_url.clone())),
                (Field::Publisher, Text(text(&s.publisher))),
                (Field::Authors, Text(names(&s.authors))),
                (Field::PublishedOn, Text(Some(s.published_on.to_string()))),
                (Field::Language, Text(text(s.language.as_str()))),
                (Field::Body, Text(text(&s.body))),
            ],
        }
    }
}

fn text(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_owned())
}

/// Names as one line: "Huawei, HiSilicon".
fn names(list: &[String]) -> Option<String> {
    let shown: Vec<&str> = list
        .iter()
        .map(String::as_str)
        .filter(|n| !n.is_empty())
        .collect();
    (!list.is_empty()).then(|| shown.join(", "))
}

/// A date with its precision, as stored: "2019-05-01 (month)".
fn dated(d: FuzzyDate) -> String {
    format!("{} ({})", d.date, d.precision.as_str())
}
