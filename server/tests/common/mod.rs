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
