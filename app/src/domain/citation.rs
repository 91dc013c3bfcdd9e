//! A citation: an exact passage of a source that an event rests on, stored as a W3C Web
//! Annotation TextQuoteSelector (exact, prefix, suffix) plus a TextPositionSelector (a
//! char span). The quote is the truth; the position is the fast path to it.

use super::text_span::CharSpan;
use serde::{Deserialize, Serialize};

/// How much context is kept on each side of a quote to re-find it after an edit.
pub const CONTEXT_CHARS: usize = 32;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct CitationId(pub i64);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QuoteError {
    #[error("the quoted passage is empty")]
    Empty,
    #[error("characters {start}–{end} are outside the source text ({len} characters)")]
    OutOfRange {
        start: usize,
        end: usize,
        len: usize,
    },
    #[error("characters {start}–{end} of the source read “{found}”, not the quoted passage")]
    Mismatch {
        start: usize,
        end: usize,
        found: String,
    },
    #[error("the quoted passage does not occur in the source text")]
    NotFound,
    #[error("the quoted passage occurs {0} times in the source; give its position")]
    Ambiguous(usize),
}

/// A verified quote: `exact` is what the body holds at `span`; `prefix` and `suffix` are the
/// text just around it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct Quote {
    pub exact: String,
    pub prefix: String,
    pub suffix: String,
    pub span: CharSpan,
}

impl Quote {
    /// Anchors the span in `body`, checking it holds exactly the quoted text.
    pub fn at(body: &str, span: CharSpan) -> Result<Quote, QuoteError> {
        let bytes = span
            .byte_range(body)
            .ok_or_else(|| QuoteError::OutOfRange {
                start: span.start,
                end: span.end,
                len: body.chars().count(),
            })?;
        if span.is_empty() {
            return Err(QuoteError::Empty);
        }
        Ok(Quote::around(body, bytes, span))
    }

    /// The quote at `bytes` of `body`, which `span` counts in characters, with its
    /// context: the work is the quote and its context, whatever lies before them.
    fn around(body: &str, bytes: std::ops::Range<usize>, span: CharSpan) -> Quote {
        let before = &body[..bytes.start];
        let prefix_start = before
            .char_indices()
            .rev()
            .take(CONTEXT_CHARS)
            .last()
            .map_or(bytes.start, |(i, _)| i);
        Quote {
            exact: body[bytes.clone()].to_owned(),
            prefix: before[prefix_start..].to_owned(),
            suffix: body[bytes.end..].chars().take(CONTEXT_CHARS).collect(),
            span,
        }
    }

    /// Anchors `exact` at `span`, refusing a span that holds anything else.
    pub fn verify(body: &str, exact: &str, span: CharSpan) -> Result<Quote, QuoteError> {
        let quote = Quote::at(body, span)?;
        if quote.exact != exact {
            return Err(QuoteError::Mismatch {
                start: span.start,
                end: span.end,
                found: quote.exact,
            });
        }
        Ok(quote)
    }

    /// Anchors `exact` where it occurs once in `body`.
    pub fn find_unique(body: &str, exact: &str) -> Result<Quote, QuoteError> {
        if exact.is_empty() {
            return Err(QuoteError::Empty);
        }
        match occurrences(body, exact).as_slice() {
            [] => Err(QuoteError::NotFound),
            [(bytes, span)] => Ok(Quote::around(body, bytes.clone(), *span)),
            many => Err(QuoteError::Ambiguous(many.len())),
        }
    }
}

/// Every place `exact` occurs in `body` (as [`CharSpan::find_all`] finds them), as byte
/// ranges with their character spans. One pass: the character count runs on from one
/// occurrence to the next instead of being counted again from the start for each.
fn occurrences(body: &str, exact: &str) -> Vec<(std::ops::Range<usize>, CharSpan)> {
    if exact.is_empty() {
        return Vec::new();
    }
    let exact_chars = exact.chars().count();
    let (mut chars_before, mut counted_to) = (0, 0);
    body.match_indices(exact)
        .map(|(byte, _)| {
            chars_before += body[counted_to..byte].chars().count();
            counted_to = byte;
            let span = CharSpan {
                start: chars_before,
                end: chars_before + exact_chars,
            };
            (byte..byte + exact.len(), span)
        })
        .collect()
}

