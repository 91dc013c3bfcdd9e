//! One app per test, over the fresh database `#[sqlx::test]` hands it, driven in-process.

#![allow(dead_code)]

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use leptos::prelude::LeptosOptions;
use sqlx::PgPool;
use tower::ServiceExt;

pub struct TestApp {
    pub router: Router,
    pub pool: PgPool,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    pub fn location(&self) -> Option<&str> {
        self.headers.get("location").and_then(|v| v.to_str().ok())
    }
}

pub async fn spawn_app(pool: PgPool) -> TestApp {
    let options = LeptosOptions::builder()
        .output_name("sanctions-timeline")
        .build();
    let state = server::state(pool.clone(), options);
    TestApp {
        router: server::app(state),
        pool,
    }
}

pub async fn spawn_app_with_demo(pool: PgPool) -> TestApp {
    server::demo::load(&pool).await.expect("demo loads");
    spawn_app(pool).await
}

impl TestApp {
    pub async fn get(&self, uri: &str) -> Reply {
        let request = Request::get(uri)
            .header("accept", "text/html,application/json")
            .body(Body::empty())
            .expect("request builds");
        self.send(request).await
    }

    /// GETs as a signed-in browser would (JSON wanted).
    pub async fn get_signed_in(&self, uri: &str, cookie: &str) -> Reply {
        let request = Request::get(uri)
            .header("accept", "application/json")
            .header("cookie", cookie)
            .body(Body::empty())
            .expect("request builds");
        self.send(request).await
    }

    async fn send(&self, request: Request<Body>) -> Reply {
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("router answers");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body reads")
            .to_bytes();
        Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    /// POSTs a form as a browser without JavaScript would (same origin, wants HTML).
    pub async fn post_form(&self, uri: &str, body: &str, headers: &[(&str, &str)]) -> Reply {
        let mut request = Request::post(uri);
        let defaults = [
            ("content-type", "application/x-www-form-urlencoded"),
            ("accept", "text/html"),
            ("host", "127.0.0.1:3000"),
            ("origin", "http://127.0.0.1:3000"),
        ];
        // The caller's headers replace the defaults of the same name.
        for (k, v) in defaults
            .iter()
            .filter(|(k, _)| !headers.iter().any(|(h, _)| h.eq_ignore_ascii_case(k)))
            .chain(headers.iter())
        {
            request = request.header(*k, *v);
        }
        self.send(
            request
                .body(Body::from(body.to_owned()))
                .expect("request builds"),
        )
        .await
    }

    pub async fn event_id(&self, slug: &str) -> i64 {
        sqlx::query_scalar("SELECT id FROM events WHERE slug = $1")
            .bind(slug)
            .fetch_one(&self.pool)
            .await
            .expect("event exists")
    }
}

pub const PASSWORD: &str = "a long enough password";

/// Creates an account with this role and signs it in; returns the session cookie and the
/// session's form (CSRF) token.
pub async fn sign_in(
    app: &TestApp,
    email: &str,
    role: app::domain::account::Role,
) -> (String, String) {
    use app::domain::filter::encode_component;
    let mut conn = app.pool.acquire().await.expect("connection");
    app::db::accounts::create(
        &mut conn,
        &email.parse().expect("email"),
        "Test editor",
        &PASSWORD.parse().expect("password"),
        role,
    )
    .await
    .expect("account created");
    let reply = app
        .post_form(
            "/api/sign_in",
            &format!(
                "email={}&password={}",
                encode_component(email),
                encode_component(PASSWORD)
            ),
            &[],
        )
        .await;
    let cookie = reply
        .headers
        .get("set-cookie")
        .expect("a session cookie")
        .to_str()
        .expect("ascii cookie");
    let cookie = cookie.split(';').next().unwrap_or_default().to_owned();
    let me = app
        .post_form(
            "/api/whoami",
            "",
            &[("cookie", &cookie), ("accept", "application/json")],
        )
        .await
        .json();
    (
        cookie,
        me["csrf_token"].as_str().expect("csrf token").to_owned(),
    )
}

/// A form body from pairs, encoded as a browser would.
pub fn form_body(pairs: &[(&str, &str)]) -> String {
    use app::domain::filter::encode_component;
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode_component(k), encode_component(v)))
        .collect::<Vec<_>>()
        .join("&")
}
