//! `/events/{id}` and `/events/{id}-{slug}`: an event's permalink, the page readers land
//! on from a shared link. Complete without JavaScript; a wrong slug answers 301.

use crate::components::{Actors, DateText, EventMeta};
use crate::domain::as_recorded::RecordedLookup;
use crate::domain::embed::Embed;
use crate::domain::event_form::EventSnapshot;
use crate::domain::legal_act::LegalAct;
use crate::domain::lifecycle::Lifecycle;
use crate::domain::structured_data::event_json_ld;
use crate::domain::text_fragment::in_original;
use crate::domain::url_query::encode_component;
use crate::domain::{ActorRef, Citation, EventDetail};
use crate::pages::as_recorded::{day_label, NotInRecord, RecordedBanner};
use crate::pages::embed::EmbedButton;
use crate::pages::{redirect_permanently, ErrorNotice, NotFound};
use crate::server_fns::record::{load_event, load_event_as_recorded, EventLookup};
use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn EventPage() -> impl IntoView {
    let query = use_query_map();
    let as_recorded =
        Memo::new(move |_| query.with(|q| q.get("as_recorded").filter(|d| !d.trim().is_empty())));
    move || match as_recorded.get() {
        Some(day) => view! { <RecordedEventPage day /> }.into_any(),
        None => view! { <CurrentEventPage /> }.into_any(),
    }
}