/// Where a quote stands after its source's text was edited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Anchor {
    /// Still at its offsets.
    Kept(Quote),
    /// Found again by its text (and, where it occurs more than once, its context).
    Moved(Quote),
    /// Not in the new text, or not placeable with certainty: an editor must look.
    Lost,
}

/// Re-anchors `old` in an edited `body`, in the order the W3C selectors suggest: the old
/// position if it still holds the quote, else the one occurrence of the quoted text, else
/// the one occurrence whose surrounding text best matches the old context. Never guesses
/// between equally good places.
pub fn reanchor(body: &str, old: &Quote) -> Anchor {
    if let Ok(q) = Quote::verify(body, &old.exact, old.span) {
        return Anchor::Kept(q);
    }
    // A short quote may occur thousands of times: each place is weighed by its context
    // alone, so the whole costs one pass over the body plus the context of each place.
    let places = occurrences(body, &old.exact);
    let place = match places.as_slice() {
        [] => None,
        [only] => Some(only),
        many => {
            let scored: Vec<(usize, &(std::ops::Range<usize>, CharSpan))> = many
                .iter()
                .map(|place| (context_match(body, &place.0, old), place))
                .collect();
            let best = scored.iter().map(|(score, _)| *score).max().unwrap_or(0);
            let mut at_best = scored.iter().filter(|(score, _)| *score == best);
            match (at_best.next(), at_best.next()) {
                (Some((score, place)), None) if *score > 0 => Some(*place),
                _ => None,
            }
        }
    };
    match place {
        Some((bytes, span)) => Anchor::Moved(Quote::around(body, bytes.clone(), *span)),
        None => Anchor::Lost,
    }
}

