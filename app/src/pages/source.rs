//! `/sources/{id}`: a source's full stored text with every cited passage marked, each
//! mark linking to the event that cites it and reachable at `#c{citation id}`; with
//! `?as_recorded=YYYY-MM-DD`, the source as the published record had it that day.

use crate::components::{DateText, KindBadge};
use crate::domain::as_recorded::RecordedSource;
use crate::domain::revision::SourceSnapshot;
use crate::domain::{FuzzyDate, SourceDetail};
use crate::pages::as_recorded::{day_label, NotInRecord, RecordedBanner};
use crate::pages::{ErrorNotice, NotFound};
use crate::server_fns::record::{load_source, load_source_as_recorded};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn SourcePage() -> impl IntoView {
    let query = use_query_map();
    let as_recorded =
        Memo::new(move |_| query.with(|q| q.get("as_recorded").filter(|d| !d.trim().is_empty())));
    move || match as_recorded.get() {
        Some(day) => view! { <RecordedSourcePage day /> }.into_any(),
        None => view! { <CurrentSourcePage /> }.into_any(),
    }
}

/// The source as it is now.
#[component]
fn CurrentSourcePage() -> impl IntoView {
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

/// The source as the published record had it at the end of `day`: the page as it is when
/// it has not been edited since, else the version its revision kept, with a banner.
#[component]
fn RecordedSourcePage(day: String) -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let label = day_label(&day);
    let recorded = Resource::new(
        move || (id(), day.clone()),
        |(id, day)| load_source_as_recorded(id, day),
    );
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Rebuilding the source…"</p> }>
            {move || {
                let now_href = format!("/sources/{}", id());
                let label = label.clone();
                Suspend::new(async move {
                    let found = match recorded.await {
                        Ok(found) => found,
                        Err(error) => return view! { <ErrorNotice error /> }.into_any(),
                    };
                    match (found.recorded, found.unchanged) {
                        (RecordedSource::Unchanged, Some(detail)) => view! {
                            <RecordedBanner label noun="source" now_href />
                            <SourceView detail />
                        }.into_any(),
                        (RecordedSource::Changed { version, saved_at, snapshot }, _) => view! {
                            <RecordedBanner label=label.clone() noun="source" then=(version, saved_at) now_href />
                            <RecordedSourceView snapshot=*snapshot label />
                        }.into_any(),
                        (RecordedSource::NotKept, _) => view! {
                            <NotInRecord label now_href
                                why="This source was loaded without a revision and edited since: its version that day was not kept." />
                        }.into_any(),
                        _ => view! {
                            <NotInRecord label now_href
                                why="No source readers can see had this address then: it was added later, or is cited by no published event." />
                        }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// Who published the source, when, in what language and by whom; its title, and where
/// it is online (the article, and an archived copy).
#[component]
fn SourceHeader(
    url: String,
    archive_url: Option<String>,
    title: String,
    publisher: String,
    authors: Vec<String>,
    published_on: chrono::NaiveDate,
    language: crate::domain::LanguageTag,
) -> impl IntoView {
    view! {
        <header>
            <p class="source-meta">
                {publisher} ", " <DateText date=FuzzyDate::day(published_on) />
                " · " {language.name().to_owned()}
                {(!authors.is_empty()).then(|| format!(" · by {}", authors.join(", ")))}
            </p>
            <h1 lang=language.as_str().to_owned()>{title}</h1>
            <p class="source-url">
                <a href=url.clone() rel="external noopener">{url.clone()}</a>
                {archive_url.map(|a| view! {
                    " · " <a class="archived" href=a rel="external noopener">"Archived copy"</a>
                })}
            </p>
        </header>
    }
}

/// The version a revision kept: its description and its text. The passages are marked
/// only on the text as it is now: their places are of that text.
#[component]
fn RecordedSourceView(snapshot: SourceSnapshot, label: String) -> impl IntoView {
    let SourceSnapshot {
        url,
        archive_url,
        title,
        publisher,
        authors,
        published_on,
        language,
        body,
    } = snapshot;
    let lang = language.as_str().to_owned();
    view! {
        <Title text=format!("{title} (as recorded on {label})") />
        <Meta name="robots" content="noindex" />
        <article class="source as-recorded">
            <SourceHeader url archive_url title=title.clone() publisher authors published_on language />
            <p class="hint">"The cited passages are marked on the source as it is now: their places are of that text."</p>
            <div class="source-body" lang=lang>
                {body
                    .split("\n\n")
                    .map(str::trim)
                    .filter(|p| !p.is_empty())
                    .map(|p| view! { <p>{p.to_owned()}</p> })
                    .collect_view()}
            </div>
        </article>
        <p class="back"><a href="/">"← The whole timeline"</a></p>
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
            <SourceHeader
                url=source.url.clone()
                archive_url=source.archive_url.clone()
                title=source.title.clone()
                publisher=source.publisher.clone()
                authors
                published_on=source.published_on
                language=source.language.clone()
            />
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
