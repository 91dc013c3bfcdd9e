//! Positions in a source's stored text. The stored unit is the Unicode scalar value
//! (a Rust `char`, a Postgres character); browsers count UTF-16 code units, and Rust
//! strings are indexed by bytes. Conversions between the three live here and only here.

use serde::{Deserialize, Serialize};

/// A half-open range `[start, end)` of Unicode scalar values in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct CharSpan {
    pub start: usize,
    pub end: usize,
}

impl CharSpan {
    pub fn new(start: usize, end: usize) -> Option<Self> {
        (start < end).then_some(CharSpan { start, end })
    }

    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// The byte range of this span in `text`, or `None` if it runs past the end.
    pub fn byte_range(&self, text: &str) -> Option<std::ops::Range<usize>> {
        let start = char_to_byte(text, self.start)?;
        let end = char_to_byte(text, self.end)?;
        Some(start..end)
    }

    /// The text this span covers, or `None` if it runs past the end.
    pub fn slice<'t>(&self, text: &'t str) -> Option<&'t str> {
        self.byte_range(text).map(|r| &text[r])
    }

    /// Converts a browser selection (UTF-16 code unit offsets) into a span of the same text.
    /// `None` when an offset falls inside a surrogate pair or past the end.
    pub fn from_utf16(text: &str, start: usize, end: usize) -> Option<Self> {
        CharSpan::new(utf16_to_char(text, start)?, utf16_to_char(text, end)?)
    }

    /// Every place `needle` occurs in `text`, as spans.
    pub fn find_all(text: &str, needle: &str) -> Vec<CharSpan> {
        if needle.is_empty() {
            return Vec::new();
        }
        let needle_chars = needle.chars().count();
        let mut spans = Vec::new();
        let mut chars_before = 0;
        let mut last_byte = 0;
        for (byte, _) in text.match_indices(needle) {
            chars_before += text[last_byte..byte].chars().count();
            last_byte = byte;
            spans.push(CharSpan {
                start: chars_before,
                end: chars_before + needle_chars,
            });
        }
        spans
    }
}

/// Byte offset of the `n`th char; `n == char count` gives the text's length.
pub fn char_to_byte(text: &str, n: usize) -> Option<usize> {
    if n == 0 {
        return Some(0);
    }
    let mut count = 0;
    for (byte, _) in text.char_indices() {
        if count == n {
            return Some(byte);
        }
        count += 1;
    }
    (count == n).then_some(text.len())
}

/// Char offset of a UTF-16 offset, `None` inside a surrogate pair or past the end.
pub fn utf16_to_char(text: &str, utf16: usize) -> Option<usize> {
    let mut units = 0;
    for (chars, c) in text.chars().enumerate() {
        if units == utf16 {
            return Some(chars);
        }
        if units > utf16 {
            return None;
        }
        units += c.len_utf16();
    }
    (units == utf16).then(|| text.chars().count())
}

/// UTF-16 offset of a char offset: what a browser's `Range` needs to select a stored span.
pub fn char_to_utf16(text: &str, n: usize) -> Option<usize> {
    let byte = char_to_byte(text, n)?;
    Some(text[..byte].encode_utf16().count())
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIXED: &str = "Æble på 华为 🇩🇰 ok: “Huawei” 🙂!";

    #[test]
    fn slices_by_characters_not_bytes() {
        let span = CharSpan::find_all(MIXED, "华为")[0];
        assert_eq!(span, CharSpan { start: 8, end: 10 });
        assert_eq!(span.slice(MIXED), Some("华为"));
        let emoji = CharSpan::find_all(MIXED, "🙂")[0];
        assert_eq!(emoji.slice(MIXED), Some("🙂"));
        assert_eq!(CharSpan { start: 0, end: 200 }.slice(MIXED), None);
    }

    #[test]
    fn browser_offsets_round_trip_through_stored_offsets() {
        for needle in ["Æble", "på", "华为", "🇩🇰", "“Huawei”", "🙂!"] {
            let span = CharSpan::find_all(MIXED, needle)[0];
            let u16_start = char_to_utf16(MIXED, span.start).unwrap();
            let u16_end = char_to_utf16(MIXED, span.end).unwrap();
            // What the browser would report for the same selection.
            let prefix_units = MIXED[..span.byte_range(MIXED).unwrap().start]
                .encode_utf16()
                .count();
            assert_eq!(u16_start, prefix_units);
            let back = CharSpan::from_utf16(MIXED, u16_start, u16_end).unwrap();
            assert_eq!(back, span, "{needle}");
            assert_eq!(back.slice(MIXED), Some(needle));
        }
    }

    #[test]
    fn refuses_offsets_inside_a_surrogate_pair() {
        let start = MIXED.find('🙂').unwrap();
        let units = MIXED[..start].encode_utf16().count();
        assert!(utf16_to_char(MIXED, units + 1).is_none());
        assert!(utf16_to_char(MIXED, 10_000).is_none());
    }

    #[test]
    fn finds_every_occurrence() {
        let spans = CharSpan::find_all("Huawei, Huawei og Huawei", "Huawei");
        assert_eq!(
            spans.iter().map(|s| s.start).collect::<Vec<_>>(),
            vec![0, 8, 18]
        );
    }
}
