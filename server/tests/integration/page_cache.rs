//! Readers' pages from memory: served again without rendering, never older than the record
//! (whoever changed it), never shared with a signed-in editor, each with its own script
//! nonce (gzipped once, not per answer), revalidated with a 304; and a reader's page
//! carries no application code.

use crate::support::{
    desk, event_edit, sign_in_form, spawn_app_with_demo, Desk, Reply, TestApp, POSTCARD,
};
use axum::http::StatusCode;
use sqlx::PgPool;
use std::time::Duration;
use tokio::task::JoinHandle;

const SLUG: &str = "huawei-added-to-the-entity-list";
/// The tables whose changes readers see, each with its `record_changed` trigger.
const TABLES: [&str; 6] = [
    "sources",
    "actors",
    "events",
    "event_actors",
    "citations",
    "event_relations",
];

async fn permalink(app: &TestApp) -> String {
    format!("/events/{}-{SLUG}", app.event_id(SLUG).await)
}

/// Renames the event in the database directly, as another server or psql would, with
/// (`notify`) or without the triggers that announce the change.
async fn rename_elsewhere(app: &TestApp, title: &str, notify: bool) {
    let mut tx = app.pool.begin().await.expect("transaction");
    if !notify {
        sqlx::query("ALTER TABLE events DISABLE TRIGGER events_record_changed")
            .execute(&mut *tx)
            .await
            .expect("trigger off");
    }
    sqlx::query("UPDATE events SET title = $1 WHERE slug = $2")
        .bind(title)
        .bind(SLUG)
        .execute(&mut *tx)
        .await
        .expect("renamed");
    if !notify {
        sqlx::query("ALTER TABLE events ENABLE TRIGGER events_record_changed")
            .execute(&mut *tx)
            .await
            .expect("trigger on");
    }
    tx.commit().await.expect("committed");
}

