//! Official identifiers of legal acts: the one an editor names an event's legal act by,
//! typed by its kind and checked by that kind's format, and those recognised in an
//! event's free-text legal instrument ("Entity List, 15 CFR 744", "FR Doc. 2019-10616",
//! "CELEX:32014R0833"). Each is linked to the official page that publishes the act; text
//! that is no identifier stays plain text.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::ops::Range;

/// Stored and sent as `{"kind", "id", "url"}`; read back through [`LegalActKind::parse`],
/// so an identifier that does not fit its kind never gets in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[serde(try_from = "LegalActRecord", into = "LegalActRecord")]
pub enum LegalAct {
    /// A US Federal Register document number, `2019-10616`.
    FederalRegister(String),
    /// A Code of Federal Regulations title and part, or section (`15 CFR 744.11`).
    Cfr { title: u32, part: String },
    /// An EU CELEX number, `32014R0833`.
    Celex(String),
    /// A European Legislation Identifier, as its URI.
    Eli(String),
    /// A UK statutory instrument, `SI 2019/1234`.
    UkStatutoryInstrument { year: u32, number: u32 },
    /// A UN Security Council resolution, `S/RES/2231 (2015)`.
    UnscResolution { number: u32, year: u32 },
    /// An OFAC recent action, by its date.
    OfacAction(NaiveDate),
    /// Any other official page, by its http(s) address.
    Url(String),
}

impl LegalAct {
    /// The page that publishes the act.
    pub fn official_url(&self) -> String {
        match self {
            LegalAct::FederalRegister(n) => format!("https://www.federalregister.gov/d/{n}"),
            LegalAct::Cfr { title, part } if part.contains('.') => {
                format!("https://www.ecfr.gov/current/title-{title}/section-{part}")
            }
            LegalAct::Cfr { title, part } => {
                format!("https://www.ecfr.gov/current/title-{title}/part-{part}")
            }
            LegalAct::Celex(n) => {
                format!("https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:{n}")
            }
            LegalAct::Eli(uri) | LegalAct::Url(uri) => uri.clone(),
            LegalAct::UkStatutoryInstrument { year, number } => {
                format!("https://www.legislation.gov.uk/uksi/{year}/{number}")
            }
            LegalAct::UnscResolution { number, year } => {
                format!("https://undocs.org/S/RES/{number}({year})")
            }
            LegalAct::OfacAction(d) => format!(
                "https://ofac.treasury.gov/recent-actions/{}",
                d.format("%Y%m%d")
            ),
        }
    }

    /// What kind of identifier it is, in words, for the link's title.
    pub fn kind_label(&self) -> &'static str {
        match self {
            LegalAct::FederalRegister(_) => "Federal Register document",
            LegalAct::Cfr { .. } => "Code of Federal Regulations",
            LegalAct::Celex(_) => "EUR-Lex (CELEX number)",
            LegalAct::Eli(_) => "European Legislation Identifier",
            LegalAct::UkStatutoryInstrument { .. } => "UK statutory instrument",
            LegalAct::UnscResolution { .. } => "UN Security Council resolution",
            LegalAct::OfacAction(_) => "OFAC recent action",
            LegalAct::Url(_) => "Official page",
        }
    }
}

/// The kinds of identifier an editor may name an event's legal act by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum LegalActKind {
    FederalRegister,
    Cfr,
    Celex,
    Eli,
    UkSi,
    Unsc,
    Ofac,
    Url,
}

