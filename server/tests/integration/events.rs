//! Editors add and change events: the gate on every endpoint (role, CSRF, origin), each
//! field checked on the server, quotes selected in the browser stored at the right
//! characters, stale edits refused, a revision for every change, drafts hidden from
//! readers and archived permalinks answering 410.

use crate::support::{
    account_id, add_source, change_of, count, desk, draft_event, event_edit, event_form,
    quote_span, restore_form, saved_id, sign_in, spawn_app, spawn_app_with_demo, status_form,
    utf16_span, Desk, Form, Reply, TestApp, BODY, QUOTE,
};
use app::domain::account::Role;
use axum::http::StatusCode;
use sqlx::PgPool;

/// A source of the editor ed@example.org with `BODY` as its text.
async fn source(app: &TestApp) -> i64 {
    let author = account_id(app, "ed@example.org").await;
    add_source(app, author, "https://example.org/huawei", BODY).await
}

/// What a reader gets: the API's event, the permalink page, and a search for it.
async fn seen_by_readers(app: &TestApp, id: i64) -> (StatusCode, StatusCode, Option<usize>) {
    (
        app.get(&format!("/api/events/{id}")).await.status,
        app.get(&format!("/events/{id}")).await.status,
        app.get("/api/events?q=Huawei").await.json()["events"]
            .as_array()
            .map(Vec::len),
    )
}

