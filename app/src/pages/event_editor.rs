//! `/events/new` and `/events/{id}/edit`: the event form beside the source it cites.
//! Selecting a passage in the source text makes it the quote; saving an edit names the
//! version it was made on, and a stale one shows the other change without losing this one.

use crate::app::use_signed_in;
use crate::components::actor_picker::ActorPicker;
use crate::components::FieldError;
use crate::domain::account::Role;
use crate::domain::event_form::{Editable, EventForm};
use crate::domain::legal_act::LegalActKind;
use crate::domain::lifecycle::LifecycleStep;
use crate::domain::relative_date::resolve;
use crate::domain::source_form::FieldErrors;
use crate::domain::{ActorRole, Citation, EventKind, EventStatus, Relation, RelationKind};
use crate::pages::{EditorsOnly, ErrorNotice, NotFound};
use crate::server_fns::events::{
    citable_sources, editable_event, CreateEvent, EventOutcome, SetEventStatus, UpdateEvent,
};
use crate::server_fns::record::load_source;
use crate::server_fns::session::SignedIn;
use crate::server_fns::AppError;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn NewEventPage() -> impl IntoView {
    let me = use_signed_in();
    let sources = Resource::new(|| (), |_| citable_sources());
    view! {
        <Title text="Add an event" />
        <h1>"Add an event"</h1>
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let (me, sources) = (me.await, sources.await);
                only_editors("/events/new").show(me, |signed_in| {
                    let sources = sources?;
                    Ok(view! { <EventEditor me=signed_in existing=None sources /> }.into_any())
                })
            })}
        </Suspense>
    }
}

#[component]
pub fn EditEventPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("key").unwrap_or_default());
    let me = use_signed_in();
    let event = Resource::new(id, editable_event);
    let sources = Resource::new(|| (), |_| citable_sources());
    view! {
        <Title text="Edit an event" />
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || {
                let gate = only_editors(format!("/events/{}/edit", id()));
                Suspend::new(async move {
                    let (me, event, sources) = (me.await, event.await, sources.await);
                    gate.show(me, |signed_in| Ok(match event? {
                        Some(existing) => {
                            let sources = sources?;
                            view! {
                                <h1>"Edit: " {existing.snapshot.draft.title.clone()}</h1>
                                <EventEditor me=signed_in existing=Some(existing) sources />
                            }.into_any()
                        }
                        None => view! { <NotFound /> }.into_any(),
                    }))
                })
            }}
        </Suspense>
    }
}

fn only_editors(next: impl Into<String>) -> EditorsOnly {
    EditorsOnly::editors("Only editors add and change events.", next)
}

/// The passage chosen in the source pane, in the browser's UTF-16 offsets.
#[derive(Debug, Clone, Default, PartialEq)]
struct Picked {
    source: String,
    exact: String,
    start: usize,
    end: usize,
    /// The source's publication date: what a relative date in the passage counts from.
    published: Option<chrono::NaiveDate>,
}

