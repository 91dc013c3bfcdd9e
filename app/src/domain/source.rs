//! A source: the article an event rests on, with its full text as stored.

use super::citation::CitationId;
use super::event::{EventId, EventKind, Slug};
use super::text_span::CharSpan;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct SourceId(pub i64);

impl fmt::Display for SourceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A BCP 47 language tag in its canonical case (`da`, `en-GB`, `zh-Hans`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct LanguageTag(String);

impl LanguageTag {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The language's English name for the few the product knows, else the tag.
    pub fn name(&self) -> &str {
        let primary = self.0.split('-').next().unwrap_or_default();
        match primary {
            "da" => "Danish",
            "en" => "English",
            "zh" => "Chinese",
            "de" => "German",
            "fr" => "French",
            "sv" => "Swedish",
            "nb" | "no" => "Norwegian",
            "ja" => "Japanese",
            "ru" => "Russian",
            _ => &self.0,
        }
    }
}

impl FromStr for LanguageTag {
    type Err = String;
    /// Accepts the common shape language[-script][-region]: 2–3 letters, then subtags of
    /// 2–8 letters or digits.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("“{s}” is not a language tag such as da, en or en-GB");
        let mut parts = s.trim().split('-');
        let primary = parts.next().ok_or_else(bad)?;
        if !(2..=3).contains(&primary.len()) || !primary.bytes().all(|b| b.is_ascii_alphabetic()) {
            return Err(bad());
        }
        let mut tag = primary.to_ascii_lowercase();
        for sub in parts {
            if !(2..=8).contains(&sub.len()) || !sub.bytes().all(|b| b.is_ascii_alphanumeric()) {
                return Err(bad());
            }
            tag.push('-');
            tag.push_str(&match sub.len() {
                2 => sub.to_ascii_uppercase(),
                4 => {
                    let mut s = sub.to_ascii_lowercase();
                    s[..1].make_ascii_uppercase();
                    s
                }
                _ => sub.to_ascii_lowercase(),
            });
        }
        Ok(LanguageTag(tag))
    }
}

/// A source as a citation names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct SourceRef {
    pub id: SourceId,
    pub url: String,
    /// An archived copy (a Wayback Machine snapshot, ...), for when the original is gone.
    #[serde(default)]
    pub archive_url: Option<String>,
    pub title: String,
    pub publisher: String,
    pub published_on: NaiveDate,
    pub language: LanguageTag,
}

/// One cited passage of a source, with the event that cites it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct CitedPassage {
    pub citation_id: CitationId,
    pub span: CharSpan,
    pub exact: String,
    pub event_id: EventId,
    pub event_slug: Slug,
    pub event_title: String,
    pub event_kind: EventKind,
}

impl CitedPassage {
    pub fn event_permalink(&self) -> String {
        super::event::permalink_path(self.event_id, &self.event_slug)
    }
}

/// A source with its whole text and every published passage cited from it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct SourceDetail {
    #[serde(flatten)]
    pub source: SourceRef,
    pub authors: Vec<String>,
    pub body: String,
    pub body_sha256: String,
    pub cited: Vec<CitedPassage>,
}

/// A run of a paragraph's text, and the passages (indexes into `cited`) that cover it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub text: String,
    pub covered_by: Vec<usize>,
    /// Passages that begin at this piece: their `#c{id}` anchors go here.
    pub starts: Vec<usize>,
}

