//! `/changes?from=&to=`: what was imposed, eased, extended, retaliated, lifted or expired
//! between two days, by authority and target. A plain GET form; no JavaScript needed.

use crate::components::{DateText, KindBadge};
use crate::domain::changes::{Change, Changes};
use crate::domain::url_query::query_string;
use crate::domain::FuzzyDate;
use crate::pages::ErrorNotice;
use crate::server_fns::record::load_changes;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

#[component]
pub fn ChangesPage() -> impl IntoView {
    let query = use_query_map();
    let asked = move || query.with(|q| (q.get("from"), q.get("to")));
    let answer = Resource::new(asked, |(from, to)| async move {
        match (&from, &to) {
            (None, None) => None,
            _ => Some(load_changes(from, to).await),
        }
    });
    view! {
        <Title text="What changed" />
        <Meta name="description" content="The sanctions imposed, eased, extended, lifted or expired between two days, by authority and target, each tied to its sources." />
        <h1>"What changed between two days"</h1>
        <form class="filters" method="get" action="/changes">
            <div class="field">
                <label for="c-from">"From"</label>
                <input type="date" id="c-from" name="from" required value=move || asked().0.unwrap_or_default() />
            </div>
            <div class="field">
                <label for="c-to">"To"</label>
                <input type="date" id="c-to" name="to" required value=move || asked().1.unwrap_or_default() />
            </div>
            <button type="submit">"Show the changes"</button>
        </form>
        <Suspense fallback=|| view! { <p class="loading">"Loading the changes…"</p> }>
            {move || Suspend::new(async move {
                match answer.await {
                    None => view! { <p class="hint">"Choose two days to list what changed between them."</p> }.into_any(),
                    Some(Ok(changes)) => view! { <ChangeList changes /> }.into_any(),
                    Some(Err(error)) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ChangeList(changes: Changes) -> impl IntoView {
    let shown = changes.changes.len() as i64;
    let period = format!(
        "{} – {}",
        FuzzyDate::day(changes.from),
        FuzzyDate::day(changes.to)
    );
    let count = match changes.total {
        0 => "No measure changed in this period.".to_owned(),
        1 => "1 change.".to_owned(),
        n if n > shown => format!(
            "{n} changes; the first {shown} are listed: choose a shorter period to see the others."
        ),
        n => format!("{n} changes."),
    };
    let download = format!(
        "/exports/changes.csv?{}",
        query_string([
            ("from", changes.from.to_string()),
            ("to", changes.to.to_string())
        ])
    );
    view! {
        <h2 id="changes">{period}</h2>
        <p class="count" aria-live="polite">{count}</p>
        {(changes.total > 0).then(|| view! {
            <p class="downloads"><a href=download download="">"Download CSV"</a>" (every change in the period, one per row)"</p>
        })}
        <div class="changes">
            {changes.by_authority().into_iter().map(|(authority, by_target)| view! {
                <section class="changes-authority">
                    <h3><a class="actor" href=authority.href()>{authority.name.clone()}</a></h3>
                    {by_target.into_iter().map(|(target, list)| view! {
                        <h4>"On " <a class="actor" href=target.href()>{target.name.clone()}</a></h4>
                        <ul class="measures">
                            {list.into_iter().map(|c| {
                                let what = c.what();
                                let href = c.event.permalink();
                                view! {
                                    <li class="change" data-change=c.change.as_str() data-event-id=c.event.id.0>
                                        <DateText date=c.on /> " "
                                        {match c.change {
                                            Change::TookEffect => view! { <KindBadge kind=c.event.kind /> }.into_any(),
                                            _ => view! { <span class="kind">{what}</span> }.into_any(),
                                        }}
                                        " " <a href=href>{c.event.title.clone()}</a>
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
