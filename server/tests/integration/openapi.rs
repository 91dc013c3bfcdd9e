//! The API description: every route the server registers is in it, and real answers of
//! the demo record validate against the schemas it gives them. (scripts/test also runs
//! `schemathesis` against it on the browser tests' server.)

use crate::support::spawn_app_with_demo;
use axum::http::StatusCode;
use serde_json::{json, Value};
use sqlx::PgPool;
use std::path::Path;

/// Every path registered with `.route("…"` in the server's sources (tests aside).
fn registered_routes(dir: &Path, found: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).expect("source folder").flatten() {
        let path = entry.path();
        if path.is_dir() {
            registered_routes(&path, found);
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let source = std::fs::read_to_string(&path).expect("readable source");
        let code = source.split("#[cfg(test)]").next().unwrap_or_default();
        for after in code.split(".route(").skip(1) {
            let literal = after
                .trim_start()
                .strip_prefix('"')
                .and_then(|rest| rest.split('"').next())
                .unwrap_or_else(|| {
                    panic!("{}: a route whose path is not a literal", path.display())
                });
            found.push(literal.to_owned());
        }
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn every_route_the_server_registers_is_described(pool: PgPool) {
    let app = spawn_app_with_demo(pool).await;
    let doc = app.get_json("/api/openapi.json").await;
    assert_eq!(doc.status, StatusCode::OK);
    let doc = doc.json();
    assert_eq!(doc["openapi"], "3.1.0");
    let described = doc["paths"].as_object().expect("paths");
    let mut routes = Vec::new();
    registered_routes(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut routes,
    );
    assert!(routes.len() >= 20, "{routes:?}");
    let missing: Vec<&String> = routes
        .iter()
        .filter(|r| !described.contains_key(r.as_str()))
        .collect();
    assert!(missing.is_empty(), "routes not described: {missing:?}");
    // And nothing is described that is not served.
    for path in described.keys() {
        assert!(
            routes.contains(path),
            "{path} is described but not registered"
        );
    }

    let page = app.get("/api/docs").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<code>GET /api/events/{id}</code>"));
    assert!(page.body.contains("<code>in_force</code>"));
}

/// The schema the description gives an operation's `status` answer, as a validator that
/// resolves its references in the whole document.
fn validator(doc: &Value, path: &str, status: &str) -> jsonschema::Validator {
    let schema = doc["paths"][path]["get"]["responses"][status]["content"]
        .as_object()
        .and_then(|c| c.values().next())
        .map(|media| media["schema"].clone())
        .unwrap_or_else(|| panic!("{path} {status} has no schema"));
    let mut root = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "components": doc["components"].clone(),
    });
    root["allOf"] = json!([schema]);
    jsonschema::validator_for(&root).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[sqlx::test(migrations = "../migrations")]
async fn real_answers_validate_against_the_description(pool: PgPool) {
    let app = spawn_app_with_demo(pool.clone()).await;
    let doc = app.get_json("/api/openapi.json").await.json();
    let event = app
        .event_id("trump-eases-huawei-sanctions-at-g20-osaka")
        .await;
    let source: i64 = sqlx::query_scalar("SELECT min(id) FROM sources")
        .fetch_one(&pool)
        .await
        .expect("a source");
    let citation: i64 = sqlx::query_scalar("SELECT min(id) FROM citations WHERE event_id = $1")
        .bind(event)
        .fetch_one(&pool)
        .await
        .expect("a citation");
    let cases = [
        (
            "/api/events",
            "/api/events?q=Huawei&limit=3".to_owned(),
            "200",
        ),
        (
            "/api/events",
            "/api/events?in_force=2019-06-30&target=Huawei".to_owned(),
            "200",
        ),
        ("/api/events/{id}", format!("/api/events/{event}"), "200"),
        ("/api/sources/{id}", format!("/api/sources/{source}"), "200"),
        (
            "/api/citations/{id}",
            format!("/api/citations/{citation}"),
            "200",
        ),
        (
            "/api/changes",
            "/api/changes?from=2019-01-01&to=2020-12-31".to_owned(),
            "200",
        ),
        (
            "/api/timeline",
            "/api/timeline?start=2019-01-01&end=2019-12-31&lanes=target".to_owned(),
            "200",
        ),
        (
            "/api/timeline",
            "/api/timeline?start=1900-01-01&end=2090-12-31&lanes=lifecycle".to_owned(),
            "200",
        ),
        (
            "/api/timeline/facets",
            "/api/timeline/facets?target=Huawei".to_owned(),
            "200",
        ),
        (
            "/oembed",
            format!("/oembed?url=http%3A%2F%2F127.0.0.1%3A3000%2Fevents%2F{event}"),
            "200",
        ),
        ("/api/events", "/api/events?from=someday".to_owned(), "400"),
        ("/api/events/{id}", "/api/events/999999".to_owned(), "404"),
        (
            "/api/timeline",
            "/api/timeline?start=2019-01-01".to_owned(),
            "400",
        ),
        ("/oembed", "/oembed?url=x&format=yaml".to_owned(), "400"),
    ];
    for (path, uri, status) in cases {
        let reply = app.get_json(&uri).await;
        assert_eq!(reply.status.as_str(), status, "{uri}: {}", reply.body);
        let body: Value = serde_json::from_str(&reply.body).expect("JSON");
        let errors: Vec<String> = validator(&doc, path, status)
            .iter_errors(&body)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{uri}: {errors:#?}");
    }
}
