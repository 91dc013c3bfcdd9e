//! Safe in public: where sign-in may send a browser, throttling that holds under parallel
//! guesses, the demo account only in demo mode, sessions that end, the headers every
//! response carries, and a database that fails under the running server.

use crate::support::{
    app_state, create_account, sign_in, sign_in_form, spawn_app, spawn_app_with_demo, Reply,
    TestApp, PASSWORD,
};
use app::db::accounts;
use app::domain::account::Role;
use axum::http::StatusCode;
use sqlx::PgPool;

/// A sign-in as a browser at `from` would post it.
async fn sign_in_from(app: &TestApp, from: &str, email: &str, password: &str, next: &str) -> Reply {
    app.post_form_from(
        from,
        "/api/sign_in",
        &sign_in_form(email, password).field("next", next),
        &[],
    )
    .await
}

#[sqlx::test(migrations = "../migrations")]
async fn after_signing_in_the_browser_goes_only_to_a_page_of_this_site(pool: PgPool) {
    let app = spawn_app(pool).await;
    create_account(&app, "a@example.org", Role::Editor).await;
    for (next, expected) in [
        ("/events/new", "/events/new"),
        ("/?q=huawei", "/?q=huawei"),
        ("/events/3-lørdag", "/events/3-l%C3%B8rdag"),
        ("javascript:alert(document.cookie)", "/"),
        ("//evil.example", "/"),
        ("/\t/evil.example", "/"),
        ("/\\evil.example", "/"),
        ("/\n", "/"),
        ("/\r\nSet-Cookie: x=1", "/"),
        ("https://evil.example/", "/"),
    ] {
        let reply = sign_in_from(&app, "10.0.0.1", "a@example.org", PASSWORD, next).await;
        assert!(
            reply.status.is_redirection(),
            "{next:?}: {} {}",
            reply.status,
            reply.body
        );
        assert_eq!(reply.location(), Some(expected), "{next:?}");
    }
    // The page never hands a hostile `next` to the browser's script or its form.
    let page = app
        .get("/signin?next=javascript%3Aalert(document.cookie)")
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("javascript:"), "{}", page.body);
    assert!(
        page.body.contains(r#"name="next" value="/""#),
        "{}",
        page.body
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn parallel_guesses_cannot_outrun_the_throttle(pool: PgPool) {
    let app = std::sync::Arc::new(spawn_app(pool).await);
    create_account(&app, "a@example.org", Role::Editor).await;
    let mut guesses = Vec::new();
    for _ in 0..40 {
        let app = app.clone();
        guesses.push(tokio::spawn(async move {
            sign_in_from(&app, "10.0.0.66", "a@example.org", "wrong password!", "/")
                .await
                .status
        }));
    }
    let mut judged = 0;
    for guess in guesses {
        match guess.await.unwrap() {
            StatusCode::UNAUTHORIZED => judged += 1,
            StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE => {}
            other => panic!("unexpected {other}"),
        }
    }
    assert!(
        judged as i64 <= accounts::MAX_FAILURES,
        "{judged} of 40 parallel guesses were judged"
    );
    // Guessing on, one at a time, is judged only up to the limit in all.
    for _ in 0..accounts::MAX_FAILURES {
        let reply = sign_in_from(&app, "10.0.0.66", "a@example.org", "wrong password!", "/").await;
        if reply.status == StatusCode::UNAUTHORIZED {
            judged += 1;
        }
    }
    assert_eq!(judged as i64, accounts::MAX_FAILURES);
    // The attacker's address waits now, even with the right password…
    let reply = sign_in_from(&app, "10.0.0.66", "a@example.org", PASSWORD, "/").await;
    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
    // …but the account's owner, elsewhere, is not locked out.
    let reply = sign_in_from(&app, "10.0.0.7", "a@example.org", PASSWORD, "/").await;
    assert!(
        reply.status.is_redirection(),
        "{} {}",
        reply.status,
        reply.body
    );
    assert!(reply.headers.get("set-cookie").is_some());
}

#[sqlx::test(migrations = "../migrations")]
async fn a_success_forgives_its_own_failures_not_the_address_s(pool: PgPool) {
    let app = spawn_app(pool).await;
    create_account(&app, "a@example.org", Role::Editor).await;
    create_account(&app, "b@example.org", Role::Editor).await;
    for _ in 0..accounts::MAX_FAILURES - 1 {
        let reply = sign_in_from(&app, "10.0.0.8", "a@example.org", "wrong password!", "/").await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    }
    let reply = sign_in_from(&app, "10.0.0.8", "a@example.org", PASSWORD, "/").await;
    assert!(reply.status.is_redirection());
    // The address still carries its four failures: one more guess at any account there
    // is the fifth, and then it waits.
    let reply = sign_in_from(&app, "10.0.0.8", "b@example.org", "wrong password!", "/").await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    let reply = sign_in_from(&app, "10.0.0.8", "b@example.org", PASSWORD, "/").await;
    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
}

#[sqlx::test(migrations = "../migrations")]
async fn the_published_demo_password_exists_only_in_demo_mode(pool: PgPool) {
    let count = |pool: PgPool| async move {
        sqlx::query_scalar::<_, i64>("SELECT count(*) FROM users")
            .fetch_one(&pool)
            .await
            .unwrap()
    };
    let plain = server::demo::StartUp {
        record: true,
        editor: false,
    };
    let loaded = plain.prepare(&pool).await.unwrap();
    assert!(loaded.is_some(), "an empty database gets the demo record");
    assert_eq!(count(pool.clone()).await, 0, "but no account");
    let demo = server::demo::StartUp {
        record: true,
        editor: true,
    };
    assert!(demo.prepare(&pool).await.unwrap().is_none(), "loaded once");
    demo.prepare(&pool).await.unwrap();
    assert_eq!(
        count(pool.clone()).await,
        1,
        "one demo editor, however often"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn idle_sessions_end_and_ended_ones_are_purged(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (cookie, _) = sign_in(&app, "a@example.org", Role::Editor).await;
    assert!(app.whoami(&cookie).await.is_object());
    sqlx::query("UPDATE sessions SET last_seen_at = now() - make_interval(hours => $1 + 1)")
        .bind(accounts::SESSION_IDLE_HOURS)
        .execute(&app.pool)
        .await
        .unwrap();
    assert!(
        app.whoami(&cookie).await.is_null(),
        "idle too long: signed out"
    );
    sqlx::query(
        "INSERT INTO sign_in_failures (key, at) VALUES ('address:x', now() - interval '1 day')",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    assert_eq!(accounts::purge_expired(&app.pool).await.unwrap(), 2);
    let left: i64 = sqlx::query_scalar(
        "SELECT (SELECT count(*) FROM sessions) + (SELECT count(*) FROM sign_in_failures)",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(left, 0);
}

#[sqlx::test(migrations = "../migrations")]
async fn every_response_carries_the_protective_headers(pool: PgPool) {
    let app = spawn_app_with_demo(pool).await;
    let page = app.get("/").await;
    assert_eq!(page.status, StatusCode::OK);
    let csp = page.headers["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(!csp.contains("script-src 'self' 'unsafe-inline'"), "{csp}");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    // Each inline script carries the nonce the policy names, and only that one.
    let nonce = page.nonce();
    let scripts = page.body.matches("<script").count();
    assert!(scripts > 0);
    assert_eq!(
        page.body.matches(&format!("nonce=\"{nonce}\"")).count(),
        scripts,
        "every script is allowed by the nonce"
    );
    // A second response gets another nonce.
    let again = app.get("/").await;
    assert_ne!(
        again.headers["content-security-policy"],
        page.headers["content-security-policy"]
    );
    for reply in [
        &page,
        &app.get("/api/events?limit=1").await,
        &app.get("/healthz").await,
    ] {
        assert_eq!(reply.headers["x-content-type-options"], "nosniff");
        assert!(reply.headers.contains_key("referrer-policy"));
        assert!(
            reply.headers.contains_key("x-request-id"),
            "a request id to quote"
        );
        assert!(reply.headers.contains_key("content-security-policy"));
    }
    // A signed-in page holds the form token: no cache keeps it.
    let (cookie, _) = sign_in(&app, "a@example.org", Role::Editor).await;
    let signed_in = app.get_signed_in("/", &cookie).await;
    assert_eq!(signed_in.headers["cache-control"], "no-store");
}

#[sqlx::test(migrations = "../migrations")]
async fn over_https_the_cookie_is_host_bound_and_transport_is_strict(pool: PgPool) {
    let mut state = app_state(pool);
    state.public_url = "https://sanctions.example.org".into();
    let app = TestApp::new(state);
    create_account(&app, "a@example.org", Role::Editor).await;
    let reply = sign_in_from(&app, "10.0.0.1", "a@example.org", PASSWORD, "/").await;
    let cookie = reply.headers["set-cookie"].to_str().unwrap();
    assert!(cookie.starts_with("__Host-st_session="), "{cookie}");
    assert!(
        cookie.contains("; Secure") && cookie.contains("Path=/"),
        "{cookie}"
    );
    assert!(!cookie.contains("Domain"), "{cookie}");
    assert!(reply.headers.contains_key("strict-transport-security"));
}

#[sqlx::test(migrations = "../migrations")]
async fn health_and_readiness(pool: PgPool) {
    let app = spawn_app(pool).await;
    assert_eq!(app.get("/healthz").await.status, StatusCode::OK);
    let ready = app.get("/readyz").await;
    assert_eq!(ready.status, StatusCode::OK, "{}", ready.body);
    // A schema older than this build is not ready.
    sqlx::query(
        "DELETE FROM _sqlx_migrations WHERE version = (SELECT max(version) FROM _sqlx_migrations)",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    let ready = app.get("/readyz").await;
    assert_eq!(ready.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(ready.body.contains("migrate"), "{}", ready.body);
}
