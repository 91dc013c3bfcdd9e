//! One module per page. Pages load through the server functions in `record`, and set
//! the HTTP status while they render on the server.

mod accounts;
mod edit_source;
mod event;
mod event_editor;
mod history;
mod new_source;
mod review;
mod signin;
mod source;
mod timeline;

pub use accounts::AccountsPage;
pub use edit_source::EditSourcePage;
pub use event::EventPage;
pub use event_editor::{EditEventPage, NewEventPage};
pub use history::HistoryPage;
pub use new_source::NewSourcePage;
pub use review::ReviewPage;
pub use signin::SignInPage;
pub use source::SourcePage;
pub use timeline::TimelinePage;

use leptos::prelude::*;
use leptos_meta::Title;

/// Sets the response status when rendering on the server; nothing in the browser.
pub fn set_status(code: u16) {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        use axum::http::StatusCode;
        res.set_status(StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR));
    }
    #[cfg(not(feature = "ssr"))]
    let _ = code;
}

/// Answers with a 301 to `path` when rendering on the server.
pub fn redirect_permanently(path: &str) {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        use axum::http::{header::LOCATION, HeaderValue, StatusCode};
        if let Ok(location) = HeaderValue::from_str(path) {
            res.set_status(StatusCode::MOVED_PERMANENTLY);
            res.insert_header(LOCATION, location);
        }
    }
    #[cfg(not(feature = "ssr"))]
    let _ = path;
}

/// The body of a 404, for unknown paths and unknown ids alike.
#[component]
pub fn NotFound() -> impl IntoView {
    set_status(404);
    view! {
        <Title text="Not found" />
        <section class="not-found">
            <h1>"Not found"</h1>
            <p>"There is no page at this address. It may have been mistyped, or the event may never have been published."</p>
            <p><a href="/">"Back to the timeline"</a></p>
        </section>
    }
}

/// A failure to load, shown in place of the page's content. Keeps a status already chosen
/// (503 while the database is down), else 500. The message names the request's id.
#[component]
pub fn LoadError(message: String) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        let unset = res.0.read().map(|p| p.status.is_none()).unwrap_or(true);
        if unset {
            set_status(500);
        }
    }
    view! { <p class="error" role="alert">{message}</p> }
}
