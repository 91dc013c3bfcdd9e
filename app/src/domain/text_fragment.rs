//! Links to a quote in the live article: a URL text fragment
//! (`#:~:text=prefix-,quote,-suffix`, WICG Scroll-to-Text) that makes supporting browsers
//! scroll to the passage on the publisher's page and highlight it, built from the quote
//! and the context we stored around it.

use super::citation::{Quote, CONTEXT_CHARS};

/// Above this many words a quote is matched by its first and last words (`start,end`):
/// the whole of a long passage is more likely to differ on the live page somewhere.
const WHOLE_QUOTE_WORDS: usize = 12;
/// Words of a long quote's start and end, and of the context on each side.
const EDGE_WORDS: usize = 4;
const CONTEXT_WORDS: usize = 3;

/// What a term of a text directive keeps as it is: letters, digits and `_ . ~`. The
/// directive's own syntax characters (`- , &`) and everything else are percent-encoded.
const TERM: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

fn term(words: &[&str]) -> String {
    percent_encoding::utf8_percent_encode(&words.join(" "), TERM).to_string()
}

/// `#:~:text=…` for the quote; `None` for a quote with no words.
pub fn text_fragment(quote: &Quote) -> Option<String> {
    let words: Vec<&str> = quote.exact.split_whitespace().collect();
    if words.is_empty() {
        return None;
    }
    // Context only where it meets the quote at a word boundary, and only whole words:
    // stored context that fills CONTEXT_CHARS was cut, its outer word perhaps mid-way.
    let cut = |s: &str| s.chars().count() >= CONTEXT_CHARS;
    let prefix: Vec<&str> = if quote.prefix.ends_with(char::is_whitespace) {
        let mut w: Vec<&str> = quote.prefix.split_whitespace().collect();
        if cut(&quote.prefix) && !quote.prefix.starts_with(char::is_whitespace) && !w.is_empty() {
            w.remove(0);
        }
        w[w.len().saturating_sub(CONTEXT_WORDS)..].to_vec()
    } else {
        Vec::new()
    };
    let suffix: Vec<&str> = if quote.suffix.starts_with(char::is_whitespace) {
        let mut w: Vec<&str> = quote.suffix.split_whitespace().collect();
        if cut(&quote.suffix) && !quote.suffix.ends_with(char::is_whitespace) {
            w.pop();
        }
        w.into_iter().take(CONTEXT_WORDS).collect()
    } else {
        Vec::new()
    };
    let mut parts = Vec::new();
    if !prefix.is_empty() {
        parts.push(format!("{}-", term(&prefix)));
    }
    if words.len() > WHOLE_QUOTE_WORDS {
        parts.push(term(&words[..EDGE_WORDS]));
        parts.push(term(&words[words.len() - EDGE_WORDS..]));
    } else {
        parts.push(term(&words));
    }
    if !suffix.is_empty() {
        parts.push(format!("-{}", term(&suffix)));
    }
    Some(format!("#:~:text={}", parts.join(",")))
}

/// The publisher's address with the fragment in place of any it had.
pub fn in_original(url: &str, quote: &Quote) -> String {
    let page = url.split('#').next().unwrap_or(url);
    match text_fragment(quote) {
        Some(fragment) => format!("{page}{fragment}"),
        None => page.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::CharSpan;

    fn quote(body: &str, exact: &str) -> Quote {
        let span = CharSpan::find_all(body, exact)[0];
        Quote::at(body, span).unwrap()
    }

    #[test]
    fn a_short_quote_is_matched_whole_with_whole_words_of_context() {
        let body = "Det sagde præsident Donald Trump lørdag, seks uger efter forbuddet. Slut på sagen her.";
        let q = quote(body, "seks uger efter forbuddet.");
        // The last three whole words before it, the first three after it.
        assert_eq!(
            text_fragment(&q).unwrap(),
            "#:~:text=Donald%20Trump%20l%C3%B8rdag%2C-,seks%20uger%20efter%20forbuddet.,-Slut%20p%C3%A5%20sagen"
        );
    }

    #[test]
    fn the_directives_own_characters_are_encoded_in_its_terms() {
        let body = "Start - AT&T, Huawei-ZTE & co: listed. End";
        let q = quote(body, "AT&T, Huawei-ZTE & co: listed.");
        let f = text_fragment(&q).unwrap();
        assert_eq!(
            f,
            "#:~:text=Start%20%2D-,AT%26T%2C%20Huawei%2DZTE%20%26%20co%3A%20listed.,-End"
        );
        // Exactly the directive's separators are left: prefix-, text and ,-suffix.
        assert_eq!(f.matches(',').count(), 2);
        assert_eq!(f.matches('-').count(), 2);
    }

    #[test]
    fn a_long_quote_is_matched_by_its_first_and_last_words() {
        let body =
            "one two three four five six seven eight nine ten eleven twelve thirteen fourteen";
        let q = quote(body, body);
        assert_eq!(
            text_fragment(&q).unwrap(),
            "#:~:text=one%20two%20three%20four,eleven%20twelve%20thirteen%20fourteen"
        );
    }

    #[test]
    fn context_that_runs_into_the_quote_is_left_out_and_the_old_fragment_replaced() {
        let body = "Huaweis forbud blev lempet";
        let q = quote(body, "forbud blev");
        assert_eq!(
            text_fragment(&q).unwrap(),
            "#:~:text=Huaweis-,forbud%20blev,-lempet"
        );
        let inside = quote(body, "ei");
        assert_eq!(text_fragment(&inside).unwrap(), "#:~:text=ei");
        assert_eq!(
            in_original("https://example.com/a?x=1#top", &q),
            "https://example.com/a?x=1#:~:text=Huaweis-,forbud%20blev,-lempet"
        );
    }
}
