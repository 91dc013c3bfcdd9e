//! The authority and target fields of the event form: the actors chosen so far as
//! removable chips, and a box that offers existing actors while the editor types (a
//! combobox), or adds the typed name as a new actor. The form field it fills carries one
//! name per line, so a name may hold a comma.

use crate::components::FieldError;
use crate::domain::event_form::{actor_names, join_actor_names, same_actor};
use crate::domain::source_form::FieldErrors;
use crate::domain::{ActorRole, KnownActor};
use crate::server_fns::events::known_actors;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// One chosen actor. `known` is `None` while the server is asked whether the name exists.
#[derive(Debug, Clone, PartialEq)]
struct Chosen {
    name: String,
    known: Option<bool>,
}

/// What the list under the box offers: an existing actor, or the typed name as a new one.
#[derive(Debug, Clone, PartialEq)]
enum Offer {
    Existing(KnownActor),
    New(String),
}

impl Offer {
    fn name(&self) -> &str {
        match self {
            Offer::Existing(a) => &a.name,
            Offer::New(n) => n,
        }
    }
}

#[component]
pub fn ActorPicker(
    /// The form field it fills, and the stem of its element ids: `authorities`, `targets`.
    field: &'static str,
    role: ActorRole,
    label: &'static str,
    placeholder: &'static str,
    /// The field's value as the form was filled (one name per line, or commas).
    initial: String,
    errors: Memo<FieldErrors>,
) -> impl IntoView {
    let chosen = RwSignal::new(
        actor_names(&initial)
            .into_iter()
            .map(|name| Chosen {
                name,
                known: Some(true),
            })
            .collect::<Vec<_>>(),
    );
    let typed = RwSignal::new(String::new());
    let bx = NodeRef::<leptos::html::Input>::new();
    let existing = RwSignal::new(Vec::<KnownActor>::new());
    let open = RwSignal::new(false);
    let active = RwSignal::new(None::<usize>);
    // Answers can arrive out of order; only the newest question's answer is shown.
    let asked = StoredValue::new(0u64);

    let offers = Memo::new(move |_| {
        let typed = typed.with(|t| t.trim().to_owned());
        let mut out: Vec<Offer> = existing
            .get()
            .into_iter()
            .filter(|a| chosen.with(|c| !c.iter().any(|c| same_actor(&c.name, &a.name))))
            .map(Offer::Existing)
            .collect();
        let is_known = existing.with(|e| e.iter().any(|a| same_actor(&a.name, &typed)));
        if !typed.is_empty() && !is_known {
            out.push(Offer::New(typed));
        }
        out
    });
    let ask = move |text: String| {
        asked.update_value(|n| *n += 1);
        let this = asked.get_value();
        spawn_local(async move {
            if let Ok(found) = known_actors(text, role.as_str().to_owned()).await {
                if asked.get_value() == this {
                    existing.set(found);
                    active.set(None);
                }
            }
        });
    };
    let add = move |name: String, known: Option<bool>| {
        let name = name.trim().to_owned();
        typed.set(String::new());
        active.set(None);
        if name.is_empty() || chosen.with(|c| c.iter().any(|c| same_actor(&c.name, &name))) {
            return;
        }
        chosen.update(|c| {
            c.push(Chosen {
                name: name.clone(),
                known,
            })
        });
        if known.is_none() {
            // A typed name: ask whether it exists, and take the record's spelling if so.
            spawn_local(async move {
                let Ok(found) = known_actors(name.clone(), role.as_str().to_owned()).await else {
                    return;
                };
                let same = found.into_iter().find(|a| same_actor(&a.name, &name));
                chosen.update(|c| {
                    if let Some(entry) = c.iter_mut().find(|c| c.name == name) {
                        entry.known = Some(same.is_some());
                        if let Some(a) = same {
                            entry.name = a.name;
                        }
                    }
                });
            });
        }
        ask(String::new());
    };
    let pick = move |offer: Offer| match offer {
        Offer::Existing(a) => add(a.name, Some(true)),
        Offer::New(n) => add(n, None),
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let count = offers.with(Vec::len);
        match ev.key().as_str() {
            "ArrowDown" | "ArrowUp" if count > 0 => {
                ev.prevent_default();
                open.set(true);
                let down = ev.key() == "ArrowDown";
                active.update(|a| {
                    *a = Some(match (*a, down) {
                        (None, true) => 0,
                        (None, false) => count - 1,
                        (Some(i), true) => (i + 1) % count,
                        (Some(i), false) => (i + count - 1) % count,
                    })
                });
            }
            "Enter" => {
                let choice = active
                    .get()
                    .and_then(|i| offers.with(|o| o.get(i).cloned()));
                if choice.is_some() || !typed.with(|t| t.trim().is_empty()) {
                    // Adding a name, not sending the form.
                    ev.prevent_default();
                    match choice {
                        Some(offer) => pick(offer),
                        None => add(typed.get(), None),
                    }
                }
            }
            "Escape" => {
                open.set(false);
                active.set(None);
            }
            "Backspace" if typed.with(String::is_empty) => {
                chosen.update(|c| {
                    c.pop();
                });
            }
            _ => {}
        }
    };
    // The form sends the chips and whatever is still typed in the box.
    let value = move || {
        let mut names: Vec<String> = chosen.with(|c| c.iter().map(|c| c.name.clone()).collect());
        let pending = typed.with(|t| t.trim().to_owned());
        if !pending.is_empty() {
            names.push(pending);
        }
        join_actor_names(&names)
    };
    let input_id = format!("ev-{field}");
    let list_id = format!("ev-{field}-offers");
    let option_id = move |i: usize| format!("ev-{field}-offer-{i}");
    view! {
        <div class="field actor-picker" data-role=role.as_str()>
            <label for=input_id.clone()>{label}</label>
            <ul class="chosen-actors" aria-label=format!("{label}: chosen")>
                <For each=move || chosen.get() key=|c| (c.name.clone(), c.known) let:c>
                    <li class="chip" class:new-actor=c.known == Some(false)>
                        <span class="chip-name">{c.name.clone()}</span>
                        {(c.known == Some(false)).then(|| view! {
                            <span class="chip-new" title="Not in the record yet: saving adds it">" new"</span>
                        })}
                        <button type="button" class="chip-remove" aria-label=format!("Remove {}", c.name)
                            on:click={
                                let name = c.name.clone();
                                move |_| {
                                    chosen.update(|all| all.retain(|x| x.name != name));
                                    // The button is gone with its chip: keep the focus in the field.
                                    if let Some(input) = bx.get_untracked() {
                                        let _ = input.focus();
                                    }
                                }
                            }>"×"</button>
                    </li>
                </For>
            </ul>
            <input type="hidden" name=format!("form[{field}]") value=value />
            <div class="actor-box">
                <input id=input_id node_ref=bx type="text" role="combobox" autocomplete="off"
                    placeholder=move || if chosen.with(Vec::is_empty) { placeholder } else { "Add another…" }
                    aria-autocomplete="list"
                    aria-controls=list_id.clone()
                    aria-expanded=move || (open.get() && offers.with(|o| !o.is_empty())).to_string()
                    aria-activedescendant=move || active.get().map(option_id)
                    aria-describedby=format!("ev-{field}-hint ev-{field}-error")
                    prop:value=move || typed.get()
                    on:input=move |ev| {
                        let text = event_target_value(&ev);
                        typed.set(text.clone());
                        // The highlighted offer was for the old text.
                        active.set(None);
                        open.set(true);
                        ask(text);
                    }
                    on:focus=move |_| {
                        open.set(true);
                        ask(typed.get_untracked());
                    }
                    on:blur=move |_| {
                        open.set(false);
                        active.set(None);
                    }
                    on:keydown=on_key />
                <ul id=list_id class="actor-offers" role="listbox" aria-label=format!("{label}: existing actors")
                    hidden=move || !(open.get() && offers.with(|o| !o.is_empty()))>
                    {move || offers.get().into_iter().enumerate().map(|(i, offer)| {
                        let usage = match &offer {
                            Offer::Existing(a) => a.usage(role),
                            Offer::New(_) => "new actor: saving adds it".to_owned(),
                        };
                        let name = offer.name().to_owned();
                        let is_new = matches!(offer, Offer::New(_));
                        view! {
                            <li id=option_id(i) role="option" class="actor-offer" class:new-actor=is_new
                                aria-selected=move || (active.get() == Some(i)).to_string()
                                // Keep the focus in the box, so its blur does not close the list first.
                                on:mousedown=|ev| ev.prevent_default()
                                on:click=move |_| pick(offer.clone())>
                                <span class="offer-name">{if is_new { format!("Add “{name}”") } else { name }}</span>
                                <span class="offer-usage">{usage}</span>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </div>
            <span class="hint" id=format!("ev-{field}-hint")>
                "Type to pick an existing actor, or a new name and Enter. A name may hold a comma."
            </span>
            <FieldError errors field prefix="ev-" />
        </div>
    }
}
