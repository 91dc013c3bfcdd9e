//! A citation: an exact passage of a source that an event rests on, stored as a W3C Web
//! Annotation TextQuoteSelector (exact, prefix, suffix) plus a TextPositionSelector (a
//! char span). The quote is the truth; the position is the fast path to it.

use super::text_span::CharSpan;
use serde::{Deserialize, Serialize};

/// How much context is kept on each side of a quote to re-find it after an edit.
pub const CONTEXT_CHARS: usize = 32;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
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
pub struct Quote {
    pub exact: String,
    pub prefix: String,
    pub suffix: String,
    pub span: CharSpan,
}

impl Quote {
    /// Anchors the span in `body`, checking it holds exactly the quoted text.
    pub fn at(body: &str, span: CharSpan) -> Result<Quote, QuoteError> {
        let len = body.chars().count();
        let bytes = span.byte_range(body).ok_or(QuoteError::OutOfRange {
            start: span.start,
            end: span.end,
            len,
        })?;
        if span.is_empty() {
            return Err(QuoteError::Empty);
        }
        let exact = body[bytes.clone()].to_owned();
        let prefix: String = {
            let before: Vec<char> = body[..bytes.start].chars().collect();
            before[before.len().saturating_sub(CONTEXT_CHARS)..]
                .iter()
                .collect()
        };
        let suffix: String = body[bytes.end..].chars().take(CONTEXT_CHARS).collect();
        Ok(Quote {
            exact,
            prefix,
            suffix,
            span,
        })
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
        match CharSpan::find_all(body, exact).as_slice() {
            [] => Err(QuoteError::NotFound),
            [span] => Quote::at(body, *span),
            many => Err(QuoteError::Ambiguous(many.len())),
        }
    }
}

/// A citation as pages and the API show it, with the source it quotes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Citation {
    pub id: CitationId,
    pub quote: Quote,
    pub source: super::source::SourceRef,
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
}