impl SourceDetail {
    /// Splits the body into paragraphs (at blank lines) of pieces, cut wherever a cited
    /// passage starts or ends, so overlapping passages can each be marked.
    ///
    /// One sweep over the sorted cut points: O((n + c) log(n + c)) for a body of n
    /// characters and c passages, plus the size of the answer (each piece lists the
    /// passages covering it). A body is up to a million characters and anyone may ask
    /// for the page, so nothing here may pair every cut with every break or passage.
    pub fn paragraphs(&self) -> Vec<Vec<Piece>> {
        let chars: Vec<char> = self.body.chars().collect();
        let len = chars.len();
        let mut cuts: Vec<usize> = vec![0, len];
        for c in &self.cited {
            cuts.push(c.span.start.min(len));
            cuts.push(c.span.end.min(len));
        }
        // Paragraph breaks (runs of two or more line breaks) are cuts too, and the break
        // text itself is dropped. Found in order, so `breaks` is sorted and disjoint.
        let mut breaks = Vec::new();
        let mut i = 0;
        while i + 1 < len {
            if chars[i] == '\n' && chars[i + 1] == '\n' {
                let mut j = i;
                while j < len && chars[j] == '\n' {
                    j += 1;
                }
                breaks.push((i, j));
                cuts.push(i);
                cuts.push(j);
                i = j;
            } else {
                i += 1;
            }
        }
        cuts.sort_unstable();
        cuts.dedup();

        // Passages by where they start and where they end; the active set holds those
        // with start <= a < end at the piece starting at a, which (every start and end
        // within the body being a cut) is exactly start <= a && b <= end.
        let mut by_start: Vec<usize> = (0..self.cited.len()).collect();
        by_start.sort_by_key(|&k| (self.cited[k].span.start, k));
        let mut by_end: Vec<usize> = (0..self.cited.len()).collect();
        by_end.sort_by_key(|&k| (self.cited[k].span.end, k));
        let (mut next_start, mut next_end, mut next_break) = (0, 0, 0);
        let mut active = std::collections::BTreeSet::new();

        let mut paragraphs = vec![Vec::new()];
        for w in cuts.windows(2) {
            let (a, b) = (w[0], w[1]);
            while let Some(&k) = by_end.get(next_end) {
                if self.cited[k].span.end > a {
                    break;
                }
                active.remove(&k);
                next_end += 1;
            }
            let mut starts = Vec::new();
            while let Some(&k) = by_start.get(next_start) {
                let span = self.cited[k].span;
                if span.start > a {
                    break;
                }
                if span.start == a {
                    starts.push(k);
                }
                if a < span.end {
                    active.insert(k);
                }
                next_start += 1;
            }
            // Break ends are cuts, so a piece lies wholly inside a break or wholly outside.
            while breaks.get(next_break).is_some_and(|&(_, e)| e <= a) {
                next_break += 1;
            }
            if breaks.get(next_break).is_some_and(|&(s, _)| s <= a) {
                if paragraphs
                    .last()
                    .is_some_and(|p: &Vec<Piece>| !p.is_empty())
                {
                    paragraphs.push(Vec::new());
                }
                continue;
            }
            if let Some(p) = paragraphs.last_mut() {
                p.push(Piece {
                    text: chars[a..b].iter().collect(),
                    covered_by: active.iter().copied().collect(),
                    starts,
                });
            }
        }
        paragraphs.retain(|p| !p.is_empty());
        paragraphs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_tags_are_canonicalised() {
        assert_eq!("DA".parse::<LanguageTag>().unwrap().as_str(), "da");
        assert_eq!("en-gb".parse::<LanguageTag>().unwrap().as_str(), "en-GB");
        assert_eq!(
            "zh-hans".parse::<LanguageTag>().unwrap().as_str(),
            "zh-Hans"
        );
        assert_eq!("da".parse::<LanguageTag>().unwrap().name(), "Danish");
        for bad in ["", "d", "danish", "da_DK", "en-"] {
            assert!(bad.parse::<LanguageTag>().is_err(), "{bad}");
        }
    }

    fn passage(id: i64, start: usize, end: usize, body: &str) -> CitedPassage {
        let span = CharSpan { start, end };
        CitedPassage {
            citation_id: CitationId(id),
            span,
            exact: span.slice(body).unwrap().to_owned(),
            event_id: EventId(1),
            event_slug: "e".parse().unwrap(),
            event_title: "E".into(),
            event_kind: EventKind::Eased,
        }
    }

    fn detail(body: &str, cited: Vec<CitedPassage>) -> SourceDetail {
        SourceDetail {
            source: SourceRef {
                id: SourceId(1),
                url: "https://example.org".into(),
                archive_url: None,
                title: "T".into(),
                publisher: "P".into(),
                published_on: NaiveDate::from_ymd_opt(2019, 6, 29).unwrap(),
                language: "da".parse().unwrap(),
            },
            authors: vec![],
            body: body.into(),
            body_sha256: String::new(),
            cited,
        }
    }

    #[test]
    fn paragraphs_mark_each_passage_even_when_they_overlap() {
        let body = "Første afsnit om æ.\n\nAndet 华为 afsnit 🙂 slut.";
        let start = body.chars().position(|c| c == '华').unwrap();
        let detail = detail(
            body,
            vec![
                passage(1, start, start + 9, body),
                passage(2, start + 3, start + 11, body),
            ],
        );
        let paras = detail.paragraphs();
        assert_eq!(paras.len(), 2);
        assert_eq!(paras[0][0].text, "Første afsnit om æ.");
        let marked = |k: usize| -> String {
            paras[1]
                .iter()
                .filter(|p| p.covered_by.contains(&k))
                .map(|p| p.text.as_str())
                .collect()
        };
        assert_eq!(marked(0), detail.cited[0].exact);
        assert_eq!(marked(1), detail.cited[1].exact);
        let all: String = paras[1].iter().map(|p| p.text.as_str()).collect();
        assert_eq!(all, "Andet 华为 afsnit 🙂 slut.");
    }

    /// The split as it was first written (every cut against every break and passage):
    /// slow, but plainly right, so the fast one must agree with it.
    fn paragraphs_by_brute_force(d: &SourceDetail) -> Vec<Vec<Piece>> {
        let chars: Vec<char> = d.body.chars().collect();
        let mut cuts: Vec<usize> = vec![0, chars.len()];
        for c in &d.cited {
            cuts.push(c.span.start.min(chars.len()));
            cuts.push(c.span.end.min(chars.len()));
        }
        let mut breaks = Vec::new();
        let mut i = 0;
        while i + 1 < chars.len() {
            if chars[i] == '\n' && chars[i + 1] == '\n' {
                let mut j = i;
                while j < chars.len() && chars[j] == '\n' {
                    j += 1;
                }
                breaks.push((i, j));
                cuts.push(i);
                cuts.push(j);
                i = j;
            } else {
                i += 1;
            }
        }
        cuts.sort_unstable();
        cuts.dedup();
        let mut paragraphs = vec![Vec::new()];
        for w in cuts.windows(2) {
            let (a, b) = (w[0], w[1]);
            if breaks.iter().any(|&(s, e)| a >= s && b <= e) {
                if paragraphs
                    .last()
                    .is_some_and(|p: &Vec<Piece>| !p.is_empty())
                {
                    paragraphs.push(Vec::new());
                }
                continue;
            }
            let covered_by = (0..d.cited.len())
                .filter(|&k| d.cited[k].span.start <= a && b <= d.cited[k].span.end)
                .collect();
            let starts = (0..d.cited.len())
                .filter(|&k| d.cited[k].span.start == a)
                .collect();
            if let Some(p) = paragraphs.last_mut() {
                p.push(Piece {
                    text: chars[a..b].iter().collect(),
                    covered_by,
                    starts,
                });
            }
        }
        paragraphs.retain(|p| !p.is_empty());
        paragraphs
    }

    #[test]
    fn the_sweep_splits_as_the_plain_definition_does() {
        // Small bodies with blank-line runs of every length and passages starting, ending
        // and nesting anywhere (inside breaks, at the ends, empty, in any order).
        let mut seed: u64 = 0x5eed;
        let mut next = |n: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize % n
        };
        for _ in 0..400 {
            let body: String = (0..next(40))
                .map(|_| ['a', 'æ', '华', '🙂', ' ', '\n', '\n'][next(7)])
                .collect();
            let len = body.chars().count();
            let cited = (0..next(6))
                .map(|k| {
                    let start = next(len + 1);
                    let end = start + next(len + 1 - start);
                    passage(k as i64, start, end, &body)
                })
                .collect();
            let d = detail(&body, cited);
            assert_eq!(
                d.paragraphs(),
                paragraphs_by_brute_force(&d),
                "{body:?} {:?}",
                d.cited
            );
        }
    }

