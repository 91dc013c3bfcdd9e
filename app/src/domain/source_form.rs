//! The "add a source" form: what an editor typed, and its parse into a source that may be
//! stored, or an error next to each field that is wrong.

use super::source::LanguageTag;
use super::source_text::{body_between, guess_bounds, paragraphs};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub const MAX_BODY_CHARS: usize = 1_000_000;
pub const MAX_URL_CHARS: usize = 2000;

/// The form's fields as typed. Bounds are paragraph indexes (`start..end`) into the
/// pasted text; left empty, the automatic guess is used.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceForm {
    pub url: String,
    /// An archived copy's address (a Wayback Machine snapshot, ...); may be left empty.
    #[serde(default)]
    pub archive_url: String,
    pub title: String,
    pub publisher: String,
    #[serde(default)]
    pub authors: String,
    pub published_on: String,
    pub language: String,
    pub text: String,
    #[serde(default)]
    pub start: Option<String>,
    #[serde(default)]
    pub end: Option<String>,
}

/// Errors by field name, in form order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldErrors(pub Vec<(String, String)>);

/// The longest comment a save may carry (the revisions table holds no more).
pub const MAX_COMMENT_CHARS: usize = 2_000;

/// A save's comment, trimmed; over `MAX_COMMENT_CHARS` it is a field error, so the save is
/// refused with a message and the form keeps what was typed.
pub fn comment(raw: Option<&str>) -> Result<&str, FieldErrors> {
    let c = raw.unwrap_or("").trim();
    if c.chars().count() > MAX_COMMENT_CHARS {
        return Err(FieldErrors::one(
            "comment",
            format!(
                "the comment is {} characters long; keep it to {MAX_COMMENT_CHARS}",
                c.chars().count()
            ),
        ));
    }
    Ok(c)
}

impl FieldErrors {
    /// A single message, for a check only the database can make (a name taken, ...).
    pub fn one(field: &str, message: impl Into<String>) -> Self {
        let mut errors = FieldErrors::default();
        errors.add(field, message);
        errors
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }

    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.push((field.to_owned(), message.into()));
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// A source that passed every check, ready to store (the demo loader builds these too).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceDraft {
    pub url: String,
    /// Where the article can still be read if the publisher's page goes.
    pub archive_url: Option<String>,
    pub title: String,
    pub publisher: String,
    pub authors: Vec<String>,
    pub published_on: NaiveDate,
    pub language: LanguageTag,
    pub body: String,
}

/// A source as its edit form shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditableSource {
    pub id: super::source::SourceId,
    pub version: i32,
    pub form: SourceForm,
}

/// What editing a source's text did to the passages cited from it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReanchorReport {
    /// Still at their offsets.
    pub kept: usize,
    /// Found again by their text and context, at new offsets.
    pub moved: usize,
    /// No longer placeable with certainty: kept as they were and flagged for review.
    pub flagged: Vec<FlaggedQuote>,
}

/// A citation an editor must look at after its source changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlaggedQuote {
    pub event_id: super::event::EventId,
    pub event_title: String,
    pub exact: String,
}

impl SourceDraft {
    /// The form filled in with this source, for editing it (the whole text, as stored).
    pub fn to_form(&self) -> SourceForm {
        SourceForm {
            url: self.url.clone(),
            archive_url: self.archive_url.clone().unwrap_or_default(),
            title: self.title.clone(),
            publisher: self.publisher.clone(),
            authors: self.authors.join(", "),
            published_on: self.published_on.format("%Y-%m-%d").to_string(),
            language: self.language.as_str().to_owned(),
            text: self.body.clone(),
            start: None,
            end: None,
        }
    }
}

impl SourceForm {
    /// For an edit: the text is taken whole (it was cut to the article when added) and the
    /// address stays the source's own.
    pub fn for_edit(mut self, url: &str) -> SourceForm {
        self.url = url.to_owned();
        self.start = Some("0".into());
        self.end = Some(paragraphs(&self.text).len().to_string());
        self
    }
}

