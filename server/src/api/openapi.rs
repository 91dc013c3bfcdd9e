//! `/api/openapi.json`: an OpenAPI 3.1 description of every public route (the JSON API,
//! the downloads, the feeds, the crawlers' files, oEmbed and the health checks). The
//! answers' schemas are generated from the domain types the routes serialise (schemars
//! reads their serde attributes, so the description is what is sent); `/api/docs` shows
//! the same document as a page. The integration test `openapi.rs` checks that every route
//! the server registers is described and that real answers validate against it.

use crate::embeds::OEmbed;
use app::domain::changes::Changes;
use app::domain::filter::DEFAULT_LIMIT;
use app::domain::filter::MAX_LIMIT;
use app::domain::in_force::InForce;
use app::domain::timeline::{Facets, TimelineWindow};
use app::domain::{EventDetail, EventKind, EventPage, SourceDetail};
use app::state::AppState;
use axum::extract::State;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, SchemaGenerator};
use serde_json::{json, Map, Value};

/// `GET /api/openapi.json`.
pub async fn document_json(State(state): State<AppState>) -> Response {
    (
        [(CACHE_CONTROL, "no-cache")],
        Json(document(&state.public_url)),
    )
        .into_response()
}

/// `GET /api/docs`: the document as a page a person reads, written by this server (no
/// script, no third-party files).
pub async fn docs_page(State(state): State<AppState>) -> Response {
    (
        [
            (CONTENT_TYPE, "text/html; charset=utf-8"),
            (CACHE_CONTROL, "no-cache"),
        ],
        Html(docs_html(&document(&state.public_url))),
    )
        .into_response()
}

/// Where an answer's body is described: a JSON schema, or a media type of text.
enum Body {
    Json(Value),
    Other(&'static str, Value),
    /// JSON, or the same as XML on request.
    JsonOrXml(Value),
}

/// One `GET` route.
struct Operation {
    path: &'static str,
    id: &'static str,
    tag: &'static str,
    summary: &'static str,
    description: &'static str,
    parameters: Vec<Value>,
    ok: Body,
    /// The error statuses it answers with (JSON `Error` bodies unless noted).
    errors: &'static [u16],
}

/// The whole document, for the server at `public_url`.
pub fn document(public_url: &str) -> Value {
    let mut schemas = SchemaSettings::draft2020_12()
        .for_serialize()
        .with(|s| {
            s.definitions_path = "#/components/schemas/".into();
            s.meta_schema = None;
        })
        .into_generator();
    let operations = operations(&mut schemas);
    let mut components = schemas.take_definitions(true);
    components.insert("Error".into(), error_schema());
    let mut paths = Map::new();
    for op in &operations {
        paths.insert(op.path.to_owned(), json!({ "get": operation(op) }));
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Sanctions Timeline",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "A dated, sourced record of trade-sanction events. Every answer shows published events only; \
                            drafts never leave the editors' desk. Dates are `YYYY-MM-DD`; an event's date may be known \
                            only to its month or year (`precision`).",
            "license": { "name": "See the repository" }
        },
        "servers": [{ "url": public_url }],
        "tags": [
            { "name": "record", "description": "Events, sources and what changed (JSON)" },
            { "name": "timeline", "description": "What the interactive timeline draws (JSON)" },
            { "name": "downloads", "description": "Every event a filter selects, streamed" },
            { "name": "feeds", "description": "Atom and iCalendar feeds for any filter" },
            { "name": "site", "description": "Embeds, crawlers' files and health checks" }
        ],
        "paths": paths,
        "components": { "schemas": components }
    })
}

fn operation(op: &Operation) -> Value {
    let mut responses = Map::new();
    let ok = match &op.ok {
        Body::Json(schema) => json!({ "application/json": { "schema": schema } }),
        Body::Other(media, schema) => json!({ (*media): { "schema": schema } }),
        Body::JsonOrXml(schema) => json!({
            "application/json": { "schema": schema },
            "text/xml": { "schema": { "type": "string" } }
        }),
    };
    responses.insert(
        "200".into(),
        json!({ "description": "The answer", "content": ok }),
    );
    for status in op.errors {
        let description = match status {
            400 => "A parameter that cannot be read; the message says which and why",
            404 => "Nothing published at that address",
            410 => "Withdrawn from the record",
            503 => "The record is unavailable for a moment (or too busy); retry after `Retry-After` seconds",
            _ => "An error",
        };
        responses.insert(
            status.to_string(),
            json!({
                "description": description,
                "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } }
            }),
        );
    }
    json!({
        "operationId": op.id,
        "tags": [op.tag],
        "summary": op.summary,
        "description": op.description,
        "parameters": op.parameters,
        "responses": responses
    })
}

