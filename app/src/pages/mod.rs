//! One module per page, and what they share: the editors-only gate, the error notice.
//! Pages load through the server functions in `server_fns`, and set the HTTP status
//! while they render on the server (an error's own, through [`ErrorNotice`]).

mod accounts;
mod actor;
mod as_recorded;
mod changes;
mod edit_actor;
mod edit_source;
mod editors_only;
mod embed;
mod event;
mod event_editor;
mod history;
mod new_source;
mod review;
mod signin;
mod source;
mod timeline;

pub use accounts::AccountsPage;
pub use actor::ActorPage;
pub use changes::ChangesPage;
pub use edit_actor::EditActorPage;
pub use edit_source::EditSourcePage;
pub use editors_only::EditorsOnly;
pub use embed::{EmbeddedEventPage, EmbeddedTimelinePage};
pub use event::EventPage;
pub use event_editor::{EditEventPage, NewEventPage};
pub use history::HistoryPage;
pub use new_source::NewSourcePage;
pub use review::ReviewPage;
pub use signin::SignInPage;
pub use source::SourcePage;
// The readers' bundle keeps the page's embed snippet with it.
#[cfg(feature = "readers")]
pub(crate) use timeline::embed_of;
pub use timeline::TimelinePage;

use crate::server_fns::AppError;
use leptos::prelude::*;
use leptos_meta::Title;

/// Whether `path` is a reader's page: an event's permalink (or its embedded card), a
/// source's text or an actor's page. They are complete as HTML and interactive without
/// script, so they are served without the application's code (the browser downloads HTML
/// and CSS only) and, for readers, from the server's page cache.
pub fn is_readers_page(path: &str) -> bool {
    let path = path
        .strip_prefix("/embed")
        .filter(|card| card.starts_with("/events/"))
        .unwrap_or(path);
    let mut segments = path.trim_start_matches('/').split('/');
    let (Some(collection), Some(key), None) = (segments.next(), segments.next(), segments.next())
    else {
        return false;
    };
    matches!(collection, "events" | "sources" | "actors") && !key.is_empty() && key != "new"
}

/// Whether `path` is a timeline page (`/`, `/embed`): the pages the readers' bundle has
/// the code for (feature `readers`), loaded there instead of the whole application.
pub fn is_timeline_page(path: &str) -> bool {
    matches!(path, "" | "/" | "/embed")
}

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

/// An error in place of what failed (a page's content, a save): its message, which names
/// the request's id where there is one. While rendering on the server the page answers
/// with the error's status (503 and Retry-After while the database is down).
#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    answer_with(&error);
    view! { <p class="error" role="alert">{error.to_string()}</p> }
}

/// Gives the page being rendered on the server the status (and Retry-After) of `error`;
/// nothing in the browser.
pub fn answer_with(error: &AppError) {
    set_status(error.status());
    #[cfg(feature = "ssr")]
    if let (Some(seconds), Some(res)) = (
        error.retry_after(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) {
        res.insert_header(axum::http::header::RETRY_AFTER, seconds.into());
    }
}

#[cfg(test)]
mod tests {
    use super::{is_readers_page, is_timeline_page};

    #[test]
    fn the_timeline_pages_are_the_timeline_and_its_embed() {
        for path in ["/", "", "/embed"] {
            assert!(is_timeline_page(path), "{path}");
        }
        for path in [
            "/events/12",
            "/embed/events/12",
            "/changes",
            "/embed/",
            "//",
            "/?x",
        ] {
            assert!(!is_timeline_page(path), "{path}");
        }
    }

    #[test]
    fn readers_pages_are_permalinks_sources_and_actors_only() {
        for path in [
            "/events/12",
            "/events/12-huawei-listed",
            "/sources/3",
            "/actors/7",
            "/embed/events/12-huawei-listed",
        ] {
            assert!(is_readers_page(path), "{path}");
        }
        for path in [
            "/",
            "/events/new",
            "/sources/new",
            "/events/12/edit",
            "/events/12/history",
            "/sources/3/edit",
            "/actors/7/edit",
            "/events/",
            "/events",
            "/review",
            "/api/events/12",
            "/embed",
            "/embed/sources/3",
            "/embed/events/12/edit",
        ] {
            assert!(!is_readers_page(path), "{path}");
        }
    }
}
