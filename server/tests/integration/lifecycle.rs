//! A measure's lifecycle (announced, signed, published, in force, expires, lifted): typed
//! by an editor, checked in order per field, stored, shown on the permalink as a strip
//! with the lags between steps and a link to the passage that states each, returned by
//! the API and kept in the history.

use crate::support::{change_of, count, desk, event_edit, quote_span, Desk, Reply, TestApp, QUOTE};
use axum::http::StatusCode;
use sqlx::PgPool;

/// A published event as the API returns it, and its permalink page (200).
async fn api_and_permalink(app: &TestApp, id: i64) -> (serde_json::Value, Reply) {
    let api = app.get(&format!("/api/events/{id}")).await.json();
    let page = app
        .get(&format!(
            "/events/{id}-{}",
            api["slug"].as_str().unwrap_or_default()
        ))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    (api, page)
}

#[sqlx::test(migrations = "../migrations")]
async fn a_measures_dates_are_checked_in_order_stored_and_shown_with_their_lags(pool: PgPool) {
    let desk = desk(pool).await;
    let Desk {
        ref app,
        editor: (ref cookie, ref csrf),
        source,
        event: id,
        ..
    } = desk;

    // Out of order, and a month that does not exist: each named on its own field, nothing
    // written.
    let wrong = event_edit(csrf, id, 1, "Huawei listed")
        .field("form[adopted_on]", "2019-05-20")
        .field("form[effective_on]", "2019-05-19")
        .field("form[expires_on]", "2019-13");
    let (status, outcome) = app.call("update_event", Some(cookie), &wrong).await;
    assert_eq!(status, StatusCode::OK);
    let errors = outcome["Invalid"].as_array().expect("field errors");
    let said = |field: &str| {
        errors
            .iter()
            .find(|e| e[0] == field)
            .map(|e| e[1].as_str().unwrap_or_default().to_owned())
    };
    assert_eq!(
        said("effective_on").as_deref(),
        Some("in force (19 May 2019) cannot be before signature (20 May 2019)"),
        "{outcome}"
    );
    assert!(said("expires_on").is_some(), "{outcome}");
    assert_eq!(count(app, "SELECT count(*) FROM event_steps").await, 0);
    assert_eq!(
        count(app, "SELECT max(version)::bigint FROM events").await,
        1
    );

    // In order, the expiry known only to its month; the cited passage now says when the
    // measure came into force.
    let (start, end) = quote_span();
    let good = event_edit(csrf, id, 1, "Huawei listed")
        .field("form[announced_on]", "2019-05-15")
        .field("form[effective_on]", "2019-05-16")
        .field("form[published_on]", "2019-05-21")
        .field("form[expires_on]", "2019-08")
        .field("form[quote_source]", source)
        .field("form[quote_exact]", QUOTE)
        .field("form[quote_start]", start)
        .field("form[quote_end]", end)
        .field("form[quote_states]", "effective");
    let (status, outcome) = app.call("update_event", Some(cookie), &good).await;
    assert_eq!(status, StatusCode::OK, "{outcome}");
    assert_eq!(outcome["Saved"]["version"], 2, "{outcome}");
    assert_eq!(count(app, "SELECT count(*) FROM event_steps").await, 4);
    assert_eq!(
        count(
            app,
            "SELECT count(*) FROM citations WHERE states = 'effective'"
        )
        .await,
        1,
        "the passage already cited is marked, not cited twice"
    );
    desk.set_status(2, "published").await;

    let (api, page) = api_and_permalink(app, id).await;
    let strip = page
        .body
        .split("class=\"lifecycle-strip\"")
        .nth(1)
        .expect("the permalink shows the strip");
    let order: Vec<usize> = [
        "data-step=\"announced\"",
        "data-step=\"effective\"",
        "data-step=\"published\"",
        "data-step=\"expires\"",
    ]
    .iter()
    .map(|s| strip.find(s).unwrap_or_else(|| panic!("{s}")))
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "in date order");
    for lag in [
        "in force 1 day after the announcement",
        "published 5 days after entry into force",
        "expires 72 days to 102 days after publication",
    ] {
        assert!(strip.contains(lag), "{lag}");
    }
    let citation: i64 = count(app, "SELECT id FROM citations WHERE states = 'effective'").await;
    assert!(
        strip.contains(&format!("href=\"#quote-{citation}\"")),
        "the step links to its passage"
    );
    assert!(page.body.contains("States when it came into force."));

    let steps: Vec<(String, String, String)> = api["lifecycle"]
        .as_array()
        .expect("lifecycle in the API")
        .iter()
        .map(|s| {
            (
                s["step"].as_str().unwrap_or_default().to_owned(),
                s["date"].as_str().unwrap_or_default().to_owned(),
                s["precision"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        steps,
        [
            ("announced".into(), "2019-05-15".into(), "day".into()),
            ("published".into(), "2019-05-21".into(), "day".into()),
            ("effective".into(), "2019-05-16".into(), "day".into()),
            ("expires".into(), "2019-08-01".into(), "month".into()),
        ]
    );

    let history = app
        .get_signed_in(&format!("/api/history?entity=event&id={id}"), cookie)
        .await
        .json();
    let change = change_of(&history["revisions"][1], "The measure's dates").to_string();
    assert!(change.contains("In force: 2019-05-16 (day)"), "{change}");

    // Clearing a date removes that step only (an admin: the event is published).
    let (admin_cookie, admin_csrf) = &desk.admin;
    let fewer = event_edit(admin_csrf, id, 3, "Huawei listed")
        .field("form[announced_on]", "2019-05-15")
        .field("form[effective_on]", "2019-05-16");
    let (_, outcome) = app.call("update_event", Some(admin_cookie), &fewer).await;
    assert_eq!(outcome["Saved"]["version"], 4, "{outcome}");
    let left: Vec<String> =
        sqlx::query_scalar("SELECT step FROM event_steps WHERE event_id = $1 ORDER BY step")
            .bind(id)
            .fetch_all(&app.pool)
            .await
            .unwrap();
    assert_eq!(left, ["announced", "effective"]);
}

/// The legal act by its official identifier: the kind chosen, the identifier checked by
/// that kind's format (each mistake named on its field, nothing written), stored as the
/// kind writes it, linked on the permalink, returned by the API and kept in the history.
#[sqlx::test(migrations = "../migrations")]
async fn a_legal_act_is_named_by_a_typed_identifier_checked_by_its_format(pool: PgPool) {
    let desk = desk(pool).await;
    let Desk {
        ref app,
        editor: (ref cookie, ref csrf),
        event: id,
        ..
    } = desk;
    let with_act = |kind: &str, act: &str| {
        event_edit(csrf, id, 1, "Huawei listed")
            .field("form[legal_act_kind]", kind)
            .field("form[legal_act_id]", act)
    };
    for (kind, act, field, said) in [
        (
            "federal_register",
            "15 CFR 744",
            "legal_act_id",
            "not a Federal Register document identifier: write it like 2019-10616",
        ),
        (
            "",
            "2019-10616",
            "legal_act_kind",
            "choose what kind of identifier",
        ),
        (
            "celexx",
            "32014R0833",
            "legal_act_kind",
            "unknown kind of legal act",
        ),
        ("url", "javascript:alert(1)", "legal_act_id", "https://"),
        ("unsc", "", "legal_act_id", "like 2231 (2015)"),
    ] {
        let (status, outcome) = app
            .call("update_event", Some(cookie), &with_act(kind, act))
            .await;
        assert_eq!(status, StatusCode::OK, "{outcome}");
        let errors = outcome["Invalid"].as_array().expect("field errors");
        let message = errors
            .iter()
            .find(|e| e[0] == field)
            .and_then(|e| e[1].as_str())
            .unwrap_or_else(|| panic!("{kind} {act}: {outcome}"));
        assert!(message.contains(said), "{kind} {act}: {message}");
    }
    assert_eq!(
        count(app, "SELECT max(version)::bigint FROM events").await,
        1,
        "nothing written"
    );

    let (status, outcome) = app
        .call(
            "update_event",
            Some(cookie),
            &with_act("celex", " CELEX:32014R0833 "),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{outcome}");
    assert_eq!(outcome["Saved"]["version"], 2, "{outcome}");
    let (kind, act): (String, String) =
        sqlx::query_as("SELECT legal_act_kind, legal_act_id FROM events WHERE id = $1")
            .bind(id)
            .fetch_one(&app.pool)
            .await
            .expect("stored");
    assert_eq!((kind.as_str(), act.as_str()), ("celex", "32014R0833"));
    desk.set_status(2, "published").await;

    let (api, page) = api_and_permalink(app, id).await;
    assert_eq!(api["legal_act"]["kind"], "celex", "{api}");
    assert_eq!(api["legal_act"]["id"], "32014R0833");
    let official = "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32014R0833";
    assert_eq!(api["legal_act"]["url"], official);
    assert!(
        page.body.contains(&format!("href=\"{official}\"")),
        "linked"
    );
    assert!(page.body.contains("CELEX 32014R0833"));

    let history = app
        .get_signed_in(&format!("/api/history?entity=event&id={id}"), cookie)
        .await
        .json();
    let change = change_of(&history["revisions"][1], "Official identifier").to_string();
    assert!(change.contains("CELEX 32014R0833"), "{change}");
}
