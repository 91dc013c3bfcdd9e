//! Review: an editor's save to a published event, or to a source published events cite,
//! waits for an admin; readers see the approved record until one approves it (it then
//! goes live as a revision by the editor) or rejects it (kept, shown in the history).
//! Admins' own saves, and saves of drafts, go live at once.

use crate::support::{
    change_of, count, desk, draft_event, event_edit, sign_in, source_edit, spawn_app, Desk, Form,
    TestApp, BODY, QUOTE,
};
use app::domain::account::Role;
use axum::http::StatusCode;
use serde_json::Value;
use sqlx::PgPool;

fn decide(csrf: &str, change: i64, decision: &str, reason: &str) -> Form {
    Form::new()
        .field("csrf", csrf)
        .field("id", change)
        .field("decision", decision)
        .field("reason", reason)
}

async fn title_of(app: &TestApp, id: i64) -> String {
    sqlx::query_scalar("SELECT title FROM events WHERE id = $1")
        .bind(id)
        .fetch_one(&app.pool)
        .await
        .expect("the event")
}

/// What readers get for the event: the API's title and the permalink page.
async fn readers_see(app: &TestApp, id: i64) -> (String, String) {
    let api = app.get(&format!("/api/events/{id}")).await;
    assert_eq!(api.status, StatusCode::OK, "{}", api.body);
    let page = app.get(&format!("/events/{id}-huawei-listed")).await;
    assert_eq!(page.status, StatusCode::OK);
    let json = api.json();
    let title = json["event"]["title"]
        .as_str()
        .or_else(|| json["title"].as_str())
        .unwrap_or_else(|| panic!("{}", api.body))
        .to_owned();
    (title, page.body)
}

/// `desk`, with the admin named "Ada Admin" and the event "Huawei listed" published
/// (version 2).
async fn published(pool: PgPool) -> Desk {
    let d = desk(pool).await;
    sqlx::query("UPDATE users SET display_name = 'Ada Admin' WHERE email = 'admin@example.org'")
        .execute(&d.app.pool)
        .await
        .expect("admin renamed");
    let published = d.set_status(1, "published").await;
    assert_eq!(published["Saved"]["version"], 2, "{published}");
    d
}

async fn queue(app: &TestApp, cookie: &str) -> Vec<Value> {
    let reply = app.get_signed_in("/api/review_queue", cookie).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.json().as_array().cloned().unwrap_or_default()
}