impl LegalActKind {
    pub const ALL: [LegalActKind; 8] = [
        LegalActKind::FederalRegister,
        LegalActKind::Cfr,
        LegalActKind::Celex,
        LegalActKind::Eli,
        LegalActKind::UkSi,
        LegalActKind::Unsc,
        LegalActKind::Ofac,
        LegalActKind::Url,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LegalActKind::FederalRegister => "federal_register",
            LegalActKind::Cfr => "cfr",
            LegalActKind::Celex => "celex",
            LegalActKind::Eli => "eli",
            LegalActKind::UkSi => "uk_si",
            LegalActKind::Unsc => "unsc",
            LegalActKind::Ofac => "ofac",
            LegalActKind::Url => "url",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            LegalActKind::FederalRegister => "Federal Register document",
            LegalActKind::Cfr => "Code of Federal Regulations",
            LegalActKind::Celex => "EUR-Lex (CELEX number)",
            LegalActKind::Eli => "European Legislation Identifier",
            LegalActKind::UkSi => "UK statutory instrument",
            LegalActKind::Unsc => "UN Security Council resolution",
            LegalActKind::Ofac => "OFAC recent action",
            LegalActKind::Url => "Official page",
        }
    }

    /// How an identifier of this kind is written, for the form and its errors.
    pub fn example(self) -> &'static str {
        match self {
            LegalActKind::FederalRegister => "2019-10616",
            LegalActKind::Cfr => "15 CFR 744.11",
            LegalActKind::Celex => "32014R0833",
            LegalActKind::Eli => "http://data.europa.eu/eli/reg/2014/833/oj",
            LegalActKind::UkSi => "2019/855",
            LegalActKind::Unsc => "2231 (2015)",
            LegalActKind::Ofac => "2019-05-16",
            LegalActKind::Url => "https://www.bis.gov/…",
        }
    }

    /// What may precede the identifier itself ("FR Doc."), tried when the text alone is
    /// not recognised as this kind.
    fn prefix(self) -> &'static str {
        match self {
            LegalActKind::FederalRegister => "FR Doc. ",
            LegalActKind::Celex => "CELEX:",
            LegalActKind::UkSi => "SI ",
            LegalActKind::Unsc => "S/RES/",
            LegalActKind::Ofac => "OFAC ",
            LegalActKind::Cfr | LegalActKind::Eli | LegalActKind::Url => "",
        }
    }

    /// The identifier an editor typed for this kind, checked by its format: the whole
    /// text must be one identifier of this kind (a word like "FR Doc." before it may stay).
    pub fn parse(self, text: &str) -> Result<LegalAct, String> {
        let t = text.trim().trim_end_matches('.');
        let wrong = || {
            format!(
                "not a {} identifier: write it like {}",
                self.label(),
                self.example()
            )
        };
        if t.is_empty() {
            return Err(format!(
                "write the {} identifier, like {}, or choose no kind",
                self.label(),
                self.example()
            ));
        }
        if t.chars().count() > 500 {
            return Err("at most 500 characters".into());
        }
        if self == LegalActKind::Url {
            // Any official page: an ELI address given as one stays one.
            return match web_address(t) {
                Some(LegalAct::Eli(u) | LegalAct::Url(u)) if !u.contains(char::is_whitespace) => {
                    Ok(LegalAct::Url(u))
                }
                _ => Err("an address starting with https:// or http://".into()),
            };
        }
        let whole = |c: &str| {
            let found = find(c)?;
            let before = &c[..found.at.start];
            let fits = found.act.kind() == self
                && c[found.at.end..].trim().is_empty()
                && before.len() <= 40
                && !before.chars().any(|ch| ch.is_ascii_digit());
            fits.then_some(found.act)
        };
        whole(t)
            .or_else(|| whole(&format!("{}{t}", self.prefix())))
            .ok_or_else(wrong)
    }
}

impl std::str::FromStr for LegalActKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        LegalActKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| format!("unknown kind of legal act “{s}”"))
    }
}

impl LegalAct {
    pub fn kind(&self) -> LegalActKind {
        match self {
            LegalAct::FederalRegister(_) => LegalActKind::FederalRegister,
            LegalAct::Cfr { .. } => LegalActKind::Cfr,
            LegalAct::Celex(_) => LegalActKind::Celex,
            LegalAct::Eli(_) => LegalActKind::Eli,
            LegalAct::UkStatutoryInstrument { .. } => LegalActKind::UkSi,
            LegalAct::UnscResolution { .. } => LegalActKind::Unsc,
            LegalAct::OfacAction(_) => LegalActKind::Ofac,
            LegalAct::Url(_) => LegalActKind::Url,
        }
    }

    /// The identifier as stored and as the form shows it: its kind's `parse` gives the
    /// same act back.
    pub fn identifier(&self) -> String {
        match self {
            LegalAct::FederalRegister(n) | LegalAct::Celex(n) => n.clone(),
            LegalAct::Cfr { title, part } => format!("{title} CFR {part}"),
            LegalAct::Eli(u) | LegalAct::Url(u) => u.clone(),
            LegalAct::UkStatutoryInstrument { year, number } => format!("{year}/{number}"),
            LegalAct::UnscResolution { number, year } => format!("{number} ({year})"),
            LegalAct::OfacAction(d) => d.format("%Y-%m-%d").to_string(),
        }
    }

