//! Where an actor is found in other databases: its Wikidata item (`Q160120`) and, for a
//! target, its OpenSanctions entity (`NK-…`, `ofac-12345`). Each is parsed from what an
//! editor pastes (the id or the page's address), checked by its format (as the database
//! checks it, migration `actor_identifiers`) and linked to its public page.

use super::source_form::FieldErrors;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A Wikidata item id: `Q` and a number without leading zeros.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct WikidataQid(String);

/// An OpenSanctions entity id: letters, digits, `-`, `_` and `.`, at most 128.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct OpenSanctionsId(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdentifierError {
    #[error("a Wikidata item is Q and a number, like Q160120, or its wikidata.org address")]
    Wikidata,
    #[error("an OpenSanctions id is letters, digits, '-', '_' and '.', like NK-3FnnHDz6pS6ZZSJW7r9uVd, or its opensanctions.org/entities/… address")]
    OpenSanctions,
}

/// `text` less any of these address prefixes, and a trailing `/` or `#…`/`?…`.
fn strip_address<'a>(text: &'a str, prefixes: &[&str]) -> &'a str {
    let bare = prefixes
        .iter()
        .find_map(|p| text.strip_prefix(p))
        .map(|rest| rest.split(['?', '#']).next().unwrap_or(rest))
        .unwrap_or(text);
    bare.strip_suffix('/').unwrap_or(bare)
}

impl std::str::FromStr for WikidataQid {
    type Err = IdentifierError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let id = strip_address(
            s.trim(),
            &[
                "https://www.wikidata.org/wiki/",
                "http://www.wikidata.org/wiki/",
                "https://wikidata.org/wiki/",
                "https://m.wikidata.org/wiki/",
                "https://www.wikidata.org/entity/",
                "http://www.wikidata.org/entity/",
            ],
        );
        let digits = id
            .strip_prefix('Q')
            .or_else(|| id.strip_prefix('q'))
            .ok_or(IdentifierError::Wikidata)?;
        let valid = (1..=12).contains(&digits.len())
            && !digits.starts_with('0')
            && digits.bytes().all(|b| b.is_ascii_digit());
        if valid {
            Ok(WikidataQid(format!("Q{digits}")))
        } else {
            Err(IdentifierError::Wikidata)
        }
    }
}

impl std::str::FromStr for OpenSanctionsId {
    type Err = IdentifierError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let id = strip_address(
            s.trim(),
            &[
                "https://www.opensanctions.org/entities/",
                "https://opensanctions.org/entities/",
                "http://www.opensanctions.org/entities/",
            ],
        );
        let mut chars = id.chars();
        let valid = id.len() <= 128
            && chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
            && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
        if valid {
            Ok(OpenSanctionsId(id.to_owned()))
        } else {
            Err(IdentifierError::OpenSanctions)
        }
    }
}

impl WikidataQid {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn url(&self) -> String {
        format!("https://www.wikidata.org/wiki/{}", self.0)
    }
}

impl OpenSanctionsId {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn url(&self) -> String {
        format!("https://www.opensanctions.org/entities/{}/", self.0)
    }
}

macro_rules! string_conversions {
    ($($t:ty),*) => {$(
        impl TryFrom<String> for $t {
            type Error = IdentifierError;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                s.parse()
            }
        }
        impl From<$t> for String {
            fn from(id: $t) -> String {
                id.0
            }
        }
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    )*};
}
string_conversions!(WikidataQid, OpenSanctionsId);

/// An actor's identifiers as an editor typed them; empty fields clear them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentifiersForm {
    #[serde(default)]
    pub wikidata: String,
    #[serde(default)]
    pub opensanctions: String,
}

/// An actor's identifiers, checked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActorIdentifiers {
    pub wikidata: Option<WikidataQid>,
    pub opensanctions: Option<OpenSanctionsId>,
}

