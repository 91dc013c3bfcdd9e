//! The server's integration tests, in one binary: each module drives the whole app
//! in-process through `support`, most over a fresh database `#[sqlx::test]` makes for the
//! test. nextest still runs every test in its own process (.config/nextest.toml), so no
//! test shares the process-wide state of SQLx's test pools or of Leptos with another.

mod support;

mod accounts;
mod actors;
mod api;
mod as_recorded;
mod concurrent_editing;
mod database;
mod database_outage;
mod embeds;
mod event_filter;
mod events;
mod exports;
mod feeds;
mod hostile_input;
mod in_force;
mod lifecycle;
mod local_cluster;
mod openapi;
mod page_cache;
mod pages;
mod review;
mod safety;
mod sources;
mod static_files;
mod structured_data;
mod timeline;
