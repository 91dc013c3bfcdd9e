//! What every test starts from: one app per test over the fresh database `#[sqlx::test]`
//! hands it, driven in-process (no socket), and the requests a browser or the hydrated
//! app sends it: pages, form posts, server-function calls, signing in.

mod fixtures;
mod form;

pub use fixtures::*;
pub use form::Form;

use app::domain::account::Role;
use app::state::AppState;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use leptos::prelude::LeptosOptions;
use serde_json::Value;
use server::page_cache::PageCache;
use sqlx::PgPool;
use std::net::SocketAddr;
use std::sync::Arc;
use tower::ServiceExt;

pub struct TestApp {
    pub router: Router,
    pub pool: PgPool,
    /// Unused (never live) until the test calls [`TestApp::follow_changes`].
    pub page_cache: Arc<PageCache>,
}

/// What the readers' bundle asks the timeline's server functions for.
pub const POSTCARD: &str = "application/x-postcard";

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
    pub bytes: Vec<u8>,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// A server function's postcard answer (the timeline's windows and cards).
    pub fn postcard<T: serde::de::DeserializeOwned>(&self) -> T {
        postcard::from_bytes(&self.bytes)
            .unwrap_or_else(|e| panic!("not this postcard ({e}): {:?}", self.bytes))
    }

    /// The script nonce this answer's Content-Security-Policy names.
    pub fn nonce(&self) -> String {
        self.headers["content-security-policy"]
            .to_str()
            .expect("ascii")
            .split("'nonce-")
            .nth(1)
            .and_then(|rest| rest.split('\'').next())
            .expect("the policy names a nonce")
            .to_owned()
    }

    pub fn location(&self) -> Option<&str> {
        self.headers.get("location").and_then(|v| v.to_str().ok())
    }

    /// The `st_session=…` pair of the session cookie this reply sets, as a browser sends
    /// it back.
    pub fn session_cookie(&self) -> String {
        let cookie = self
            .headers
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|c| c.starts_with("st_session="))
            .unwrap_or_else(|| panic!("no session cookie: {} {}", self.status, self.body));
        cookie.split(';').next().unwrap_or_default().to_owned()
    }
}

/// The state `main` builds for this pool (site address 127.0.0.1:3000), for a test that
/// changes it before the app is made.
pub fn app_state(pool: PgPool) -> AppState {
    let options = LeptosOptions::builder()
        .output_name("sanctions-timeline")
        .build();
    server::state(pool, options)
}

pub async fn spawn_app(pool: PgPool) -> TestApp {
    TestApp::new(app_state(pool))
}

pub async fn spawn_app_with_demo(pool: PgPool) -> TestApp {
    server::demo::load(&pool).await.expect("demo loads");
    spawn_app(pool).await
}

impl TestApp {
    pub fn new(state: AppState) -> Self {
        let pool = state.pool.clone();
        let site = server::site(state);
        TestApp {
            pool,
            router: site.router,
            page_cache: site.page_cache,
        }
    }

    /// Starts following the record's changes, as `main` does, and returns once the page
    /// cache is live. Abort the task before the test ends (its connection would keep the
    /// test database from being dropped).
    pub async fn follow_changes(&self) -> tokio::task::JoinHandle<()> {
        let task = self.page_cache.follow_changes(self.pool.clone());
        assert!(
            self.page_cache_live(true).await,
            "the page cache did not start following the record's changes"
        );
        task
    }

