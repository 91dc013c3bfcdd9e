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
    // The editor who added it reads it at once; readers only once a published event
    // cites it.
    assert_eq!(
        app.get_signed_in(&href, &cookie).await.status,
        StatusCode::OK
    );
    assert_eq!(app.get(&href).await.status, StatusCode::NOT_FOUND);

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

const CITED: &str = "Huawei kom på listen i maj.\n\nDet gælder også 68 datterselskaber.\n\nForbuddet blev lempet lørdag 🙂.";

/// A published event citing `exact` from the source, as an editor would make it.
async fn cite(app: &TestApp, source: i64, author: i64, title: &str, exact: &str) -> i64 {
    cite_in(app, source, CITED, author, title, exact).await
}

/// A published event citing `exact` (its first place in `text`) from a source whose
/// text is `text`.
async fn cite_in(
    app: &TestApp,
    source: i64,
    text: &str,
    author: i64,
    title: &str,
    exact: &str,
) -> i64 {
    use app::domain::event_form::{EventDraft, PickedQuote};
    let byte = text.find(exact).unwrap();
    let start = text[..byte].encode_utf16().count();
    let draft = EventDraft {
        title: title.into(),
        summary: String::new(),
        kind: "imposed".parse().unwrap(),
        date: "2019-05-16".parse().unwrap(),
        end: None,
        date_phrase: None,
        authorities: vec!["US Department of Commerce".into()],
        targets: vec!["Huawei".into()],
        legal_instrument: None,
        quote: Some(PickedQuote {
            source: app::domain::SourceId(source),
            exact: exact.into(),
            utf16_start: start,
            utf16_end: start + exact.encode_utf16().count(),
        }),
        relation: None,
        removals: Default::default(),
    };
    let id = app::db::events::create(&app.pool, &draft, author, "")
        .await
        .unwrap();
    sqlx::query("UPDATE events SET status = 'published' WHERE id = $1")
        .bind(id.0)
        .execute(&app.pool)
        .await
        .unwrap();
    id.0
}

fn edit_form(csrf: &str, id: i64, version: i32, text: &str) -> String {
    common::form_body(&[
        ("csrf", csrf),
        ("id", &id.to_string()),
        ("version", &version.to_string()),
        ("form[url]", "https://evil.example/ignored"),
        ("form[title]", "Huawei på listen"),
        ("form[publisher]", "Computerworld"),
        ("form[authors]", ""),
        ("form[published_on]", "2019-06-29"),
        ("form[language]", "da"),
        ("form[text]", text),
        ("comment", "rettelse"),
    ])
}

async fn update(app: &TestApp, cookie: Option<&str>, body: &str) -> (StatusCode, Value) {
    let mut headers = vec![("accept", "application/json")];
    if let Some(c) = cookie {
        headers.push(("cookie", c));
    }
    let reply = app.post_form("/api/update_source", body, &headers).await;
    let json = serde_json::from_str(&reply.body).unwrap_or(Value::String(reply.body.clone()));
    (reply.status, json)
}

