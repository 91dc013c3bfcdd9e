//! What every request handler and server function can reach.

use axum::extract::FromRef;
use leptos::config::LeptosOptions;

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub pool: sqlx::PgPool,
    /// The public origin (`https://sanctions.example.org`) for canonical links.
    pub public_url: String,
}