    /// Whether the page cache is live, once it is `wanted` (or after five seconds).
    pub async fn page_cache_live(&self, wanted: bool) -> bool {
        for _ in 0..250 {
            if self.page_cache.is_live() == wanted {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        self.page_cache.is_live()
    }

    pub async fn get(&self, uri: &str) -> Reply {
        self.get_with(uri, &[]).await
    }

    /// GETs a page with these request headers (besides the defaults of `get`).
    pub async fn get_with(&self, uri: &str, headers: &[(&str, &str)]) -> Reply {
        let mut request = Request::get(uri);
        if !headers
            .iter()
            .any(|(name, _)| name.eq_ignore_ascii_case("accept"))
        {
            request = request.header("accept", "text/html,application/json");
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        self.send(request.body(Body::empty()).expect("request builds"))
            .await
    }

    /// GETs as a script would, JSON wanted, signed out.
    pub async fn get_json(&self, uri: &str) -> Reply {
        let request = Request::get(uri)
            .header("accept", "application/json")
            .body(Body::empty())
            .expect("request builds");
        self.send(request).await
    }

    /// GETs a server function's postcard answer, as the readers' bundle asks for it.
    pub async fn get_postcard(&self, uri: &str) -> Reply {
        self.get_with(uri, &[("accept", POSTCARD)]).await
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
            bytes: bytes.to_vec(),
        }
    }

    /// POSTs a form as a browser without JavaScript would (same origin, wants HTML).
    pub async fn post_form(&self, uri: &str, form: &Form, headers: &[(&str, &str)]) -> Reply {
        self.send(form_request(uri, form, headers)).await
    }

    /// `post_form` from a browser at this IP address, as the server sees its peer (the
    /// sign-in throttle counts per address).
    pub async fn post_form_from(
        &self,
        from: &str,
        uri: &str,
        form: &Form,
        headers: &[(&str, &str)],
    ) -> Reply {
        let addr: SocketAddr = format!("{from}:50000")
            .parse()
            .unwrap_or_else(|e| panic!("{from} is no IP address: {e}"));
        let mut request = form_request(uri, form, headers);
        request.extensions_mut().insert(ConnectInfo(addr));
        self.send(request).await
    }

    /// Calls a server function as the hydrated app does (JSON wanted), signed in when
    /// given a cookie: the status and the answer (a JSON string when it is no JSON).
    pub async fn call(
        &self,
        endpoint: &str,
        cookie: Option<&str>,
        form: &Form,
    ) -> (StatusCode, Value) {
        let mut headers = vec![("accept", "application/json")];
        if let Some(c) = cookie {
            headers.push(("cookie", c));
        }
        let reply = self
            .post_form(&format!("/api/{endpoint}"), form, &headers)
            .await;
        let json = serde_json::from_str(&reply.body).unwrap_or(Value::String(reply.body));
        (reply.status, json)
    }

    /// Who this cookie signs in: the account and its form token, or null for nobody.
    pub async fn whoami(&self, cookie: &str) -> Value {
        let reply = self
            .post_form(
                "/api/whoami",
                &Form::new(),
                &[("cookie", cookie), ("accept", "application/json")],
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        reply.json()
    }

    pub async fn event_id(&self, slug: &str) -> i64 {
        sqlx::query_scalar("SELECT id FROM events WHERE slug = $1")
            .bind(slug)
            .fetch_one(&self.pool)
            .await
            .expect("event exists")
    }
}

/// A form POST with a same-origin browser's headers; the caller's replace the defaults of
/// the same name.
fn form_request(uri: &str, form: &Form, headers: &[(&str, &str)]) -> Request<Body> {
    let mut request = Request::post(uri);
    let defaults = [
        ("content-type", "application/x-www-form-urlencoded"),
        ("accept", "text/html"),
        ("host", "127.0.0.1:3000"),
        ("origin", "http://127.0.0.1:3000"),
    ];
    for (k, v) in defaults
        .iter()
        .filter(|(k, _)| !headers.iter().any(|(h, _)| h.eq_ignore_ascii_case(k)))
        .chain(headers.iter())
    {
        request = request.header(*k, *v);
    }
    request
        .body(Body::from(form.encode()))
        .expect("request builds")
}

/// Every test account's password.
pub const PASSWORD: &str = "a long enough password";

/// Creates an account ("Test editor", `PASSWORD`) with this role.
pub async fn create_account(app: &TestApp, email: &str, role: Role) {
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
}

/// The sign-in form as the page posts it (add `next` for where to go afterwards).
pub fn sign_in_form(email: &str, password: &str) -> Form {
    Form::new()
        .field("email", email)
        .field("password", password)
}

/// Creates an account with this role and signs it in; returns the session cookie and the
/// session's form (CSRF) token.
pub async fn sign_in(app: &TestApp, email: &str, role: Role) -> (String, String) {
    create_account(app, email, role).await;
    let cookie = app
        .post_form("/api/sign_in", &sign_in_form(email, PASSWORD), &[])
        .await
        .session_cookie();
    let me = app.whoami(&cookie).await;
    let csrf = me["csrf_token"].as_str().expect("csrf token").to_owned();
    (cookie, csrf)
}