#[sqlx::test(migrations = "../migrations")]
async fn editing_a_source_moves_its_quotes_with_their_text_and_flags_lost_ones(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (cookie, csrf) = editor(&app).await;
    let author: i64 = sqlx::query_scalar("SELECT id FROM users")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let draft = app::domain::source_form::SourceDraft {
        url: "https://example.dk/huawei".into(),
        title: "Huawei på listen".into(),
        publisher: "Computerworld".into(),
        authors: vec![],
        published_on: chrono::NaiveDate::from_ymd_opt(2019, 6, 29).unwrap(),
        language: "da".parse().unwrap(),
        body: CITED.into(),
    };
    let source = match app::db::sources::add(&app.pool, &draft, author, "")
        .await
        .unwrap()
    {
        app::db::sources::Added::New(id) => id.0,
        other => panic!("{other:?}"),
    };
    let listed = cite(
        &app,
        source,
        author,
        "Listed",
        "Huawei kom på listen i maj.",
    )
    .await;
    let affiliates = cite(&app, source, author, "Affiliates", "68 datterselskaber").await;
    cite(&app, source, author, "Eased", "lempet lørdag 🙂").await;

    // Anonymous and forged requests change nothing.
    let edited = format!(
        "Rettet 🙂 indledning.\n\n{}",
        CITED.replace("68 datterselskaber", "69 datterselskaber")
    );
    assert_eq!(
        update(&app, None, &edit_form(&csrf, source, 1, &edited))
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        update(
            &app,
            Some(&cookie),
            &edit_form("forged", source, 1, &edited)
        )
        .await
        .0,
        StatusCode::FORBIDDEN
    );

    // Published events cite it: an editor's save waits for review (`review.rs`), an
    // admin's goes live. The admin makes the saves from here on.
    let (status, outcome) =
        update(&app, Some(&cookie), &edit_form(&csrf, source, 1, &edited)).await;
    assert_eq!(status, StatusCode::OK, "{outcome}");
    assert!(outcome["Pending"].is_object(), "{outcome}");
    let (admin_cookie, admin_csrf) = common::sign_in(&app, "admin@example.org", Role::Admin).await;
    let (cookie, csrf) = (admin_cookie.clone(), admin_csrf.clone());
    let (status, outcome) =
        update(&app, Some(&cookie), &edit_form(&csrf, source, 1, &edited)).await;
    assert_eq!(status, StatusCode::OK, "{outcome}");
    let report = &outcome["Saved"]["report"];
    assert_eq!(
        (report["kept"].as_u64(), report["moved"].as_u64()),
        (Some(0), Some(2)),
        "{outcome}"
    );
    assert_eq!(report["flagged"][0]["exact"], "68 datterselskaber");
    assert_eq!(report["flagged"][0]["event_id"], affiliates);

    // Moved quotes point at their text in the new body; the lost one is flagged, unmoved.
    let rows: Vec<(i64, String, i32, i32, bool)> = sqlx::query_as(
        "SELECT event_id, exact, start_char, end_char, needs_review FROM citations ORDER BY event_id",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    for (event, exact, start, end, flagged) in &rows {
        let at: String = edited
            .chars()
            .skip(*start as usize)
            .take((end - start) as usize)
            .collect();
        if *event == affiliates {
            assert!(flagged, "{exact}");
            assert_eq!(exact, "68 datterselskaber");
        } else {
            assert!(!flagged, "{exact}");
            assert_eq!(&at, exact);
        }
    }
    // The source's address is the source's own, whatever the form said.
    let (url, body): (String, String) =
        sqlx::query_as("SELECT url, body FROM sources WHERE id = $1")
            .bind(source)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(
        (url.as_str(), body.as_str()),
        ("https://example.dk/huawei", edited.as_str())
    );

    // Readers: the source page marks only the placed quotes; the flagged one's permalink
    // says it awaits a check instead of linking into the text.
    let page = app.get(&format!("/sources/{source}")).await.body;
    assert!(page.contains("lempet lørdag 🙂</mark>"), "{page}");
    assert!(!page.contains("68 datterselskaber</mark>"));
    let permalink = app
        .get(&format!("/events/{affiliates}-affiliates"))
        .await
        .body;
    assert!(permalink.contains("awaits an editor"), "{permalink}");
    let fine = app.get(&format!("/events/{listed}-listed")).await.body;
    assert!(fine.contains("Read it in the source text"));

    // An edit at the end leaves the others in place; restoring the wording un-flags it.
    let restored = format!(
        "{}\n\nTilføjet.",
        edited.replace("69 datterselskaber", "68 datterselskaber")
    );
    let (_, outcome) = update(&app, Some(&cookie), &edit_form(&csrf, source, 2, &restored)).await;
    let report = &outcome["Saved"]["report"];
    assert_eq!(
        (report["kept"].as_u64(), report["moved"].as_u64()),
        (Some(2), Some(1)),
        "{outcome}"
    );
    assert_eq!(report["flagged"].as_array().map(Vec::len), Some(0));

    // A stale version is refused with the source as it now is; nothing changes.
    let (_, stale) = update(
        &app,
        Some(&cookie),
        &edit_form(&csrf, source, 1, "Noget andet."),
    )
    .await;
    assert_eq!(stale["Conflict"]["version"], 3, "{stale}");
    let versions: Vec<i32> = sqlx::query_scalar(
        "SELECT version FROM revisions WHERE entity = 'source' AND entity_id = $1 ORDER BY version",
    )
    .bind(source)
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(versions, [1, 2, 3]);

    // An admin restores the first text: a new revision, and the quotes re-anchored to it.
    let restore = common::form_body(&[
        ("csrf", &admin_csrf),
        ("entity", "source"),
        ("id", &source.to_string()),
        ("version", "1"),
    ]);
    let reply = app
        .post_form(
            "/api/restore_revision",
            &restore,
            &[("cookie", &admin_cookie), ("accept", "application/json")],
        )
        .await;
    assert_eq!(reply.json()["Restored"]["version"], 4, "{}", reply.body);
    let (body, flagged): (String, i64) = sqlx::query_as(
        "SELECT body, (SELECT count(*) FROM citations WHERE needs_review) FROM sources WHERE id = $1",
    )
    .bind(source)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!((body.as_str(), flagged), (CITED, 0));
    let history = app
        .get_signed_in(&format!("/api/history?entity=source&id={source}"), &cookie)
        .await
        .json();
    let text_change = &history["revisions"][0]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["field"] == "Text")
        .cloned()
        .unwrap();
    let lines: Vec<&str> = text_change["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["kind"].as_str().unwrap())
        .collect();
    assert!(
        lines.contains(&"-") && lines.contains(&"+"),
        "{text_change}"
    );
}

/// Stores a source with this text; returns its id.
async fn new_source(app: &TestApp, author: i64, url: &str, body: String) -> i64 {
    let draft = app::domain::source_form::SourceDraft {
        url: url.into(),
        title: "Huawei på listen".into(),
        publisher: "Computerworld".into(),
        authors: vec![],
        published_on: chrono::NaiveDate::from_ymd_opt(2019, 6, 29).unwrap(),
        language: "da".parse().unwrap(),
        body,
    };
    match app::db::sources::add(&app.pool, &draft, author, "")
        .await
        .unwrap()
    {
        app::db::sources::Added::New(id) => id.0,
        other => panic!("{other:?}"),
    }
}

async fn author(app: &TestApp) -> i64 {
    editor(app).await;
    sqlx::query_scalar("SELECT id FROM users")
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn a_source_of_the_largest_size_in_one_letter_paragraphs_is_shown(pool: PgPool) {
    use app::domain::source_form::MAX_BODY_CHARS;
    let app = spawn_app(pool).await;
    let author = author(&app).await;
    // "a\n\nb\n\n…": every cut of the text is a paragraph break.
    let paragraphs = MAX_BODY_CHARS.div_ceil(3);
    let body = (0..paragraphs)
        .map(|i| char::from(b'a' + (i % 26) as u8).to_string())
        .collect::<Vec<_>>()
        .join("\n\n");
    let source = new_source(&app, author, "https://example.dk/long", body.clone()).await;
    // A thousand paragraphs from the middle on, as the editor selected them.
    let exact = &body[500_001..503_001];
    let event = cite_in(&app, source, &body, author, "Long", exact).await;
    let citation: i64 = sqlx::query_scalar("SELECT id FROM citations WHERE event_id = $1")
        .bind(event)
        .fetch_one(&app.pool)
        .await
        .unwrap();

    let page = app.get(&format!("/sources/{source}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let shown = page.body.matches("</p>").count();
    assert!(
        shown >= paragraphs,
        "{shown} paragraphs shown of {paragraphs}"
    );
    assert!(page.body.contains(&format!("id=\"c{citation}\"")));
    // The passage's thousand paragraphs are each marked.
    let marks = page
        .body
        .matches(&format!("<mark data-citations=\"{citation}\">"))
        .count();
    assert_eq!(marks, 1_000);
}

/// Waits until a statement matching `like` waits for a lock, or `done` says to stop.
async fn until_waiting(pool: &PgPool, like: &str, done: impl Fn() -> bool) -> bool {
    for _ in 0..3_000 {
        let waiting: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM pg_stat_activity
             WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE $1",
        )
        .bind(like)
        .fetch_one(pool)
        .await
        .unwrap();
        if waiting > 0 {
            return true;
        }
        if done() {
            return false;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    panic!("no statement like {like} came to wait for a lock");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_passage_cited_while_its_source_is_edited_lands_in_the_edited_text(pool: PgPool) {
    let app = spawn_app(pool).await;
    let author = author(&app).await;
    let source = new_source(&app, author, "https://example.dk/huawei", CITED.into()).await;
    let listed = cite(
        &app,
        source,
        author,
        "Listed",
        "Huawei kom på listen i maj.",
    )
    .await;
    let eased = cite(&app, source, author, "Eased", "68 datterselskaber").await;

    // The edit is held just after it wrote the new text, before it reads the citations
    // to re-anchor: another transaction holds one of them.
    let mut holder = app.pool.begin().await.unwrap();
    sqlx::query("SELECT id FROM citations WHERE event_id = $1 FOR UPDATE")
        .bind(listed)
        .execute(&mut *holder)
        .await
        .unwrap();
    let edited = format!("Rettet 🙂 indledning.\n\n{CITED}");
    let edit = tokio::spawn({
        let pool = app.pool.clone();
        let draft = app::domain::source_form::SourceDraft {
            url: "https://example.dk/huawei".into(),
            title: "Huawei på listen".into(),
            publisher: "Computerworld".into(),
            authors: vec![],
            published_on: chrono::NaiveDate::from_ymd_opt(2019, 6, 29).unwrap(),
            language: "da".parse().unwrap(),
            body: edited.clone(),
        };
        async move {
            app::db::sources::update(&pool, app::domain::SourceId(source), 1, &draft, author, "")
                .await
                .map(|_| ())
        }
    });
    until_waiting(&app.pool, "%FOR UPDATE OF c%", || edit.is_finished()).await;

    // Meanwhile an editor cites another passage of the source.
    let citing = tokio::spawn({
        let pool = app.pool.clone();
        async move {
            let mut tx = pool.begin().await?;
            let id = app::db::citations::cite(
                &mut tx,
                app::domain::EventId(eased),
                app::domain::SourceId(source),
                "lempet lørdag 🙂",
                None,
            )
            .await?;
            tx.commit().await?;
            Ok::<_, app::db::DbError>(id)
        }
    });
    // It either waits for the edit, or (reading the text unlocked) is done before it.
    until_waiting(&app.pool, "%FOR SHARE%", || citing.is_finished()).await;
    holder.rollback().await.unwrap();
    edit.await.unwrap().unwrap();
    let cited = citing.await.unwrap().unwrap();

    // Every citation's offsets hold its quote in the text as it now stands.
    let wrong: Vec<(i64, String)> = sqlx::query_as(
        "SELECT c.id, c.exact FROM citations c JOIN sources s ON s.id = c.source_id
         WHERE NOT c.needs_review
           AND substr(s.body, c.start_char + 1, c.end_char - c.start_char) <> c.exact",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert!(
        wrong.is_empty(),
        "pointing into the text the edit replaced: {wrong:?}"
    );
    let (body, start, flagged): (String, i32, bool) = sqlx::query_as(
        "SELECT s.body, c.start_char, c.needs_review FROM citations c
         JOIN sources s ON s.id = c.source_id WHERE c.id = $1",
    )
    .bind(cited.0)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(body, edited);
    assert!(!flagged);
    let at = edited.find("lempet lørdag").unwrap();
    assert_eq!(start as usize, edited[..at].chars().count());
}
