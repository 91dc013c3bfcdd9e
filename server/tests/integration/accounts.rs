//! Editor accounts: signing in and out, the cookie, throttling, CSRF.

use crate::support::{
    account_id, count, create_account, sign_in, sign_in_form, spawn_app, Form, Reply, TestApp,
    PASSWORD,
};
use app::db::accounts;
use app::domain::account::{NewPassword, Role};
use axum::http::StatusCode;
use serde_json::Value;
use sqlx::PgPool;

/// A sign-in attempt from the sign-in page, asking to go to the first event afterwards.
async fn attempt(app: &TestApp, email: &str, password: &str) -> Reply {
    app.post_form(
        "/api/sign_in",
        &sign_in_form(email, password).field("next", "/events/1"),
        &[],
    )
    .await
}

#[sqlx::test(migrations = "../migrations")]
async fn signing_in_sets_a_safe_session_cookie(pool: PgPool) {
    let app = spawn_app(pool).await;
    create_account(&app, "ren.ke@example.dk", Role::Editor).await;
    let stored: String = sqlx::query_scalar("SELECT password_hash FROM users")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert!(stored.starts_with("$argon2id$"));

    let reply = attempt(&app, "  Ren.Ke@Example.dk ", PASSWORD).await;
    assert_eq!(reply.status, StatusCode::FOUND, "{}", reply.body);
    assert_eq!(reply.location(), Some("/events/1"));
    let raw = reply
        .headers
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        raw.contains("HttpOnly") && raw.contains("SameSite=Lax"),
        "{raw}"
    );
    assert!(
        !raw.contains("Secure"),
        "plain http must not set Secure: {raw}"
    );
    let cookie = reply.session_cookie();
    let me = app.whoami(&cookie).await;
    assert_eq!(me["editor"]["email"], "ren.ke@example.dk");
    assert_eq!(me["editor"]["role"], "editor");
    // Only a digest of the token is stored.
    let token = cookie.trim_start_matches("st_session=");
    let stored: i64 = sqlx::query_scalar("SELECT count(*) FROM sessions WHERE token_sha256 = $1")
        .bind(token)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(stored, 0);
    // Readers are nobody.
    assert!(app.whoami("st_session=forged").await.is_null());
}