impl IdentifiersForm {
    /// The identifiers, or what is wrong with each field.
    pub fn parse(&self) -> Result<ActorIdentifiers, FieldErrors> {
        fn field<T: std::str::FromStr<Err = IdentifierError>>(
            text: &str,
            name: &'static str,
            errors: &mut FieldErrors,
        ) -> Option<T> {
            if text.trim().is_empty() {
                return None;
            }
            text.parse()
                .map_err(|e: IdentifierError| errors.add(name, e.to_string()))
                .ok()
        }
        let mut errors = FieldErrors::default();
        let wikidata = field(&self.wikidata, "wikidata", &mut errors);
        let opensanctions = field(&self.opensanctions, "opensanctions", &mut errors);
        if errors.is_empty() {
            Ok(ActorIdentifiers {
                wikidata,
                opensanctions,
            })
        } else {
            Err(errors)
        }
    }
}

impl From<&ActorIdentifiers> for IdentifiersForm {
    fn from(ids: &ActorIdentifiers) -> Self {
        IdentifiersForm {
            wikidata: ids
                .wikidata
                .as_ref()
                .map(|q| q.to_string())
                .unwrap_or_default(),
            opensanctions: ids
                .opensanctions
                .as_ref()
                .map(|o| o.to_string())
                .unwrap_or_default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wikidata_items_are_read_from_ids_and_addresses() {
        for typed in [
            "Q160120",
            " q160120 ",
            "https://www.wikidata.org/wiki/Q160120",
            "https://www.wikidata.org/wiki/Q160120#sitelinks-wikipedia",
            "http://www.wikidata.org/entity/Q160120",
        ] {
            let qid: WikidataQid = typed.parse().expect(typed);
            assert_eq!(qid.as_str(), "Q160120", "{typed}");
            assert_eq!(qid.url(), "https://www.wikidata.org/wiki/Q160120");
        }
        for wrong in [
            "",
            "Q",
            "Q0",
            "Q012",
            "P31",
            "Q1234567890123",
            "Q12a",
            "Q12 Q13",
            "https://example.org/wiki/Q160120",
            "javascript:alert(1)",
            "Q١٢",
        ] {
            assert_eq!(
                wrong.parse::<WikidataQid>(),
                Err(IdentifierError::Wikidata),
                "{wrong}"
            );
        }
    }

    #[test]
    fn opensanctions_ids_are_read_from_ids_and_addresses() {
        for (typed, id) in [
            ("NK-3FnnHDz6pS6ZZSJW7r9uVd", "NK-3FnnHDz6pS6ZZSJW7r9uVd"),
            ("ofac-12345", "ofac-12345"),
            (
                "https://www.opensanctions.org/entities/ofac-12345/",
                "ofac-12345",
            ),
            (
                "https://opensanctions.org/entities/gb-hmt-1.2?x=1",
                "gb-hmt-1.2",
            ),
        ] {
            let parsed: OpenSanctionsId = typed.parse().expect(typed);
            assert_eq!(parsed.as_str(), id, "{typed}");
        }
        assert_eq!(
            "ofac-12345".parse::<OpenSanctionsId>().unwrap().url(),
            "https://www.opensanctions.org/entities/ofac-12345/"
        );
        for wrong in [
            "",
            "-leading",
            "has space",
            "a/b",
            "../etc",
            "<script>",
            "ø-id",
            &"x".repeat(129),
        ] {
            assert!(wrong.parse::<OpenSanctionsId>().is_err(), "{wrong}");
        }
    }

    #[test]
    fn the_form_names_each_wrong_field_and_empty_fields_clear() {
        let form = IdentifiersForm {
            wikidata: "P31".into(),
            opensanctions: "a b".into(),
        };
        let errors = form.parse().expect_err("both wrong");
        assert!(errors.get("wikidata").is_some());
        assert!(errors.get("opensanctions").is_some());
        assert_eq!(
            IdentifiersForm::default().parse(),
            Ok(ActorIdentifiers::default())
        );
    }
}