/// The event as it is now.
#[component]
fn CurrentEventPage() -> impl IntoView {
    let params = use_params_map();
    let key = move || params.with(|p| p.get("key").unwrap_or_default());
    let lookup = Resource::new(key, load_event);
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading the event…"</p> }>
            {move || {
                let requested = format!("/events/{}", key());
                Suspend::new(async move {
                match lookup.await {
                    Ok(EventLookup::Found { detail, canonical_url }) => {
                        let canonical_path = detail.event.permalink();
                        if requested != canonical_path {
                            redirect_permanently(&canonical_path);
                        }
                        view! { <EventView detail=*detail canonical_url /> }.into_any()
                    }
                    Ok(EventLookup::Archived { title }) => view! { <Withdrawn title /> }.into_any(),
                    Ok(EventLookup::NotFound) => view! { <NotFound /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })
            }}
        </Suspense>
    }
}

/// An archived event's permalink: 410 Gone, with the title, so a link that cited it
/// still explains itself.
#[component]
fn Withdrawn(title: String) -> impl IntoView {
    crate::pages::set_status(410);
    view! {
        <Title text=format!("Withdrawn: {title}") />
        <section class="not-found">
            <h1>"This event was withdrawn"</h1>
            <p>"“"{title}"” was removed from the record by its editors, usually because it proved wrong or duplicated another event."</p>
            <p><a href="/">"Back to the timeline"</a></p>
        </section>
    }
}

/// A short plain-text description for search results and link previews.
fn description(detail: &EventDetail) -> String {
    let text = if detail.summary.is_empty() {
        &detail.event.title
    } else {
        &detail.summary
    };
    let mut out: String = text.chars().take(200).collect();
    if text.chars().count() > 200 {
        out.push('…');
    }
    format!("{}: {out}", detail.event.date)
}

/// The event as the published record had it at the end of `day`: the page as it is when
/// it has not been edited since, else the version its revision kept, with a banner.
#[component]
fn RecordedEventPage(day: String) -> impl IntoView {
    let params = use_params_map();
    let key = move || params.with(|p| p.get("key").unwrap_or_default());
    let label = day_label(&day);
    let recorded = Resource::new(
        move || (key(), day.clone()),
        |(key, day)| load_event_as_recorded(key, day),
    );
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Rebuilding the event…"</p> }>
            {move || {
                let now_href = format!("/events/{}", key());
                let label = label.clone();
                Suspend::new(async move {
                    let found = match recorded.await {
                        Ok(found) => found,
                        Err(error) => return view! { <ErrorNotice error /> }.into_any(),
                    };
                    match (found.recorded, found.unchanged) {
                        (RecordedLookup::Unchanged, Some(EventLookup::Found { detail, canonical_url })) => view! {
                            <RecordedBanner label noun="event" now_href />
                            <EventView detail=*detail canonical_url />
                        }.into_any(),
                        (RecordedLookup::Changed { version, saved_at, snapshot, authorities, targets, published_now }, _) => view! {
                            <RecordedBanner label=label.clone() noun="event" then=(version, saved_at) now_href published_now />
                            <RecordedView snapshot=*snapshot authorities targets label=label.clone() />
                        }.into_any(),
                        (RecordedLookup::NotKept, _) => view! {
                            <NotInRecord label now_href
                                why="This event was loaded without a revision and edited since: its version that day was not kept." />
                        }.into_any(),
                        _ => view! {
                            <NotInRecord label now_href
                                why="No published event had this address then: it was added later, or not yet published." />
                        }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// The version a revision kept: its fields, and the passages it cited, as the revision
/// names them.
#[component]
fn RecordedView(
    snapshot: EventSnapshot,
    authorities: Vec<ActorRef>,
    targets: Vec<ActorRef>,
    label: String,
) -> impl IntoView {
    let EventSnapshot {
        draft,
        cited,
        related,
        ..
    } = snapshot;
    let strip = (!draft.lifecycle.is_empty()).then(
        || view! { <LifecycleStrip lifecycle=draft.lifecycle.clone() citations=Vec::new() /> },
    );
    view! {
        <Title text=format!("{} (as recorded on {label})", draft.title) />
        <Meta name="robots" content="noindex" />
        <article class="event as-recorded">
            <EventMeta date=draft.date end=draft.end kind=draft.kind />
            <h1>{draft.title}</h1>
            <p class="event-actors"><Actors authorities targets /></p>
            <EventFacts date_phrase=draft.date_phrase summary=draft.summary
                legal_instrument=draft.legal_instrument legal_act=draft.legal_act />
            {strip}
            {(!cited.is_empty()).then(|| view! {
                <section class="citations" aria-labelledby="sources-heading">
                    <h2 id="sources-heading">"Passages cited then"</h2>
                    <ul class="cited-then">{cited.into_iter().map(|c| view! { <li>{c}</li> }).collect_view()}</ul>
                </section>
            })}
            {(!related.is_empty()).then(|| view! {
                <section class="relations" aria-labelledby="related-heading">
                    <h2 id="related-heading">"Related events then"</h2>
                    <ul>{related.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}</ul>
                </section>
            })}
        </article>
        <p class="back"><a href="/">"← The whole timeline"</a></p>
    }
}

#[component]
fn EventView(detail: EventDetail, canonical_url: String) -> impl IntoView {
    let description = description(&detail);
    let twitter_description = description.clone();
    let site = canonical_url
        .strip_suffix(&detail.event.permalink())
        .unwrap_or(&canonical_url)
        .to_owned();
    let json_ld = event_json_ld(&detail, &site);
    let EventDetail {
        event,
        summary,
        date_phrase,
        legal_instrument,
        legal_act,
        lifecycle,
        citations,
        relations,
        ..
    } = detail;
    let strip = (!lifecycle.is_empty()).then(
        || view! { <LifecycleStrip lifecycle=lifecycle.clone() citations=citations.clone() /> },
    );
    let embed = Embed::event(&event.permalink(), &event.title);
    view! {
        <Title text=event.title.clone() />
        <Meta name="description" content=description.clone() />
        <Meta property="og:title" content=event.title.clone() />
        <Meta property="og:description" content=description />
        <Meta property="og:type" content="article" />
        <Meta property="og:url" content=canonical_url.clone() />
        <Meta name="twitter:card" content="summary" />
        <Meta name="twitter:title" content=event.title.clone() />
        <Meta name="twitter:description" content=twitter_description />
        <Link rel="alternate" type_="application/json+oembed" title=event.title.clone()
            href=format!("{site}/oembed?url={}", encode_component(&canonical_url)) />
        <Link rel="canonical" href=canonical_url />
        <script type="application/ld+json" inner_html=json_ld></script>
        <article class="event" data-event-id=event.id.0>
            <EventMeta date=event.date end=event.end kind=event.kind />
            <h1>{event.title}</h1>
            <p class="event-actors"><Actors authorities=event.authorities targets=event.targets /></p>
            <EventFacts date_phrase summary legal_instrument legal_act />
            {strip}

            <section class="citations" aria-labelledby="sources-heading">
                <h2 id="sources-heading">"Sources"</h2>
                {citations.into_iter().map(|mut c| {
                    // A step the event no longer records is not stated here either.
                    c.states = c.states.filter(|s| lifecycle.get(*s).is_some());
                    view! { <CitationView citation=c /> }
                }).collect_view()}
            </section>

            {(!relations.is_empty()).then(|| view! {
                <section class="relations" aria-labelledby="related-heading">
                    <h2 id="related-heading">"Related events"</h2>
                    <ul>
                        {relations.into_iter().map(|r| {
                            let phrase = r.phrase();
                            let href = r.event.permalink();
                            view! {
                                <li>
                                    {phrase} ": "
                                    <a href=href>{r.event.title}</a>
                                    " (" <DateText date=r.event.date /> ")"
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </section>
            })}
        </article>
        <EmbedButton embed site />
        <p class="back"><a href="/">"← The whole timeline"</a></p>
    }
}

#[component]
fn CitationView(citation: Citation) -> impl IntoView {
    let Citation {
        id,
        quote,
        source,
        needs_review,
        states,
    } = citation;
    let in_source = format!("/sources/{}#c{}", source.id.0, id.0);
    let quote_for_link = quote.clone();
    view! {
        <figure class="citation" id=format!("quote-{}", id.0)>
            <blockquote lang=source.language.as_str().to_owned() cite=source.url.clone()>
                <p>{quote.exact}</p>
            </blockquote>
            <figcaption>
                {states.map(|s| view! { <span class="states">{format!("States {}. ", s.stated_as())}</span> })}
                <cite>{source.title}</cite>
                ", " {source.publisher}
                ", " <DateText date=crate::domain::FuzzyDate::day(source.published_on) />
                " (" {source.language.name().to_owned()} "). "
                {if needs_review {
                    view! { <span class="needs-review">"The source text was edited since; this quote awaits an editor's check."</span> }.into_any()
                } else {
                    view! { <a class="in-source" href=in_source rel="external">"Read it in the source text"</a> }.into_any()
                }}
                " · "
                // The passage highlighted on the publisher's page, where the browser
                // supports text fragments; the page itself elsewhere.
                <a class="original" href=in_original(&source.url, &quote_for_link) rel="external noopener">"Open in the original"</a>
                // For when the publisher's page is gone or changed; an archived copy is the
                // page as it was, so the same fragment finds the passage there.
                {source.archive_url.map(|a| view! {
                    " · " <a class="archived" href=in_original(&a, &quote_for_link) rel="external noopener">"Archived copy"</a>
                })}
            </figcaption>
        </figure>
    }
}

/// What the permalink says of an event under its actors, whichever version it shows: the
/// source's words for the date, the summary, the legal instrument and the official act.
#[component]
fn EventFacts(
    date_phrase: Option<String>,
    summary: String,
    legal_instrument: Option<String>,
    legal_act: Option<LegalAct>,
) -> impl IntoView {
    view! {
        {date_phrase.map(|p| view! {
            <p class="date-phrase">"The source dates this " <q>{p}</q> ", resolved against its publication date."</p>
        })}
        {(!summary.is_empty()).then(|| view! { <p class="summary">{summary}</p> })}
        {legal_instrument.map(|l| view! { <p class="instrument">"Legal instrument: " <LegalInstrument text=l /></p> })}
        {legal_act.map(|act| view! { <OfficialAct act /> })}
    }
}

/// The act by its typed official identifier, linked to the page that publishes it.
#[component]
fn OfficialAct(act: LegalAct) -> impl IntoView {
    view! {
        <p class="official-act">
            "Official record: "
            <a class="legal-act" href=act.official_url() rel="external noopener">{act.citation()}</a>
            " (" {act.kind().label()} ")"
        </p>
    }
}

/// The legal-instrument text, with each official identifier in it linked to the page that
/// publishes the act.
#[component]
fn LegalInstrument(text: String) -> impl IntoView {
    let mut pieces = Vec::new();
    let mut from = 0;
    for found in crate::domain::legal_act::find_all(&text) {
        pieces.push(text[from..found.at.start].to_owned().into_any());
        pieces.push(
            view! {
                <a class="legal-act" href=found.act.official_url() rel="external noopener" title=found.act.kind_label()>{text[found.at.clone()].to_owned()}</a>
            }
            .into_any(),
        );
        from = found.at.end;
    }
    pieces.push(text[from..].to_owned().into_any());
    pieces.collect_view()
}

/// The measure's dated steps in the order they happened, the lag between each and the
/// one before, and a link to the passage that states each step where one is cited.
#[component]
fn LifecycleStrip(lifecycle: Lifecycle, citations: Vec<Citation>) -> impl IntoView {
    let steps = lifecycle.strip().into_iter().map(|s| {
        let evidence = citations
            .iter()
            .find(|c| c.states == Some(s.step) && !c.needs_review)
            .map(|c| format!("#quote-{}", c.id.0));
        view! {
            <li class=format!("step step-{}", s.step.as_str()) data-step=s.step.as_str()>
                {s.lag.map(|lag| view! { <span class="lag">{lag}</span> })}
                <span class="step-name">{s.step.label()}</span>
                " " <DateText date=s.date />
                {evidence.map(|href| view! { " " <a class="evidence" href=href>"source"</a> })}
            </li>
        }
    });
    view! {
        <section class="lifecycle" aria-labelledby="lifecycle-heading">
            <h2 id="lifecycle-heading">"The measure's dates"</h2>
            <ol class="lifecycle-strip">{steps.collect_view()}</ol>
        </section>
    }
}