#[sqlx::test(migrations = "../migrations")]
async fn repeated_failures_slow_sign_in_down(pool: PgPool) {
    let app = spawn_app(pool).await;
    create_account(&app, "a@example.org", Role::Editor).await;
    for _ in 0..accounts::MAX_FAILURES {
        let reply = attempt(&app, "a@example.org", "wrong password!").await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
        assert!(
            reply.body.contains("Wrong email or password."),
            "{}",
            reply.body
        );
        assert!(reply.headers.get("set-cookie").is_none());
    }
    // Now even the right password has to wait.
    let reply = attempt(&app, "a@example.org", PASSWORD).await;
    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        reply.body.contains("Try again in 15 minutes"),
        "{}",
        reply.body
    );
    // An unknown account fails the same way as a wrong password.
    let reply = attempt(&app, "nobody@example.org", PASSWORD).await;
    assert_eq!(
        reply.status,
        StatusCode::TOO_MANY_REQUESTS,
        "the address is throttled too"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn signing_out_needs_the_session_s_form_token(pool: PgPool) {
    let app = spawn_app(pool).await;
    create_account(&app, "a@example.org", Role::Admin).await;
    let cookie = attempt(&app, "a@example.org", PASSWORD)
        .await
        .session_cookie();
    let me = app.whoami(&cookie).await;
    let csrf = me["csrf_token"].as_str().unwrap().to_owned();

    let forged = app
        .post_form(
            "/api/sign_out",
            &Form::new().field("csrf", "guess"),
            &[("cookie", &cookie)],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert!(!app.whoami(&cookie).await.is_null(), "still signed in");

    let anonymous = app
        .post_form("/api/sign_out", &Form::new().field("csrf", &csrf), &[])
        .await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);

    let out = app
        .post_form(
            "/api/sign_out",
            &Form::new().field("csrf", &csrf),
            &[("cookie", &cookie)],
        )
        .await;
    assert_eq!(out.status, StatusCode::FOUND, "{}", out.body);
    assert!(out
        .headers
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .contains("Max-Age=0"));
    assert!(app.whoami(&cookie).await.is_null(), "the session is gone");
}

#[sqlx::test(migrations = "../migrations")]
async fn requests_from_other_sites_are_refused(pool: PgPool) {
    let app = spawn_app(pool).await;
    create_account(&app, "a@example.org", Role::Editor).await;
    let reply = app
        .post_form(
            "/api/sign_in",
            &sign_in_form("a@example.org", PASSWORD),
            &[("origin", "https://evil.example")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert!(reply.headers.get("set-cookie").is_none());
    assert_eq!(count(&app, "SELECT count(*) FROM sessions").await, 0);
}

#[sqlx::test(migrations = "../migrations")]
async fn one_account_per_email_and_a_password_policy(pool: PgPool) {
    let app = spawn_app(pool).await;
    create_account(&app, "a@example.org", Role::Editor).await;
    let mut conn = app.pool.acquire().await.unwrap();
    let err = accounts::create(
        &mut conn,
        &"A@Example.org".parse().unwrap(),
        "Again",
        &PASSWORD.parse().unwrap(),
        Role::Admin,
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("exists already"), "{err}");
    assert!("short".parse::<NewPassword>().is_err());
    // The demo editor is created once, and again is harmless.
    server::demo::ensure_demo_editor(&app.pool).await.unwrap();
    server::demo::ensure_demo_editor(&app.pool).await.unwrap();
    assert_eq!(
        count(&app, "SELECT count(*) FROM users WHERE role = 'editor'").await,
        2
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn admins_manage_accounts_and_nobody_else_can(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (ed_cookie, ed_csrf) = sign_in(&app, "ed@example.org", Role::Editor).await;
    let (admin_cookie, admin_csrf) = sign_in(&app, "admin@example.org", Role::Admin).await;
    let post = |cookie: Option<String>, endpoint: &'static str, body: Form| {
        let app = &app;
        async move { app.call(endpoint, cookie.as_deref(), &body).await }
    };
    let new_account = |csrf: &str, email: &str, password: &str| {
        Form::new()
            .field("csrf", csrf)
            .field("form[email]", email)
            .field("form[display_name]", "Nina")
            .field("form[role]", "editor")
            .field("form[password]", password)
    };
    let ed_id = account_id(&app, "ed@example.org").await;
    let change = |csrf: &str, id: i64, role: &str, disabled: bool| {
        let form = Form::new()
            .field("csrf", csrf)
            .field("id", id)
            .field("role", role);
        if disabled {
            form.field("disabled", true)
        } else {
            form
        }
    };

    // Anonymous and editors: refused on every endpoint.
    assert_eq!(
        app.get("/api/accounts").await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.get_signed_in("/api/accounts", &ed_cookie).await.status,
        StatusCode::FORBIDDEN
    );
    for (cookie, csrf, status) in [
        (None, ed_csrf.clone(), StatusCode::UNAUTHORIZED),
        (
            Some(ed_cookie.clone()),
            ed_csrf.clone(),
            StatusCode::FORBIDDEN,
        ),
        (
            Some(admin_cookie.clone()),
            "forged".to_owned(),
            StatusCode::FORBIDDEN,
        ),
    ] {
        let (s, _) = post(
            cookie.clone(),
            "create_account",
            new_account(&csrf, "nina@example.org", "a long enough password"),
        )
        .await;
        assert_eq!(s, status);
        let (s, _) = post(
            cookie,
            "change_account",
            change(&csrf, ed_id, "admin", false),
        )
        .await;
        assert_eq!(s, status);
    }

    // An admin adds an account; bad fields and a taken email are named.
    let (_, bad) = post(
        Some(admin_cookie.clone()),
        "create_account",
        new_account(&admin_csrf, "nina", "short"),
    )
    .await;
    let fields: Vec<&str> = bad["Invalid"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e[0].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["email", "password"]);
    let (_, ok) = post(
        Some(admin_cookie.clone()),
        "create_account",
        new_account(&admin_csrf, "Nina@Example.org", "a long enough password"),
    )
    .await;
    assert_eq!(ok, "Saved");
    let (_, taken) = post(
        Some(admin_cookie.clone()),
        "create_account",
        new_account(&admin_csrf, "nina@example.org", "a long enough password"),
    )
    .await;
    assert!(
        taken["Invalid"].to_string().contains("exists already"),
        "{taken}"
    );
    let list = app
        .get_signed_in("/api/accounts", &admin_cookie)
        .await
        .json();
    assert_eq!(list.as_array().unwrap().len(), 3);

    // Disabling an editor ends their session at once.
    let (_, ok) = post(
        Some(admin_cookie.clone()),
        "change_account",
        change(&admin_csrf, ed_id, "editor", true),
    )
    .await;
    assert_eq!(ok, "Saved");
    assert_eq!(app.whoami(&ed_cookie).await, Value::Null);
    // An admin cannot lock themself out.
    let admin_id = account_id(&app, "admin@example.org").await;
    let (s, _) = post(
        Some(admin_cookie.clone()),
        "change_account",
        change(&admin_csrf, admin_id, "editor", false),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT);
}
