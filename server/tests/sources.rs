//! Editors add sources: only signed in, only with the session's form token, every field
//! checked on the server, duplicates refused with a link, and a revision written.

mod common;

use app::domain::account::Role;
use axum::http::StatusCode;
use common::{spawn_app, TestApp};
use serde_json::Value;
use sqlx::PgPool;

/// Signs an editor in; returns the cookie and the CSRF token.
async fn editor(app: &TestApp) -> (String, String) {
    common::sign_in(app, "ed@example.org", Role::Editor).await
}

const TEXT: &str = "Trump lemper på Huawei-sanktioner\n\nArtikel top billede\n\nNu meddeler han, at amerikanske virksomheder igen kan sælge.\n\nLæs også:\n\nEn anden historie";

fn source_form(csrf: &str, url: &str, published_on: &str) -> String {
    common::form_body(&[
        ("csrf", csrf),
        ("form[url]", url),
        ("form[title]", "Trump lemper på Huawei-sanktioner"),
        ("form[publisher]", "Computerworld"),
        ("form[authors]", "Jane Doe"),
        ("form[published_on]", published_on),
        ("form[language]", "da"),
        ("form[text]", TEXT),
        ("comment", "first version"),
    ])
}

async fn add(app: &TestApp, cookie: Option<&str>, body: &str) -> (StatusCode, String) {
    let mut headers = vec![("accept", "application/json")];
    if let Some(c) = cookie {
        headers.push(("cookie", c));
    }
    let reply = app.post_form("/api/add_source", body, &headers).await;
    (reply.status, reply.body)
}

#[sqlx::test(migrations = "../migrations")]
async fn an_editor_adds_a_source_cut_to_the_article(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (cookie, csrf) = editor(&app).await;
    let (status, body) = add(
        &app,
        Some(&cookie),
        &source_form(&csrf, "https://example.dk/a", "2019-06-29"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let outcome: Value = serde_json::from_str(&body).unwrap();
    let href = outcome["Added"]["href"].as_str().expect("added").to_owned();
    let id: i64 = href.trim_start_matches("/sources/").parse().unwrap();
    let (stored, authors): (String, Vec<String>) =
        sqlx::query_as("SELECT body, authors FROM sources WHERE id = $1")
            .bind(id)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(
        stored,
        "Trump lemper på Huawei-sanktioner\n\nNu meddeler han, at amerikanske virksomheder igen kan sælge."
    );
    assert_eq!(authors, ["Jane Doe"]);
    let (version, comment, author): (i32, String, String) = sqlx::query_as(
        "SELECT r.version, r.comment, u.email FROM revisions r JOIN users u ON u.id = r.author_id
         WHERE r.entity = 'source' AND r.entity_id = $1",
    )
    .bind(id)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        (version, comment.as_str(), author.as_str()),
        (1, "first version", "ed@example.org")
    );
    assert_eq!(app.get(&href).await.status, StatusCode::OK);

    // The same address again is refused, pointing at the source that has it.
    let (_, body) = add(
        &app,
        Some(&cookie),
        &source_form(&csrf, "https://example.dk/a", "2019-06-29"),
    )
    .await;
    let outcome: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(outcome["Duplicate"]["href"], href.as_str());
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM sources")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(count, 1);
}

#[sqlx::test(migrations = "../migrations")]
async fn bad_fields_are_named_and_nothing_is_saved(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (cookie, csrf) = editor(&app).await;
    let (status, body) = add(
        &app,
        Some(&cookie),
        &source_form(&csrf, "javascript:alert(1)", "2019-02-30"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let outcome: Value = serde_json::from_str(&body).unwrap();
    let errors = outcome["Invalid"].as_array().expect("invalid");
    let fields: Vec<&str> = errors.iter().map(|e| e[0].as_str().unwrap()).collect();
    assert_eq!(fields, ["url", "published_on"]);
    assert!(errors[0][1].as_str().unwrap().contains("http"));
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM sources")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(count, 0);
}

#[sqlx::test(migrations = "../migrations")]
async fn only_a_signed_in_editor_with_the_form_token_may_add(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (cookie, csrf) = editor(&app).await;
    let body = source_form(&csrf, "https://example.dk/b", "2019-06-29");
    assert_eq!(add(&app, None, &body).await.0, StatusCode::UNAUTHORIZED);
    let forged = source_form("not-the-token", "https://example.dk/b", "2019-06-29");
    assert_eq!(
        add(&app, Some(&cookie), &forged).await.0,
        StatusCode::FORBIDDEN
    );
    let cross_site = app
        .post_form(
            "/api/add_source",
            &body,
            &[("cookie", &cookie), ("origin", "https://evil.example")],
        )
        .await;
    assert_eq!(cross_site.status, StatusCode::FORBIDDEN);
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM sources")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(count, 0);
}
