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

/// The paragraphs of pasted text: split at blank lines, each line trimmed and the lines
/// of a paragraph joined with a space.
pub fn paragraphs(raw: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for line in raw.lines().map(str::trim) {
        if line.is_empty() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
        } else {
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(line);
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

fn is_tail_marker(p: &str) -> bool {
    TAIL_MARKERS
        .iter()
        .any(|m| p.starts_with(m) && p.len() <= m.len() + 2)
}

/// The first guess at where the article is among its paragraphs: `start..end`, ending
/// before the first line that begins the page's furniture.
pub fn guess_bounds(paragraphs: &[String]) -> (usize, usize) {
    let end = paragraphs
        .iter()
        .position(|p| is_tail_marker(p))
        .unwrap_or(paragraphs.len());
    let start = paragraphs[..end]
        .iter()
        .position(|p| !DROPPED_LINES.contains(&p.as_str()))
        .unwrap_or(end);
    (start, end)
}

/// The stored body for paragraphs `start..end`: placeholder lines dropped, paragraphs
/// separated by one blank line.
pub fn body_between(paragraphs: &[String], start: usize, end: usize) -> String {
    paragraphs[start.min(paragraphs.len())..end.min(paragraphs.len())]
        .iter()
        .filter(|p| !DROPPED_LINES.contains(&p.as_str()))
        .cloned()
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Cleans a scraped article with the automatic guess: cuts the tail boilerplate, drops
/// placeholder lines, and keeps paragraphs separated by one blank line.
pub fn extract_article(raw: &str) -> String {
    let paragraphs = paragraphs(raw);
    let (start, end) = guess_bounds(&paragraphs);
    body_between(&paragraphs, start, end)
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