/// How many characters of context agree around the quote at `bytes` of `body` and
/// around the old quote: the end of the prefix and the start of the suffix.
fn context_match(body: &str, bytes: &std::ops::Range<usize>, old: &Quote) -> usize {
    let before = body[..bytes.start]
        .chars()
        .rev()
        .take(CONTEXT_CHARS)
        .zip(old.prefix.chars().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let after = body[bytes.end..]
        .chars()
        .take(CONTEXT_CHARS)
        .zip(old.suffix.chars())
        .take_while(|(a, b)| a == b)
        .count();
    before + after
}

/// A citation as pages and the API show it, with the source it quotes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct Citation {
    pub id: CitationId,
    pub quote: Quote,
    pub source: super::source::SourceRef,
    /// The source's text was edited and the quote could not be placed again with
    /// certainty: its offsets no longer describe the text until an editor looks.
    #[serde(default)]
    pub needs_review: bool,
    /// The step of the event's lifecycle this passage states ("in force from 16 May"),
    /// when it states one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub states: Option<super::lifecycle::LifecycleStep>,
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &str = "Udtalelsen faldt lørdag i Japan. Huawei får lov – 华为 🙂. Slut.";

    #[test]
    fn a_span_is_accepted_only_over_the_exact_quote() {
        let span = CharSpan::find_all(BODY, "华为 🙂")[0];
        let q = Quote::verify(BODY, "华为 🙂", span).unwrap();
        assert!(q.prefix.ends_with("får lov – "));
        assert_eq!(q.suffix, ". Slut.");
        let shifted = CharSpan::new(span.start + 1, span.end + 1).unwrap();
        assert!(matches!(
            Quote::verify(BODY, "华为 🙂", shifted),
            Err(QuoteError::Mismatch { .. })
        ));
        let past = CharSpan::new(60, 90).unwrap();
        assert!(matches!(
            Quote::verify(BODY, "x", past),
            Err(QuoteError::OutOfRange { .. })
        ));
    }

    #[test]
    fn quotes_follow_their_text_when_the_source_is_edited() {
        let old = Quote::find_unique(BODY, "华为 🙂").unwrap();
        // Untouched around it: kept where it was.
        let same = BODY.replace("Slut.", "Slut!");
        assert!(matches!(reanchor(&same, &old), Anchor::Kept(q) if q.span == old.span));
        // Text inserted before it: found again by its text, offsets shifted.
        let moved = format!("Rettet: {BODY}");
        match reanchor(&moved, &old) {
            Anchor::Moved(q) => {
                assert_eq!(q.span.start, old.span.start + 8);
                assert_eq!(q.exact, "华为 🙂");
            }
            other => panic!("{other:?}"),
        }
        // Reworded: lost, never moved to something else.
        let reworded = BODY.replace("华为 🙂", "Huawei");
        assert_eq!(reanchor(&reworded, &old), Anchor::Lost);
    }

    #[test]
    fn a_repeated_quote_is_placed_by_its_context_or_not_at_all() {
        let body = "Første: Huawei får lov. Anden: Huawei får lov. Slut.";
        let old = Quote::at(body, CharSpan::find_all(body, "Huawei får lov")[1]).unwrap();
        let edited = format!("Ny indledning. {body}");
        match reanchor(&edited, &old) {
            Anchor::Moved(q) => assert!(q.prefix.ends_with("Anden: ")),
            other => panic!("{other:?}"),
        }
        // Places whose whole context is the same: an editor decides.
        let twins = "A: Huawei får lov. ".repeat(6);
        let old = Quote::at(&twins, CharSpan::find_all(&twins, "Huawei får lov")[2]).unwrap();
        let shifted = format!("x{twins}");
        assert_eq!(reanchor(&shifted, &old), Anchor::Lost);
    }

    #[test]
    fn finding_a_quote_needs_it_to_be_there_once() {
        assert!(Quote::find_unique(BODY, "lørdag").is_ok());
        assert_eq!(
            Quote::find_unique(BODY, "mandag"),
            Err(QuoteError::NotFound)
        );
        assert_eq!(
            Quote::find_unique("a a", "a"),
            Err(QuoteError::Ambiguous(2))
        );
        assert_eq!(Quote::find_unique(BODY, ""), Err(QuoteError::Empty));
    }

    #[test]
    fn a_word_repeated_through_a_largest_source_is_weighed_in_one_pass() {
        use crate::domain::source_form::MAX_BODY_CHARS;
        // "ø ø ø …" up to the largest text a source may have: half a million places.
        let body = "ø ".repeat(MAX_BODY_CHARS / 2);
        let places = MAX_BODY_CHARS / 2;
        assert_eq!(
            Quote::find_unique(&body, "ø"),
            Err(QuoteError::Ambiguous(places))
        );
        // Cited in the middle of a text that then lost its first word: every place has
        // the same context, so it is flagged rather than moved to a guess.
        let middle = CharSpan::new(MAX_BODY_CHARS / 2, MAX_BODY_CHARS / 2 + 1).unwrap();
        let old = Quote::verify(&body, "ø", middle).unwrap();
        assert_eq!(old.prefix.chars().count(), CONTEXT_CHARS);
        let edited = &body[body.char_indices().nth(1).unwrap().0..];
        assert_eq!(reanchor(edited, &old), Anchor::Lost);
        // Where one place's context stands out, the quote moves there.
        let half = body.len() / 2;
        let marked = format!("{}ø!{}", &body[..half], &body[half + "ø ".len()..]);
        let start = marked.chars().position(|c| c == '!').unwrap() - 1;
        let old = Quote::at(&marked, CharSpan::new(start, start + 1).unwrap()).unwrap();
        // Seven characters in front put a blank, not the quote, at its old offsets.
        let shifted = format!("Rettet {marked}");
        match reanchor(&shifted, &old) {
            Anchor::Moved(q) => {
                assert_eq!(q.span.start, start + 7);
                assert_eq!(q.exact, "ø");
                assert!(q.suffix.starts_with('!'));
            }
            other => panic!("{other:?}"),
        }
    }
}
