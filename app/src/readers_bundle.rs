//! The readers' bundle (feature `readers`): the browser build the timeline pages (`/`,
//! `/embed`) load. It has no router and hydrates nothing: the server's page stays as it
//! was sent (its links and forms are plain HTML), and each timeline on it is drawn again
//! in place, interactive, from the data the server wrote beside it ([`TimelineData`]:
//! postcard, percent-encoded, read as the windows it fetches are). So the bundle holds
//! the timeline's code and Leptos's rendering, not the application's pages, router or
//! hydration.

use crate::components::timeline::interactions::viewport_width;
use crate::components::timeline::layout::Span;
use crate::components::timeline::{
    view_param, TimelineData, TimelineDrawing, TimelineUrl, TIMELINE_DATA, TIMELINE_HOLDER,
};
use crate::pages::embed_of;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The entry the page's loader calls (the whole application's has the same name). It
/// reads every timeline's data now and draws them in a task of their own after this
/// one: the module's start, the reading and the drawing in one task blocked a phone for
/// about 200 ms at 100,000 events (session 38: Lighthouse's total blocking time 134 ms,
/// its one point short of 100), while the server's drawing stays readable meanwhile.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    let timelines = timelines_on_page();
    set_timeout(
        move || {
            for (holder, data, width) in timelines {
                holder.set_text_content(None);
                leptos::mount::mount_to(holder, move || draw(data, width)).forget();
            }
            // Browser tests wait for this, as they do for the whole application's hydration.
            if let Some(body) = document().body() {
                let _ = body.set_attribute("data-hydrated", "");
            }
        },
        std::time::Duration::ZERO,
    );
}

/// Each timeline holder on the page with the data it is drawn from and its width.
fn timelines_on_page() -> Vec<(web_sys::HtmlElement, TimelineData, Option<f64>)> {
    let mut timelines = Vec::new();
    let Ok(holders) = document().query_selector_all(&format!(".{TIMELINE_HOLDER}")) else {
        return timelines;
    };
    for i in 0..holders.length() {
        let Some(holder) = holders
            .item(i)
            .and_then(|node| node.dyn_into::<web_sys::HtmlElement>().ok())
        else {
            continue;
        };
        // Without its data (a page from an older server, say) the server's drawing stays:
        // readable, with working links, but not interactive.
        let Some(data) = holder
            .query_selector(&format!("script.{TIMELINE_DATA}"))
            .ok()
            .flatten()
            .and_then(|script| script.text_content())
            .and_then(|text| TimelineData::from_script_text(&text))
        else {
            continue;
        };
        let width = holder
            .query_selector(".tl-viewport")
            .ok()
            .flatten()
            .and_then(|viewport| viewport_width(&viewport));
        timelines.push((holder, data, width));
    }
    timelines
}

fn draw(data: TimelineData, width: Option<f64>) -> impl IntoView {
    let TimelineData {
        url,
        facets,
        first,
        embed_site,
    } = data;
    let view = RwSignal::new(url.view());
    keep_page_in_step(&url, embed_site, view);
    view! { <TimelineDrawing url facets view first width /> }
}

/// What the page shows of the view outside the timeline, which the server drew for the
/// view it was asked for: the filter form's hidden view fields (so filtering keeps the
/// view) and the embed snippet.
fn keep_page_in_step(url: &TimelineUrl, embed_site: Option<String>, view: RwSignal<Option<Span>>) {
    let doc = document();
    let view_field = |name: &str| {
        doc.query_selector(&format!("form.filters input[type=hidden][name={name}]"))
            .ok()
            .flatten()
            .and_then(|el| el.dyn_into::<web_sys::HtmlInputElement>().ok())
    };
    let (start, end) = (view_field("start"), view_field("end"));
    let snippet = doc
        .query_selector("textarea.embed-snippet")
        .ok()
        .flatten()
        .and_then(|el| el.dyn_into::<web_sys::HtmlTextAreaElement>().ok());
    let embed = embed_of(url.clone(), view);
    Effect::new(move |_| {
        let shown = view.get();
        if let Some(field) = &start {
            field.set_value(&view_param(shown, true));
        }
        if let Some(field) = &end {
            field.set_value(&view_param(shown, false));
        }
        if let (Some(snippet), Some(site)) = (&snippet, &embed_site) {
            snippet.set_value(&embed.with(|e| e.iframe(site)));
        }
    });
}
