//! `/actors/{id}/edit`: an editor sets where other databases know an actor (its Wikidata
//! item, its OpenSanctions entity), pasting the id or the page's address.

use crate::app::use_signed_in;
use crate::components::FieldError;
use crate::domain::actor_identifier::IdentifiersForm;
use crate::domain::source_form::FieldErrors;
use crate::pages::{EditorsOnly, ErrorNotice, NotFound};
use crate::server_fns::actors::{IdentifiersOutcome, SaveActorIdentifiers};
use crate::server_fns::record::load_actor;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn EditActorPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let me = use_signed_in();
    let actor = Resource::new(id, load_actor);
    view! {
        <Title text="Edit an actor's identifiers" />
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || {
                let gate = EditorsOnly::editors("Only editors change an actor's identifiers.", format!("/actors/{}/edit", id()));
                Suspend::new(async move {
                    let (me, actor) = (me.await, actor.await);
                    gate.show(me, |signed_in| Ok(match actor? {
                        Some(overview) => {
                            let current = IdentifiersForm::from(&overview.profile.identifiers);
                            view! {
                                <h1>"Identifiers of " {overview.profile.actor.name.clone()}</h1>
                                <IdentifiersEditor csrf=signed_in.csrf_token id=overview.profile.actor.id current />
                            }.into_any()
                        }
                        None => view! { <NotFound /> }.into_any(),
                    }))
                })
            }}
        </Suspense>
    }
}

#[component]
fn IdentifiersEditor(csrf: String, id: i64, current: IdentifiersForm) -> impl IntoView {
    let action = ServerAction::<SaveActorIdentifiers>::new();
    let errors = Memo::new(move |_| match action.value().get() {
        Some(Ok(IdentifiersOutcome::Invalid(e))) => e,
        _ => FieldErrors::default(),
    });
    // After a save the form's "was" is what was saved, so a second save is no conflict.
    let was = RwSignal::new(current.clone());
    Effect::new(move || {
        if let Some(Ok(IdentifiersOutcome::Saved(saved))) = action.value().get() {
            was.set(saved);
        }
    });
    let page = format!("/actors/{id}");
    let field = move |name: &'static str,
                      label: &'static str,
                      value: String,
                      placeholder: &'static str,
                      hint: &'static str| {
        view! {
            <div class="field">
                <label for=format!("actor-{name}")>{label}</label>
                <input id=format!("actor-{name}") type="text" name=format!("form[{name}]") value=value
                    placeholder=placeholder aria-describedby=format!("{name}-error {name}-hint") />
                <FieldError errors field=name prefix="" />
                <p class="hint" id=format!("{name}-hint")>{hint}</p>
            </div>
        }
    };
    view! {
        <p class="event-state"><a href=page.clone()>"The actor as readers see it"</a></p>
        <ActionForm action attr:class="editor-form">
            <input type="hidden" name="csrf" value=csrf />
            <input type="hidden" name="id" value=id.to_string() />
            <input type="hidden" name="was[wikidata]" value=move || was.get().wikidata />
            <input type="hidden" name="was[opensanctions]" value=move || was.get().opensanctions />
            {field("wikidata", "Wikidata item", current.wikidata,
                "Q160120 or https://www.wikidata.org/wiki/Q160120",
                "The item for this government, body or company. Leave empty if none is confirmed.")}
            {field("opensanctions", "OpenSanctions entity", current.opensanctions,
                "NK-… or https://www.opensanctions.org/entities/…",
                "For a target listed in a sanctions database: its entity on opensanctions.org.")}
            <button type="submit" disabled=move || action.pending().get()>"Save the identifiers"</button>
        </ActionForm>
        {move || match action.value().get() {
            Some(Ok(IdentifiersOutcome::Saved(_))) => {
                let page = page.clone();
                view! {
                    <p class="saved" role="status">"Saved. " <a href=page>"See the actor's page"</a></p>
                }.into_any()
            }
            Some(Ok(IdentifiersOutcome::Invalid(_))) => view! {
                <p class="error" role="alert">"Some fields need attention; nothing was saved."</p>
            }.into_any(),
            Some(Err(error)) => view! { <ErrorNotice error /> }.into_any(),
            None => ().into_any(),
        }}
    }
}
