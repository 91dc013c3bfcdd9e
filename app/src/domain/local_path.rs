//! Where to go after signing in: only a path on this site. The one rule for the server's
//! redirect and the browser's navigation alike, so neither can be talked into another
//! origin (`//evil.example`, `/\evil.example`, a tab or newline browsers drop) or a
//! `javascript:` URL.

/// The longest `next` kept; anything longer goes home.
const MAX_LEN: usize = 2_000;

/// A path on this site, safe to put in a `Location` header and in `window.location`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalPath(String);

impl LocalPath {
    /// Parses a requested destination; `None` unless it is unmistakably a local path.
    /// Letters outside ASCII are percent-encoded (a header value must be ASCII).
    pub fn parse(raw: &str) -> Option<LocalPath> {
        if raw.len() > MAX_LEN || !raw.starts_with('/') {
            return None;
        }
        // Browsers drop tabs and newlines from URLs and read `\` as `/`, so `/\t/x` and
        // `/\x` are `//x`: another host. Any control or blank character is refused.
        if raw
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || c == '\\')
        {
            return None;
        }
        if raw.starts_with("//") {
            return None;
        }
        let mut out = String::with_capacity(raw.len());
        for c in raw.chars() {
            if c.is_ascii() {
                out.push(c);
            } else {
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
        }
        Some(LocalPath(out))
    }

    /// The destination for a requested `next`, home when it is missing or not local.
    pub fn or_home(next: Option<&str>) -> LocalPath {
        next.and_then(LocalPath::parse)
            .unwrap_or_else(|| LocalPath("/".into()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::LocalPath;

    fn dest(next: &str) -> String {
        LocalPath::or_home(Some(next)).as_str().to_owned()
    }

    #[test]
    fn local_paths_are_kept() {
        assert_eq!(dest("/events/new"), "/events/new");
        assert_eq!(dest("/?q=huawei&kind=eased#x"), "/?q=huawei&kind=eased#x");
        assert_eq!(dest("/events/3-lørdag"), "/events/3-l%C3%B8rdag");
        assert_eq!(LocalPath::or_home(None).as_str(), "/");
        // Invisible characters are harmless once encoded: the path stays on this site.
        assert_eq!(dest("/\u{202E}x"), "/%E2%80%AEx");
    }

    #[test]
    fn anything_that_could_leave_the_site_goes_home() {
        for hostile in [
            "javascript:alert(document.cookie)",
            " javascript:alert(1)",
            "//evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r\nSet-Cookie: x=1",
            "/\\evil.example",
            "\\\\evil.example",
            "https://evil.example/",
            "/\u{0}",
            "/\u{a0}/evil.example",
            "",
            "events",
            "data:text/html,<script>alert(1)</script>",
        ] {
            assert_eq!(dest(hostile), "/", "{hostile:?}");
        }
        assert_eq!(dest(&format!("/{}", "a".repeat(3_000))), "/");
    }
}