fn error_schema() -> Value {
    json!({
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["status", "message"],
                "properties": {
                    "status": { "type": "integer" },
                    "message": { "type": "string", "description": "What was wrong, for a person to act on" }
                }
            }
        }
    })
}

fn query(name: &str, description: &str, schema: Value) -> Value {
    json!({ "name": name, "in": "query", "required": false, "description": description, "schema": schema })
}

fn required_query(name: &str, description: &str, schema: Value) -> Value {
    json!({ "name": name, "in": "query", "required": true, "description": description, "schema": schema })
}

fn path_id(what: &str) -> Value {
    json!({
        "name": "id", "in": "path", "required": true,
        "description": format!("The {what}'s id"),
        "schema": { "type": "integer", "minimum": 1, "maximum": i64::MAX }
    })
}

fn day() -> Value {
    json!({ "type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$" })
}

fn text() -> Value {
    json!({ "type": "string", "maxLength": 200 })
}

/// The filter every list, window, download and feed takes.
fn filter(with_page: bool) -> Vec<Value> {
    let kinds: Vec<&str> = EventKind::ALL.iter().map(|k| k.as_str()).collect();
    let mut params = vec![
        query("from", "Events on or after this day", day()),
        query("to", "Events on or before this day", day()),
        query(
            "q",
            "Words in the title, summary or quoted passages (any language)",
            text(),
        ),
        query(
            "kind",
            "What the event did",
            json!({ "type": "string", "enum": kinds }),
        ),
        query(
            "actor",
            "An actor named in either role (case-insensitive)",
            text(),
        ),
        query("authority", "The authority that acted (exact name)", text()),
        query("target", "The target acted on (exact name)", text()),
        query(
            "in_force",
            "Only measures in force on this day, resolved through their chains",
            day(),
        ),
    ];
    if with_page {
        params.push(query(
            "limit",
            &format!("Events per page (default {DEFAULT_LIMIT})"),
            json!({ "type": "integer", "minimum": 1, "maximum": MAX_LIMIT }),
        ));
        params.push(query(
            "cursor",
            "The previous page's `next_cursor`",
            json!({ "type": "string", "maxLength": 200 }),
        ));
    }
    params
}

fn schema_of<T: JsonSchema>(schemas: &mut SchemaGenerator) -> Value {
    schemas.subschema_for::<T>().to_value()
}