#[component]
fn EventEditor(
    me: SignedIn,
    existing: Option<Editable>,
    sources: Vec<crate::domain::SourceRef>,
) -> impl IntoView {
    let csrf = me.csrf_token.clone();
    let is_admin = me.editor.may(Role::Admin);
    let create = ServerAction::<CreateEvent>::new();
    let update = ServerAction::<UpdateEvent>::new();
    let set_status = ServerAction::<SetEventStatus>::new();
    let version = RwSignal::new(existing.as_ref().map(|e| e.version).unwrap_or(0));
    let status = RwSignal::new(
        existing
            .as_ref()
            .map(|e| e.snapshot.status)
            .unwrap_or(EventStatus::Draft),
    );
    let picked = RwSignal::new(Picked::default());
    // What the panel under the form reports: the answer to the save made last, whichever
    // of the three forms made it (an old "Saved" must not hide a newer conflict).
    let last = RwSignal::new(None::<usize>);
    for (i, dispatched) in [create.version(), update.version(), set_status.version()]
        .into_iter()
        .enumerate()
    {
        Effect::new(move |seen: Option<usize>| {
            let now = dispatched.get();
            if seen.is_some_and(|seen| seen != now) {
                last.set(Some(i));
            }
            now
        });
    }
    let outcome = Memo::new(move |_| match last.get() {
        Some(0) => create.value().get(),
        Some(1) => update.value().get(),
        Some(_) => set_status.value().get(),
        None => None,
    });
    let errors = Memo::new(move |_| match outcome.get() {
        Some(Ok(EventOutcome::Invalid(e))) => e,
        _ => FieldErrors::default(),
    });
    // Every successful save moves the form to the version it produced.
    for action_value in [create.value(), update.value(), set_status.value()] {
        Effect::new(move || {
            if let Some(Ok(EventOutcome::Saved {
                version: v,
                status: now,
                ..
            })) = action_value.get()
            {
                version.set(v);
                status.set(now);
            }
        });
    }
    Effect::new(move || {
        if let Some(Ok(EventOutcome::Saved { href, .. })) = create.value().get() {
            let _ = window().location().set_href(&href);
        }
    });
    let cited = Cited {
        citations: RwSignal::new(
            existing
                .as_ref()
                .map(|e| e.citations.clone())
                .unwrap_or_default(),
        ),
        relations: RwSignal::new(
            existing
                .as_ref()
                .map(|e| e.relations.clone())
                .unwrap_or_default(),
        ),
        removals: Removing::default(),
    };
    let removals = cited.removals;
    let id = existing.as_ref().map(|e| e.id.0);
    // After a saved edit, the passages and relations are read again: what was added
    // shows, what was removed goes.
    Effect::new(move || {
        if let (Some(Ok(EventOutcome::Saved { .. })), Some(id)) = (update.value().get(), id) {
            picked.set(Picked::default());
            spawn_local(async move {
                if let Ok(Some(now)) = editable_event(id.to_string()).await {
                    cited.take_over(now.citations, now.relations);
                }
            });
        }
    });
    let initial = existing
        .as_ref()
        .map(|e| e.snapshot.draft.to_form())
        .unwrap_or_default();
    let fields = event_fields(initial, errors, picked);
    let form_csrf = csrf.clone();
    let form = match id {
        None => view! {
            <ActionForm action=create attr:class="editor-form" attr:id="event-form">
                <input type="hidden" name="csrf" value=form_csrf />
                {fields}
                <button type="submit" disabled=move || create.pending().get()>"Save as draft"</button>
            </ActionForm>
        }
        .into_any(),
        Some(id) => view! {
            <ActionForm action=update attr:class="editor-form" attr:id="event-form">
                <input type="hidden" name="csrf" value=form_csrf />
                <input type="hidden" name="id" value=id.to_string() />
                <input type="hidden" name="version" value=move || version.get().to_string() />
                <input type="hidden" name="form[remove_citations]"
                    value=move || removals.citations.with(|c| c.iter().map(i64::to_string).collect::<Vec<_>>().join(" ")) />
                <input type="hidden" name="form[remove_relations]"
                    value=move || removals.relations.with(|r| r.join(" ")) />
                {fields}
                <button type="submit" disabled=move || update.pending().get()>"Save changes"</button>
            </ActionForm>
        }
        .into_any(),
    };
    let permalink = existing.as_ref().map(|e| e.permalink.clone());
    view! {
        <div class="event-editor">
            <div class="event-editor-form">
                {id.map(|id| view! {
                    <p class="event-state">
                        "Status: "<strong data-status=move || status.get().as_str()>{move || status.get().label()}</strong>
                        " · version "<span class="version">{move || version.get()}</span>
                        {permalink.clone().map(|p| view! { " · " <a href=p>"permalink"</a> })}
                        " · " <a href=format!("/events/{id}/history")>"history"</a>
                    </p>
                    {is_admin.then(|| view! { <StatusButtons action=set_status csrf=csrf.clone() id version status /> })}
                    {(!is_admin).then(|| view! {
                        <p class="hint review-note" hidden=move || status.get() != EventStatus::Published>
                            "Readers see this event: your changes go to an admin for review before they do."
                        </p>
                    })}
                })}
                {form}
                <Outcome outcome version status cited />
                <CitedAndRelated cited errors />
            </div>
            <SourcePane picked sources />
        </div>
    }
}