#[sqlx::test(migrations = "../migrations")]
async fn every_change_needs_the_right_role_token_and_origin(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (ed_cookie, ed_csrf) = sign_in(&app, "ed@example.org", Role::Editor).await;
    let (admin_cookie, admin_csrf) = sign_in(&app, "admin@example.org", Role::Admin).await;
    let src = source(&app).await;
    let form = event_form(&ed_csrf, src, "Huawei on the Entity List", quote_span());

    // Anonymous: refused, whatever the endpoint.
    for (endpoint, body) in [
        ("create_event", form.clone()),
        (
            "update_event",
            form.clone().field("id", 1).field("version", 1),
        ),
        ("set_event_status", status_form(&ed_csrf, 1, 1, "published")),
    ] {
        let (status, _) = app.call(endpoint, None, &body).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{endpoint}");
    }
    // A form token from another session (or none) is refused.
    let forged = event_form(&admin_csrf, src, "Forged", quote_span());
    let (status, _) = app.call("create_event", Some(&ed_cookie), &forged).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // A request from another site is refused before it is read.
    let reply = app
        .post_form(
            "/api/create_event",
            &form,
            &[
                ("cookie", &ed_cookie),
                ("origin", "https://evil.example"),
                ("accept", "application/json"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(count(&app, "SELECT count(*) FROM events").await, 0);

    // An editor creates and edits, but does not publish.
    let (status, created) = app.call("create_event", Some(&ed_cookie), &form).await;
    assert_eq!(status, StatusCode::OK, "{created}");
    let id = saved_id(&created);
    let edit = event_edit(&ed_csrf, id, 1, "Huawei on the US Entity List");
    let (status, updated) = app.call("update_event", Some(&ed_cookie), &edit).await;
    assert_eq!(status, StatusCode::OK, "{updated}");
    assert_eq!(updated["Saved"]["version"], 2);
    let (status, _) = app
        .call(
            "set_event_status",
            Some(&ed_cookie),
            &status_form(&ed_csrf, id, 2, "published"),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // An admin publishes.
    let (status, published) = app
        .call(
            "set_event_status",
            Some(&admin_cookie),
            &status_form(&admin_csrf, id, 2, "published"),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{published}");
    assert_eq!(published["Saved"]["status"], "published");
}

#[sqlx::test(migrations = "../migrations")]
async fn each_wrong_field_is_named_and_nothing_is_stored(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (cookie, csrf) = sign_in(&app, "ed@example.org", Role::Editor).await;
    let src = source(&app).await;
    let good = event_form(&csrf, src, "Huawei listed", quote_span());
    // (the field changed, its new value or none, the field the error names)
    let cases = [
        ("form[title]", Some(""), "title"),
        ("form[date]", Some("2019-02-30"), "date"),
        ("form[date]", Some("16/5/2019"), "date"),
        ("form[kind]", Some("embargoed"), "kind"),
        ("form[targets]", Some(""), "targets"),
        ("form[quote_exact]", None, "quote"),
    ];
    for (name, value, field) in cases {
        let wrong = match value {
            Some(value) => good.clone().set(name, value),
            None => good.clone().without(name),
        };
        let (status, outcome) = app.call("create_event", Some(&cookie), &wrong).await;
        assert_eq!(status, StatusCode::OK);
        let errors = outcome["Invalid"]
            .as_array()
            .unwrap_or_else(|| panic!("{field}: {outcome}"));
        assert!(errors.iter().any(|e| e[0] == field), "{field}: {outcome}");
    }
    // An end before the start, and a summary far too long.
    let end = good.clone().field("form[end]", "2019-05-01");
    let (_, outcome) = app.call("create_event", Some(&cookie), &end).await;
    assert!(
        outcome.to_string().contains("before the start"),
        "{outcome}"
    );
    let long = good.clone().set("form[summary]", "x".repeat(5001));
    let (_, outcome) = app.call("create_event", Some(&cookie), &long).await;
    assert!(outcome.to_string().contains("summary"), "{outcome}");
    assert_eq!(count(&app, "SELECT count(*) FROM events").await, 0);
    assert_eq!(count(&app, "SELECT count(*) FROM actors").await, 0);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_quote_selected_in_the_browser_is_stored_at_its_characters(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (cookie, csrf) = sign_in(&app, "ed@example.org", Role::Editor).await;
    let src = source(&app).await;
    let (start, end) = quote_span();

    // One unit off: the text there is not the quote, so it is refused and nothing stored.
    let off = event_form(&csrf, src, "Huawei listed", (start + 1, end + 1));
    let (_, outcome) = app.call("create_event", Some(&cookie), &off).await;
    assert!(
        outcome["Invalid"].to_string().contains("quote"),
        "{outcome}"
    );
    assert_eq!(count(&app, "SELECT count(*) FROM events").await, 0);

    let (_, outcome) = app
        .call(
            "create_event",
            Some(&cookie),
            &event_form(&csrf, src, "Huawei listed", (start, end)),
        )
        .await;
    let id = saved_id(&outcome);
    let (exact, start_char, prefix): (String, i32, String) =
        sqlx::query_as("SELECT exact, start_char, prefix FROM citations WHERE event_id = $1")
            .bind(id)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(exact, QUOTE);
    let chars_before = BODY[..BODY.find(QUOTE).unwrap()].chars().count();
    assert_eq!(start_char as usize, chars_before);
    assert_eq!(
        start_char as usize + 2,
        start,
        "two emoji: two UTF-16 units more"
    );
    assert!(prefix.ends_with("ø og å.\n\n"), "{prefix:?}");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_stale_edit_is_refused_and_shows_the_other_change(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (a_cookie, a_csrf) = sign_in(&app, "a@example.org", Role::Editor).await;
    let (b_cookie, b_csrf) = sign_in(&app, "b@example.org", Role::Editor).await;
    let (_, id) = draft_event(&app, "a@example.org", &a_cookie, &a_csrf, "Huawei listed").await;
    let edit = |csrf: &str, title: &str| event_edit(csrf, id, 1, title);
    // Both opened version 1; A saves first.
    let (_, first) = app
        .call("update_event", Some(&a_cookie), &edit(&a_csrf, "A's title"))
        .await;
    assert_eq!(first["Saved"]["version"], 2, "{first}");
    let (status, second) = app
        .call("update_event", Some(&b_cookie), &edit(&b_csrf, "B's title"))
        .await;
    assert_eq!(status, StatusCode::OK);
    let current = &second["Conflict"];
    assert_eq!(current["version"], 2, "{second}");
    assert_eq!(current["snapshot"]["title"], "A's title");
    let title: String = sqlx::query_scalar("SELECT title FROM events WHERE id = $1")
        .bind(id)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(title, "A's title");
    // Each saved change wrote one revision, with its author and comment; the refused one none.
    let revisions: Vec<(i32, String, String)> = sqlx::query_as(
        "SELECT r.version, u.email, r.snapshot->>'title' FROM revisions r JOIN users u ON u.id = r.author_id
         WHERE entity = 'event' AND entity_id = $1 ORDER BY version",
    )
    .bind(id)
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        revisions,
        vec![
            (1, "a@example.org".into(), "Huawei listed".into()),
            (2, "a@example.org".into(), "A's title".into()),
        ]
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn drafts_stay_hidden_until_published_and_archived_permalinks_say_gone(pool: PgPool) {
    let Desk {
        app,
        editor: (ed_cookie, _),
        admin: (admin_cookie, admin_csrf),
        source: _,
        event: id,
    } = desk(pool).await;

    assert_eq!(
        seen_by_readers(&app, id).await,
        (StatusCode::NOT_FOUND, StatusCode::NOT_FOUND, Some(0))
    );
    // The editor sees the draft on its edit page; a reader is told to sign in.
    let reply = app
        .get_signed_in(&format!("/api/editable_event?id={id}"), &ed_cookie)
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.json()["snapshot"]["status"], "draft");
    let anonymous = app.get(&format!("/api/editable_event?id={id}")).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);

    let (_, published) = app
        .call(
            "set_event_status",
            Some(&admin_cookie),
            &status_form(&admin_csrf, id, 1, "published"),
        )
        .await;
    assert_eq!(published["Saved"]["version"], 2, "{published}");
    let shown = seen_by_readers(&app, id).await;
    assert_eq!((shown.0, shown.2), (StatusCode::OK, Some(1)));
    assert_eq!(
        app.get(&format!("/events/{id}")).await.status,
        StatusCode::MOVED_PERMANENTLY
    );

    let (_, archived) = app
        .call(
            "set_event_status",
            Some(&admin_cookie),
            &status_form(&admin_csrf, id, 2, "archived"),
        )
        .await;
    assert_eq!(archived["Saved"]["status"], "archived", "{archived}");
    let page = app.get(&format!("/events/{id}-huawei-listed")).await;
    assert_eq!(page.status, StatusCode::GONE);
    assert!(page.body.contains("This event was withdrawn"));
    assert!(page.body.contains("Huawei listed"));
    assert_eq!(
        app.get(&format!("/api/events/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        count(
            &app,
            &format!("SELECT count(*) FROM revisions WHERE entity = 'event' AND entity_id = {id}")
        )
        .await,
        3
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn history_shows_each_change_and_an_admin_restores_an_old_version(pool: PgPool) {
    let Desk {
        app,
        editor: (ed_cookie, ed_csrf),
        admin: (admin_cookie, admin_csrf),
        source: _,
        event: id,
    } = desk(pool).await;
    let edit = event_edit(&ed_csrf, id, 1, "Huawei and affiliates listed")
        .set("form[targets]", "Huawei, HiSilicon");
    app.call("update_event", Some(&ed_cookie), &edit).await;
    app.call(
        "set_event_status",
        Some(&admin_cookie),
        &status_form(&admin_csrf, id, 2, "published"),
    )
    .await;

    let uri = format!("/api/history?entity=event&id={id}");
    assert_eq!(app.get(&uri).await.status, StatusCode::UNAUTHORIZED);
    let history = app.get_signed_in(&uri, &ed_cookie).await.json();
    let revisions = history["revisions"].as_array().unwrap();
    let versions: Vec<i64> = revisions
        .iter()
        .map(|r| r["version"].as_i64().unwrap())
        .collect();
    assert_eq!(versions, [3, 2, 1], "newest first");
    let title = change_of(&revisions[1], "Title");
    assert_eq!(
        (title["before"].as_str(), title["after"].as_str()),
        (Some("Huawei listed"), Some("Huawei and affiliates listed"))
    );
    assert_eq!(
        change_of(&revisions[1], "Aimed at")["after"],
        "Huawei, HiSilicon"
    );
    assert_eq!(change_of(&revisions[0], "Status")["after"], "published");
    assert_eq!(
        revisions[1]["changes"].as_array().unwrap().len(),
        2,
        "only what changed"
    );

    // Only admins restore; the restore is a new revision and leaves the status alone.
    let restore = restore_form(&ed_csrf, "event", id, 1);
    assert_eq!(
        app.call("restore_revision", Some(&ed_cookie), &restore)
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.call("restore_revision", None, &restore).await.0,
        StatusCode::UNAUTHORIZED
    );
    let restore = restore_form(&admin_csrf, "event", id, 1);
    let (status, restored) = app
        .call("restore_revision", Some(&admin_cookie), &restore)
        .await;
    assert_eq!(status, StatusCode::OK, "{restored}");
    assert_eq!(restored["Restored"]["version"], 4);
    let (title, status, targets): (String, String, Vec<String>) =
        sqlx::query_as("SELECT title, status, target_names FROM events WHERE id = $1")
            .bind(id)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(
        (title.as_str(), status.as_str(), targets),
        ("Huawei listed", "published", vec!["Huawei".to_owned()])
    );
    let history = app.get_signed_in(&uri, &admin_cookie).await.json();
    assert_eq!(history["revisions"][0]["comment"], "Restored version 1");
    let missing = restore_form(&admin_csrf, "event", id, 9);
    assert_eq!(
        app.call("restore_revision", Some(&admin_cookie), &missing)
            .await
            .0,
        StatusCode::NOT_FOUND
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn an_event_is_related_to_another_by_its_number_or_permalink(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (cookie, csrf) = sign_in(&app, "ed@example.org", Role::Editor).await;
    let src = source(&app).await;
    let (_, first) = app
        .call(
            "create_event",
            Some(&cookie),
            &event_form(&csrf, src, "Huawei listed", quote_span()),
        )
        .await;
    let listed = saved_id(&first);
    let with_relation = |form: Form, to: &str| {
        form.field("form[relation_kind]", "modifies")
            .field("form[relation_to]", to)
    };
    let eased_citing = || event_form(&csrf, src, "Eased", quote_span());
    // Itself, a number that is no event, and words: each named at the field.
    let (_, unknown) = app
        .call(
            "create_event",
            Some(&cookie),
            &with_relation(eased_citing(), "987654"),
        )
        .await;
    assert!(
        unknown["Invalid"]
            .to_string()
            .contains("there is no event 987654"),
        "{unknown}"
    );
    let (_, words) = app
        .call(
            "create_event",
            Some(&cookie),
            &with_relation(eased_citing(), "the listing"),
        )
        .await;
    assert!(
        words["Invalid"].to_string().contains("relation_to"),
        "{words}"
    );
    assert_eq!(count(&app, "SELECT count(*) FROM events").await, 1);

    let permalink = format!("http://127.0.0.1:3000/events/{listed}-huawei-listed");
    let (_, eased) = app
        .call(
            "create_event",
            Some(&cookie),
            &with_relation(eased_citing(), &permalink),
        )
        .await;
    let eased = saved_id(&eased);
    let relations: Vec<(i64, i64, String)> =
        sqlx::query_as("SELECT from_event_id, to_event_id, kind FROM event_relations")
            .fetch_all(&app.pool)
            .await
            .unwrap();
    assert_eq!(relations, [(eased, listed, "modifies".to_owned())]);
    let edit = with_relation(event_edit(&csrf, eased, 1, "Eased"), &eased.to_string());
    let (_, itself) = app.call("update_event", Some(&cookie), &edit).await;
    assert!(itself["Invalid"].to_string().contains("itself"), "{itself}");
}

#[sqlx::test(migrations = "../migrations")]
async fn authorities_and_targets_are_picked_from_the_record_or_added_new(pool: PgPool) {
    let app = spawn_app_with_demo(pool).await;
    let (cookie, csrf) = sign_in(&app, "ed@example.org", Role::Editor).await;
    let offers = |typed: &str, role: &str| {
        let query = Form::new().field("typed", typed).field("role", role);
        let uri = format!("/api/known_actors?{}", query.encode());
        let app = &app;
        let cookie = cookie.clone();
        async move { app.get_signed_in(&uri, &cookie).await }
    };
    let names = |reply: &Reply| -> Vec<String> {
        reply
            .json()
            .as_array()
            .unwrap_or_else(|| panic!("{}", reply.body))
            .iter()
            .map(|a| a["name"].as_str().unwrap().to_owned())
            .collect()
    };

    // Readers are not offered names: drafts' actors are among them.
    let anonymous = app.get("/api/known_actors?typed=hua&role=target").await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);

    // Names that start with what is typed come first (the most used first), then names
    // that contain it; each with how many published events use it in each role.
    sqlx::query("INSERT INTO actors (name) VALUES ('Chuan Trading'), ('Huaxin Optics')")
        .execute(&app.pool)
        .await
        .unwrap();
    let reply = offers("hua", "target").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let found = names(&reply);
    assert_eq!(found, vec!["Huawei", "Huaxin Optics", "Chuan Trading"]);
    // The very name typed comes first, however little it is used.
    sqlx::query("INSERT INTO actors (name) VALUES ('Hua')")
        .execute(&app.pool)
        .await
        .unwrap();
    assert_eq!(names(&offers("HUA", "target").await)[0], "Hua");
    let huawei_targeted = count(
        &app,
        "SELECT count(*) FROM event_actors ea JOIN actors a ON a.id = ea.actor_id
         JOIN events e ON e.id = ea.event_id
         WHERE a.name = 'Huawei' AND ea.role = 'target' AND e.status = 'published'",
    )
    .await;
    assert!(huawei_targeted >= 5);
    assert_eq!(reply.json()[0]["as_target"], huawei_targeted);
    assert_eq!(reply.json()[0]["as_authority"], 0);

    // Any case, anywhere in the name; the role asked for orders the rest.
    let commerce = names(&offers("COMMERCE", "authority").await);
    assert_eq!(
        commerce,
        vec!["US Department of Commerce", "Ministry of Commerce of China"]
    );
    // Typed text is text: no wildcards.
    assert!(names(&offers("%", "target").await).is_empty());
    assert_eq!(
        offers("hua", "bystander").await.status,
        StatusCode::BAD_REQUEST
    );

    // Saving: a picked name in another case is the record's actor; a new name may hold a
    // comma (the picker sends one name per line) and becomes one new actor.
    let actors_before = count(&app, "SELECT count(*) FROM actors").await;
    let src = source(&app).await;
    let form = event_form(&csrf, src, "Huawei and its parent listed", quote_span()).set(
        "form[targets]",
        "huawei\nHuawei Investment & Holding Co., Ltd.\n",
    );
    let (status, created) = app.call("create_event", Some(&cookie), &form).await;
    assert_eq!(status, StatusCode::OK, "{created}");
    let id = saved_id(&created);
    let targets: Vec<String> = sqlx::query_scalar(
        "SELECT a.name FROM event_actors ea JOIN actors a ON a.id = ea.actor_id
         WHERE ea.event_id = $1 AND ea.role = 'target' ORDER BY ea.position",
    )
    .bind(id)
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        targets,
        vec!["Huawei", "Huawei Investment & Holding Co., Ltd."]
    );
    assert_eq!(
        count(&app, "SELECT count(*) FROM actors").await,
        actors_before + 1
    );
    // The new actor is offered from now on.
    assert!(names(&offers("investment &", "target").await)
        .contains(&"Huawei Investment & Holding Co., Ltd.".to_owned()));
}

#[sqlx::test(migrations = "../migrations")]
async fn an_edit_takes_away_passages_and_relations_but_never_the_last_passage(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (cookie, csrf) = sign_in(&app, "ed@example.org", Role::Editor).await;
    let src = source(&app).await;
    let form = |title: &str| event_form(&csrf, src, title, quote_span());
    let (_, listed) = app
        .call("create_event", Some(&cookie), &form("Listed"))
        .await;
    let listed = saved_id(&listed);
    let (_, eased) = app
        .call("create_event", Some(&cookie), &form("Eased"))
        .await;
    let eased = saved_id(&eased);
    let cited_by = |event: i64| {
        let pool = app.pool.clone();
        async move {
            sqlx::query_as::<_, (i64, String)>(
                "SELECT id, exact FROM citations WHERE event_id = $1 ORDER BY id",
            )
            .bind(event)
            .fetch_all(&pool)
            .await
            .unwrap()
        }
    };
    let (old_passage, _) = cited_by(eased).await[0].clone();
    let (listed_passage, _) = cited_by(listed).await[0].clone();
    // An edit of "Eased" at `version`, with these fields on top of the unchanged ones.
    let edit = |version: i32, extra: &[(&str, &str)]| {
        let form = Form::new()
            .field("csrf", &csrf)
            .field("form[title]", "Eased")
            .field("form[kind]", "imposed")
            .field("form[date]", "2019-05-16")
            .field("form[authorities]", "US Department of Commerce")
            .field("form[targets]", "Huawei");
        extra
            .iter()
            .fold(form, |form, (name, value)| form.field(name, value))
            .field("id", eased)
            .field("version", version)
    };
    let version = |app: &TestApp| {
        let pool = app.pool.clone();
        async move {
            sqlx::query_scalar::<_, i32>("SELECT version FROM events WHERE id = $1")
                .bind(eased)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    let listed_id = listed.to_string();
    let (_, related) = app
        .call(
            "update_event",
            Some(&cookie),
            &edit(
                1,
                &[
                    ("form[relation_kind]", "modifies"),
                    ("form[relation_to]", &listed_id),
                ],
            ),
        )
        .await;
    assert_eq!(related["Saved"]["version"], 2, "{related}");
    // The edit page lists it (to take it away), though "Listed" is still a draft.
    let editable = app
        .get_signed_in(&format!("/api/editable_event?id={eased}"), &cookie)
        .await
        .json();
    assert_eq!(
        editable["relations"][0]["event"]["id"], listed,
        "{editable}"
    );

    // The last passage stays: the edit is refused whole, naming why.
    let old_id = old_passage.to_string();
    let (_, refused) = app
        .call(
            "update_event",
            Some(&cookie),
            &edit(2, &[("form[remove_citations]", &old_id)]),
        )
        .await;
    let why = refused["Invalid"].to_string();
    assert!(
        why.contains("citations") && why.contains("at least one passage"),
        "{refused}"
    );
    assert_eq!(version(&app).await, 2);
    assert_eq!(cited_by(eased).await.len(), 1);

    // A relation goes; another event's passage cannot be taken away from here.
    let token = format!("modifies:{listed}");
    let other = listed_passage.to_string();
    let (_, unrelated) = app
        .call(
            "update_event",
            Some(&cookie),
            &edit(
                2,
                &[
                    ("form[remove_relations]", &token),
                    ("form[remove_citations]", &other),
                ],
            ),
        )
        .await;
    assert_eq!(unrelated["Saved"]["version"], 3, "{unrelated}");
    assert_eq!(count(&app, "SELECT count(*) FROM event_relations").await, 0);
    assert_eq!(cited_by(listed).await.len(), 1);

    // A new passage replaces the old one in one save.
    let new_exact = "Indledning på dansk, med æ, ø og å.";
    let (start, end) = utf16_span(BODY, new_exact).expect("the passage is in BODY");
    let (start, end, src) = (start.to_string(), end.to_string(), src.to_string());
    let (_, replaced) = app
        .call(
            "update_event",
            Some(&cookie),
            &edit(
                3,
                &[
                    ("form[remove_citations]", &old_id),
                    ("form[quote_source]", &src),
                    ("form[quote_exact]", new_exact),
                    ("form[quote_start]", &start),
                    ("form[quote_end]", &end),
                ],
            ),
        )
        .await;
    assert_eq!(replaced["Saved"]["version"], 4, "{replaced}");
    let now: Vec<String> = cited_by(eased).await.into_iter().map(|(_, e)| e).collect();
    assert_eq!(now, [new_exact]);

    // Words where numbers belong are named, and nothing is written.
    let (_, garbled) = app
        .call(
            "update_event",
            Some(&cookie),
            &edit(
                4,
                &[
                    ("form[remove_citations]", "first"),
                    ("form[remove_relations]", "modifies:"),
                ],
            ),
        )
        .await;
    let invalid = garbled["Invalid"].to_string();
    assert!(
        invalid.contains("“first” is not a cited passage")
            && invalid.contains("“modifies:” is not a relation"),
        "{garbled}"
    );
    assert_eq!(version(&app).await, 4);

    // A passage flagged for review (its source changed under it) does not count as the
    // one that stays.
    let (start, end) = quote_span();
    let (start, end) = (start.to_string(), end.to_string());
    let (_, both) = app
        .call(
            "update_event",
            Some(&cookie),
            &edit(
                4,
                &[
                    ("form[quote_source]", &src),
                    ("form[quote_exact]", QUOTE),
                    ("form[quote_start]", &start),
                    ("form[quote_end]", &end),
                ],
            ),
        )
        .await;
    assert_eq!(both["Saved"]["version"], 5, "{both}");
    sqlx::query("UPDATE citations SET needs_review = true WHERE event_id = $1 AND exact = $2")
        .bind(eased)
        .bind(QUOTE)
        .execute(&app.pool)
        .await
        .unwrap();
    let in_place = cited_by(eased)
        .await
        .into_iter()
        .find(|(_, e)| e == new_exact)
        .unwrap()
        .0
        .to_string();
    let (_, refused) = app
        .call(
            "update_event",
            Some(&cookie),
            &edit(5, &[("form[remove_citations]", &in_place)]),
        )
        .await;
    assert!(
        refused["Invalid"].to_string().contains("in place"),
        "{refused}"
    );
    assert_eq!(cited_by(eased).await.len(), 2);

    // The history shows each passage and relation that came and went.
    let history = app
        .get_signed_in(&format!("/api/history?entity=event&id={eased}"), &cookie)
        .await
        .json();
    let lines = |version: i64, field: &str| -> Vec<String> {
        history["revisions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["version"] == version)
            .and_then(|r| {
                r["changes"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|c| c["field"] == field)
            })
            .map(|c| {
                c["lines"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|l| {
                        format!(
                            "{}{}",
                            l["kind"].as_str().unwrap(),
                            l["text"].as_str().unwrap()
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    assert_eq!(
        lines(2, "Bears on"),
        [format!("+modifies Listed (event {listed})")]
    );
    assert_eq!(
        lines(3, "Bears on"),
        [format!("-modifies Listed (event {listed})")]
    );
    assert_eq!(
        lines(4, "Cited passages"),
        [
            format!("-“{QUOTE}” — Huawei på listen (source {src})"),
            format!("+“{new_exact}” — Huawei på listen (source {src})"),
        ]
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn the_edit_page_forms_carry_what_they_need_before_the_script_runs(pool: PgPool) {
    let Desk {
        app,
        editor: _,
        admin: (admin_cookie, admin_csrf),
        source: _,
        event: id,
    } = desk(pool).await;
    let page = app
        .get_signed_in(&format!("/events/{id}/edit"), &admin_cookie)
        .await;
    assert_eq!(page.status, StatusCode::OK);
    // A click before the page's script has taken over posts the form as it is in the
    // HTML: the version and the chosen actors must be in it, not only in the script.
    assert_eq!(page.body.matches(r#"name="version" value="1""#).count(), 4);
    assert!(page.body.contains(r#"name="form[targets]" value="Huawei"#));
    assert!(page
        .body
        .contains(r#"name="form[authorities]" value="US Department of Commerce"#));

    // Such a post publishes, and the browser is sent back to the page.
    let reply = app
        .post_form(
            "/api/set_event_status",
            &status_form(&admin_csrf, id, 1, "published"),
            &[
                ("cookie", &admin_cookie),
                (
                    "referer",
                    &format!("http://127.0.0.1:3000/events/{id}/edit"),
                ),
            ],
        )
        .await;
    assert!(
        reply.status.is_redirection(),
        "{} {}",
        reply.status,
        reply.body
    );
    assert_eq!(
        count(
            &app,
            &format!("SELECT count(*) FROM events WHERE id = {id} AND status = 'published'")
        )
        .await,
        1
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn a_comment_too_long_is_a_field_error_and_nothing_is_saved(pool: PgPool) {
    let d = desk(pool).await;
    let (cookie, csrf) = &d.editor;
    let long = "å".repeat(app::domain::source_form::MAX_COMMENT_CHARS + 1);
    let body = event_form(csrf, d.source, "Huawei listed again", quote_span()).set("comment", long);
    let (status, outcome) = d.app.call("create_event", Some(cookie), &body).await;
    assert_eq!(status, StatusCode::OK, "{outcome}");
    let errors = outcome["Invalid"].to_string();
    assert!(
        errors.contains("comment") && errors.contains("2000"),
        "{outcome}"
    );
    assert_eq!(count(&d.app, "SELECT count(*) FROM events").await, 1);
    // Exactly the limit is fine.
    let ok = "å".repeat(app::domain::source_form::MAX_COMMENT_CHARS);
    let body = event_form(csrf, d.source, "Huawei listed again", quote_span()).set("comment", ok);
    let (_, outcome) = d.app.call("create_event", Some(cookie), &body).await;
    assert!(outcome["Saved"].is_object(), "{outcome}");
}

#[sqlx::test(migrations = "../migrations")]
async fn slugs_never_collide_even_when_titles_race(pool: PgPool) {
    let d = desk(pool).await;
    let (cookie, csrf) = &d.editor;
    // "Huawei listed 3" takes the slug a count-based number would give the third
    // "Huawei listed".
    for title in ["Huawei listed 3", "Huawei listed"] {
        let (_, outcome) = d
            .app
            .call(
                "create_event",
                Some(cookie),
                &event_form(csrf, d.source, title, quote_span()),
            )
            .await;
        assert!(outcome["Saved"].is_object(), "{title}: {outcome}");
    }
    // Six more at once, all titled the same.
    let app = std::sync::Arc::new(d.app);
    let mut saves = Vec::new();
    for _ in 0..6 {
        let (app, cookie, body) = (
            app.clone(),
            cookie.clone(),
            event_form(csrf, d.source, "Huawei listed", quote_span()),
        );
        saves.push(tokio::spawn(async move {
            app.call("create_event", Some(&cookie), &body).await
        }));
    }
    for save in saves {
        let (status, outcome) = save.await.unwrap();
        assert_eq!(status, StatusCode::OK, "{outcome}");
        assert!(outcome["Saved"].is_object(), "{outcome}");
    }
    let slugs: Vec<String> = sqlx::query_scalar("SELECT slug FROM events ORDER BY slug")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    assert_eq!(slugs.len(), 9);
    let distinct: std::collections::BTreeSet<_> = slugs.iter().collect();
    assert_eq!(distinct.len(), 9, "{slugs:?}");
}

#[sqlx::test(migrations = "../migrations")]
async fn readers_see_a_source_only_once_a_published_event_cites_it(pool: PgPool) {
    let d = desk(pool).await;
    // Only the editor's draft cites it.
    for path in [
        format!("/sources/{}", d.source),
        format!("/api/sources/{}", d.source),
    ] {
        assert_eq!(
            d.app.get(&path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let outcome = d.set_status(1, "published").await;
    assert!(outcome["Saved"].is_object(), "{outcome}");
    for path in [
        format!("/sources/{}", d.source),
        format!("/api/sources/{}", d.source),
    ] {
        assert_eq!(d.app.get(&path).await.status, StatusCode::OK, "{path}");
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn public_prominence_counts_only_relations_to_published_events(pool: PgPool) {
    let app = spawn_app_with_demo(pool).await;
    // Any demo event with relations will do: take the one with most.
    let (id, before): (i64, i32) = sqlx::query_as(
        "SELECT e.id, e.prominence FROM events e
         JOIN event_relations r ON r.from_event_id = e.id OR r.to_event_id = e.id
         GROUP BY e.id ORDER BY count(*) DESC, e.id LIMIT 1",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let (admin_cookie, admin_csrf) = sign_in(&app, "admin@example.org", Role::Admin).await;
    // Withdraw one of its related events to draft: it loses that relation's weight.
    let (other, version): (i64, i32) = sqlx::query_as(
        "SELECT o.id, o.version FROM event_relations r
         JOIN events o ON o.id = CASE WHEN r.from_event_id = $1 THEN r.to_event_id ELSE r.from_event_id END
         WHERE r.from_event_id = $1 OR r.to_event_id = $1 ORDER BY o.id LIMIT 1",
    )
    .bind(id)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let (_, outcome) = app
        .call(
            "set_event_status",
            Some(&admin_cookie),
            &status_form(&admin_csrf, other, version.into(), "draft"),
        )
        .await;
    assert!(outcome["Saved"].is_object(), "{outcome}");
    let between: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM event_relations WHERE (from_event_id = $1 AND to_event_id = $2)
            OR (from_event_id = $2 AND to_event_id = $1)",
    )
    .bind(id)
    .bind(other)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let after: i32 = sqlx::query_scalar("SELECT prominence FROM events WHERE id = $1")
        .bind(id)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(
        i64::from(after),
        i64::from(before) - 2 * between,
        "a relation to a draft no longer counts"
    );
    // Publishing it again restores the weight.
    let (_, outcome) = app
        .call(
            "set_event_status",
            Some(&admin_cookie),
            &status_form(&admin_csrf, other, (version + 1).into(), "published"),
        )
        .await;
    assert!(outcome["Saved"].is_object(), "{outcome}");
    let again: i32 = sqlx::query_scalar("SELECT prominence FROM events WHERE id = $1")
        .bind(id)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(again, before);
}