    /// The identifier as a reader knows it ("FR Doc. 2019-10616", "SI 2019/855").
    pub fn citation(&self) -> String {
        match self {
            LegalAct::FederalRegister(n) => format!("FR Doc. {n}"),
            LegalAct::Celex(n) => format!("CELEX {n}"),
            LegalAct::UkStatutoryInstrument { year, number } => format!("SI {year}/{number}"),
            LegalAct::UnscResolution { number, year } => format!("S/RES/{number} ({year})"),
            LegalAct::OfacAction(d) => {
                format!("OFAC recent action of {}", super::FuzzyDate::day(*d))
            }
            other => other.identifier(),
        }
    }
}

/// A typed legal act as JSON: its kind, its identifier and (on the way out) its page.
#[derive(Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
struct LegalActRecord {
    kind: LegalActKind,
    id: String,
    #[serde(default)]
    url: String,
}

impl TryFrom<LegalActRecord> for LegalAct {
    type Error = String;
    fn try_from(r: LegalActRecord) -> Result<Self, Self::Error> {
        r.kind.parse(&r.id)
    }
}

impl From<LegalAct> for LegalActRecord {
    fn from(act: LegalAct) -> Self {
        LegalActRecord {
            kind: act.kind(),
            id: act.identifier(),
            url: act.official_url(),
        }
    }
}

/// An identifier found in a text, with where it is (byte offsets).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundAct {
    pub at: Range<usize>,
    pub act: LegalAct,
}

/// A whitespace-separated word with surrounding punctuation trimmed, and where it is.
struct Token<'a> {
    text: &'a str,
    at: Range<usize>,
}

fn tokens(text: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut offset = 0;
    for raw in text.split_inclusive(char::is_whitespace) {
        let word = raw.trim_end();
        let trimmed = word.trim_matches(|c: char| {
            matches!(c, ',' | ';' | ':' | '"' | '“' | '”' | '«' | '»' | '[' | ']')
        });
        // A sentence's full stop is not part of an address or a number, nor is a bracket
        // around the word or one left open ("(15 CFR 744)"); a pair inside stays
        // ("S/RES/2231(2015)", "736.2(b)(3)").
        let mut trimmed = trimmed.trim_end_matches('.');
        if let Some(inner) = trimmed.strip_prefix('(').and_then(|t| t.strip_suffix(')')) {
            trimmed = inner;
        }
        let open = |t: &str| t.matches('(').count() as isize - t.matches(')').count() as isize;
        while trimmed.ends_with(')') && open(trimmed) < 0 {
            trimmed = &trimmed[..trimmed.len() - 1];
        }
        while trimmed.starts_with('(') && open(trimmed) > 0 {
            trimmed = &trimmed[1..];
        }
        let trimmed = trimmed.trim_end_matches('.');
        if !trimmed.is_empty() {
            let start = offset + (trimmed.as_ptr() as usize - raw.as_ptr() as usize);
            out.push(Token {
                text: trimmed,
                at: start..start + trimmed.len(),
            });
        }
        offset += raw.len();
    }
    out
}

fn digits(s: &str, min: usize, max: usize) -> bool {
    (min..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
}

fn federal_register(t: &str) -> Option<LegalAct> {
    let (year, number) = t.split_once('-')?;
    (digits(year, 4, 4) && digits(number, 5, 5)).then(|| LegalAct::FederalRegister(t.to_owned()))
}

fn celex(t: &str) -> Option<LegalAct> {
    let t = t.strip_prefix("CELEX:").unwrap_or(t);
    let b = t.as_bytes();
    let sector = b
        .first()
        .is_some_and(|c| matches!(c, b'1'..=b'9' | b'C' | b'E'));
    let letters = b
        .get(5..)
        .map(|rest| rest.iter().take_while(|c| c.is_ascii_uppercase()).count())?;
    let ok = sector
        && digits(t.get(1..5)?, 4, 4)
        && (1..=2).contains(&letters)
        && digits(t.get(5 + letters..)?, 4, 6);
    ok.then(|| LegalAct::Celex(t.to_owned()))
}

fn web_address(t: &str) -> Option<LegalAct> {
    let lower = t.to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("http://")) || t.len() < 12 {
        return None;
    }
    let rest = &lower[lower.find("://")? + 3..];
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let eli = matches!(
        host,
        "data.europa.eu" | "www.legislation.gov.uk" | "legislation.gov.uk"
    ) && path.starts_with("/eli/");
    Some(if eli {
        LegalAct::Eli(t.to_owned())
    } else {
        LegalAct::Url(t.to_owned())
    })
}