#[sqlx::test(migrations = "../migrations")]
async fn an_editors_change_to_a_published_event_waits_for_an_admin(pool: PgPool) {
    let Desk {
        app,
        editor: (ed_cookie, ed_csrf),
        admin: (admin_cookie, admin_csrf),
        source: _,
        event,
    } = published(pool).await;

    // A stale form still gets the conflict panel.
    let (_, stale) = app
        .call(
            "update_event",
            Some(&ed_cookie),
            &event_edit(&ed_csrf, event, 1, "Huawei renamed"),
        )
        .await;
    assert_eq!(stale["Conflict"]["version"], 2, "{stale}");

    let (status, outcome) = app
        .call(
            "update_event",
            Some(&ed_cookie),
            &event_edit(&ed_csrf, event, 2, "Huawei renamed"),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{outcome}");
    assert_eq!(
        outcome["Pending"]["href"],
        format!("/events/{event}/history"),
        "{outcome}"
    );
    // Nothing readers see changed.
    assert_eq!(title_of(&app, event).await, "Huawei listed");
    let (api_title, page) = readers_see(&app, event).await;
    assert_eq!(api_title, "Huawei listed");
    assert!(!page.contains("Huawei renamed"));
    let revisions =
        format!("SELECT count(*) FROM revisions WHERE entity = 'event' AND entity_id = {event}");
    assert_eq!(count(&app, &revisions).await, 2);

    // The admin's queue lists it with what it changes.
    let waiting = queue(&app, &admin_cookie).await;
    assert_eq!(waiting.len(), 1, "{waiting:?}");
    let change = &waiting[0];
    assert_eq!(
        (
            change["entity"].as_str(),
            change["entity_id"].as_i64(),
            change["title"].as_str(),
            change["author"].as_str(),
            change["comment"].as_str(),
            change["base_version"].as_i64(),
        ),
        (
            Some("event"),
            Some(event),
            Some("Huawei listed"),
            Some("Test editor"),
            Some("from the article"),
            Some(2)
        )
    );
    let title = change_of(change, "Title");
    assert_eq!(
        (title["before"].as_str(), title["after"].as_str()),
        (Some("Huawei listed"), Some("Huawei renamed"))
    );
    assert_eq!(
        change["changes"].as_array().map(Vec::len),
        Some(1),
        "{change}"
    );
    let page = app.get_signed_in("/review", &admin_cookie).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("Huawei renamed"),
        "the diff is on the page"
    );

    // Approved: live as a new revision by the editor.
    let id = change["id"].as_i64().unwrap();
    let (status, approved) = app
        .call(
            "decide_change",
            Some(&admin_cookie),
            &decide(&admin_csrf, id, "approve", ""),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{approved}");
    assert_eq!(approved["Approved"]["version"], 3, "{approved}");
    let (api_title, page) = readers_see(&app, event).await;
    assert_eq!(api_title, "Huawei renamed");
    assert!(page.contains("Huawei renamed"));
    let (author, comment): (String, String) = sqlx::query_as(
        "SELECT u.email, r.comment FROM revisions r JOIN users u ON u.id = r.author_id
         WHERE r.entity = 'event' AND r.entity_id = $1 AND r.version = 3",
    )
    .bind(event)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        (author.as_str(), comment.as_str()),
        ("ed@example.org", "from the article (approved by Ada Admin)")
    );
    let (state, became): (String, Option<i32>) =
        sqlx::query_as("SELECT state, became_version FROM pending_changes WHERE id = $1")
            .bind(id)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!((state.as_str(), became), ("approved", Some(3)));
    assert!(queue(&app, &admin_cookie).await.is_empty());
    // Approved once only.
    let (_, again) = app
        .call(
            "decide_change",
            Some(&admin_cookie),
            &decide(&admin_csrf, id, "approve", ""),
        )
        .await;
    assert_eq!(again, Value::String("AlreadyDecided".into()), "{again}");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_rejected_change_leaves_readers_view_alone_and_shows_in_the_history(pool: PgPool) {
    let Desk {
        app,
        editor: (ed_cookie, ed_csrf),
        admin: (admin_cookie, admin_csrf),
        source: _,
        event,
    } = published(pool).await;
    let (_, outcome) = app
        .call(
            "update_event",
            Some(&ed_cookie),
            &event_edit(&ed_csrf, event, 2, "Huawei renamed"),
        )
        .await;
    assert!(outcome["Pending"].is_object(), "{outcome}");
    let id = queue(&app, &admin_cookie).await[0]["id"].as_i64().unwrap();
    let (status, rejected) = app
        .call(
            "decide_change",
            Some(&admin_cookie),
            &decide(&admin_csrf, id, "reject", "The source does not say so"),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{rejected}");
    assert_eq!(rejected, Value::String("Rejected".into()));
    assert_eq!(title_of(&app, event).await, "Huawei listed");
    assert_eq!(readers_see(&app, event).await.0, "Huawei listed");
    assert!(queue(&app, &admin_cookie).await.is_empty());
    let versions = format!("SELECT max(version) FROM events WHERE id = {event}");
    assert_eq!(
        sqlx::query_scalar::<_, i32>(&versions)
            .fetch_one(&app.pool)
            .await
            .unwrap(),
        2
    );

    // The history lists the rejected proposal with who, when, why.
    let history = app
        .get_signed_in(&format!("/api/history?entity=event&id={event}"), &ed_cookie)
        .await
        .json();
    let proposal = &history["proposals"][0];
    assert_eq!(
        (
            proposal["state"].as_str(),
            proposal["author"].as_str(),
            proposal["comment"].as_str(),
            proposal["reason"].as_str(),
            proposal["decided_by"].as_str(),
        ),
        (
            Some("rejected"),
            Some("Test editor"),
            Some("from the article"),
            Some("The source does not say so"),
            Some("Ada Admin")
        ),
        "{history}"
    );
    let page = app
        .get_signed_in(&format!("/events/{event}/history"), &ed_cookie)
        .await;
    assert!(page.body.contains("Rejected proposal"), "{}", page.body);
    assert!(page.body.contains("The source does not say so"));
    // Decided once only.
    let (_, again) = app
        .call(
            "decide_change",
            Some(&admin_cookie),
            &decide(&admin_csrf, id, "approve", ""),
        )
        .await;
    assert_eq!(again, Value::String("AlreadyDecided".into()));
    assert_eq!(title_of(&app, event).await, "Huawei listed");
}

#[sqlx::test(migrations = "../migrations")]
async fn an_editors_change_to_a_source_published_events_cite_waits_for_an_admin(pool: PgPool) {
    let Desk {
        app,
        editor: (ed_cookie, ed_csrf),
        admin: (admin_cookie, admin_csrf),
        source,
        event: _,
    } = published(pool).await;
    let start_of_quote = || {
        let pool = app.pool.clone();
        async move {
            sqlx::query_scalar::<_, i32>("SELECT start_char FROM citations WHERE source_id = $1")
                .bind(source)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    let before = start_of_quote().await;
    let edited = format!("Rettet 🙂 indledning.\n\n{BODY}");
    let (status, outcome) = app
        .call(
            "update_source",
            Some(&ed_cookie),
            &source_edit(&ed_csrf, source, 1, &edited),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{outcome}");
    assert_eq!(
        outcome["Pending"]["href"],
        format!("/sources/{source}/history"),
        "{outcome}"
    );
    // Readers' source page, and the stored text and citation, are as they were.
    let page = app.get(&format!("/sources/{source}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("Rettet"));
    assert!(
        page.body.contains(&format!("{QUOTE}</mark>")),
        "{}",
        page.body
    );
    assert_eq!(start_of_quote().await, before);
    let body: String = sqlx::query_scalar("SELECT body FROM sources WHERE id = $1")
        .bind(source)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(body, BODY);

    // The queue shows the text's change as lines.
    let waiting = queue(&app, &admin_cookie).await;
    assert_eq!(waiting.len(), 1, "{waiting:?}");
    assert_eq!(waiting[0]["entity"], "source");
    let text = change_of(&waiting[0], "Text");
    let added: Vec<&str> = text["lines"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["kind"] == "+")
        .filter_map(|l| l["text"].as_str())
        .filter(|t| !t.is_empty())
        .collect();
    assert_eq!(added, ["Rettet 🙂 indledning."], "{text}");

    // Approved: the text is live and the passage re-anchored as in any save.
    let id = waiting[0]["id"].as_i64().unwrap();
    let (_, approved) = app
        .call(
            "decide_change",
            Some(&admin_cookie),
            &decide(&admin_csrf, id, "approve", ""),
        )
        .await;
    let report = &approved["Approved"]["report"];
    assert_eq!(
        (report["kept"].as_u64(), report["moved"].as_u64()),
        (Some(0), Some(1)),
        "{approved}"
    );
    assert_eq!(approved["Approved"]["version"], 2);
    let moved = start_of_quote().await;
    assert_eq!(
        moved as usize,
        edited[..edited.find(QUOTE).unwrap()].chars().count()
    );
    let page = app.get(&format!("/sources/{source}")).await;
    assert!(page.body.contains("Rettet"));
    assert!(page.body.contains(&format!("{QUOTE}</mark>")));
    let (author, url): (String, String) = sqlx::query_as(
        "SELECT u.email, s.url FROM revisions r JOIN users u ON u.id = r.author_id
         JOIN sources s ON s.id = r.entity_id
         WHERE r.entity = 'source' AND r.entity_id = $1 AND r.version = 2",
    )
    .bind(source)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        (author.as_str(), url.as_str()),
        ("ed@example.org", "https://example.org/huawei")
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn an_admins_own_save_goes_live_at_once(pool: PgPool) {
    let Desk {
        app,
        editor: _,
        admin: (admin_cookie, admin_csrf),
        source,
        event,
    } = published(pool).await;
    let (_, saved) = app
        .call(
            "update_event",
            Some(&admin_cookie),
            &event_edit(&admin_csrf, event, 2, "Huawei renamed"),
        )
        .await;
    assert_eq!(saved["Saved"]["version"], 3, "{saved}");
    assert_eq!(readers_see(&app, event).await.0, "Huawei renamed");
    let edited = format!("Rettet.\n\n{BODY}");
    let (_, saved) = app
        .call(
            "update_source",
            Some(&admin_cookie),
            &source_edit(&admin_csrf, source, 1, &edited),
        )
        .await;
    assert_eq!(saved["Saved"]["version"], 2, "{saved}");
    assert!(app
        .get(&format!("/sources/{source}"))
        .await
        .body
        .contains("Rettet."));
    assert_eq!(count(&app, "SELECT count(*) FROM pending_changes").await, 0);
}

#[sqlx::test(migrations = "../migrations")]
async fn only_admins_see_the_queue_and_decide(pool: PgPool) {
    let Desk {
        app,
        editor: (ed_cookie, ed_csrf),
        admin: (admin_cookie, admin_csrf),
        source: _,
        event,
    } = published(pool).await;
    app.call(
        "update_event",
        Some(&ed_cookie),
        &event_edit(&ed_csrf, event, 2, "Huawei renamed"),
    )
    .await;
    let id: i64 = sqlx::query_scalar("SELECT id FROM pending_changes")
        .fetch_one(&app.pool)
        .await
        .unwrap();

    for uri in ["/api/review_queue", "/api/review_count"] {
        assert_eq!(app.get(uri).await.status, StatusCode::UNAUTHORIZED, "{uri}");
        let editor = app.get_signed_in(uri, &ed_cookie).await;
        assert_eq!(editor.status, StatusCode::FORBIDDEN, "{uri}");
        assert!(!editor.body.contains("Huawei renamed"));
    }
    let page = app.get_signed_in("/review", &ed_cookie).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(!page.body.contains("Huawei renamed"));
    assert_eq!(app.get("/review").await.status, StatusCode::UNAUTHORIZED);

    let approve = decide(&ed_csrf, id, "approve", "");
    assert_eq!(
        app.call("decide_change", None, &approve).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.call("decide_change", Some(&ed_cookie), &approve)
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    // The admin's session with another session's token.
    assert_eq!(
        app.call("decide_change", Some(&admin_cookie), &approve)
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(title_of(&app, event).await, "Huawei listed");
    // Nonsense decisions and unknown changes.
    assert_eq!(
        app.call(
            "decide_change",
            Some(&admin_cookie),
            &decide(&admin_csrf, id, "maybe", "")
        )
        .await
        .0,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        app.call(
            "decide_change",
            Some(&admin_cookie),
            &decide(&admin_csrf, id + 1000, "reject", "")
        )
        .await
        .0,
        StatusCode::NOT_FOUND
    );
    let count = app.get_signed_in("/api/review_count", &admin_cookie).await;
    assert_eq!(count.json(), 1, "{}", count.body);
    let state: String = sqlx::query_scalar("SELECT state FROM pending_changes WHERE id = $1")
        .bind(id)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(state, "pending");
}

#[sqlx::test(migrations = "../migrations")]
async fn approving_a_change_made_on_an_older_version_is_refused(pool: PgPool) {
    let Desk {
        app,
        editor: (ed_cookie, ed_csrf),
        admin: (admin_cookie, admin_csrf),
        source: _,
        event,
    } = published(pool).await;
    app.call(
        "update_event",
        Some(&ed_cookie),
        &event_edit(&ed_csrf, event, 2, "Huawei renamed"),
    )
    .await;
    // Meanwhile the admin saves the event.
    let (_, saved) = app
        .call(
            "update_event",
            Some(&admin_cookie),
            &event_edit(&admin_csrf, event, 2, "Huawei and affiliates listed"),
        )
        .await;
    assert_eq!(saved["Saved"]["version"], 3, "{saved}");
    let waiting = queue(&app, &admin_cookie).await;
    assert_eq!(
        (
            waiting[0]["base_version"].as_i64(),
            waiting[0]["current_version"].as_i64()
        ),
        (Some(2), Some(3))
    );
    let id = waiting[0]["id"].as_i64().unwrap();
    let (status, refused) = app
        .call(
            "decide_change",
            Some(&admin_cookie),
            &decide(&admin_csrf, id, "approve", ""),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{refused}");
    assert_eq!(
        (
            refused["Stale"]["base"].as_i64(),
            refused["Stale"]["current"].as_i64()
        ),
        (Some(2), Some(3)),
        "{refused}"
    );
    assert_eq!(title_of(&app, event).await, "Huawei and affiliates listed");
    let state: String = sqlx::query_scalar("SELECT state FROM pending_changes WHERE id = $1")
        .bind(id)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(state, "pending");
    assert_eq!(queue(&app, &admin_cookie).await.len(), 1);
}

#[sqlx::test(migrations = "../migrations")]
async fn drafts_and_sources_only_drafts_cite_still_save_directly(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (cookie, csrf) = sign_in(&app, "ed@example.org", Role::Editor).await;
    let (src, id) = draft_event(&app, "ed@example.org", &cookie, &csrf, "Huawei listed").await;
    let (_, saved) = app
        .call(
            "update_event",
            Some(&cookie),
            &event_edit(&csrf, id, 1, "Huawei renamed"),
        )
        .await;
    assert_eq!(saved["Saved"]["version"], 2, "{saved}");
    assert_eq!(title_of(&app, id).await, "Huawei renamed");
    let (_, saved) = app
        .call(
            "update_source",
            Some(&cookie),
            &source_edit(&csrf, src, 1, &format!("Rettet.\n\n{BODY}")),
        )
        .await;
    assert_eq!(saved["Saved"]["version"], 2, "{saved}");
    assert_eq!(count(&app, "SELECT count(*) FROM pending_changes").await, 0);
}