fn text_field(
    errors: &mut FieldErrors,
    field: &str,
    label: &str,
    value: &str,
    max: usize,
) -> String {
    let v = value.trim();
    if v.is_empty() {
        errors.add(field, format!("{label} is required"));
    } else if v.chars().count() > max {
        errors.add(field, format!("{label} may have at most {max} characters"));
    }
    v.to_owned()
}

/// Why `address` (trimmed, not empty) is not a web address a reader can open: http or
/// https, a host, no spaces, at most `MAX_URL_CHARS`.
fn web_address(address: &str) -> Result<(), String> {
    let host_ok = address
        .split_once("://")
        .map(|(scheme, rest)| {
            matches!(scheme, "http" | "https")
                && rest
                    .split(['/', '?', '#'])
                    .next()
                    .is_some_and(|h| !h.is_empty() && !h.contains(char::is_whitespace))
        })
        .unwrap_or(false);
    if !host_ok || address.contains(char::is_whitespace) {
        Err("web address, starting with http:// or https://".into())
    } else if address.len() > MAX_URL_CHARS {
        Err(format!(
            "address in at most {MAX_URL_CHARS} characters (this one has {})",
            address.len()
        ))
    } else {
        Ok(())
    }
}

fn bound(errors: &mut FieldErrors, field: &str, value: &Option<String>, default: usize) -> usize {
    match value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
        None => default,
        Some(v) => v.parse().unwrap_or_else(|_| {
            errors.add(field, "choose a paragraph");
            default
        }),
    }
}

