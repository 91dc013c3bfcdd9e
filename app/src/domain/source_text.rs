//! Scraped article text: where the article ends and the page's boilerplate begins.
//! This is the automatic first guess; an editor can always move the bounds.

/// Lines that begin the page furniture after an article ("Read also" link lists, ads,
/// people-news columns). Everything from the first of them on is dropped.
const TAIL_MARKERS: &[&str] = &[
    "Læs også",
    "Læses lige nu",
    "Navnenyt",
    "Read more",
    "Read also",
    "Related articles",
    "Most read",
];

/// Lines that stand alone in a scrape but are not text (image placeholders).
const DROPPED_LINES: &[&str] = &["Artikel top billede", "Article top image"];

/// Cleans a scraped article: cuts the tail boilerplate, drops placeholder lines, trims
/// each line, and keeps paragraphs separated by one blank line.
pub fn extract_article(raw: &str) -> String {
    let mut paragraphs: Vec<String> = Vec::new();
    let mut current = String::new();
    for line in raw.lines() {
        let line = line.trim();
        if TAIL_MARKERS
            .iter()
            .any(|m| line.starts_with(m) && line.len() <= m.len() + 2)
        {
            break;
        }
        if DROPPED_LINES.contains(&line) {
            continue;
        }
        if line.is_empty() {
            if !current.is_empty() {
                paragraphs.push(std::mem::take(&mut current));
            }
        } else {
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(line);
        }
    }
    if !current.is_empty() {
        paragraphs.push(current);
    }
    paragraphs.join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_article_and_drops_what_follows_it() {
        let raw = "Titel\n\nArtikel top billede\n\nFørste   afsnit.\n\n  Andet afsnit.  \n\nLæs også:\n\nEn anden historie\n\nNavnenyt fra it-Danmark\n\nX ansat";
        assert_eq!(
            extract_article(raw),
            "Titel\n\nFørste   afsnit.\n\nAndet afsnit."
        );
    }

    #[test]
    fn a_sentence_that_merely_starts_like_a_marker_is_kept() {
        let raw = "Læs også rapporten, som blev offentliggjort i går.\n\nSlut.";
        assert_eq!(extract_article(raw), raw);
    }
}
