//! A citation as a W3C Web Annotation (JSON-LD, https://www.w3.org/TR/annotation-model/):
//! the passage is the target, selected by its exact text with context
//! (`TextQuoteSelector`) and by its character offsets (`TextPositionSelector`) in our
//! stored copy of the source, and by its text alone in the publisher's original; the body
//! is the event that rests on it.

use super::citation::Citation;
use serde_json::{json, Value};

/// The annotation of `citation`, cited by the event at `permalink`; `site` makes the
/// links absolute.
pub fn web_annotation(citation: &Citation, permalink: &str, site: &str) -> Value {
    let q = &citation.quote;
    let quote = json!({
        "type": "TextQuoteSelector",
        "exact": q.exact,
        "prefix": q.prefix,
        "suffix": q.suffix,
    });
    let mut on_stored_copy = vec![quote.clone()];
    // Offsets an editor has not checked since the source changed are not given.
    if !citation.needs_review {
        on_stored_copy.push(
            json!({ "type": "TextPositionSelector", "start": q.span.start, "end": q.span.end }),
        );
    }
    json!({
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": format!("{site}/api/citations/{}", citation.id.0),
        "type": "Annotation",
        "motivation": "linking",
        "body": {
            "id": format!("{site}{permalink}"),
            "type": "Text",
            "format": "text/html",
        },
        "target": [
            {
                "type": "SpecificResource",
                "source": format!("{site}/sources/{}", citation.source.id.0),
                "selector": on_stored_copy,
            },
            {
                "type": "SpecificResource",
                "source": {
                    "id": citation.source.url,
                    "type": "Text",
                    "format": "text/html",
                    "language": citation.source.language.as_str(),
                    "title": citation.source.title,
                },
                "selector": quote,
            },
        ],
    })
}
