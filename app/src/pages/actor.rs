//! `/actors/{id}`: an authority or target, how often the record names it, and as a target
//! its standing with each authority over time (restricted, eased, no measure in force)
//! as a band, with each change listed and linked to the event that made it. Complete as
//! HTML: a reader's page.

use crate::domain::actor_identifier::ActorIdentifiers;
use crate::domain::target_status::{AuthorityStatus, StatusSpan, TargetStatus};
use crate::domain::url_query::query_string;
use crate::domain::FuzzyDate;
use crate::pages::{ErrorNotice, NotFound};
use crate::server_fns::record::{load_actor, ActorOverview};
use chrono::{Datelike, Duration, NaiveDate};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

/// Changes listed per authority under the band (the latest); the band draws them all.
const LISTED_CHANGES: usize = 30;
/// The band's drawing width, in its own units.
const BAND_WIDTH: f64 = 1000.0;
const ROW_HEIGHT: f64 = 22.0;

#[component]
pub fn ActorPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let actor = Resource::new(id, load_actor);
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match actor.await {
                    Ok(Some(overview)) => view! { <ActorView overview /> }.into_any(),
                    Ok(None) => view! { <NotFound /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ActorView(overview: ActorOverview) -> impl IntoView {
    let ActorOverview {
        profile,
        status,
        today,
    } = overview;
    let name = profile.actor.name.clone();
    let timeline = |field: &str| format!("/?{}", query_string([(field, name.as_str())]));
    let named = match (profile.as_authority, profile.as_target) {
        (0, 0) => "No published event names it yet.".to_owned(),
        (a, t) => format!(
            "Named as the authority of {} and as the target of {}.",
            count(a, "event", "events"),
            count(t, "event", "events")
        ),
    };
    let description = format!("{name}: {named}");
    view! {
        <Title text=name.clone() />
        <Meta name="description" content=description />
        <article class="actor-page">
            <h1>{name.clone()}</h1>
            <p class="actor-counts">{named}</p>
            <p class="actor-links">
                <a href=timeline("actor")>"Every event naming it, on the timeline"</a>
                {(profile.as_target > 0).then(|| view! {
                    " · " <a href=timeline("target")>"Only the measures against it"</a>
                })}
            </p>
            <Identifiers id=profile.actor.id identifiers=profile.identifiers />
            {status.map(|status| view! { <Standings status today /> })}
        </article>
    }
}

/// Where other databases know it, linked; and where editors set that.
#[component]
fn Identifiers(id: i64, identifiers: ActorIdentifiers) -> impl IntoView {
    let ActorIdentifiers {
        wikidata,
        opensanctions,
    } = identifiers;
    let none = wikidata.is_none() && opensanctions.is_none();
    view! {
        <dl class="actor-identifiers">
            {wikidata.map(|q| view! {
                <dt>"Wikidata"</dt>
                <dd><a href=q.url() rel="external">{q.to_string()}</a></dd>
            })}
            {opensanctions.map(|o| view! {
                <dt>"OpenSanctions"</dt>
                <dd><a href=o.url() rel="external">{o.to_string()}</a></dd>
            })}
        </dl>
        <p class="hint">
            {none.then_some("No Wikidata item or OpenSanctions entity is recorded for it yet. ")}
            <a href=format!("/actors/{id}/edit")>"Editors: set its identifiers"</a>
        </p>
    }
}

/// "1 event", "12 events": a count with its noun.
fn count(n: i64, one: &str, many: &str) -> String {
    match n {
        1 => format!("1 {one}"),
        n => format!("{n} {many}"),
    }
}

/// The band (one row per authority) and, under it, each row's changes as a list.
#[component]
fn Standings(status: TargetStatus, today: NaiveDate) -> impl IntoView {
    let Some((first, last)) = status.extent() else {
        return view! {
            <section class="standing" aria-labelledby="standing-h">
                <h2 id="standing-h">"Standing over time"</h2>
                <p class="hint">"None of the measures against it has a date it took effect."</p>
            </section>
        }
        .into_any();
    };
    // Open spans run to today (and past a change dated later), so "still in force"
    // shows as running on.
    let pad = Duration::days(((last - first).num_days() / 40).max(15));
    let scale = Scale {
        first,
        end: last.max(today) + pad,
    };
    let height = ROW_HEIGHT * status.rows.len() as f64;
    let rows = status.rows.clone();
    let note = match (status.truncated, status.other_authorities) {
        (true, _) => Some(format!(
            "Drawn from its first {} measures; later ones are not drawn.",
            status.measures
        )),
        (false, 0) => None,
        (false, n) => Some(format!(
            "{n} more authorities with fewer measures against it are not drawn."
        )),
    };
    let label = format!(
        "{}'s standing with {} over time, {} to {}: {}",
        status.target.name,
        count(status.rows.len() as i64, "authority", "authorities"),
        FuzzyDate::day(first),
        FuzzyDate::day(last),
        status
            .rows
            .iter()
            .map(|r| format!(
                "{}, {}{}",
                r.authority,
                r.spans
                    .last()
                    .map_or("no measure", |s| s.standing.label())
                    .to_lowercase(),
                match r.uncertain.len() {
                    0 => String::new(),
                    n => format!(
                        " ({} when a measure dated only to its month or year may not be in force)",
                        count(n as i64, "period", "periods")
                    ),
                }
            ))
            .collect::<Vec<_>>()
            .join("; ")
    );
    view! {
        <section class="standing" aria-labelledby="standing-h">
            <h2 id="standing-h">"Standing over time"</h2>
            <p class="hint">
                "With each authority: " <span class="swatch standing-restricted"></span> " restricted, "
                <span class="swatch standing-eased"></span> " eased (a licence or exemption in force), "
                <span class="swatch standing-ended"></span> " no measure in force. A measure counts from the first day it may be in force until the day it is certainly out of force; "
                <span class="swatch standing-uncertain"></span> " shaded where a measure dated only to its month or year may or may not be in force."
            </p>
            <div class="standing-band">
                <ul class="standing-rows" aria-hidden="true">
                    {status.rows.iter().map(|r| view! { <li>{r.authority.clone()}</li> }).collect_view()}
                </ul>
                <div class="standing-plot">
                    <svg role="img" aria-label=label viewBox=format!("0 0 {BAND_WIDTH} {height}") preserveAspectRatio="none" height=height>
                        {rows.into_iter().enumerate().map(|(i, row)| {
                            let y = format!("{:.1}", ROW_HEIGHT * i as f64 + 2.0);
                            let h = format!("{:.1}", ROW_HEIGHT - 4.0);
                            let AuthorityStatus { authority, spans, uncertain, .. } = row;
                            let drawn = spans.into_iter().map(|span| {
                                let x = scale.x(span.from);
                                let w = (scale.x(span.until.unwrap_or(scale.end)) - x).max(1.5);
                                let tip = format!("{authority}: {}", span_text(&span));
                                view! {
                                    <a href=span.because.permalink()>
                                        <rect class=format!("standing-{}", span.standing.as_str())
                                            x=format!("{x:.1}") y=y.clone() width=format!("{w:.1}") height=h.clone()>
                                            <title>{tip}</title>
                                        </rect>
                                    </a>
                                }
                            }).collect_view();
                            // Shaded over the spans, not a link: the span under it is one.
                            let shaded = uncertain.into_iter().map(|u| {
                                let x = scale.x(u.from);
                                let w = (scale.x(u.until) - x).max(1.5);
                                view! {
                                    <rect class="standing-uncertain" x=format!("{x:.1}") y=y.clone()
                                        width=format!("{w:.1}") height=h.clone() />
                                }
                            }).collect_view();
                            (drawn, shaded)
                        }).collect_view()}
                    </svg>
                    <div class="standing-years" aria-hidden="true">
                        {scale.years().into_iter().map(|(year, x)| view! {
                            <span style=format!("left: {:.2}%", x / BAND_WIDTH * 100.0)>{year}</span>
                        }).collect_view()}
                    </div>
                </div>
            </div>
            {note.map(|n| view! { <p class="hint">{n}</p> })}
            {status.rows.into_iter().map(|row| view! { <AuthorityChanges row /> }).collect_view()}
        </section>
    }
    .into_any()
}

/// One authority's changes, the latest last.
#[component]
fn AuthorityChanges(row: AuthorityStatus) -> impl IntoView {
    let hidden = row.spans.len().saturating_sub(LISTED_CHANGES);
    let measures = count(row.measures as i64, "measure", "measures");
    view! {
        <section class="standing-authority">
            <h3>{row.authority.clone()} <span class="count">" (" {measures} ")"</span></h3>
            {(hidden > 0).then(|| view! {
                <p class="hint">{format!("{hidden} earlier changes are drawn above, not listed.")}</p>
            })}
            <ol class="standing-changes">
                {row.spans.into_iter().skip(hidden).map(|span| {
                    let standing = span.standing;
                    let href = span.because.permalink();
                    let why = if span.by_ending { "ended: " } else { "took effect: " };
                    view! {
                        <li data-standing=standing.as_str()>
                            <time datetime=span.from.to_string()>{FuzzyDate::day(span.from).to_string()}</time>
                            " "
                            <span class=format!("standing-label standing-{}", standing.as_str())>{standing.label()}</span>
                            " — " {why} <a href=href>{span.because.title.clone()}</a>
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    }
}

fn span_text(span: &StatusSpan) -> String {
    let until = span
        .until
        .map(|d| format!(" until {}", FuzzyDate::day(d)))
        .unwrap_or_default();
    format!(
        "{} from {}{until} ({} in force; {})",
        span.standing.label(),
        FuzzyDate::day(span.from),
        span.in_force,
        span.because.title
    )
}

/// Days to the band's x.
struct Scale {
    first: NaiveDate,
    end: NaiveDate,
}

impl Scale {
    fn x(&self, day: NaiveDate) -> f64 {
        let total = (self.end - self.first).num_days().max(1) as f64;
        let at = (day - self.first)
            .num_days()
            .clamp(0, (self.end - self.first).num_days());
        at as f64 / total * BAND_WIDTH
    }

    /// Year labels, at most about ten, at each labelled year's first day.
    fn years(&self) -> Vec<(i32, f64)> {
        let (a, b) = (self.first.year() + 1, self.end.year());
        let step = ((b - a) / 10 + 1).max(1);
        (a..=b)
            .step_by(step as usize)
            .filter_map(|y| NaiveDate::from_ymd_opt(y, 1, 1).map(|d| (y, self.x(d))))
            .collect()
    }
}
