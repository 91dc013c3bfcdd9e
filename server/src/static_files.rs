//! The application's built files under `/pkg` (wasm, JS, CSS). Release builds name them by
//! their content's hash (cargo-leptos `hash-files`) and precompress them (`.br`, `.gz`),
//! so they are served as they are, brotli or gzip by what the browser accepts, and cached
//! for good: a new build has new names. Unhashed names (a development build) are
//! revalidated on every use instead.

use axum::handler::HandlerWithoutStateExt;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use axum::Router;
use leptos::prelude::LeptosOptions;
use tower_http::services::ServeDir;

pub fn fingerprinted<S: Clone + Send + Sync + 'static>(options: &LeptosOptions) -> Router<S> {
    let dir = std::path::Path::new(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref());
    let policy = if options.hash_files {
        HeaderValue::from_static("public, max-age=31536000, immutable")
    } else {
        HeaderValue::from_static("no-cache")
    };
    Router::new()
        .fallback_service(
            ServeDir::new(dir)
                .precompressed_br()
                .precompressed_gzip()
                .not_found_service(missing.into_service()),
        )
        .layer(axum::middleware::map_response(move |mut res: Response| {
            let policy = policy.clone();
            async move {
                // A missing file must not be remembered as missing for a year.
                if matches!(
                    res.status(),
                    StatusCode::OK | StatusCode::NOT_MODIFIED | StatusCode::PARTIAL_CONTENT
                ) {
                    res.headers_mut().insert(header::CACHE_CONTROL, policy);
                }
                res
            }
        }))
}

/// A file of another build (the page is older than the server): say what to do.
async fn missing() -> (StatusCode, &'static str) {
    (
        StatusCode::NOT_FOUND,
        "No such file. The site was probably updated since this page loaded: reload the page.",
    )
}