impl SourceForm {
    /// Checks every field (all errors at once, so the editor fixes them in one go).
    /// `today` bounds the publication date.
    pub fn parse(&self, today: NaiveDate) -> Result<SourceDraft, FieldErrors> {
        let mut errors = FieldErrors::default();
        let url = self.url.trim().to_owned();
        if url.is_empty() {
            errors.add("url", "the article's address is required");
        } else if let Err(e) = web_address(&url) {
            errors.add("url", format!("give the article's {e}"));
        }
        let archive_url = match self.archive_url.trim() {
            "" => None,
            a => match web_address(a) {
                Err(e) => {
                    errors.add("archive_url", format!("give the archived copy's {e}"));
                    None
                }
                Ok(()) if a == url => {
                    errors.add(
                        "archive_url",
                        "the archived copy's address is the article's own; give the copy's \
                         (a Wayback Machine snapshot, for instance) or leave it empty",
                    );
                    None
                }
                Ok(()) => Some(a.to_owned()),
            },
        };
        let title = text_field(&mut errors, "title", "The title", &self.title, 500);
        let publisher = text_field(
            &mut errors,
            "publisher",
            "The publisher",
            &self.publisher,
            200,
        );
        let authors: Vec<String> = self
            .authors
            .split([',', ';'])
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(str::to_owned)
            .collect();
        if authors.iter().any(|a| a.chars().count() > 200) {
            errors.add("authors", "a name may have at most 200 characters");
        }
        let published_on = match self.published_on.trim() {
            "" => {
                errors.add("published_on", "the publication date is required");
                None
            }
            d => match super::dates::parse_iso_day(d) {
                Ok(d) if d > today => {
                    errors.add("published_on", "the publication date is in the future");
                    None
                }
                Ok(d) => Some(d),
                Err(e) => {
                    errors.add("published_on", e.to_string());
                    None
                }
            },
        };
        let language = match self.language.parse::<LanguageTag>() {
            Ok(l) => Some(l),
            Err(e) => {
                errors.add("language", e);
                None
            }
        };
        let paras = paragraphs(&self.text);
        let (guess_start, guess_end) = guess_bounds(&paras);
        let start = bound(&mut errors, "start", &self.start, guess_start);
        let end = bound(&mut errors, "end", &self.end, guess_end);
        let body = if paras.is_empty() {
            errors.add("text", "paste the article's text");
            String::new()
        } else if start >= end || end > paras.len() {
            errors.add("end", "the article must end after it starts");
            String::new()
        } else {
            let body = body_between(&paras, start, end);
            if body.chars().count() > MAX_BODY_CHARS {
                errors.add(
                    "text",
                    format!("the text may have at most {MAX_BODY_CHARS} characters"),
                );
            }
            body
        };
        match (published_on, language) {
            (Some(published_on), Some(language)) if errors.is_empty() => Ok(SourceDraft {
                url,
                archive_url,
                title,
                publisher,
                authors,
                published_on,
                language,
                body,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
    }

    fn form() -> SourceForm {
        SourceForm {
            url: "https://www.computerworld.dk/art/248000".into(),
            archive_url: String::new(),
            title: "Trump lemper på Huawei-sanktioner".into(),
            publisher: "Computerworld".into(),
            authors: "Jane Doe; John Roe".into(),
            published_on: "2019-06-29".into(),
            language: "da".into(),
            text: "Titel\n\nArtikel top billede\n\nFørste afsnit.\n\nLæs også:\n\nAndet".into(),
            start: None,
            end: None,
        }
    }

    #[test]
    fn a_good_form_parses_with_the_automatic_bounds() {
        let d = form().parse(today()).unwrap();
        assert_eq!(d.body, "Titel\n\nFørste afsnit.");
        assert_eq!(d.authors, ["Jane Doe", "John Roe"]);
        let mut f = form();
        f.start = Some("2".into());
        f.end = Some("3".into());
        assert_eq!(f.parse(today()).unwrap().body, "Første afsnit.");
    }

    #[test]
    fn every_bad_field_gets_its_own_message() {
        let f = SourceForm {
            url: "ftp://example.org/x".into(),
            title: " ".into(),
            publisher: "P".repeat(201),
            published_on: "2019-02-30".into(),
            language: "danish".into(),
            text: String::new(),
            ..form()
        };
        let e = f.parse(today()).unwrap_err();
        for field in [
            "url",
            "title",
            "publisher",
            "published_on",
            "language",
            "text",
        ] {
            assert!(e.get(field).is_some(), "{field}: {e:?}");
        }
        assert!(e.get("url").unwrap().contains("http"));
        let mut f = form();
        f.published_on = "2027-01-01".into();
        assert!(f
            .parse(today())
            .unwrap_err()
            .get("published_on")
            .unwrap()
            .contains("future"));
        let mut f = form();
        f.start = Some("2".into());
        f.end = Some("1".into());
        assert!(f.parse(today()).unwrap_err().get("end").is_some());
    }

    #[test]
    fn an_archived_copy_is_optional_and_must_be_a_web_address_of_its_own() {
        assert_eq!(form().parse(today()).unwrap().archive_url, None);
        let mut f = form();
        f.archive_url =
            "  https://web.archive.org/web/20190629/https://www.computerworld.dk/art/248000 "
                .into();
        assert_eq!(
            f.parse(today()).unwrap().archive_url.as_deref(),
            Some("https://web.archive.org/web/20190629/https://www.computerworld.dk/art/248000")
        );
        assert_eq!(
            f.parse(today()).unwrap().to_form().archive_url,
            "https://web.archive.org/web/20190629/https://www.computerworld.dk/art/248000"
        );
        for bad in [
            "javascript:alert(1)",
            "web.archive.org/web/2019/x",
            "https:// spaced.example/",
            "data:text/html,<script>",
        ] {
            f.archive_url = bad.into();
            let e = f.parse(today()).unwrap_err();
            assert!(
                e.get("archive_url").unwrap().contains("http"),
                "{bad}: {e:?}"
            );
            assert_eq!(e.0.len(), 1, "only the archive field is wrong: {e:?}");
        }
        f.archive_url = format!("https://archive.example/{}", "x".repeat(MAX_URL_CHARS));
        assert!(f
            .parse(today())
            .unwrap_err()
            .get("archive_url")
            .unwrap()
            .contains("at most"));
        f.archive_url = f.url.clone();
        assert!(f
            .parse(today())
            .unwrap_err()
            .get("archive_url")
            .unwrap()
            .contains("own"));
    }
}
