//! Sanctions Timeline: domain types, pages and server functions, shared by the server
//! (feature `ssr`) and the browser (feature `hydrate`).
#![recursion_limit = "256"]

pub mod admin;
pub mod app;
pub mod auth;
pub mod components;
pub mod domain;
pub mod edit;
pub mod history;
pub mod pages;
pub mod record;
pub mod review;

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod state;

pub use app::{shell, App};

/// The browser entry: takes over the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
}