fn event_fields(
    initial: EventForm,
    errors: Memo<FieldErrors>,
    picked: RwSignal<Picked>,
) -> impl IntoView {
    let text = move |name: &'static str, label: &'static str, value: String, hint: &'static str| {
        view! {
            <div class="field">
                <label for=format!("ev-{name}")>{label}</label>
                <input id=format!("ev-{name}") type="text" name=format!("form[{name}]") value=value
                    placeholder=hint aria-describedby=format!("ev-{name}-error") />
                <FieldError errors field=name prefix="ev-" />
            </div>
        }
    };
    // The date and its phrase can also be filled from a relative date in the passage. They
    // stay plain inputs (not bound to a signal), so what is typed before the page hydrates
    // is kept.
    let filled = move |name: &'static str,
                       label: &'static str,
                       value: String,
                       input: NodeRef<leptos::html::Input>,
                       hint: &'static str| {
        view! {
            <div class="field">
                <label for=format!("ev-{name}")>{label}</label>
                <input id=format!("ev-{name}") type="text" name=format!("form[{name}]") value=value
                    node_ref=input placeholder=hint aria-describedby=format!("ev-{name}-error") />
                <FieldError errors field=name prefix="ev-" />
            </div>
        }
    };
    let date = NodeRef::<leptos::html::Input>::new();
    let date_phrase = NodeRef::<leptos::html::Input>::new();
    let kind = initial.kind.clone();
    let act_kind = initial.legal_act_kind.clone();
    let lifecycle_fields = LifecycleStep::ALL
        .iter()
        .map(|&step| {
            let value = initial.step_value(step).to_owned();
            text(step.field(), step.label(), value, "")
        })
        .collect_view();
    view! {
        {text("title", "Title", initial.title, "")}
        <div class="field-row">
            {filled("date", "Date (YYYY-MM-DD, or YYYY-MM / YYYY when only the month or year is known)", initial.date, date, "2019-05-16")}
            {text("end", "End date, for a measure that runs for a time (optional)", initial.end, "")}
        </div>
        {filled("date_phrase", "The source's own words for the date (optional)", initial.date_phrase, date_phrase, "seks uger efter")}
        <div class="field">
            <label for="ev-kind">"What happened"</label>
            <select id="ev-kind" name="form[kind]" aria-describedby="ev-kind-error">
                <option value="" selected=kind.is_empty()>"Choose…"</option>
                {EventKind::ALL.iter().map(|k| view! {
                    <option value=k.as_str() selected=kind == k.as_str()>{k.label()}</option>
                }).collect_view()}
            </select>
            <FieldError errors field="kind" prefix="ev-" />
        </div>
        <ActorPicker field="authorities" role=ActorRole::Authority label="Imposed or changed by"
            placeholder="US Department of Commerce" initial=initial.authorities errors />
        <ActorPicker field="targets" role=ActorRole::Target label="Aimed at"
            placeholder="Huawei" initial=initial.targets errors />
        {text("legal_instrument", "Legal instrument (optional)", initial.legal_instrument, "Entity List, 15 CFR 744")}
        <div class="field-row">
            <div class="field">
                <label for="ev-legal_act_kind">"Official identifier of the act (optional)"</label>
                <select id="ev-legal_act_kind" name="form[legal_act_kind]" aria-describedby="ev-legal_act_kind-error">
                    <option value="" selected=act_kind.is_empty()>"None"</option>
                    {LegalActKind::ALL.iter().map(|k| view! {
                        <option value=k.as_str() selected=act_kind == k.as_str()>{format!("{} (like {})", k.label(), k.example())}</option>
                    }).collect_view()}
                </select>
                <FieldError errors field="legal_act_kind" prefix="ev-" />
            </div>
            {text("legal_act_id", "Identifier", initial.legal_act_id, "2019-10616")}
        </div>
        <fieldset class="lifecycle">
            <legend>"The measure's dates (optional)"</legend>
            <p class="hint">"Each as YYYY-MM-DD, or YYYY-MM / YYYY when only the month or year is known. Cite the sentence that states one by choosing it under “Cited passage”."</p>
            <div class="lifecycle-fields">
                {lifecycle_fields}
            </div>
        </fieldset>
        <div class="field">
            <label for="ev-summary">"Summary"</label>
            <textarea id="ev-summary" name="form[summary]" rows="4" aria-describedby="ev-summary-error">{initial.summary}</textarea>
            <FieldError errors field="summary" prefix="ev-" />
        </div>
        <fieldset class="relation">
            <legend>"Bears on another event (optional)"</legend>
            <div class="field-row">
                <div class="field">
                    <label for="ev-relation_kind">"This event"</label>
                    <select id="ev-relation_kind" name="form[relation_kind]" aria-describedby="ev-relation_kind-error">
                        {RelationKind::ALL.iter().map(|k| view! {
                            <option value=k.as_str()>{k.label()}</option>
                        }).collect_view()}
                    </select>
                    <FieldError errors field="relation_kind" prefix="ev-" />
                </div>
                {text("relation_to", "the event with number or permalink", String::new(), "42 or https://…/events/42-…")}
            </div>
        </fieldset>
        <div class="field quote-field">
            <span class="label">"Cited passage"</span>
            <input type="hidden" name="form[quote_source]" value=move || picked.with(|p| p.source.clone()) />
            <input type="hidden" name="form[quote_exact]" value=move || picked.with(|p| p.exact.clone()) />
            <input type="hidden" name="form[quote_start]" value=move || picked.with(|p| p.start.to_string()) />
            <input type="hidden" name="form[quote_end]" value=move || picked.with(|p| p.end.to_string()) />
            <p class="picked" aria-live="polite">{move || picked.with(|p| if p.exact.is_empty() {
                "Select the sentence that reports the event in the source on the right.".to_owned()
            } else {
                format!("“{}”", p.exact)
            })}</p>
            <div class="field">
                <label for="ev-quote_states">"What this passage states"</label>
                <select id="ev-quote_states" name="form[quote_states]" aria-describedby="ev-quote_states-error">
                    <option value="">"The event itself"</option>
                    {LifecycleStep::ALL.iter().map(|k| view! {
                        <option value=k.as_str()>{format!("The date: {}", k.stated_as())}</option>
                    }).collect_view()}
                </select>
                <FieldError errors field="quote_states" prefix="ev-" />
            </div>
            <div class="date-proposal" aria-live="polite">
                {move || {
                    let found = picked.with(|p| p.published.and_then(|d| resolve(&p.exact, d)))?;
                    let (iso, phrase) = (found.date.iso(), found.phrase.clone());
                    Some(view! {
                        <p>
                            "The passage dates it: " <strong>{found.date.to_string()}</strong>
                            {found.approximate.then_some(" (about)")}
                            " — " <span class="reasoning">{found.reasoning}</span> " "
                            <button type="button" on:click=move |_| {
                                if let Some(input) = date.get_untracked() {
                                    input.set_value(&iso);
                                }
                                if let Some(input) = date_phrase.get_untracked() {
                                    input.set_value(&phrase);
                                }
                            }>"Use this date"</button>
                        </p>
                    })
                }}
            </div>
            <FieldError errors field="quote" prefix="ev-" />
        </div>
        <div class="field">
            <label for="ev-comment">"Comment for the history"</label>
            <input id="ev-comment" type="text" name="comment" />
        </div>
    }
}

