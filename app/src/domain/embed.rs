//! Embeds: what another site puts in an iframe to show one event's card or a view of the
//! timeline, and the snippet it pastes. The snippet is written here once, for the "Embed"
//! button and for the oEmbed answer alike; every value in it is escaped for its attribute.

/// The addresses that other sites may frame (and that show no site chrome).
pub fn is_embed(path: &str) -> bool {
    path == "/embed" || path.starts_with("/embed/")
}

/// Something to embed: its address on this site, what it shows and the frame's size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Embed {
    /// Path and query of the embeddable page (`/embed/events/12-slug`, `/embed?target=…`).
    pub path: String,
    pub title: String,
    pub width: u32,
    pub height: u32,
}

/// Frames smaller than this show too little to be of use; larger ones are a page.
const SMALLEST: (u32, u32) = (280, 200);
const LARGEST: (u32, u32) = (2000, 2000);

impl Embed {
    /// An event's compact card, for its permalink path (`/events/12-slug`).
    pub fn event(permalink: &str, title: &str) -> Embed {
        Embed {
            path: format!("/embed{permalink}"),
            title: title.to_owned(),
            width: 560,
            height: 360,
        }
    }

    /// The timeline for a filter and view, at its `/embed?…` address (as
    /// `TimelineUrl::href` writes it for an embedded timeline).
    pub fn timeline(path: String) -> Embed {
        Embed {
            path,
            title: "Sanctions Timeline".to_owned(),
            width: 800,
            height: 480,
        }
    }

    /// The same frame within what the embedding page allows (oEmbed's `maxwidth` and
    /// `maxheight`), never below a usable size.
    pub fn within(self, max_width: Option<u32>, max_height: Option<u32>) -> Embed {
        let fit = |size: u32, max: Option<u32>, (least, most): (u32, u32)| {
            max.map_or(size, |m| size.min(m)).clamp(least, most)
        };
        Embed {
            width: fit(self.width, max_width, (SMALLEST.0, LARGEST.0)),
            height: fit(self.height, max_height, (SMALLEST.1, LARGEST.1)),
            ..self
        }
    }

    /// The absolute address of the framed page on `site` (`https://host`, no trailing `/`).
    pub fn src(&self, site: &str) -> String {
        format!("{site}{}", self.path)
    }

    /// The HTML another site pastes.
    pub fn iframe(&self, site: &str) -> String {
        format!(
            "<iframe src=\"{}\" title=\"{}\" width=\"{}\" height=\"{}\" loading=\"lazy\" style=\"border:0;max-width:100%\"></iframe>",
            attribute(&self.src(site)),
            attribute(&self.title),
            self.width,
            self.height
        )
    }
}

/// Text made safe inside a double-quoted attribute.
fn attribute(text: &str) -> String {
    html_escape::encode_double_quoted_attribute(text).replace('\'', "&#x27;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_embed_addresses_may_be_framed() {
        for path in ["/embed", "/embed/events/12-huawei"] {
            assert!(is_embed(path), "{path}");
        }
        for path in ["/", "/events/12", "/embedded", "/embed-me", "/api/embed"] {
            assert!(!is_embed(path), "{path}");
        }
    }

    #[test]
    fn the_snippet_escapes_what_a_title_or_filter_could_smuggle_in() {
        let card = Embed::event("/events/3-x", "Trump \"eases\" <Huawei> & co's");
        let html = card.iframe("https://t.example");
        assert!(html.starts_with("<iframe src=\"https://t.example/embed/events/3-x\""));
        assert!(
            html.contains("title=\"Trump &quot;eases&quot; &lt;Huawei&gt; &amp; co&#x27;s\""),
            "{html}"
        );
        let view =
            Embed::timeline("/embed?target=Huawei&q=%22%3E%3Cscript%3E&lanes=lifecycle".into());
        let html = view.iframe("https://t.example");
        assert!(
            html.contains("src=\"https://t.example/embed?target=Huawei&amp;q=%22%3E%3Cscript%3E&amp;lanes=lifecycle\""),
            "{html}"
        );
        assert_eq!(html.matches('<').count(), 2, "{html}");
    }

    #[test]
    fn a_frame_fits_what_the_page_allows_but_stays_usable() {
        let card = Embed::event("/events/3-x", "t");
        assert_eq!((card.width, card.height), (560, 360));
        let narrow = card.clone().within(Some(320), Some(1000));
        assert_eq!((narrow.width, narrow.height), (320, 360));
        let tiny = card.within(Some(10), Some(0));
        assert_eq!((tiny.width, tiny.height), SMALLEST);
    }
}
