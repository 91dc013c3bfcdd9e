//! `/`: every published event in date order, grouped by year and month, with filters
//! that work as a plain GET form (no JavaScript needed).

use crate::components::timeline::layout::Span;
use crate::components::timeline::{
    first_window_query, view_param, InteractiveTimeline, TimelineUrl,
};
use crate::components::{DateText, EventLine, KindBadge};
use crate::domain::embed::Embed;
use crate::domain::filter::RawEventFilter;
use crate::domain::in_force::InForce;
use crate::domain::timeline::{Facets, Lanes, RawTimelineQuery};
use crate::domain::url_query::{query_string, with_query};
use crate::domain::{DatePrecision, EventKind, EventPage, FuzzyDate};
use crate::pages::as_recorded::AsRecordedPage;
use crate::pages::embed::EmbedButton;
use crate::pages::ErrorNotice;
use crate::server_fns::record::{
    load_facets, load_site_address, load_timeline, load_window, Listing,
};
use chrono::Datelike;
use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};
use leptos_router::hooks::use_query_map;
use leptos_router::params::ParamsMap;

/// Items of one year, by month; `None` holds those known only to the year.
struct YearGroup<T> {
    year: i32,
    months: Vec<(Option<String>, Vec<T>)>,
}

/// Items in date order grouped by year, then month.
fn group<T>(items: Vec<T>, date: impl Fn(&T) -> FuzzyDate) -> Vec<YearGroup<T>> {
    let mut years: Vec<YearGroup<T>> = Vec::new();
    for e in items {
        let d = date(&e);
        let year = d.date.year();
        let month =
            (d.precision != DatePrecision::Year).then(|| format!("{} {}", d.month_name(), year));
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

/// Items in date order as the lists show them: a heading per year, then per month (or
/// "Sometime in 2019"), each item drawn by `line`.
pub(super) fn by_year_and_month<T, V>(
    items: Vec<T>,
    date: impl Fn(&T) -> FuzzyDate,
    line: impl Fn(T) -> V + Copy + 'static,
) -> impl IntoView
where
    T: 'static,
    V: IntoView + 'static,
{
    view! {
        <ol class="timeline-list">
            {group(items, date).into_iter().map(|y| {
                let year = y.year;
                view! {
                    <li class="year">
                        <h2 id=format!("y{year}")>{year}</h2>
                        {y.months.into_iter().map(|(month, items)| view! {
                            <section class="month">
                                <h3>{month.unwrap_or_else(|| format!("Sometime in {year}"))}</h3>
                                <ul class="events">{items.into_iter().map(line).collect_view()}</ul>
                            </section>
                        }).collect_view()}
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}

fn query_with_cursor(raw: &RawEventFilter, cursor: &str) -> String {
    let next = raw.at_cursor(Some(cursor.to_owned()));
    format!("/?{}", query_string(next.query_pairs()))
}

#[component]
pub fn TimelinePage() -> impl IntoView {
    let query = use_query_map();
    let as_recorded =
        Memo::new(move |_| query.with(|q| q.get("as_recorded").filter(|d| !d.trim().is_empty())));
    move || match as_recorded.get() {
        Some(day) => view! { <AsRecordedPage day /> }.into_any(),
        None => view! { <CurrentTimeline /> }.into_any(),
    }
}

/// The view's events to take away: downloads of every event it selects, and feeds of its
/// changes and dates.
#[component]
fn Downloads(raw: RawEventFilter) -> impl IntoView {
    let query = raw.selection_query();
    let at = |path: &str| with_query(path, &query);
    view! {
        <Link rel="alternate" type_="application/atom+xml" title="Latest changes (Atom)" href=at("/feeds/events.atom") />
        <p class="downloads">
            "Every event of this view: "
            <a href=at("/exports/events.csv") download="">"Download CSV"</a> " · "
            <a href=at("/exports/events.ndjson") download="">"Download JSON"</a>
            " (one event per line) · "
            <a href=at("/exports/events.ftm.json") download="">"FollowTheMoney"</a>
            " (sanctions and their targets, for OpenSanctions and Aleph). Follow it: "
            <a href=at("/feeds/events.atom") type="application/atom+xml">"Atom feed"</a> " · "
            <a href=at("/feeds/events.ics") type="text/calendar">"Calendar (iCal)"</a>
        </p>
    }
}

/// The record as it is now: the interactive timeline and the list under it.
#[component]
fn CurrentTimeline() -> impl IntoView {
    let query = use_query_map();
    let raw = move || query.with(|q| RawEventFilter::from_query(|k| q.get(k)));
    let timeline_url = move || query.with(|q| timeline_url_in(q, false));
    let page = Resource::new(raw, load_timeline);
    let facets = Resource::new(move || timeline_url().query.filter, load_facets);
    let first_window = Resource::new(move || first_window_query(&timeline_url()), load_window);
    let site = Resource::new(|| (), |_| load_site_address());

    view! {
        <Title text="" />
        <Meta name="description" content="A dated, sourced timeline of trade-sanction events, each tied to the exact passages of its sources." />
        <h1>"Timeline"</h1>
        <Suspense fallback=|| view! { <p class="loading">"Loading the timeline…"</p> }>
            {move || {
                let url = timeline_url();
                Suspend::new(async move {
                    let facets = facets.await.ok();
                    // An error shows in the timeline, which asks again.
                    let first = first_window.await.ok();
                    let site = site.await.unwrap_or_default();
                    let view = RwSignal::new(url.view());
                    let embed = embed_of(url.clone(), view);
                    view! {
                        <FilterForm url=url.clone() facets=facets.clone() view />
                        <InteractiveTimeline url facets view first embed_site=site.clone() />
                        <EmbedButton embed site />
                    }
                })
            }}
        </Suspense>
        <Suspense fallback=|| view! { <p class="loading">"Loading the list…"</p> }>
            {move || {
                let raw = raw();
                Suspend::new(async move {
                match page.await {
                    Ok(Listing::Dated(page)) => view! { <DatedList page raw /> }.into_any(),
                    Ok(Listing::InForce(answer)) => view! { <InForceList answer /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })
            }}
        </Suspense>
        {move || view! { <Downloads raw=raw() /> }}
    }
}

/// What the page's URL says of the timeline; `embedded` when it is drawn in another
/// site's frame.
pub(super) fn timeline_url_in(q: &ParamsMap, embedded: bool) -> TimelineUrl {
    TimelineUrl {
        query: RawTimelineQuery {
            start: q.get("start"),
            end: q.get("end"),
            lanes: q.get("lanes"),
            as_recorded: q.get("as_recorded").filter(|d| !d.trim().is_empty()),
            filter: RawEventFilter {
                limit: None,
                cursor: None,
                ..RawEventFilter::from_query(|k| q.get(k))
            },
        },
        selected: q.get("selected").and_then(|s| s.parse().ok()),
        embedded,
    }
}

/// The embed of the view on screen: its filter, lanes and window as they are now. (The
/// readers' bundle keeps the page's snippet in step with it.)
pub(crate) fn embed_of(url: TimelineUrl, view: RwSignal<Option<Span>>) -> Signal<Embed> {
    let url = TimelineUrl {
        embedded: true,
        ..url
    };
    Signal::derive(move || Embed::timeline(url.href(view.get(), url.lanes(), None)))
}

fn with_count(label: &str, count: Option<i64>) -> String {
    match count {
        Some(n) => format!("{label} ({})", thousands(n)),
        None => label.to_owned(),
    }
}

/// 100000 → "100,000".
pub(super) fn thousands(n: i64) -> String {
    let digits = n.abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

/// The filters as a GET form: the URL is the state, so a filtered view can be shared.
/// Each choice shows how many events it would match.
#[component]
fn FilterForm(
    url: TimelineUrl,
    facets: Option<Facets>,
    view: RwSignal<Option<Span>>,
) -> impl IntoView {
    let raw = url.query.filter.clone();
    let facets = facets.unwrap_or_default();
    let kind = raw.kind.clone().unwrap_or_default();
    let lanes = url.lanes();
    let kind_count = |k: EventKind| {
        facets
            .kinds
            .iter()
            .find(|(x, _)| *x == k)
            .map(|(_, n)| *n)
            .unwrap_or(0)
    };
    let actor_select = |name: &'static str,
                        label: &'static str,
                        current: Option<String>,
                        counts: Vec<(String, i64)>| {
        let current = current.unwrap_or_default();
        let listed = counts.iter().any(|(n, _)| *n == current);
        view! {
            <div class="field">
                <label for=format!("f-{name}")>{label}</label>
                <select name=name id=format!("f-{name}")>
                    <option value="" selected=current.is_empty()>"Any"</option>
                    {(!current.is_empty() && !listed).then(|| view! {
                        <option value=current.clone() selected=true>{current.clone()}</option>
                    })}
                    {counts.into_iter().map(|(n, c)| view! {
                        <option value=n.clone() selected=n == current>{with_count(&n, Some(c))}</option>
                    }).collect_view()}
                </select>
            </div>
        }
    };
    view! {
        <form class="filters" method="get" action="/" role="search">
            <div class="field">
                <label for="f-q">"Search"</label>
                <input type="search" id="f-q" name="q" value=raw.q.clone().unwrap_or_default() placeholder="Huawei, Entity List…" />
            </div>
            <div class="field">
                <label for="f-kind">"Kind"</label>
                <select name="kind" id="f-kind">
                    <option value="" selected=kind.is_empty()>"Any"</option>
                    {EventKind::ALL.iter().map(|k| view! {
                        <option value=k.as_str() selected=kind == k.as_str()>{with_count(k.label(), Some(kind_count(*k)))}</option>
                    }).collect_view()}
                </select>
            </div>
            {actor_select("authority", "Authority", raw.authority.clone(), facets.authorities.clone())}
            {actor_select("target", "Target", raw.target.clone(), facets.targets.clone())}
            <div class="field">
                <label for="f-from">"From"</label>
                <input type="date" id="f-from" name="from" value=raw.from.clone().unwrap_or_default() />
            </div>
            <div class="field">
                <label for="f-to">"To"</label>
                <input type="date" id="f-to" name="to" value=raw.to.clone().unwrap_or_default() />
            </div>
            <div class="field">
                <label for="f-in_force">"In force on"</label>
                <input type="date" id="f-in_force" name="in_force" value=raw.in_force.clone().unwrap_or_default() />
            </div>
            <div class="field">
                <label for="f-as_recorded">"As recorded on"</label>
                <input type="date" id="f-as_recorded" name="as_recorded" value="" />
            </div>
            <div class="field">
                <label for="f-lanes">"Lanes"</label>
                <select name="lanes" id="f-lanes">
                    {Lanes::ALL.iter().map(|l| view! {
                        <option value=l.as_str() selected=*l == lanes>{l.label()}</option>
                    }).collect_view()}
                </select>
            </div>
            <input type="hidden" name="start" value=move || view_param(view.get(), true) />
            <input type="hidden" name="end" value=move || view_param(view.get(), false) />
            <button type="submit">"Filter"</button>
            <a href="/" class="reset">"Clear"</a>
            <p class="matches" aria-live="polite">{match facets.total { 1 => "1 event matches".to_string(), n => format!("{} events match", thousands(n)) }}</p>
        </form>
    }
}

/// Published events in date order, by year and month, a page at a time.
#[component]
fn DatedList(page: EventPage, raw: RawEventFilter) -> impl IntoView {
    let next = page
        .next_cursor
        .as_deref()
        .map(|c| query_with_cursor(&raw, c));
    let count = page.events.len();
    view! {
        <h2 id="list">"Events in date order"</h2>
        <p class="count" aria-live="polite">
            {match count { 0 => "No events match.".to_string(), 1 => "1 event".to_string(), n => format!("{n} events") }}
        </p>
        {by_year_and_month(page.events, |e| e.date, |e| view! { <EventLine event=e /> })}
        {next.map(|href| view! { <p class="more"><a href=href rel="next">"Later events →"</a></p> })}
    }
}

/// The measures in force on a day, by target and authority, each with its dates, how sure
/// the record is, and a link to the passage that states when it came into force.
#[component]
fn InForceList(answer: InForce) -> impl IntoView {
    let day = answer.day;
    let shown = answer.measures.len() as i64;
    let count = match answer.total {
        0 => "No measure that matches was in force that day.".to_owned(),
        1 => "1 measure in force.".to_owned(),
        n if n > shown => format!(
            "{}{} measures in force; the {shown} latest to take effect are listed: narrow the filter to see the others.",
            if answer.more { "More than " } else { "" },
            thousands(n)
        ),
        n => format!("{} measures in force.", thousands(n)),
    };
    let day_label = FuzzyDate::day(day).to_string();
    view! {
        <h2 id="list">"In force on " <time datetime=day.to_string()>{day_label}</time></h2>
        <p class="count" aria-live="polite">{count}</p>
        <div class="in-force">
            {answer.by_target().into_iter().map(|(target, by_authority)| view! {
                <section class="in-force-target">
                    <h3><a class="actor" href=target.href()>{target.name.clone()}</a></h3>
                    {by_authority.into_iter().map(|(authority, measures)| view! {
                        <h4>"By " <a class="actor" href=authority.href()>{authority.name.clone()}</a></h4>
                        <ul class="measures">
                            {measures.into_iter().map(|m| {
                                let doubt = m.doubt();
                                let uncertain = doubt.is_some();
                                let href = m.evidence_href();
                                let cited = m.evidence.is_some();
                                view! {
                                    <li class="measure" class:uncertain=uncertain data-event-id=m.event.id.0>
                                        <KindBadge kind=m.event.kind />
                                        " " <a href=href>{m.event.title.clone()}</a>
                                        <span class="in-force-dates">
                                            " — in force since " <DateText date=m.since />
                                            {m.until.map(|u| view! { ", until " <DateText date=u /> })}
                                            {cited.then_some(" (as the source states)")}
                                        </span>
                                        {doubt.map(|d| view! { <span class="doubt">" Uncertain: " {d} "."</span> })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }).collect_view()}
                </section>
            }).collect_view()}
        </div>
    }
}