/// What the next save takes away: citation numbers and `kind:event` relation tokens.
#[derive(Clone, Copy)]
struct Removing {
    citations: RwSignal<Vec<i64>>,
    relations: RwSignal<Vec<String>>,
}

impl Default for Removing {
    fn default() -> Self {
        Removing {
            citations: RwSignal::new(Vec::new()),
            relations: RwSignal::new(Vec::new()),
        }
    }
}

fn toggle<T: PartialEq + Send + Sync + 'static>(list: RwSignal<Vec<T>>, item: T, on: bool) {
    list.update(|l| {
        l.retain(|x| *x != item);
        if on {
            l.push(item);
        }
    });
}

/// The event's passages and relations as this page shows them, and what the next save
/// takes away from them.
#[derive(Clone, Copy)]
struct Cited {
    citations: RwSignal<Vec<Citation>>,
    relations: RwSignal<Vec<Relation>>,
    removals: Removing,
}

impl Cited {
    /// Shows the event's passages and relations as they now are; nothing stays ticked.
    fn take_over(&self, citations: Vec<Citation>, relations: Vec<Relation>) {
        self.citations.set(citations);
        self.relations.set(relations);
        self.removals.citations.set(Vec::new());
        self.removals.relations.set(Vec::new());
    }
}

/// The passages the event cites and the relations it states, each with a box to take it
/// away with the next save.
#[component]
fn CitedAndRelated(cited: Cited, errors: Memo<FieldErrors>) -> impl IntoView {
    let Cited {
        citations,
        relations,
        removals,
    } = cited;
    view! {
        <section class="related-already" hidden=move || relations.with(Vec::is_empty)>
            <h2>"Related events"</h2>
            <ul>
                <For each=move || relations.get() key=|r| (r.kind, r.outgoing, r.event.id) let:r>
                    {
                        let token = format!("{}:{}", r.kind.as_str(), r.event.id.0);
                        let marked = {
                            let token = token.clone();
                            move || removals.relations.with(|l| l.contains(&token))
                        };
                        let struck = marked.clone();
                        view! {
                            <li class:to-remove=struck>
                                {r.phrase()}" "<a href=r.event.permalink()>{r.event.title.clone()}</a>
                                {if r.outgoing {
                                    view! {
                                        <label class="remove-toggle">
                                            <input type="checkbox" prop:checked=marked
                                                on:change=move |ev| toggle(removals.relations, token.clone(), event_target_checked(&ev)) />
                                            " Remove when saving"
                                        </label>
                                    }.into_any()
                                } else {
                                    view! { <span class="hint">" (stated by that event: edit it there)"</span> }.into_any()
                                }}
                            </li>
                        }
                    }
                </For>
            </ul>
            <FieldError errors field="relations" prefix="ev-" />
        </section>
        <section class="cited-already" hidden=move || citations.with(Vec::is_empty)>
            <h2>"Cited passages"</h2>
            <ul>
                <For each=move || citations.get() key=|c| (c.id.0, c.needs_review) let:c>
                    {
                        let id = c.id.0;
                        let marked = move || removals.citations.with(|l| l.contains(&id));
                        view! {
                            <li class:needs-review=c.needs_review class:to-remove=marked>
                                <q>{c.quote.exact.clone()}</q>
                                {c.states.map(|s| view! { <span class="states">" (the date: "{s.stated_as()}")"</span> })}
                                " — "{c.source.title.clone()}" "
                                <a href=format!("/sources/{}/edit", c.source.id.0)>"edit the source"</a>
                                {c.needs_review.then(|| view! {
                                    <strong class="review-flag">" Needs review: the source text changed and this passage could not be placed again."</strong>
                                })}
                                <label class="remove-toggle">
                                    <input type="checkbox" prop:checked=marked
                                        on:change=move |ev| toggle(removals.citations, id, event_target_checked(&ev)) />
                                    " Remove when saving"
                                </label>
                            </li>
                        }
                    }
                </For>
            </ul>
            <FieldError errors field="citations" prefix="ev-" />
        </section>
    }
}