/// `S/RES/2231`, with its year attached (`S/RES/2231(2015)`) or in the next word.
fn unsc(t: &str, next: Option<&str>) -> Option<(LegalAct, bool)> {
    let rest = t.strip_prefix("S/RES/")?;
    let (number, year, took_next) = match rest.split_once('(') {
        Some((n, y)) => (n, y.trim_end_matches(')'), false),
        None => (
            rest,
            next?.trim_start_matches('(').trim_end_matches(')'),
            true,
        ),
    };
    (digits(number, 1, 5) && digits(year, 4, 4)).then(|| {
        (
            LegalAct::UnscResolution {
                number: number.parse().unwrap_or_default(),
                year: year.parse().unwrap_or_default(),
            },
            took_next,
        )
    })
}

/// Every official identifier in `text`, in order ("15 CFR Part 744 … FR Doc. 2019-10616").
pub fn find_all(text: &str) -> Vec<FoundAct> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(found) = text.get(from..).and_then(find) {
        let at = from + found.at.start..from + found.at.end;
        from = at.end;
        out.push(FoundAct { at, act: found.act });
    }
    out
}

/// The first official identifier in `text`.
pub fn find(text: &str) -> Option<FoundAct> {
    let t = tokens(text);
    let word = |i: usize| t.get(i).map(|w| w.text);
    for i in 0..t.len() {
        let here = t[i].at.clone();
        let through = |j: usize| here.start..t[j].at.end;
        let w = t[i].text;
        // A bare "2019-12345" may be any file number: a Federal Register document number
        // is named as one ("FR Doc. 2019-10616"), or is the whole text.
        let named_fr = t.len() == 1
            || (i > 0 && matches!(t[i - 1].text, "FR" | "Doc" | "Register" | "document"));
        let fr = if named_fr { federal_register(w) } else { None };
        if let Some(act) = fr.or_else(|| web_address(w)) {
            return Some(FoundAct { at: here, act });
        }
        if let Some(act) = celex(w) {
            let prefix = if w.starts_with("CELEX:") { 6 } else { 0 };
            return Some(FoundAct {
                at: here.start + prefix..here.end,
                act,
            });
        }
        if let Some((act, took_next)) = unsc(w, word(i + 1)) {
            let mut at = if took_next { through(i + 1) } else { here };
            // The year's closing bracket belongs to the identifier.
            if text[at.end..].starts_with(')') {
                at.end += 1;
            }
            return Some(FoundAct { at, act });
        }
        // "15 CFR 744", "15 C.F.R. § 744.11", "15 CFR part 744".
        // The CFR has 50 titles.
        let title = w.parse::<u32>().ok().filter(|t| (1..=50).contains(t));
        if digits(w, 1, 2)
            && title.is_some()
            && matches!(word(i + 1), Some("CFR" | "C.F.R" | "C.F.R."))
        {
            let mut j = i + 2;
            while matches!(word(j), Some("§" | "part" | "Part" | "pt")) {
                j += 1;
            }
            if let Some(cited) = word(j) {
                // A paragraph ("736.2(b)(3)") is linked to its section.
                let part = cited.split('(').next().unwrap_or(cited);
                let (whole, section) = part.split_once('.').unwrap_or((part, "0"));
                if digits(whole, 1, 4) && digits(section, 1, 4) {
                    let act = LegalAct::Cfr {
                        title: w.parse().unwrap_or_default(),
                        part: part.to_owned(),
                    };
                    let mut at = through(j);
                    if cited.contains('(') && text[at.end..].starts_with(')') {
                        at.end += 1;
                    }
                    return Some(FoundAct { at, act });
                }
            }
        }
        // "SI 2019/1234", "S.I. 2019/1234".
        if matches!(w, "SI" | "S.I" | "UKSI") {
            if let Some((year, number)) = word(i + 1).and_then(|n| n.split_once('/')) {
                if digits(year, 4, 4) && digits(number, 1, 4) {
                    let act = LegalAct::UkStatutoryInstrument {
                        year: year.parse().unwrap_or_default(),
                        number: number.parse().unwrap_or_default(),
                    };
                    return Some(FoundAct {
                        at: through(i + 1),
                        act,
                    });
                }
            }
        }
        // "OFAC 2019-05-16", "OFAC recent action 2019-05-16".
        if w == "OFAC" {
            let mut j = i + 1;
            while matches!(word(j), Some("recent" | "action" | "of")) {
                j += 1;
            }
            if let Some(d) = word(j).and_then(|d| super::dates::parse_iso_day(d).ok()) {
                return Some(FoundAct {
                    at: through(j),
                    act: LegalAct::OfacAction(d),
                });
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn linked(text: &str) -> Option<(&str, String)> {
        find(text).map(|f| (&text[f.at.clone()], f.act.official_url()))
    }

    #[test]
    fn each_kind_is_recognised_in_its_own_format_and_linked_to_its_official_page() {
        let cases = [
            (
                "FR Doc. 2019-10616",
                "2019-10616",
                "https://www.federalregister.gov/d/2019-10616",
            ),
            (
                "Entity List, 15 CFR 744",
                "15 CFR 744",
                "https://www.ecfr.gov/current/title-15/part-744",
            ),
            (
                "15 C.F.R. § 744.11",
                "15 C.F.R. § 744.11",
                "https://www.ecfr.gov/current/title-15/section-744.11",
            ),
            (
                "Foreign direct product rule, 15 CFR 736.2(b)(3)",
                "15 CFR 736.2(b)(3)",
                "https://www.ecfr.gov/current/title-15/section-736.2",
            ),
            (
                "Entity List, 15 CFR Part 744, Supplement No. 4",
                "15 CFR Part 744",
                "https://www.ecfr.gov/current/title-15/part-744",
            ),
            (
                "CELEX:32014R0833",
                "32014R0833",
                "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32014R0833",
            ),
            (
                "Regulation (EU) No 833/2014, 32014R0833.",
                "32014R0833",
                "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32014R0833",
            ),
            (
                "http://data.europa.eu/eli/reg/2014/833/oj",
                "http://data.europa.eu/eli/reg/2014/833/oj",
                "http://data.europa.eu/eli/reg/2014/833/oj",
            ),
            (
                "The Russia (Sanctions) (EU Exit) Regulations, SI 2019/855",
                "SI 2019/855",
                "https://www.legislation.gov.uk/uksi/2019/855",
            ),
            (
                "S/RES/2231 (2015)",
                "S/RES/2231 (2015)",
                "https://undocs.org/S/RES/2231(2015)",
            ),
            (
                "https://undocs.org/S/RES/2231(2015)",
                "https://undocs.org/S/RES/2231(2015)",
                "https://undocs.org/S/RES/2231(2015)",
            ),
            (
                "(15 CFR 744)",
                "15 CFR 744",
                "https://www.ecfr.gov/current/title-15/part-744",
            ),
            (
                "2019-10616",
                "2019-10616",
                "https://www.federalregister.gov/d/2019-10616",
            ),
            (
                "Resolution S/RES/1737(2006)",
                "S/RES/1737(2006)",
                "https://undocs.org/S/RES/1737(2006)",
            ),
            (
                "OFAC recent action 2019-05-16",
                "OFAC recent action 2019-05-16",
                "https://ofac.treasury.gov/recent-actions/20190516",
            ),
            (
                "See https://www.bis.doc.gov/index.php/policy-guidance.",
                "https://www.bis.doc.gov/index.php/policy-guidance",
                "https://www.bis.doc.gov/index.php/policy-guidance",
            ),
        ];
        for (text, part, url) in cases {
            assert_eq!(linked(text), Some((part, url.to_owned())), "{text:?}");
        }
    }

    #[test]
    fn text_that_is_no_identifier_stays_text() {
        for text in [
            "",
            "Entity List",
            "Executive Order 13873",
            "2019-05-16",
            "2019-1061",
            "12019-10616",
            "99 CFR",
            "99 CFR 100",
            "j.nr. 2019-12345",
            "(see 2019-12345)",
            "15 CFR part",
            "SI 19/855",
            "S/RES/2231",
            "OFAC 2019-02-30",
            "javascript:alert(1)",
            "ftp://example.com/act",
            "https://",
            "4201X0833",
            "32014r0833",
            "Bekendtgørelse nr. 1 — 华为 🙂",
        ] {
            assert_eq!(find(text), None, "{text:?}");
        }
    }

    #[test]
    fn offsets_are_right_after_multibyte_text() {
        let text = "Lov om ændring «15 CFR 744»";
        let f = find(text).unwrap();
        assert_eq!(&text[f.at], "15 CFR 744");
    }

    #[test]
    fn only_the_official_hosts_are_called_legislation_identifiers() {
        let kind = |t: &str| find(t).map(|f| f.act.kind_label());
        assert_eq!(
            kind("http://data.europa.eu/eli/reg/2014/833/oj"),
            Some("European Legislation Identifier")
        );
        assert_eq!(
            kind("https://www.legislation.gov.uk/eli/uksi/2019/855"),
            Some("European Legislation Identifier")
        );
        assert_eq!(
            kind("https://evil.example/?x=://data.europa.eu/eli/"),
            Some("Official page")
        );
        assert_eq!(
            kind("https://data.europa.eu.evil.example/eli/x"),
            Some("Official page")
        );
    }

    #[test]
    fn every_identifier_in_a_text_is_found_in_order() {
        let text = "Entity List, 15 CFR Part 744, Supplement No. 4; the listing: FR Doc. 2019-10616 (84 FR 22961, 21 May 2019)";
        let found = find_all(text);
        let named: Vec<&str> = found.iter().map(|f| &text[f.at.clone()]).collect();
        assert_eq!(named, ["15 CFR Part 744", "2019-10616"]);
        assert_eq!(
            found[1].act.official_url(),
            "https://www.federalregister.gov/d/2019-10616"
        );
        assert!(find_all("No identifier here, 2019.").is_empty());
    }

    #[test]
    fn a_typed_identifier_is_checked_by_its_kinds_format_and_reads_back_the_same() {
        use LegalActKind as K;
        let good = [
            (K::FederalRegister, "2019-10616", "FR Doc. 2019-10616"),
            (
                K::FederalRegister,
                "FR Doc. 2019-17921",
                "FR Doc. 2019-17921",
            ),
            (K::Cfr, "15 CFR 744.11", "15 CFR 744.11"),
            (K::Cfr, "15 C.F.R. part 744", "15 CFR 744"),
            (K::Celex, "32014R0833", "CELEX 32014R0833"),
            (K::Celex, "CELEX:32014R0833", "CELEX 32014R0833"),
            (
                K::Eli,
                "http://data.europa.eu/eli/reg/2014/833/oj",
                "http://data.europa.eu/eli/reg/2014/833/oj",
            ),
            (K::UkSi, "2019/855", "SI 2019/855"),
            (K::UkSi, "SI 2019/855", "SI 2019/855"),
            (K::Unsc, "2231 (2015)", "S/RES/2231 (2015)"),
            (K::Unsc, "S/RES/2231(2015)", "S/RES/2231 (2015)"),
            (K::Ofac, "2019-05-16", "OFAC recent action of 16 May 2019"),
            (
                K::Url,
                "https://www.bis.gov/entity-list",
                "https://www.bis.gov/entity-list",
            ),
        ];
        for (kind, typed, cited) in good {
            let act = kind.parse(typed).unwrap_or_else(|e| panic!("{typed}: {e}"));
            assert_eq!(act.kind(), kind, "{typed}");
            assert_eq!(act.citation(), cited);
            assert_eq!(kind.parse(&act.identifier()), Ok(act.clone()), "{typed}");
            let json = serde_json::to_value(&act).expect("serialises");
            assert_eq!(json["kind"], kind.as_str());
            assert_eq!(json["url"], act.official_url());
            assert_eq!(serde_json::from_value::<LegalAct>(json).ok(), Some(act));
            assert_eq!(kind.as_str().parse::<LegalActKind>(), Ok(kind));
        }
        let bad = [
            (K::FederalRegister, "2019-106"),
            (K::FederalRegister, "15 CFR 744"),
            (K::FederalRegister, "2019-10616 and more"),
            (K::Cfr, "CFR 744"),
            (K::Cfr, "99 CFR 744"),
            (K::Celex, "2014R0833"),
            (K::Eli, "https://www.bis.gov/eli/x"),
            (K::UkSi, "2019-855"),
            (K::Unsc, "2231"),
            (K::Ofac, "16 May 2019"),
            (K::Ofac, "2019-02-30"),
            (K::Url, "www.bis.gov"),
            (K::Url, "javascript:alert(1)"),
            (K::Celex, ""),
        ];
        for (kind, typed) in bad {
            assert!(kind.parse(typed).is_err(), "{typed} taken as {kind:?}");
        }
        let forged = serde_json::json!({"kind": "federal_register", "id": "<script>"});
        assert!(serde_json::from_value::<LegalAct>(forged).is_err());
    }
}
