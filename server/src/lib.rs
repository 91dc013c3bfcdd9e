//! The Sanctions Timeline server: process wiring. `site` builds the router and its page
//! cache (tests drive it without a socket); `main` reads config, gets a database, starts
//! following the record's changes, and serves.

// The app's route tree is one deeply nested type, whose `Send` bound the router checks.
#![recursion_limit = "256"]

pub mod api;
pub mod crawlers;
pub mod database;
pub mod demo;
pub mod embeds;
pub mod exports;
pub mod feeds;
pub mod health;
pub mod limits;
pub mod page_cache;
pub mod same_origin;
pub mod server_fn_errors;
pub mod static_files;
pub mod synthetic;

use app::state::AppState;
use app::{shell, App};
use axum::http::{header, HeaderValue, StatusCode};
use axum::routing::get;
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use page_cache::PageCache;
use std::sync::Arc;
use std::time::Duration;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

/// How long any request may take before the server gives up on it (503).
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);

/// The router and the page cache it serves readers from.
pub struct Site {
    pub router: Router,
    pub page_cache: Arc<PageCache>,
}

/// The whole HTTP surface: pages (server-rendered), server functions, the JSON API and
/// the static site files, behind the protections every response gets.
pub fn site(state: AppState) -> Site {
    let routes = generate_route_list(App);
    let https = state.public_url.starts_with("https://");
    let page_cache = Arc::new(PageCache::default());
    let router = Router::new()
        .merge(api::routes())
        .merge(exports::routes())
        .merge(feeds::routes())
        .merge(crawlers::routes())
        .merge(embeds::routes())
        .nest("/pkg", static_files::fingerprinted(&state.leptos_options))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .leptos_routes(&state, routes, {
            let options = state.leptos_options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(axum::middleware::from_fn(
            server_fn_errors::status_from_error,
        ))
        .layer(axum::middleware::from_fn_with_state(
            limits::ExpensiveTurns::default(),
            limits::cap_expensive,
        ))
        // Outside the load limit: a page served from memory costs no turn.
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(&page_cache),
            page_cache::serve_cached,
        ))
        // Pages set their own policy with the nonce of their inline scripts (app::shell);
        // everything else (JSON, files) runs no script at all.
        .layer(axum::middleware::map_response(default_policy))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        ))
        .layer(axum::middleware::from_fn(deny_framing))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::STRICT_TRANSPORT_SECURITY,
            https.then(|| HeaderValue::from_static("max-age=31536000; includeSubDomains")),
        ))
        .layer(axum::middleware::from_fn(same_origin::refuse_cross_site))
        .layer(CompressionLayer::new())
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            REQUEST_TIMEOUT,
        ));
    // Outermost: every request gets an id (or keeps the one a proxy gave it), its tracing
    // span carries it, and the response names it, so a user's report finds the log lines.
    let router = router
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(
            TraceLayer::new_for_http().make_span_with(|req: &axum::http::Request<_>| {
                let id = req
                    .headers()
                    .get("x-request-id")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("-");
                tracing::info_span!("request", method = %req.method(), uri = %req.uri(), request_id = %id)
            }),
        )
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .with_state(state);
    Site { router, page_cache }
}

/// The policy of every answer that sets none: no script, no framing. A 304 gets none: a
/// browser keeps the policy stored with its copy of the page, whose nonce it matches.
async fn default_policy(mut res: axum::response::Response) -> axum::response::Response {
    let revalidated = res.status() == StatusCode::NOT_MODIFIED;
    let headers = res.headers_mut();
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) && !revalidated {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'none'; img-src 'self'; style-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
            ),
        );
    }
    res
}

/// Framing: the embeds by any site (their CSP says `frame-ancestors *`), every other
/// answer by none.
async fn deny_framing(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let embeddable = app::domain::embed::is_embed(req.uri().path());
    let mut res = next.run(req).await;
    if !embeddable {
        res.headers_mut()
            .entry(header::X_FRAME_OPTIONS)
            .or_insert(HeaderValue::from_static("DENY"));
    }
    res
}

/// State for a pool and Leptos options; the public URL defaults to the site address.
pub fn state(pool: sqlx::PgPool, leptos_options: LeptosOptions) -> AppState {
    let public_url = std::env::var("PUBLIC_URL")
        .ok()
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| format!("http://{}", leptos_options.site_addr));
    AppState {
        leptos_options,
        pool,
        public_url: public_url.trim_end_matches('/').to_owned(),
    }
}
