//! `/?as_recorded=YYYY-MM-DD`: the published record as it stood at the end of a past day,
//! drawn on the timeline and listed in date order, with a banner saying so. Each event
//! links to its permalink as of that day; the filters work as on the timeline (all but
//! "in force on").

use super::timeline::{by_year_and_month, thousands, timeline_url_in};
use crate::components::timeline::{first_window_query, InteractiveTimeline, TimelineUrl};
use crate::components::EventLine;
use crate::domain::as_recorded::{AsRecorded, RecordedDay, RecordedEvent, Then};
use crate::domain::filter::RawEventFilter;
use crate::domain::timeline::{Lanes, TimelineWindow};
use crate::domain::url_query::query_string;
use crate::domain::EventKind;
use crate::pages::ErrorNotice;
use crate::server_fns::record::{load_as_recorded, load_window};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

/// The timeline's address for this filter, as recorded on `day` (`None`: as it is now).
fn address(raw: &RawEventFilter, day: Option<RecordedDay>) -> String {
    let mut pairs = raw.query_pairs();
    if let Some(day) = day {
        pairs.push(("as_recorded", day.day().to_string()));
    }
    match pairs.is_empty() {
        true => "/".to_owned(),
        false => format!("/?{}", query_string(pairs)),
    }
}

#[component]
pub fn AsRecordedPage(day: String) -> impl IntoView {
    let query = use_query_map();
    let raw = move || query.with(|q| RawEventFilter::from_query(|k| q.get(k)));
    let timeline_url = move || query.with(|q| timeline_url_in(q, false));
    let page = Resource::new(
        move || (day.clone(), raw()),
        |(day, raw)| load_as_recorded(day, raw),
    );
    let first_window = Resource::new(move || first_window_query(&timeline_url()), load_window);
    view! {
        <Title text="The record as it was" />
        <Meta name="robots" content="noindex" />
        <h1>"The record as it was"</h1>
        <Suspense fallback=|| view! { <p class="loading">"Rebuilding the record…"</p> }>
            {move || {
                let (raw, url) = (raw(), timeline_url());
                Suspend::new(async move {
                    // An error shows in the timeline, which asks again.
                    let first = first_window.await.ok();
                    match page.await {
                        Ok(answer) => view! { <RecordedList answer raw url first /> }.into_any(),
                        Err(error) => view! {
                            <ErrorNotice error />
                            <p><a href="/">"The record as it is now"</a></p>
                        }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// The banner, the filters, the timeline drawn as the record then stood, and its events
/// in date order.
#[component]
fn RecordedList(
    answer: AsRecorded,
    raw: RawEventFilter,
    url: TimelineUrl,
    first: Option<TimelineWindow>,
) -> impl IntoView {
    let lanes = url.lanes();
    let view = RwSignal::new(url.view());
    let day = answer.day;
    let label = day.label();
    let first_page = raw.at_cursor(None);
    let now = address(&first_page, None);
    let next = answer
        .next_cursor
        .as_deref()
        .map(|c| address(&raw.at_cursor(Some(c.to_owned())), Some(day)));
    let total = match answer.total {
        n if answer.more => format!("More than {} published events match.", thousands(n)),
        0 => "No published event matches.".to_owned(),
        1 => "1 published event matches.".to_owned(),
        n => format!("{} published events match.", thousands(n)),
    };
    let changed = match answer.changed_since {
        0 => "None of them has been edited since.".to_owned(),
        1 => "1 of them has been edited since and is shown as it then stood.".to_owned(),
        n => format!(
            "{} of them have been edited since and are shown as they then stood.",
            thousands(n)
        ),
    };
    let not_kept = (answer.not_kept > 0).then(|| {
        format!(
            " {} loaded without a revision and edited since: the version {} then is not kept, so {} left out.",
            match answer.not_kept {
                1 => "1 event was".to_owned(),
                n => format!("{} events were", thousands(n)),
            },
            if answer.not_kept == 1 { "it had" } else { "they had" },
            if answer.not_kept == 1 { "it is" } else { "they are" },
        )
    });
    view! {
        <div class="as-recorded-banner" role="note">
            <p>
                <strong>"The record as published at the end of " <time datetime=day.day().to_string()>{label.clone()}</time> " (UTC). "</strong>
                "Events added since are left out; " {changed} {not_kept}
            </p>
            <p><a href=now>"See the record as it is now"</a></p>
        </div>
        <RecordedFilters raw=first_page day lanes />
        <InteractiveTimeline url facets=None view first />
        <h2 id="list">"Events in date order, as recorded on " {label}</h2>
        <p class="count" aria-live="polite">{total}</p>
        {by_year_and_month(answer.events, |e| e.event.date, move |e| view! { <RecordedLine recorded=e day /> })}
        {next.map(|href| view! { <p class="more"><a href=href rel="next">"Later events →"</a></p> })}
    }
}

/// One event as recorded: its line links to its permalink as of the same day.
#[component]
fn RecordedLine(recorded: RecordedEvent, day: RecordedDay) -> impl IntoView {
    let RecordedEvent { event, then } = recorded;
    let href = format!("{}?as_recorded={}", event.permalink(), day.day());
    let note = match then {
        Then::Unchanged => None,
        Then::Version(v) => Some(format!(" (as it then stood: version {v}; edited since)")),
    };
    view! { <EventLine event href note /> }
}

/// The filters as a GET form that keeps the day; the actor filters the timeline set are
/// kept as they are.
#[component]
fn RecordedFilters(raw: RawEventFilter, day: RecordedDay, lanes: Lanes) -> impl IntoView {
    let kind = raw.kind.clone().unwrap_or_default();
    let kept = [
        ("actor", raw.actor.clone()),
        ("authority", raw.authority.clone()),
        ("target", raw.target.clone()),
    ];
    view! {
        <form class="filters" method="get" action="/" role="search">
            <div class="field">
                <label for="r-as_recorded">"As recorded on"</label>
                <input type="date" id="r-as_recorded" name="as_recorded" value=day.day().to_string() required=true />
            </div>
            <div class="field">
                <label for="r-q">"Search"</label>
                <input type="search" id="r-q" name="q" value=raw.q.clone().unwrap_or_default() />
            </div>
            <div class="field">
                <label for="r-kind">"Kind"</label>
                <select name="kind" id="r-kind">
                    <option value="" selected=kind.is_empty()>"Any"</option>
                    {EventKind::ALL.iter().map(|k| view! {
                        <option value=k.as_str() selected=kind == k.as_str()>{k.label()}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="r-from">"From"</label>
                <input type="date" id="r-from" name="from" value=raw.from.clone().unwrap_or_default() />
            </div>
            <div class="field">
                <label for="r-to">"To"</label>
                <input type="date" id="r-to" name="to" value=raw.to.clone().unwrap_or_default() />
            </div>
            <div class="field">
                <label for="r-lanes">"Lanes"</label>
                <select name="lanes" id="r-lanes">
                    // Steps are drawn from the record as it is now (the window refuses them).
                    {Lanes::ALL.iter().filter(|l| **l != Lanes::Lifecycle).map(|l| view! {
                        <option value=l.as_str() selected=*l == lanes>{l.label()}</option>
                    }).collect_view()}
                </select>
            </div>
            {kept.into_iter().filter_map(|(name, value)| {
                let value = value.filter(|v| !v.trim().is_empty())?;
                Some(view! { <input type="hidden" name=name value=value /> })
            }).collect_view()}
            <button type="submit">"Show"</button>
        </form>
    }
}

/// A page the record of that day cannot show (an event, a source): 404, and why.
#[component]
pub fn NotInRecord(label: String, now_href: String, why: &'static str) -> impl IntoView {
    crate::pages::set_status(404);
    view! {
        <Title text="Not in the record that day" />
        <Meta name="robots" content="noindex" />
        <section class="not-found">
            <h1>"Not in the record of " {label}</h1>
            <p>{why}</p>
            <p><a href=now_href>"This address as it is now"</a> " · " <a href="/">"The whole timeline"</a></p>
        </section>
    }
}

/// "30 June 2019" for a page's `?as_recorded=` day; empty when it is no day (the server
/// function refuses it, and the page shows that error instead).
pub fn day_label(day: &str) -> String {
    crate::domain::dates::parse_iso_day(day.trim())
        .map(|d| crate::domain::FuzzyDate::day(d).to_string())
        .unwrap_or_default()
}

/// The banner over an event's or a source's page of a past day: the same now (no
/// `then`), or the version `then` (number, when saved), edited since or (not
/// `published_now`) withdrawn.
#[component]
pub fn RecordedBanner(
    label: String,
    /// "event" or "source".
    noun: &'static str,
    #[prop(optional)] then: Option<(i32, chrono::DateTime<chrono::Utc>)>,
    now_href: String,
    #[prop(default = true)] published_now: bool,
) -> impl IntoView {
    match then {
        None => view! {
            <p class="as-recorded-banner" role="note">
                <strong>"As published at the end of " {label} " (UTC). "</strong>
                {format!("This {noun} has not been edited since: it reads the same now.")}
            </p>
        }
        .into_any(),
        Some((version, saved_at)) => view! {
            <p class="as-recorded-banner" role="note">
                <strong>"As published at the end of " {label} " (UTC): "</strong>
                {format!("version {version}, saved {}. ", saved_at.format("%-d %B %Y"))}
                {if published_now {
                    view! { "It has been edited since: " <a href=now_href>"see it as it is now"</a> "." }.into_any()
                } else {
                    "It has since been withdrawn from the record.".into_any()
                }}
            </p>
        }
        .into_any(),
    }
}
