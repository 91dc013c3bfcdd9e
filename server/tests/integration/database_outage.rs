//! The database stops under the running server: every request that needs it answers 503
//! with Retry-After promptly (nothing hangs or crashes), `/healthz` stays up, and service
//! comes back by itself once the database does. Uses a cluster of its own (the one
//! `scripts/run` would make), so stopping it disturbs nothing else.

use crate::support::{app_state, sign_in, TestApp};
use app::domain::account::Role;
use axum::http::StatusCode;
use server::database::LocalCluster;
use std::time::Duration;

/// Bounds each request: a hang fails the test instead of stalling it.
const PROMPT: Duration = Duration::from_secs(10);

async fn assert_serving(app: &TestApp, paths: &[String]) {
    for path in paths {
        let reply = app.get(path).await;
        assert!(
            reply.status.is_success() || reply.status.is_redirection(),
            "{path}: {}",
            reply.status
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopped_database_gives_503s_then_service_resumes() {
    let root = std::env::temp_dir().join(format!("sanctions-outage-test-{}", std::process::id()));
    let port = 56_000 + (std::process::id() % 1000) as u16;
    let cluster = LocalCluster::new(root.join("postgres"), port).expect("PostgreSQL binaries");
    let url = cluster.ensure_running().await.expect("cluster starts");
    let pool = server::database::serving_pool(&url).await.expect("pool");
    server::demo::load(&pool).await.expect("demo loads");
    let app = TestApp::new(app_state(pool));
    let event: i64 = sqlx::query_scalar("SELECT min(id) FROM events")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let paths = [
        "/api/events?limit=5".to_owned(),
        format!("/api/events/{event}"),
        format!("/events/{event}"),
        "/".to_owned(),
        "/api/timeline?start=2019-01-01&end=2019-12-31".to_owned(),
        // What pages load through server functions, called as the browser does.
        format!("/api/load_event?key={event}"),
        "/api/load_facets".to_owned(),
        "/readyz".to_owned(),
    ];
    assert_serving(&app, &paths).await;
    let (editor, _) = sign_in(&app, "outage-editor@example.org", Role::Editor).await;

    cluster.stop().expect("stops");
    for path in &paths {
        let reply = tokio::time::timeout(PROMPT, app.get(path))
            .await
            .unwrap_or_else(|_| panic!("{path} hung with the database down"));
        assert_eq!(
            reply.status,
            StatusCode::SERVICE_UNAVAILABLE,
            "{path}: {}",
            reply.body
        );
        assert!(reply.headers.contains_key("retry-after"), "{path}");
    }
    let page = app.get("/").await;
    assert!(
        page.body.contains("temporarily unavailable"),
        "{}",
        page.body
    );
    // An editors' page says the record is unavailable, not "sign in first".
    let editors = app.get_signed_in("/sources/new", &editor).await;
    assert_eq!(editors.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(editors.body.contains("temporarily unavailable"));
    assert!(
        !editors.body.contains("Only editors add sources."),
        "{}",
        editors.body
    );
    assert_eq!(
        app.get("/healthz").await.status,
        StatusCode::OK,
        "the process is up"
    );

    cluster
        .ensure_running()
        .await
        .expect("cluster starts again");
    let mut back = false;
    for _ in 0..60 {
        if app.get("/api/events?limit=5").await.status == StatusCode::OK {
            back = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    assert!(back, "service resumes without a restart");
    assert_serving(&app, &paths).await;
    app.pool.close().await;
    cluster.stop().expect("stops");
    let _ = std::fs::remove_dir_all(&root);
}