#[component]
fn StatusButtons(
    action: ServerAction<SetEventStatus>,
    csrf: String,
    id: i64,
    version: RwSignal<i32>,
    status: RwSignal<EventStatus>,
) -> impl IntoView {
    let button = move |to: EventStatus, label: &'static str| {
        let csrf = csrf.clone();
        view! {
            <ActionForm action attr:class="status-form">
                <input type="hidden" name="csrf" value=csrf />
                <input type="hidden" name="id" value=id.to_string() />
                <input type="hidden" name="version" value=move || version.get().to_string() />
                <input type="hidden" name="status" value=to.as_str() />
                <button type="submit" hidden=move || status.get() == to
                    disabled=move || action.pending().get()>{label}</button>
            </ActionForm>
        }
    };
    view! {
        <div class="status-buttons">
            {button(EventStatus::Published, "Publish")}
            {button(EventStatus::Draft, "Back to draft")}
            {button(EventStatus::Archived, "Archive")}
        </div>
    }
}

#[component]
fn Outcome(
    outcome: Memo<Option<Result<EventOutcome, AppError>>>,
    version: RwSignal<i32>,
    status: RwSignal<EventStatus>,
    cited: Cited,
) -> impl IntoView {
    move || match outcome.get() {
        Some(Ok(EventOutcome::Saved { version, .. })) => view! {
            <p class="saved" role="status">{format!("Saved (version {version}).")}</p>
        }
        .into_any(),
        Some(Ok(EventOutcome::Pending { href })) => view! {
            <p class="saved pending" role="status">
                "Saved as a change for review: an admin will approve it before readers see it. "
                <a href=href>"See it in the history"</a>
            </p>
        }
        .into_any(),
        Some(Ok(EventOutcome::Invalid(_))) => view! {
            <p class="error" role="alert">"Some fields need attention; nothing was saved."</p>
        }
        .into_any(),
        Some(Ok(EventOutcome::Conflict(current))) => {
            view! { <Conflict current=*current version status cited /> }.into_any()
        }
        Some(Err(error)) => view! { <ErrorNotice error /> }.into_any(),
        None => ().into_any(),
    }
}

