//! The pages other sites frame, without the site around them: `/embed/events/{key}`, an
//! event's compact card (HTML only, like a permalink), and `/embed?…`, the interactive
//! timeline for a filter and view. Their links open this site in a new tab. `EmbedButton`
//! offers the snippet that frames them.

use crate::components::timeline::{first_window_query, InteractiveTimeline, TimelineUrl};
use crate::components::{Actors, DateText, EventMeta};
use crate::domain::embed::Embed;
use crate::domain::{Citation, EventDetail, FuzzyDate};
use crate::pages::timeline::timeline_url_in;
use crate::pages::{set_status, ErrorNotice};
use crate::server_fns::record::{load_event, load_facets, load_window, EventLookup};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

/// Passages a card quotes; the permalink has them all.
const CARD_QUOTES: usize = 2;

/// `/embed?…`: the timeline the same query selects on `/`, zoomable and pannable.
#[component]
pub fn EmbeddedTimelinePage() -> impl IntoView {
    let query = use_query_map();
    let url = move || query.with(|q| timeline_url_in(q, true));
    let facets = Resource::new(move || url().query.filter, load_facets);
    let first_window = Resource::new(move || first_window_query(&url()), load_window);
    view! {
        <Title text="Embedded timeline" />
        <Meta name="robots" content="noindex" />
        <div class="embed">
        <Suspense fallback=|| view! { <p class="loading">"Loading the timeline…"</p> }>
            {move || {
                let url = url();
                Suspend::new(async move {
                    let facets = facets.await.ok();
                    let first = first_window.await.ok();
                    let on_site = TimelineUrl { embedded: false, ..url.clone() }
                        .href(url.view(), url.lanes(), None);
                    let view = RwSignal::new(url.view());
                    view! {
                        <InteractiveTimeline url facets view first />
                        <p class="embed-credit">
                            <a href=on_site target="_blank" rel="noopener">"Open this view on Sanctions Timeline"</a>
                            ": every event with the passages of its sources."
                        </p>
                    }
                })
            }}
        </Suspense>
        </div>
    }
}

/// `/embed/events/{key}`: the event's date, kind, title, actors and first passages.
#[component]
pub fn EmbeddedEventPage() -> impl IntoView {
    let params = use_params_map();
    let lookup = Resource::new(
        move || params.with(|p| p.get("key").unwrap_or_default()),
        load_event,
    );
    view! {
        <Meta name="robots" content="noindex" />
        <div class="embed">
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match lookup.await {
                    Ok(EventLookup::Found { detail, canonical_url }) => {
                        view! { <EventCard detail=*detail canonical_url /> }.into_any()
                    }
                    Ok(EventLookup::Archived { title }) => {
                        set_status(410);
                        view! {
                            <Title text="Withdrawn" />
                            <p class="embed-gone">"“" {title} "” was withdrawn from Sanctions Timeline."</p>
                        }.into_any()
                    }
                    Ok(EventLookup::NotFound) => {
                        set_status(404);
                        view! {
                            <Title text="Not found" />
                            <p class="embed-gone">"Sanctions Timeline has no published event at this address."</p>
                        }.into_any()
                    }
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
        </div>
    }
}

#[component]
fn EventCard(detail: EventDetail, canonical_url: String) -> impl IntoView {
    let EventDetail {
        event, citations, ..
    } = detail;
    let more = citations.len().saturating_sub(CARD_QUOTES);
    let credit = match more {
        0 => "Sources and history on Sanctions Timeline".to_owned(),
        1 => "One more source passage on Sanctions Timeline".to_owned(),
        n => format!("{n} more source passages on Sanctions Timeline"),
    };
    view! {
        <Title text=event.title.clone() />
        <article class="embed-card" data-event-id=event.id.0>
            <EventMeta date=event.date end=event.end kind=event.kind />
            <h1><a href=canonical_url.clone() target="_blank" rel="noopener">{event.title}</a></h1>
            <p class="event-actors"><Actors authorities=event.authorities targets=event.targets new_tab=true /></p>
            {citations.into_iter().take(CARD_QUOTES).map(|c| view! { <CardQuote citation=c /> }).collect_view()}
            <p class="embed-credit"><a href=canonical_url target="_blank" rel="noopener">{credit}</a></p>
        </article>
    }
}

#[component]
fn CardQuote(citation: Citation) -> impl IntoView {
    let Citation {
        id, quote, source, ..
    } = citation;
    view! {
        <figure class="citation">
            <blockquote lang=source.language.as_str().to_owned() cite=source.url.clone()>
                <p>{quote.exact}</p>
            </blockquote>
            <figcaption>
                <a href=format!("/sources/{}#c{}", source.id.0, id.0) target="_blank" rel="noopener">{source.title}</a>
                ", " {source.publisher}
                ", " <DateText date=FuzzyDate::day(source.published_on) />
            </figcaption>
        </figure>
    }
}

/// "Embed": the snippet that frames `embed` on another site (`site`: this site's public
/// address). A `<details>`, so it opens without script on pages that load none.
#[component]
pub fn EmbedButton(#[prop(into)] embed: Signal<Embed>, site: String) -> impl IntoView {
    // Leptos writes a textarea's children as they are (raw text, never hydrated), so the
    // server's copy is escaped here; the browser keeps the value up to date.
    let first = embed.with_untracked(|e| html_escape::encode_text(&e.iframe(&site)).into_owned());
    let snippet = move || embed.with(|e| e.iframe(&site));
    view! {
        <details class="embed-button">
            <summary>"Embed"</summary>
            <label>
                "Paste this into your page:"
                <textarea class="embed-snippet" readonly rows="3" spellcheck="false" prop:value=snippet>{first}</textarea>
            </label>
            <p class="hint">"Sites that read oEmbed need only this page's address."</p>
        </details>
    }
}
