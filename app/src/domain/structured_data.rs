//! What a permalink tells search engines and link previews besides its HTML: the event as
//! schema.org JSON-LD (an `Event` with its dates, `about` its actors, each cited passage a
//! `Quotation` of its source), written so it can sit in a `<script>` data block.

use super::event::EventDetail;
use serde_json::{json, Value};

/// The event's JSON-LD; `site` is the public address the links are made absolute with.
pub fn event_json_ld(detail: &EventDetail, site: &str) -> String {
    let e = &detail.event;
    let actor = |a: &super::event::ActorRef, role: &str| {
        json!({
            "@type": "Thing",
            "name": a.name,
            "url": format!("{site}{}", a.href()),
            "description": role,
        })
    };
    let about: Vec<Value> = e
        .authorities
        .iter()
        .map(|a| actor(a, "authority"))
        .chain(e.targets.iter().map(|a| actor(a, "target")))
        .collect();
    let citations: Vec<Value> = detail
        .citations
        .iter()
        .map(|c| {
            let mut quotation = json!({
                "@type": "Quotation",
                "text": c.quote.exact,
                "inLanguage": c.source.language.as_str(),
                "isPartOf": {
                    "@type": "Article",
                    "headline": c.source.title,
                    "url": c.source.url,
                    "datePublished": c.source.published_on.to_string(),
                    "publisher": { "@type": "Organization", "name": c.source.publisher },
                },
            });
            if let Some(archive) = &c.source.archive_url {
                quotation["isPartOf"]["archivedAt"] = json!(archive);
            }
            quotation
        })
        .collect();
    let mut ld = json!({
        "@context": "https://schema.org",
        "@type": "Event",
        "name": e.title,
        "url": format!("{site}{}", e.permalink()),
        // ISO 8601 at the date's own precision: 2019-05-16, 2019-05 or 2019.
        "startDate": e.date.iso(),
        "about": about,
        "citation": citations,
    });
    if !detail.summary.is_empty() {
        ld["description"] = json!(detail.summary);
    }
    if let Some(end) = e.end {
        ld["endDate"] = json!(end.iso());
    }
    script_safe(&ld.to_string())
}

/// JSON that cannot end its `<script>` element or open markup: `<`, `>` and `&` occur
/// only inside strings in JSON, where their `\u` escapes mean the same.
fn script_safe(json: &str) -> String {
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

#[cfg(test)]
mod tests {
    use super::script_safe;

    #[test]
    fn json_in_a_script_block_cannot_close_it() {
        let hostile =
            serde_json::json!({ "name": "</script><script>alert(1)</script> & Co\u{2028}" });
        let safe = script_safe(&hostile.to_string());
        assert!(!safe.contains('<') && !safe.contains('>') && !safe.contains('&'));
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, hostile, "the same JSON once parsed");
    }
}