    #[test]
    fn a_source_of_the_largest_size_in_one_letter_paragraphs_is_split_in_one_sweep() {
        use crate::domain::source_form::MAX_BODY_CHARS;
        // "a\n\nb\n\n…": a third of the body is paragraph breaks.
        let count = MAX_BODY_CHARS.div_ceil(3);
        let letters: Vec<String> = (0..count)
            .map(|i| char::from(b'a' + (i % 26) as u8).to_string())
            .collect();
        let body = letters.join("\n\n");
        assert!(body.chars().count() <= MAX_BODY_CHARS);
        // Three hundred passages, each overlapping the next, some starting or ending
        // inside a break, and one that covers the whole text.
        // The body is ASCII, so character offsets are byte offsets (and slicing is quick).
        let at = |k: usize, start: usize, end: usize| CitedPassage {
            span: CharSpan { start, end },
            exact: body[start..end].to_owned(),
            ..passage(k as i64, 0, 1, "x")
        };
        let mut cited: Vec<CitedPassage> = (0..300)
            .map(|k| at(k, k * 3_300 + k % 3, k * 3_300 + 5_000 + k % 7))
            .collect();
        cited.push(at(300, 0, body.len()));
        let d = detail(&body, cited);

        let paras = d.paragraphs();
        assert_eq!(paras.len(), count);
        let mut marked = vec![String::new(); d.cited.len()];
        let mut anchors = vec![0; d.cited.len()];
        for (para, letter) in paras.iter().zip(&letters) {
            let text: String = para.iter().map(|p| p.text.as_str()).collect();
            assert_eq!(&text, letter);
            for piece in para {
                for &k in &piece.covered_by {
                    marked[k].push_str(&piece.text);
                }
                for &k in &piece.starts {
                    anchors[k] += 1;
                }
            }
        }
        // Each passage is marked over exactly its text, less the breaks it spans.
        for (k, c) in d.cited.iter().enumerate() {
            assert_eq!(marked[k], c.exact.replace('\n', ""), "passage {k}");
            // Its anchor is where it starts, unless it starts inside a break.
            let starts_on_letter = c.span.start % 3 == 0;
            assert_eq!(anchors[k], usize::from(starts_on_letter), "passage {k}");
        }
    }
}