/// The answer at `path`, asked for as its client asks, until it contains `text` (for up
/// to five seconds).
async fn until_it_shows(app: &TestApp, path: &str, text: &str) -> Reply {
    for _ in 0..100 {
        let page = ask(app, path, None).await;
        if page.body.contains(text) {
            return page;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{path} never showed “{text}”");
}

/// `path` asked for as its client asks: a server function's postcard as the readers'
/// bundle does (to a server function, a request that wants HTML is a form posted without
/// JavaScript, answered with a redirect), anything else as a browser.
async fn ask(app: &TestApp, path: &str, etag: Option<&str>) -> Reply {
    let mut headers = Vec::new();
    if path.starts_with("/api/load_") {
        headers.push(("accept", POSTCARD));
    }
    headers.extend(etag.map(|e| ("if-none-match", e)));
    app.get_with(path, &headers).await
}

/// The desk's event published, the changes followed, and the event's permalink.
async fn published_desk(pool: PgPool) -> (Desk, JoinHandle<()>, String) {
    let desk = desk(pool).await;
    let following = desk.app.follow_changes().await;
    desk.set_status(1, "published").await;
    let path = format!("/events/{}-huawei-listed", desk.event);
    (desk, following, path)
}

fn csp(page: &Reply) -> String {
    page.headers["content-security-policy"]
        .to_str()
        .expect("ascii")
        .to_owned()
}

#[sqlx::test(migrations = "../migrations")]
async fn a_readers_page_is_kept_until_anyone_changes_the_record(pool: PgPool) {
    let app = spawn_app_with_demo(pool).await;
    let following = app.follow_changes().await;
    let path = permalink(&app).await;
    let first = app.get(&path).await;
    assert_eq!(first.status, StatusCode::OK);
    assert!(first.body.contains("Huawei added to the US Entity List"));

    // A change nobody announced does not show: the page came from memory.
    rename_elsewhere(&app, "Silently renamed", false).await;
    let kept = app.get(&path).await;
    assert!(kept.body.contains("Huawei added to the US Entity List"));
    assert!(!kept.body.contains("Silently renamed"));
    // A stranger's post (a failed sign-in) changes nothing, and empties nothing.
    let refused = app
        .post_form(
            "/api/sign_in",
            &sign_in_form("nobody@example.org", "wrong"),
            &[],
        )
        .await;
    assert!(refused.status.is_client_error(), "{}", refused.status);
    assert!(!app.get(&path).await.body.contains("Silently renamed"));
    // The same page with other words in its query is another page, rendered anew.
    let other = app.get(&format!("{path}?ref=share")).await;
    assert!(other.body.contains("Silently renamed"));

    // Any writer's change is announced by the database, and the page follows.
    rename_elsewhere(&app, "Renamed by another server", true).await;
    until_it_shows(&app, &path, "Renamed by another server").await;
    until_it_shows(&app, "/", "Renamed by another server").await;

    // A lost connection to the notifications: pages are rendered fresh until it is back.
    sqlx::query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE query LIKE 'LISTEN%' AND datname = current_database()",
    )
    .execute(&app.pool)
    .await
    .expect("listener ended");
    assert!(!app.page_cache_live(false).await);
    rename_elsewhere(&app, "Renamed while nobody listened", false).await;
    assert!(
        app.page_cache_live(true).await,
        "the notifications are followed again"
    );
    // What changed meanwhile shows: nothing kept from before the outage is served.
    let after = app.get(&path).await;
    assert!(after.body.contains("Renamed while nobody listened"));
    following.abort();
}

#[sqlx::test(migrations = "../migrations")]
async fn an_editors_save_shows_to_readers_at_once(pool: PgPool) {
    let (desk, following, path) = published_desk(pool).await;
    let app = &desk.app;
    // With the database's announcements off (and those on their way arrived), only the
    // save itself can move the cache on.
    for table in TABLES {
        sqlx::query(&format!(
            "ALTER TABLE {table} DISABLE TRIGGER {table}_record_changed"
        ))
        .execute(&app.pool)
        .await
        .expect("trigger off");
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let before = app.get(&path).await;
    assert_eq!(before.status, StatusCode::OK, "{}", before.body);
    assert!(before.body.contains("Huawei listed"));
    assert_eq!(app.get(&path).await.headers["etag"], before.headers["etag"]);
    let (status, saved) = app
        .call(
            "update_event",
            Some(&desk.admin.0),
            &event_edit(&desk.admin.1, desk.event, 2, "Huawei put on the list"),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    // No waiting: the save itself moved the cache on before it answered.
    let after = app.get(&path).await;
    assert!(
        after.body.contains("Huawei put on the list"),
        "{}",
        after.body
    );
    following.abort();
}

#[sqlx::test(migrations = "../migrations")]
async fn each_reader_gets_a_fresh_nonce_and_editors_get_their_own_page(pool: PgPool) {
    let (desk, following, path) = published_desk(pool).await;
    let app = &desk.app;

    let (a, b) = (app.get(&path).await, app.get(&path).await);
    assert_ne!(csp(&a), csp(&b), "a nonce is never served twice");
    for page in [&a, &b] {
        let nonce = page.nonce();
        // Every script the page carries runs under this response's nonce.
        for used in page.body.split("nonce=\"").skip(1) {
            assert!(used.starts_with(&format!("{nonce}\"")), "{}", page.body);
        }
    }
    // Revalidation: the same page is a 304 without a body.
    let etag = a.headers["etag"].to_str().expect("ascii").to_owned();
    assert_eq!(a.headers["etag"], b.headers["etag"]);
    assert_eq!(a.headers["cache-control"], "no-cache");
    let revalidated = app.get_with(&path, &[("if-none-match", &etag)]).await;
    assert_eq!(revalidated.status, StatusCode::NOT_MODIFIED);
    assert!(revalidated.body.is_empty());
    // No policy on a 304: the browser keeps the one stored with its copy (whose nonce its
    // scripts carry); a new one would block them.
    assert!(revalidated.headers.get("content-security-policy").is_none());

    // A signed-in editor's page is theirs: never cached, never shared.
    let editors = app.get_with(&path, &[("cookie", &desk.editor.0)]).await;
    assert!(editors.body.contains("Signed in as"), "{}", editors.body);
    assert_eq!(editors.headers["cache-control"], "no-store");
    let readers = app.get(&path).await;
    assert!(!readers.body.contains("Signed in as"));
    following.abort();
}

fn gunzip(bytes: &[u8]) -> String {
    use std::io::Read;
    let mut text = String::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_string(&mut text)
        .expect("a gzip stream of UTF-8 (its CRC and length checked)");
    text
}

#[sqlx::test(migrations = "../migrations")]
async fn a_browser_gets_the_kept_page_gzipped_with_its_own_nonce(pool: PgPool) {
    let (desk, following, path) = published_desk(pool).await;
    let app = &desk.app;
    let browser = [("accept-encoding", "gzip, deflate, br, zstd")];

    // Asked for first by a browser (rendered, kept and gzipped), then again (from memory).
    let (rendered, kept) = (
        app.get_with(&path, &browser).await,
        app.get_with(&path, &browser).await,
    );
    let plain = app.get(&path).await;
    assert!(plain.headers.get("content-encoding").is_none());
    assert!(plain.body.contains("Huawei"), "{}", plain.body);
    for page in [&rendered, &kept] {
        assert_eq!(page.status, StatusCode::OK);
        assert_eq!(page.headers["content-encoding"], "gzip");
        let vary = page.headers["vary"].to_str().expect("ascii").to_lowercase();
        assert!(vary.contains("accept-encoding"), "{vary}");
        assert!(page.bytes.len() * 2 < plain.bytes.len());
        // The page itself, once unzipped, under this answer's own nonce.
        assert_eq!(
            gunzip(&page.bytes),
            plain.body.replace(&plain.nonce(), &page.nonce())
        );
    }
    assert_ne!(rendered.nonce(), kept.nonce());
    assert_eq!(rendered.headers["etag"], plain.headers["etag"]);

    // A client that refuses gzip gets the page as it is.
    for refuses in ["gzip;q=0, identity", "br", "identity"] {
        let page = app.get_with(&path, &[("accept-encoding", refuses)]).await;
        assert!(page.headers.get("content-encoding").is_none(), "{refuses}");
        assert_eq!(page.body, plain.body.replace(&plain.nonce(), &page.nonce()));
    }
    following.abort();
}

#[sqlx::test(migrations = "../migrations")]
async fn a_readers_page_loads_no_application_code(pool: PgPool) {
    let app = spawn_app_with_demo(pool).await;
    let source: i64 = sqlx::query_scalar("SELECT min(id) FROM sources")
        .fetch_one(&app.pool)
        .await
        .expect("a source");
    let actor: i64 = sqlx::query_scalar("SELECT id FROM actors WHERE name = 'Huawei'")
        .fetch_one(&app.pool)
        .await
        .expect("an actor");
    for path in [
        permalink(&app).await,
        format!("/sources/{source}"),
        format!("/actors/{actor}"),
    ] {
        let page = app.get(&path).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(!page.body.contains(".wasm"), "{path} loads the app");
        assert!(!page.body.contains("modulepreload"), "{path} loads the app");
        // Its data is in the HTML, not again in a script for a hydration that never comes.
        assert!(!page.body.contains("__RESOLVED_RESOURCES=[\""), "{path}");
        assert!(page.body.contains("/pkg/sanctions-timeline.css"));
    }
    // `/` loads it once painted and idle: no preload competes with the page.
    let timeline = app.get("/").await;
    assert!(
        timeline.body.contains(
            "import('/pkg/sanctions-timeline.js').then((app) => app.default({ module_or_path: '/pkg/sanctions-timeline_bg.wasm' })"
        ),
        "{}",
        timeline.body
    );
    assert!(!timeline.body.contains("preload"));
}

#[sqlx::test(migrations = "../migrations")]
async fn public_json_and_postcard_reads_are_kept_and_revalidated_too(pool: PgPool) {
    let app = spawn_app_with_demo(pool).await;
    let following = app.follow_changes().await;
    let id = app.event_id(SLUG).await;
    let paths = [
        format!("/api/events/{id}"),
        "/api/events?q=Huawei".to_owned(),
        "/api/timeline?start=2019-05-01&end=2019-05-31".to_owned(),
        // The readers' bundle's windows, in postcard (the title's bytes are in it).
        "/api/load_window?query[start]=2019-05-01&query[end]=2019-05-31".to_owned(),
    ];
    let mut tags = Vec::new();
    for path in &paths {
        let first = ask(&app, path, None).await;
        assert_eq!(first.status, StatusCode::OK);
        assert!(
            first.body.contains("Huawei added to the US Entity List"),
            "{path}"
        );
        tags.push(first.headers["etag"].to_str().expect("ascii").to_owned());
    }
    rename_elsewhere(&app, "Silently renamed", false).await;
    for (path, etag) in paths.iter().zip(&tags) {
        let kept = ask(&app, path, None).await;
        assert!(!kept.body.contains("Silently renamed"), "{path}");
        let revalidated = ask(&app, path, Some(etag)).await;
        assert_eq!(revalidated.status, StatusCode::NOT_MODIFIED, "{path}");
    }
    rename_elsewhere(&app, "Renamed by another server", true).await;
    for path in &paths {
        until_it_shows(&app, path, "Renamed by another server").await;
    }
    following.abort();
}

/// Feed readers, crawlers and scripts poll: the feeds, the sitemap, an embed and the
/// downloads (streamed, never kept) answer a conditional request with a 304 until the
/// record changes, by tag or by date.
#[sqlx::test(migrations = "../migrations")]
async fn feeds_the_sitemap_and_downloads_answer_a_poll_with_304_until_the_record_changes(
    pool: PgPool,
) {
    let app = spawn_app_with_demo(pool).await;
    let following = app.follow_changes().await;
    let id = app.event_id(SLUG).await;
    let paths = [
        "/feeds/events.atom?target=Huawei".to_owned(),
        "/feeds/events.ics?from=2019-01-01".to_owned(),
        "/sitemaps/events-0.xml".to_owned(),
        format!("/embed/events/{id}-{SLUG}"),
        "/exports/events.ndjson?target=Huawei".to_owned(),
        "/exports/events.csv".to_owned(),
    ];
    let mut answers = Vec::new();
    for path in &paths {
        let first = app.get(path).await;
        assert_eq!(first.status, StatusCode::OK, "{path}");
        assert_eq!(first.headers["cache-control"], "no-cache", "{path}");
        let header = |name: &str| first.headers[name].to_str().expect("ascii").to_owned();
        answers.push((header("etag"), header("last-modified")));
    }
    for (path, (etag, modified)) in paths.iter().zip(&answers) {
        let by_tag = app.get_with(path, &[("if-none-match", etag)]).await;
        assert_eq!(by_tag.status, StatusCode::NOT_MODIFIED, "{path}");
        assert!(by_tag.body.is_empty());
        let by_date = app.get_with(path, &[("if-modified-since", modified)]).await;
        assert_eq!(by_date.status, StatusCode::NOT_MODIFIED, "{path}");
    }
    // A change: the next poll gets the new text, a new tag and no 304 for the old one.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    rename_elsewhere(&app, "Renamed for the feed", true).await;
    for (path, (etag, modified)) in paths.iter().zip(&answers) {
        if path.contains("sitemaps") {
            continue; // lists addresses, not titles
        }
        until_it_shows(&app, path, "Renamed for the feed").await;
        let polled = app.get_with(path, &[("if-none-match", etag)]).await;
        assert_eq!(polled.status, StatusCode::OK, "{path}");
        assert_ne!(polled.headers["etag"].to_str().ok(), Some(etag.as_str()));
        let by_date = app.get_with(path, &[("if-modified-since", modified)]).await;
        assert_eq!(by_date.status, StatusCode::OK, "{path}");
    }
    following.abort();
}
