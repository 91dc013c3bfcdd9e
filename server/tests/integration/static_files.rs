//! The built files under `/pkg`: named by their hash in a release, so cached for good;
//! served precompressed, brotli or gzip by what the browser accepts.

use crate::support::{app_state, TestApp};
use axum::http::StatusCode;
use sqlx::PgPool;

/// A site root holding one built file and its compressed copies.
fn site_with_a_built_file() -> std::path::PathBuf {
    let root = std::env::temp_dir().join(format!("site-{}", std::process::id()));
    let pkg = root.join("pkg");
    std::fs::create_dir_all(&pkg).expect("pkg dir");
    std::fs::write(pkg.join("app.0123abcd.js"), "export const answer = 42;\n").expect("js");
    std::fs::write(pkg.join("app.0123abcd.js.br"), b"brotli bytes").expect("br");
    std::fs::write(pkg.join("app.0123abcd.js.gz"), b"gzip bytes").expect("gz");
    root
}

fn app_over(pool: PgPool, root: &std::path::Path, hashed: bool) -> TestApp {
    let mut state = app_state(pool);
    state.leptos_options.site_root = root.to_string_lossy().as_ref().into();
    state.leptos_options.hash_files = hashed;
    TestApp::new(state)
}

#[sqlx::test(migrations = "../migrations")]
async fn hashed_files_are_cached_for_good_and_sent_compressed(pool: PgPool) {
    let root = site_with_a_built_file();
    let app = app_over(pool, &root, true);
    let path = "/pkg/app.0123abcd.js";

    let br = app.get_with(path, &[("accept-encoding", "gzip, br")]).await;
    assert_eq!(br.status, StatusCode::OK);
    assert_eq!(br.headers["content-encoding"], "br");
    assert_eq!(br.body, "brotli bytes");
    assert_eq!(
        br.headers["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert!(br.headers["content-type"]
        .to_str()
        .unwrap()
        .contains("javascript"));

    let gz = app.get_with(path, &[("accept-encoding", "gzip")]).await;
    assert_eq!(gz.headers["content-encoding"], "gzip");
    assert_eq!(gz.body, "gzip bytes");

    let plain = app.get(path).await;
    assert!(plain.headers.get("content-encoding").is_none());
    assert_eq!(plain.body, "export const answer = 42;\n");

    // A missing file is not remembered as missing.
    let missing = app.get("/pkg/app.ffffffff.js").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.headers.get("cache-control").is_none());
    assert!(missing.body.contains("reload the page"));
    let _ = std::fs::remove_dir_all(root);
}

#[sqlx::test(migrations = "../migrations")]
async fn unhashed_files_are_revalidated(pool: PgPool) {
    let root = site_with_a_built_file();
    let app = app_over(pool, &root, false);
    let reply = app.get("/pkg/app.0123abcd.js").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.headers["cache-control"], "no-cache");
    let _ = std::fs::remove_dir_all(root);
}
