//! Editors add sources: only signed in, only with the session's form token, every field
//! checked on the server, duplicates refused with a link, and a revision written.

use crate::support::{
    account_id, add_source, change_of, count, create_account, create_event, restore_form, sign_in,
    source_draft, source_edit, spawn_app, Form, TestApp,
};
use app::domain::account::Role;
use axum::http::StatusCode;
use sqlx::PgPool;

/// Signs an editor in; returns the cookie and the CSRF token.
async fn editor(app: &TestApp) -> (String, String) {
    sign_in(app, "ed@example.org", Role::Editor).await
}

const TEXT: &str = "Trump lemper på Huawei-sanktioner\n\nArtikel top billede\n\nNu meddeler han, at amerikanske virksomheder igen kan sælge.\n\nLæs også:\n\nEn anden historie";

fn source_form(csrf: &str, url: &str, published_on: &str) -> Form {
    Form::new()
        .field("csrf", csrf)
        .field("form[url]", url)
        .field("form[title]", "Trump lemper på Huawei-sanktioner")
        .field("form[publisher]", "Computerworld")
        .field("form[authors]", "Jane Doe")
        .field("form[published_on]", published_on)
        .field("form[language]", "da")
        .field("form[text]", TEXT)
        .field("comment", "first version")
}

#[sqlx::test(migrations = "../migrations")]
async fn an_editor_adds_a_source_cut_to_the_article(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (cookie, csrf) = editor(&app).await;
    let (status, outcome) = app
        .call(
            "add_source",
            Some(&cookie),
            &source_form(&csrf, "https://example.dk/a", "2019-06-29"),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{outcome}");
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
    let (_, outcome) = app
        .call(
            "add_source",
            Some(&cookie),
            &source_form(&csrf, "https://example.dk/a", "2019-06-29"),
        )
        .await;
    assert_eq!(outcome["Duplicate"]["href"], href.as_str());
    assert_eq!(count(&app, "SELECT count(*) FROM sources").await, 1);
}

#[sqlx::test(migrations = "../migrations")]
async fn bad_fields_are_named_and_nothing_is_saved(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (cookie, csrf) = editor(&app).await;
    let (status, outcome) = app
        .call(
            "add_source",
            Some(&cookie),
            &source_form(&csrf, "javascript:alert(1)", "2019-02-30"),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{outcome}");
    let errors = outcome["Invalid"].as_array().expect("invalid");
    let fields: Vec<&str> = errors.iter().map(|e| e[0].as_str().unwrap()).collect();
    assert_eq!(fields, ["url", "published_on"]);
    assert!(errors[0][1].as_str().unwrap().contains("http"));
    assert_eq!(count(&app, "SELECT count(*) FROM sources").await, 0);
}

#[sqlx::test(migrations = "../migrations")]
async fn only_a_signed_in_editor_with_the_form_token_may_add(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (cookie, csrf) = editor(&app).await;
    let body = source_form(&csrf, "https://example.dk/b", "2019-06-29");
    assert_eq!(
        app.call("add_source", None, &body).await.0,
        StatusCode::UNAUTHORIZED
    );
    let forged = source_form("not-the-token", "https://example.dk/b", "2019-06-29");
    assert_eq!(
        app.call("add_source", Some(&cookie), &forged).await.0,
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
    assert_eq!(count(&app, "SELECT count(*) FROM sources").await, 0);
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
    let id = create_event(app, author, source, text, title, exact).await;
    sqlx::query("UPDATE events SET status = 'published' WHERE id = $1")
        .bind(id)
        .execute(&app.pool)
        .await
        .expect("event published");
    id
}

#[sqlx::test(migrations = "../migrations")]
async fn editing_a_source_moves_its_quotes_with_their_text_and_flags_lost_ones(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (cookie, csrf) = editor(&app).await;
    let author = account_id(&app, "ed@example.org").await;
    let source = add_source(&app, author, "https://example.dk/huawei", CITED).await;
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
        app.call(
            "update_source",
            None,
            &source_edit(&csrf, source, 1, &edited)
        )
        .await
        .0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.call(
            "update_source",
            Some(&cookie),
            &source_edit("forged", source, 1, &edited)
        )
        .await
        .0,
        StatusCode::FORBIDDEN
    );

    // Published events cite it: an editor's save waits for review (`review.rs`), an
    // admin's goes live. The admin makes the saves from here on.
    let (status, outcome) = app
        .call(
            "update_source",
            Some(&cookie),
            &source_edit(&csrf, source, 1, &edited),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{outcome}");
    assert!(outcome["Pending"].is_object(), "{outcome}");
    let (admin_cookie, admin_csrf) = sign_in(&app, "admin@example.org", Role::Admin).await;
    let (cookie, csrf) = (admin_cookie.clone(), admin_csrf.clone());
    let (status, outcome) = app
        .call(
            "update_source",
            Some(&cookie),
            &source_edit(&csrf, source, 1, &edited),
        )
        .await;
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
    let (_, outcome) = app
        .call(
            "update_source",
            Some(&cookie),
            &source_edit(&csrf, source, 2, &restored),
        )
        .await;
    let report = &outcome["Saved"]["report"];
    assert_eq!(
        (report["kept"].as_u64(), report["moved"].as_u64()),
        (Some(2), Some(1)),
        "{outcome}"
    );
    assert_eq!(report["flagged"].as_array().map(Vec::len), Some(0));

    // A stale version is refused with the source as it now is; nothing changes.
    let (_, stale) = app
        .call(
            "update_source",
            Some(&cookie),
            &source_edit(&csrf, source, 1, "Noget andet."),
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
    let (_, restored) = app
        .call(
            "restore_revision",
            Some(&admin_cookie),
            &restore_form(&admin_csrf, "source", source, 1),
        )
        .await;
    assert_eq!(restored["Restored"]["version"], 4, "{restored}");
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
    let text_change = change_of(&history["revisions"][0], "Text");
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

/// The account that adds the sources and events.
async fn author(app: &TestApp) -> i64 {
    create_account(app, "ed@example.org", Role::Editor).await;
    account_id(app, "ed@example.org").await
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
    let source = add_source(&app, author, "https://example.dk/long", &body).await;
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
    let source = add_source(&app, author, "https://example.dk/huawei", CITED).await;
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
        let draft = source_draft("https://example.dk/huawei", &edited);
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

/// An archived copy hostile text could hide in: it stays one attribute value.
const ARCHIVED: &str =
    "https://web.archive.org/web/20190629/https://example.dk/a?q=\"><script>alert(1)</script>";

#[sqlx::test(migrations = "../migrations")]
async fn a_source_keeps_an_archived_copy_readers_can_open_when_the_original_is_gone(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (cookie, csrf) = editor(&app).await;

    // Not a web address: named, nothing saved.
    let (_, outcome) = app
        .call(
            "add_source",
            Some(&cookie),
            &source_form(&csrf, "https://example.dk/a", "2019-06-29")
                .field("form[archive_url]", "javascript:alert(1)"),
        )
        .await;
    let errors = outcome["Invalid"].as_array().expect("invalid");
    assert_eq!(errors.len(), 1, "{outcome}");
    assert_eq!(errors[0][0], "archive_url");
    assert_eq!(count(&app, "SELECT count(*) FROM sources").await, 0);

    let (_, outcome) = app
        .call(
            "add_source",
            Some(&cookie),
            &source_form(&csrf, "https://example.dk/a", "2019-06-29")
                .field("form[archive_url]", ARCHIVED),
        )
        .await;
    let href = outcome["Added"]["href"].as_str().expect("added").to_owned();
    let source: i64 = href.trim_start_matches("/sources/").parse().unwrap();
    let author = account_id(&app, "ed@example.org").await;
    let body: String = sqlx::query_scalar("SELECT body FROM sources WHERE id = $1")
        .bind(source)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let event = cite_in(
        &app,
        source,
        &body,
        author,
        "Trade may resume",
        "amerikanske virksomheder igen kan sælge",
    )
    .await;

    // The source page and the permalink link it, escaped as an attribute value.
    let escaped = "q=&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;";
    let page = app.get(&href).await;
    assert!(page.body.contains("Archived copy"), "{}", page.body);
    assert!(page.body.contains(escaped), "{}", page.body);
    assert!(!page.body.contains("<script>alert(1)"));
    let detail = app.get(&format!("/api/events/{event}")).await.json();
    assert_eq!(detail["citations"][0]["source"]["archive_url"], ARCHIVED);
    let slug = detail["slug"].as_str().expect("a slug");
    let permalink = app.get(&format!("/events/{event}-{slug}")).await;
    assert!(permalink.body.contains(r#"class="archived""#));
    assert!(permalink.body.contains(escaped));
    // With the passage's text fragment, as the original's link has it.
    assert!(
        permalink.body.contains("&lt;/script&gt;#:~:text="),
        "{}",
        permalink.body
    );
    // In the structured data too, as schema.org's archivedAt of the quoted article.
    assert!(
        permalink.body.contains(r#""archivedAt":"#),
        "{}",
        permalink.body
    );

    // The downloads carry it beside the source's own address.
    let line = app.get("/exports/events.ndjson").await.body;
    let exported: serde_json::Value = serde_json::from_str(line.lines().next().unwrap()).unwrap();
    assert_eq!(exported["citations"][0]["source_archive_url"], ARCHIVED);
    let csv = app.get("/exports/events.csv").await.body;
    let mut table = csv::Reader::from_reader(csv.as_bytes());
    let header = table.headers().unwrap().clone();
    let at = header
        .iter()
        .position(|h| h == "source_archive_urls")
        .expect("the column");
    let row = table.records().next().unwrap().unwrap();
    assert_eq!(&row[at], ARCHIVED);

    // An admin's edit that clears it: gone from the page, named in the history.
    let (admin, admin_csrf) = sign_in(&app, "admin@example.org", Role::Admin).await;
    let (_, outcome) = app
        .call(
            "update_source",
            Some(&admin),
            &source_edit(&admin_csrf, source, 1, &body).field("form[archive_url]", ""),
        )
        .await;
    assert!(outcome["Saved"].is_object(), "{outcome}");
    assert!(!app.get(&href).await.body.contains("Archived copy"));
    let history = app
        .get_signed_in(&format!("{href}/history"), &admin)
        .await
        .body;
    assert!(history.contains("Archived copy"), "{history}");
}