fn operations(schemas: &mut SchemaGenerator) -> Vec<Operation> {
    let string = json!({ "type": "string" });
    let mut window = vec![
        required_query("start", "The first day shown", day()),
        required_query(
            "end",
            "The last day shown (at most 200 years after `start`)",
            day(),
        ),
        query(
            "lanes",
            "How the timeline splits into lanes",
            json!({ "type": "string", "enum": ["none", "authority", "target", "kind", "lifecycle"] }),
        ),
        query(
            "as_recorded",
            "The record as published at the end of this day (UTC, not after today), rebuilt from the \
             revisions; not with `in_force` or lanes by lifecycle",
            day(),
        ),
    ];
    window.extend(filter(false));
    let period = vec![
        required_query("from", "The first day", day()),
        required_query("to", "The last day", day()),
    ];
    vec![
        Operation {
            path: "/api/events",
            id: "listEvents",
            tag: "record",
            summary: "Published events, in date order, a page at a time",
            description: "With `in_force`: the measures in force on that day that match the other fields, the most \
                          prominent first (at most 200), with their total.",
            parameters: filter(true),
            ok: Body::Json(json!({ "anyOf": [schema_of::<EventPage>(schemas), schema_of::<InForce>(schemas)] })),
            errors: &[400, 503],
        },
        Operation {
            path: "/api/events/{id}",
            id: "getEvent",
            tag: "record",
            summary: "One published event with its citations, steps and relations",
            description: "Each citation quotes its source exactly, with the character offsets where the passage \
                          stands in the stored source text.",
            parameters: vec![path_id("event")],
            ok: Body::Json(schema_of::<EventDetail>(schemas)),
            errors: &[400, 404, 503],
        },
        Operation {
            path: "/api/sources/{id}",
            id: "getSource",
            tag: "record",
            summary: "A source with its full text and the passages published events cite from it",
            description: "",
            parameters: vec![path_id("source")],
            ok: Body::Json(schema_of::<SourceDetail>(schemas)),
            errors: &[400, 404, 503],
        },
        Operation {
            path: "/api/citations/{id}",
            id: "getCitation",
            tag: "record",
            summary: "One cited passage as a W3C Web Annotation",
            description: "`TextQuoteSelector` and `TextPositionSelector` on our stored copy, `TextQuoteSelector` on \
                          the original; the body is the event's permalink.",
            parameters: vec![path_id("citation")],
            ok: Body::Other(
                "application/ld+json",
                json!({ "type": "object", "required": ["@context", "type", "target"] }),
            ),
            errors: &[400, 404, 503],
        },
        Operation {
            path: "/api/changes",
            id: "listChanges",
            tag: "record",
            summary: "What was imposed, eased, extended or lifted between two days",
            description: "In date order, at most 500, with their total.",
            parameters: period.clone(),
            ok: Body::Json(schema_of::<Changes>(schemas)),
            errors: &[400, 503],
        },
        Operation {
            path: "/api/timeline",
            id: "timelineWindow",
            tag: "timeline",
            summary: "One window of the timeline: its events, or counts per period when it holds too many",
            description: "",
            parameters: window,
            ok: Body::Json(schema_of::<TimelineWindow>(schemas)),
            errors: &[400, 503],
        },
        Operation {
            path: "/api/timeline/facets",
            id: "timelineFacets",
            tag: "timeline",
            summary: "Counts for the filter controls (each ignoring its own filter) and the density strip",
            description: "",
            parameters: filter(false),
            ok: Body::Json(schema_of::<Facets>(schemas)),
            errors: &[400, 503],
        },
        download("/exports/events.csv", "exportEventsCsv", "text/csv", "Every event the filter selects, one row per event"),
        download(
            "/exports/events.ndjson",
            "exportEventsNdjson",
            "application/x-ndjson",
            "Every event the filter selects, one JSON object per line, with its citations",
        ),
        download(
            "/exports/events.ftm.json",
            "exportEventsFollowTheMoney",
            "application/x-ndjson",
            "FollowTheMoney entities, one per line: a Sanction per measure and target, each target a LegalEntity",
        ),
        Operation {
            path: "/exports/changes.csv",
            id: "exportChangesCsv",
            tag: "downloads",
            summary: "What changed between two days, one change per row",
            description: "",
            parameters: period,
            ok: Body::Other("text/csv", string.clone()),
            errors: &[400, 503],
        },
        Operation {
            path: "/feeds/events.atom",
            id: "atomFeed",
            tag: "feeds",
            summary: "The 50 events the filter selects that changed last, as Atom 1.0",
            description: "",
            parameters: filter(false),
            ok: Body::Other("application/atom+xml", string.clone()),
            errors: &[400, 503],
        },
        Operation {
            path: "/feeds/events.ics",
            id: "calendarFeed",
            tag: "feeds",
            summary: "The dated steps of the events the filter selects, as iCalendar",
            description: "From `from`, else from a year before today; upcoming steps included.",
            parameters: filter(false),
            ok: Body::Other("text/calendar", string.clone()),
            errors: &[400, 503],
        },
        Operation {
            path: "/oembed",
            id: "oembed",
            tag: "site",
            summary: "oEmbed 1.0 for a permalink or a timeline view of this site",
            description: "",
            parameters: vec![
                required_query("url", "A permalink or timeline address of this site", json!({ "type": "string" })),
                query("maxwidth", "The widest frame the page allows, in pixels", json!({ "type": "integer", "minimum": 0, "maximum": u32::MAX })),
                query("maxheight", "The tallest frame the page allows, in pixels", json!({ "type": "integer", "minimum": 0, "maximum": u32::MAX })),
                query("format", "`json` (the default) or `xml`", json!({ "type": "string", "enum": ["json", "xml"] })),
            ],
            ok: Body::JsonOrXml(schema_of::<OEmbed>(schemas)),
            errors: &[400, 404, 503],
        },
        site("/robots.txt", "robots", "What crawlers may read, and where the sitemap is", Body::Other("text/plain", string.clone()), &[]),
        site("/sitemap.xml", "sitemapIndex", "The sitemap index: parts of at most 50,000 addresses", Body::Other("application/xml", string.clone()), &[503]),
        Operation {
            path: "/sitemaps/{part}",
            id: "sitemapPart",
            tag: "site",
            summary: "One part of the sitemap (`events-0.xml`, `sources-0.xml`, …)",
            description: "",
            parameters: vec![json!({
                "name": "part", "in": "path", "required": true,
                "schema": { "type": "string", "pattern": "^(events|sources)-[0-9]+\\.xml$" }
            })],
            ok: Body::Other("application/xml", string.clone()),
            errors: &[404, 503],
        },
        site("/healthz", "healthz", "The process answers", Body::Other("text/plain", string.clone()), &[]),
        Operation {
            description: "`503` (plain text) while it cannot.",
            ..site(
                "/readyz",
                "readyz",
                "The server can serve: its database answers with the schema this build expects",
                Body::Other("text/plain", string.clone()),
                &[],
            )
        },
        site("/api/openapi.json", "openapi", "This document", Body::Json(json!({ "type": "object" })), &[]),
        site("/api/docs", "docs", "This document as a page", Body::Other("text/html", string), &[]),
    ]
}

