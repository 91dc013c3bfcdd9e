//! Small pieces every page shows the same way: dates at their precision, kinds, actors.

pub mod actor_picker;
pub mod timeline;

use crate::domain::source_form::FieldErrors;
use crate::domain::{ActorRef, EventKind, EventSummary, FuzzyDate};
use leptos::prelude::*;

/// The server's message for one field of a form, where `aria-describedby` of the field
/// points (`{prefix}{field}-error`, e.g. `ev-title-error`); nothing while the field is fine.
#[component]
pub fn FieldError(
    errors: Memo<FieldErrors>,
    field: &'static str,
    /// The form's prefix of ids: `ev-` for events, `acct-` for accounts, none for sources.
    prefix: &'static str,
) -> impl IntoView {
    move || {
        errors.with(|e| e.get(field).map(str::to_owned)).map(|m| {
            view! { <span class="field-error" id=format!("{prefix}{field}-error")>{m}</span> }
        })
    }
}

/// A date (and end date) at its precision, machine-readable in `datetime`.
#[component]
pub fn DateText(
    date: FuzzyDate,
    #[prop(optional_no_strip)] end: Option<FuzzyDate>,
) -> impl IntoView {
    view! {
        <time datetime=date.iso()>{date.to_string()}</time>
        {end.map(|end| view! { " – " <time datetime=end.iso()>{end.to_string()}</time> })}
    }
}

#[component]
pub fn KindBadge(kind: EventKind) -> impl IntoView {
    view! { <span class=format!("kind kind-{}", kind.as_str())>{kind.label()}</span> }
}

/// The actors' names, each linked to its page (in a new tab from an embed).
fn names(actors: Vec<ActorRef>, new_tab: bool) -> impl IntoView {
    let last = actors.len().saturating_sub(1);
    actors
        .into_iter()
        .enumerate()
        .map(|(i, a)| {
            let href = a.href();
            view! {
                <a class="actor" href=href target=new_tab.then_some("_blank") rel=new_tab.then_some("noopener")>{a.name}</a>
                {(i < last).then_some(", ")}
            }
        })
        .collect_view()
}

/// An event's date (or span) and kind, above its title.
#[component]
pub fn EventMeta(
    date: FuzzyDate,
    #[prop(optional_no_strip)] end: Option<FuzzyDate>,
    kind: EventKind,
) -> impl IntoView {
    view! { <p class="event-meta"><DateText date end /> " " <KindBadge kind /></p> }
}

/// "US Department of Commerce → Huawei": who acted on whom, each linked to its page
/// (`new_tab` where the page is another site's frame).
#[component]
pub fn Actors(
    authorities: Vec<ActorRef>,
    targets: Vec<ActorRef>,
    #[prop(optional)] new_tab: bool,
) -> impl IntoView {
    let has_targets = !targets.is_empty();
    view! {
        <span class="actors">
            {(!authorities.is_empty()).then(|| view! { <span class="authority" title="Imposed by">{names(authorities, new_tab)}</span> })}
            {has_targets.then(|| view! {
                <span class="arrow" aria-label="on">" → "</span>
                <span class="target" title="Target">{names(targets, new_tab)}</span>
            })}
        </span>
    }
}

/// One event as a line of a list: date, kind, title (linked to its permalink, or to
/// `href`), actors, and a `note` on how the event shown differs from the record now.
#[component]
pub fn EventLine(
    event: EventSummary,
    #[prop(optional)] href: Option<String>,
    #[prop(optional_no_strip)] note: Option<String>,
) -> impl IntoView {
    let href = href.unwrap_or_else(|| event.permalink());
    let edited_since = note.is_some();
    view! {
        <li class="event-line" class:edited-since=edited_since data-kind=event.kind.as_str() data-event-id=event.id.0>
            <DateText date=event.date end=event.end />
            " "
            <KindBadge kind=event.kind />
            " "
            <a class="event-title" href=href>{event.title}</a>
            " "
            <Actors authorities=event.authorities targets=event.targets />
            {note.map(|n| view! { <span class="then">{n}</span> })}
        </li>
    }
}
