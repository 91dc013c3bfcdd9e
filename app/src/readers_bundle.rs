//! The readers' bundle (feature `readers`): the browser build `/` and `/embed` load, with
//! the timeline pages' code only (about half of the whole application's, which every other
//! page that needs code loads). Any other page asked for from here, by a link or by a
//! navigation the router makes, is loaded from the server, as a link from another site
//! would load it, instead of being drawn in place.

use crate::pages::{is_timeline_page, EmbeddedTimelinePage, TimelinePage};
use leptos::prelude::*;
use leptos_router::{
    components::{Route, Routes},
    path, SsrMode,
};
use wasm_bindgen::{closure::Closure, JsCast};

/// The timeline pages' routes (as [`crate::app`] writes them for the whole application);
/// every other address is loaded from the server.
#[component]
pub fn PageRoutes() -> impl IntoView {
    load_links_from_server();
    view! {
        <Routes fallback=LoadFromServer>
            <Route path=path!("") view=TimelinePage ssr=SsrMode::Async />
            <Route path=path!("/embed") view=EmbeddedTimelinePage ssr=SsrMode::Async />
        </Routes>
    }
}

/// A plain click on a link to a page this bundle has no code for loads that page from the
/// server. The listener captures on the window, so it runs before the router's (which
/// leaves a click whose default is prevented alone).
fn load_links_from_server() {
    let on_click = Closure::<dyn Fn(web_sys::MouseEvent)>::new(|ev: web_sys::MouseEvent| {
        let modified = ev.meta_key() || ev.alt_key() || ev.ctrl_key() || ev.shift_key();
        if ev.default_prevented() || ev.button() != 0 || modified {
            return;
        }
        let Some(link) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|el| el.closest("a[href]").ok().flatten())
            .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok())
        else {
            return;
        };
        let location = window().location();
        let same_site = location
            .origin()
            .is_ok_and(|origin| link.origin() == origin);
        let opens_elsewhere = !link.target().is_empty() || link.has_attribute("download");
        if !same_site || opens_elsewhere || is_timeline_page(&link.pathname()) {
            return;
        }
        ev.prevent_default();
        let _ = location.assign(&link.href());
    });
    let _ = window().add_event_listener_with_callback_and_bool(
        "click",
        on_click.as_ref().unchecked_ref(),
        true,
    );
    // One listener for the page's life.
    on_click.forget();
}

/// A page this bundle has no code for, reached without a link (back or forward to an
/// address the router wrote, a redirect): it is loaded from the server at the window's
/// address, which the router has written by the time this runs (after the fallback is
/// drawn). Its own URL signal may still hold the page before.
#[component]
fn LoadFromServer() -> impl IntoView {
    Effect::new(move || {
        set_timeout(
            || {
                let _ = window().location().reload();
            },
            std::time::Duration::ZERO,
        );
    });
    view! { <p class="loading">"Loading…"</p> }
}
