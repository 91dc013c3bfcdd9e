//! Sanctions Timeline: domain types, pages and server functions, shared by the server
//! (feature `ssr`) and the browser (feature `hydrate`, the whole application; feature
//! `readers`, the timeline pages' bundle).
//!
//! # Layout
//!
//! - [`app`]: the HTML shell, the routes and the header; who is signed in, loaded once
//!   per page load ([`app::use_signed_in`]).
//! - [`pages`]: one module per page, plus what pages share: the editors-only gate
//!   ([`pages::EditorsOnly`]) and the error notice that sets the page's status.
//! - [`components`]: pieces several pages show (dates, kinds, field errors, the actor
//!   picker, the interactive timeline).
//! - [`server_fns`]: every server function, grouped by what it serves (`record` for
//!   readers' reads, `events`, `sources`, `accounts`, `history`, `review`, `session`),
//!   each with its server-only part beside it. All fail with one error,
//!   [`server_fns::AppError`], which decides the HTTP status.
//! - [`domain`]: the product's words as types (dates at their precision, kinds, quotes,
//!   forms and their checks); no I/O.
//! - [`history`] and [`review`]: what a history and the review queue show (revisions,
//!   field changes, line diffs, pending changes).
//! - `db` (server only): one module per table family, each owning its SQL; every query
//!   that selects events by a reader's filter calls the SQL function `event_matches`
//!   through `query_filtered!`.
//! - `state` (server only): what every handler and server function can reach.
#![recursion_limit = "256"]

pub mod app;
pub mod components;
pub mod domain;
pub mod history;
pub mod pages;
#[cfg(feature = "readers")]
mod readers_bundle;
pub mod review;
pub mod server_fns;

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod state;

pub use app::{shell, App};

/// The whole application's browser entry: takes over the server-rendered page. (The
/// readers' bundle has its own: [`readers_bundle`].)
#[cfg(all(feature = "hydrate", not(feature = "readers")))]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
}
