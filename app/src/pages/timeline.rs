//! `/`: every published event in date order, grouped by year and month, with filters
//! that work as a plain GET form (no JavaScript needed).

use crate::components::EventLine;
use crate::domain::filter::{encode_component, RawEventFilter};
use crate::domain::{DatePrecision, EventKind, EventSummary};
use crate::pages::{set_status, LoadError};
use crate::record::load_timeline;
use chrono::Datelike;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

/// Events of one year, by month; `None` holds those known only to the year.
struct YearGroup {
    year: i32,
    months: Vec<(Option<String>, Vec<EventSummary>)>,
}

fn group(events: Vec<EventSummary>) -> Vec<YearGroup> {
    let mut years: Vec<YearGroup> = Vec::new();
    for e in events {
        let year = e.date.date.year();
        let month = (e.date.precision != DatePrecision::Year)
            .then(|| format!("{} {}", e.date.month_name(), year));
        if years.last().is_none_or(|y| y.year != year) {
            years.push(YearGroup {
                year,
                months: Vec::new(),
            });
        }
        let Some(y) = years.last_mut() else { continue };
        match y.months.iter_mut().find(|(m, _)| *m == month) {
            Some((_, list)) => list.push(e),
            None => y.months.push((month, vec![e])),
        }
    }
    years
}

fn query_with_cursor(raw: &RawEventFilter, cursor: &str) -> String {
    let mut parts = Vec::new();
    for (k, v) in [
        ("from", &raw.from),
        ("to", &raw.to),
        ("q", &raw.q),
        ("kind", &raw.kind),
        ("actor", &raw.actor),
        ("limit", &raw.limit),
    ] {
        if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
            parts.push(format!("{k}={}", encode_component(v)));
        }
    }
    parts.push(format!("cursor={}", encode_component(cursor)));
    format!("/?{}", parts.join("&"))
}

#[component]
pub fn TimelinePage() -> impl IntoView {
    let query = use_query_map();
    let raw = move || {
        query.with(|q| RawEventFilter {
            from: q.get("from"),
            to: q.get("to"),
            q: q.get("q"),
            kind: q.get("kind"),
            actor: q.get("actor"),
            limit: q.get("limit"),
            cursor: q.get("cursor"),
        })
    };
    let page = Resource::new(raw, load_timeline);

    view! {
        <Title text="" />
        <Meta name="description" content="A dated, sourced timeline of trade-sanction events, each tied to the exact passages of its sources." />
        <h1>"Timeline"</h1>
        {move || view! { <FilterForm raw=raw() /> }}
        <Suspense fallback=|| view! { <p class="loading">"Loading the timeline…"</p> }>
            {move || {
                let raw = raw();
                Suspend::new(async move {
                match page.await {
                    Ok(Ok(page)) => {
                        let next = page.next_cursor.as_deref().map(|c| query_with_cursor(&raw, c));
                        let count = page.events.len();
                        view! {
                            <p class="count" aria-live="polite">
                                {match count { 0 => "No events match.".to_string(), 1 => "1 event".to_string(), n => format!("{n} events") }}
                            </p>
                            <ol class="timeline-list">
                                {group(page.events).into_iter().map(|y| view! {
                                    <li class="year">
                                        <h2 id=format!("y{}", y.year)>{y.year}</h2>
                                        {y.months.into_iter().map(|(month, events)| view! {
                                            <section class="month">
                                                <h3>{month.unwrap_or_else(|| format!("Sometime in {}", y.year))}</h3>
                                                <ul class="events">
                                                    {events.into_iter().map(|e| view! { <EventLine event=e /> }).collect_view()}
                                                </ul>
                                            </section>
                                        }).collect_view()}
                                    </li>
                                }).collect_view()}
                            </ol>
                            {next.map(|href| view! { <p class="more"><a href=href rel="next">"Later events →"</a></p> })}
                        }.into_any()
                    }
                    Ok(Err(message)) => {
                        set_status(400);
                        view! { <p class="error" role="alert">{message}</p> }.into_any()
                    }
                    Err(e) => view! { <LoadError message=e.to_string() /> }.into_any(),
                }
            })
            }}
        </Suspense>
    }
}

/// The filters as a GET form: the URL is the state, so a filtered view can be shared.
#[component]
fn FilterForm(raw: RawEventFilter) -> impl IntoView {
    let kind = raw.kind.clone().unwrap_or_default();
    view! {
        <form class="filters" method="get" action="/" role="search">
            <label>"Search "<input type="search" name="q" value=raw.q.unwrap_or_default() placeholder="Huawei, Entity List…" /></label>
            <label>"Kind "
                <select name="kind">
                    <option value="" selected=kind.is_empty()>"Any"</option>
                    {EventKind::ALL.iter().map(|k| view! {
                        <option value=k.as_str() selected=kind == k.as_str()>{k.label()}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>"Actor "<input type="text" name="actor" value=raw.actor.unwrap_or_default() placeholder="Huawei" /></label>
            <label>"From "<input type="date" name="from" value=raw.from.unwrap_or_default() /></label>
            <label>"To "<input type="date" name="to" value=raw.to.unwrap_or_default() /></label>
            <button type="submit">"Filter"</button>
            <a href="/" class="reset">"Clear"</a>
        </form>
    }
}