/// A route of the site's own, without parameters.
fn site(
    path: &'static str,
    id: &'static str,
    summary: &'static str,
    ok: Body,
    errors: &'static [u16],
) -> Operation {
    Operation {
        path,
        id,
        tag: "site",
        summary,
        description: "",
        parameters: Vec::new(),
        ok,
        errors,
    }
}

/// A streamed download of the events a filter selects.
fn download(
    path: &'static str,
    id: &'static str,
    media: &'static str,
    summary: &'static str,
) -> Operation {
    Operation {
        path,
        id,
        tag: "downloads",
        summary,
        description:
            "Streamed from the database 500 events at a time; at most 4 at once (a 5th gets 503).",
        parameters: filter(false),
        ok: Body::Other(media, json!({ "type": "string" })),
        errors: &[400, 503],
    }
}

/// The document as HTML: each route with its parameters and answers.
fn docs_html(doc: &Value) -> String {
    let e = |s: &str| html_escape::encode_text(s).into_owned();
    let mut out = String::from(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>API · Sanctions Timeline</title></head><body><main>\
         <h1>Sanctions Timeline API</h1>",
    );
    let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    out += &format!(
        "<p>{}</p><p>The machine-readable description: <a href=\"/api/openapi.json\">OpenAPI 3.1 (JSON)</a>. \
         Every answer is published data only.</p>",
        e(&text(&doc["info"]["description"]))
    );
    let Some(paths) = doc["paths"].as_object() else {
        return out;
    };
    for (path, item) in paths {
        let op = &item["get"];
        out += &format!(
            "<section id=\"{}\"><h2><code>GET {}</code></h2><p>{}</p>",
            e(&text(&op["operationId"])),
            e(path),
            e(&text(&op["summary"]))
        );
        let description = text(&op["description"]);
        if !description.is_empty() {
            out += &format!("<p>{}</p>", e(&description));
        }
        if let Some(params) = op["parameters"].as_array().filter(|p| !p.is_empty()) {
            out += "<table><thead><tr><th>Parameter</th><th>In</th><th>Required</th><th>Type</th><th>What</th></tr></thead><tbody>";
            for p in params {
                let schema = &p["schema"];
                let kind = match schema["enum"].as_array() {
                    Some(values) => values
                        .iter()
                        .filter_map(Value::as_str)
                        .collect::<Vec<_>>()
                        .join(" | "),
                    None => schema["format"]
                        .as_str()
                        .or(schema["type"].as_str())
                        .unwrap_or_default()
                        .to_owned(),
                };
                out += &format!(
                    "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    e(&text(&p["name"])),
                    e(&text(&p["in"])),
                    if p["required"] == true { "yes" } else { "no" },
                    e(&kind),
                    e(&text(&p["description"]))
                );
            }
            out += "</tbody></table>";
        }
        if let Some(responses) = op["responses"].as_object() {
            out += "<ul>";
            for (status, r) in responses {
                let media: Vec<&str> = r["content"]
                    .as_object()
                    .map(|c| c.keys().map(String::as_str).collect())
                    .unwrap_or_default();
                out += &format!(
                    "<li><strong>{}</strong> {} <code>{}</code></li>",
                    e(status),
                    e(&text(&r["description"])),
                    e(&media.join(", "))
                );
            }
            out += "</ul>";
        }
        out += "</section>";
    }
    out += "</main></body></html>";
    out
}