/// Someone saved first: their version, beside the form that still holds this editor's.
/// The editor merges by hand, then may save over theirs on purpose (it stays in the
/// history), or reload to start again from their version.
#[component]
fn Conflict(
    current: Editable,
    version: RwSignal<i32>,
    status: RwSignal<EventStatus>,
    cited: Cited,
) -> impl IntoView {
    let theirs = current.version;
    let (their_citations, their_relations) = (current.citations, current.relations);
    let their_status = current.snapshot.status;
    let rebased = move || version.get() == theirs;
    let d = current.snapshot.draft;
    view! {
        <section class="conflict" role="alert">
            <h2>"Someone else changed this event while you were editing"</h2>
            <p>{format!(
                "Nothing of yours was saved. The event is now at version {theirs} ({}); your text is still in the form. \
                 Compare and merge what you need, then save your text over theirs (their version stays in the history), \
                 or reload the page to start again from theirs.",
                their_status.label()
            )}</p>
            <dl>
                <dt>"Title"</dt><dd class="their-title">{d.title}</dd>
                <dt>"Date"</dt><dd>{d.date.to_string()}{d.end.map(|e| format!(" – {e}"))}</dd>
                <dt>"What happened"</dt><dd>{d.kind.label()}</dd>
                <dt>"Imposed by"</dt><dd>{d.authorities.join(", ")}</dd>
                <dt>"Aimed at"</dt><dd>{d.targets.join(", ")}</dd>
                <dt>"Legal instrument"</dt><dd>{d.legal_instrument.unwrap_or_default()}</dd>
                <dt>"Official identifier"</dt><dd>{d.legal_act.map(|a| a.citation()).unwrap_or_default()}</dd>
                <dt>"Summary"</dt><dd>{d.summary}</dd>
                <dt>"Cited passages"</dt><dd>{current.snapshot.cited.join(" · ")}</dd>
            </dl>
            <button type="button" class="rebase" disabled=rebased
                on:click=move |_| {
                    version.set(theirs);
                    status.set(their_status);
                    // Passages and relations as they now are, so what is ticked for removal
                    // refers to rows that exist.
                    cited.take_over(their_citations.clone(), their_relations.clone());
                }>
                {format!("Keep my text: the next save replaces version {theirs}")}
            </button>
            <p class="hint" aria-live="polite">{move || rebased().then(|| format!(
                "Your next save replaces version {theirs}: press “Save changes” when the form says what you want."
            ))}</p>
        </section>
    }
}

