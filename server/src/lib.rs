//! The Sanctions Timeline server: process wiring. `app` builds the router (tests drive it
//! without a socket); `main` reads config, gets a database, and serves.

pub mod api;
pub mod database;
pub mod demo;
pub mod same_origin;
pub mod synthetic;

use app::state::AppState;
use app::{shell, App};
use axum::http::{header, HeaderValue};
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

/// The whole HTTP surface: pages (server-rendered), server functions, the JSON API and
/// the static site files.
pub fn app(state: AppState) -> Router {
    let routes = generate_route_list(App);
    Router::new()
        .merge(api::routes())
        .leptos_routes(&state, routes, {
            let options = state.leptos_options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(axum::middleware::from_fn(same_origin::refuse_cross_site))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .with_state(state)
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
