//! `/sources/{id}`: a source's full stored text with every cited passage marked, each
//! mark linking to the event that cites it and reachable at `#c{citation id}`.

use crate::components::{DateText, KindBadge};
use crate::domain::{FuzzyDate, SourceDetail};
use crate::pages::{ErrorNotice, NotFound};
use crate::server_fns::record::load_source;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

#[component]
pub fn SourcePage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let source = Resource::new(id, load_source);
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading the source…"</p> }>
            {move || Suspend::new(async move {
                match source.await {
                    Ok(Some(detail)) => view! { <SourceView detail /> }.into_any(),
                    Ok(None) => view! { <NotFound /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SourceView(detail: SourceDetail) -> impl IntoView {
    let paragraphs = detail.paragraphs();
    let cited = detail.cited.clone();
    let SourceDetail {
        source,
        authors,
        body_sha256,
        ..
    } = detail;
    let lang = source.language.as_str().to_owned();
    let mark_for = {
        let cited = cited.clone();
        move |piece: crate::domain::source::Piece| {
            let anchors = piece
                .starts
                .iter()
                .map(|&k| view! { <span class="anchor" id=format!("c{}", cited[k].citation_id.0)></span> })
                .collect_view();
            let text = piece.text;
            match piece.covered_by.first() {
                None => view! { {anchors} {text} }.into_any(),
                Some(&first) => {
                    let ids = piece
                        .covered_by
                        .iter()
                        .map(|&k| cited[k].citation_id.0.to_string())
                        .collect::<Vec<_>>()
                        .join(" ");
                    let titles = piece
                        .covered_by
                        .iter()
                        .map(|&k| cited[k].event_title.clone())
                        .collect::<Vec<_>>()
                        .join("; ");
                    let href = cited[first].event_permalink();
                    view! {
                        {anchors}
                        <a class="cited" href=href title=format!("Cited by: {titles}")>
                            <mark data-citations=ids>{text}</mark>
                        </a>
                    }
                    .into_any()
                }
            }
        }
    };
    view! {
        <Title text=source.title.clone() />
        <Meta name="description" content=format!("{}, {}: full text with cited passages marked.", source.title, source.publisher) />
        <article class="source">
            <header>
                <p class="source-meta">
                    {source.publisher.clone()} ", " <DateText date=FuzzyDate::day(source.published_on) />
                    " · " {source.language.name().to_owned()}
                    {(!authors.is_empty()).then(|| format!(" · by {}", authors.join(", ")))}
                </p>
                <h1 lang=lang.clone()>{source.title.clone()}</h1>
                <p class="source-url"><a href=source.url.clone() rel="external noopener">{source.url.clone()}</a></p>
            </header>
            <div class="source-body" lang=lang>
                {paragraphs.into_iter().map(|pieces| {
                    let mark_for = mark_for.clone();
                    view! { <p>{pieces.into_iter().map(mark_for).collect_view()}</p> }
                }).collect_view()}
            </div>
            <footer>
                <h2>"Cited passages"</h2>
                <ol class="cited-list">
                    {cited.into_iter().map(|c| view! {
                        <li>
                            <a href=format!("#c{}", c.citation_id.0)>"“" {c.exact.clone()} "”"</a>
                            " — " <KindBadge kind=c.event_kind /> " "
                            <a href=c.event_permalink()>{c.event_title.clone()}</a>
                        </li>
                    }).collect_view()}
                </ol>
                <p class="checksum">"SHA-256 of the stored text: " <code>{body_sha256}</code></p>
            </footer>
        </article>
    }
}