/// A source's text to select the quote from. The text is one run of characters, exactly
/// as stored, so a selection's offsets are offsets into the stored text.
#[component]
fn SourcePane(picked: RwSignal<Picked>, sources: Vec<crate::domain::SourceRef>) -> impl IntoView {
    let chosen = RwSignal::new(String::new());
    // Fetched when the editor chooses, in the browser only: nothing here to hydrate.
    let text = RwSignal::new(None::<Result<Option<crate::domain::SourceDetail>, String>>);
    let choose = move |id: String| {
        chosen.set(id.clone());
        text.set(None);
        if !id.is_empty() {
            leptos::task::spawn_local(async move {
                let loaded = load_source(id.clone()).await.map_err(|e| e.to_string());
                // A slower answer for an earlier choice must not replace a later one.
                if chosen.get_untracked() == id {
                    text.set(Some(loaded));
                }
            });
        }
    };
    let pane = NodeRef::<leptos::html::Div>::new();
    let on_select = move || {
        if let Some(p) = selection_in(pane) {
            let published = text.with_untracked(|t| match t {
                Some(Ok(Some(s))) => Some(s.source.published_on),
                _ => None,
            });
            picked.set(Picked {
                source: chosen.get_untracked(),
                published,
                ..p
            });
        }
    };
    // Effects run only in the browser, once this part listens to input: the mark
    // browser tests wait for before choosing.
    let listening = RwSignal::new(false);
    Effect::new(move || listening.set(true));
    view! {
        <aside class="source-pane">
            <label for="ev-source">"Source"</label>
            <select id="ev-source" data-listening=move || listening.get().then_some("")
                on:change=move |ev| choose(event_target_value(&ev))>
                <option value="">"Choose the article that reports the event…"</option>
                {sources.into_iter().map(|s| view! {
                    <option value=s.id.0.to_string()>
                        {format!("{} — {}, {}", s.title, s.publisher, s.published_on)}
                    </option>
                }).collect_view()}
            </select>
            <p class="hint"><a href="/sources/new" target="_blank">"Add a source"</a>" if it is not listed."</p>
            {move || match text.get() {
                Some(Ok(Some(s))) => view! {
                    <div class="source-text" node_ref=pane lang=s.source.language.as_str().to_owned()
                        data-source-id=s.source.id.0 on:mouseup=move |_| on_select() on:keyup=move |_| on_select()>
                        {s.body}
                    </div>
                }.into_any(),
                Some(Ok(None)) => view! { <p class="error">"That source is gone."</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error">{e}</p> }.into_any(),
                None if !chosen.get().is_empty() => view! { <p class="loading">"Loading the text…"</p> }.into_any(),
                None => ().into_any(),
            }}
        </aside>
    }
}

/// The current selection if it lies inside `pane`: its text without surrounding white
/// space, and where that starts and ends in UTF-16 units from the start of the pane.
fn selection_in(pane: NodeRef<leptos::html::Div>) -> Option<Picked> {
    let pane = pane.get_untracked()?;
    let selection = window().get_selection().ok()??;
    if selection.range_count() == 0 || selection.is_collapsed() {
        return None;
    }
    let range = selection.get_range_at(0).ok()?;
    let pane_node: &web_sys::Node = pane.as_ref();
    if !pane_node.contains(Some(&range.common_ancestor_container().ok()?)) {
        return None;
    }
    let before = document().create_range().ok()?;
    before.select_node_contents(pane_node).ok()?;
    before
        .set_end(&range.start_container().ok()?, range.start_offset().ok()?)
        .ok()?;
    let start = String::from(before.to_string()).encode_utf16().count();
    let text = String::from(range.to_string());
    let trimmed_start = text.trim_start();
    let lead = text.len() - trimmed_start.len();
    let exact = trimmed_start.trim_end();
    if exact.is_empty() {
        return None;
    }
    let start = start + text[..lead].encode_utf16().count();
    let end = start + exact.encode_utf16().count();
    Some(Picked {
        source: String::new(),
        exact: exact.to_owned(),
        start,
        end,
        published: None,
    })
}
