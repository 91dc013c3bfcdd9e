//! `/events/{id}/history` and `/sources/{id}/history`: every revision, newest first, with
//! what changed; admins restore an old revision as a new one.

use crate::app::use_signed_in;
use crate::domain::account::Role;
use crate::history::{FieldChange, ProposalView, RestoreOutcome, RevisionView};
use crate::pages::{EditorsOnly, ErrorNotice, NotFound};
use crate::server_fns::history::{load_history, RestoreRevision};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn HistoryPage(entity: &'static str) -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("key").or_else(|| p.get("id")).unwrap_or_default());
    let me = use_signed_in();
    let history = Resource::new(id, move |id| load_history(entity.to_owned(), id));
    let restore = ServerAction::<RestoreRevision>::new();
    Effect::new(move || {
        if let Some(Ok(RestoreOutcome::Restored { .. })) = restore.value().get() {
            history.refetch();
        }
    });
    view! {
        <Title text="History" />
        // Outside the list: the list reloads after a restore, the message stays.
        {move || match restore.value().get() {
            Some(Ok(RestoreOutcome::Restored { version })) => Some(view! {
                <p class="saved" role="status">{format!("Restored as version {version}.")}</p>
            }.into_any()),
            Some(Ok(RestoreOutcome::Conflict)) => Some(view! {
                <p class="error" role="alert">"It was changed meanwhile; reload and try again."</p>
            }.into_any()),
            Some(Err(error)) => Some(view! { <ErrorNotice error /> }.into_any()),
            None => None,
        }}
        <Suspense fallback=|| view! { <p class="loading">"Loading the history…"</p> }>
            {move || {
                let gate = EditorsOnly::editors("Only editors see the history.", format!("/{entity}s/{}/history", id()));
                Suspend::new(async move {
                    let (me, history) = (me.await, history.await);
                    gate.show(me, |signed_in| Ok(match history? {
                        Some(h) => {
                            let admin = signed_in.editor.may(Role::Admin);
                            let csrf = signed_in.csrf_token;
                            let newest = h.revisions.first().map(|r| r.version);
                            view! {
                                <h1>"History: " {h.title.clone()}</h1>
                                <p><a href=h.href.clone()>"Back to it"</a></p>
                                {(!h.proposals.is_empty()).then(|| view! {
                                    <section class="proposals">
                                        <h2>"Proposed changes not applied"</h2>
                                        {admin.then(|| view! {
                                            <p><a href="/review">"Review the changes waiting"</a></p>
                                        })}
                                        <ul>
                                            {h.proposals.clone().into_iter().map(|p| view! { <Proposal proposal=p /> }).collect_view()}
                                        </ul>
                                    </section>
                                })}
                                {h.revisions.is_empty().then(|| view! {
                                    <p>"No revisions are recorded: it was loaded before editors changed it."</p>
                                })}
                                <ol class="revisions" reversed>
                                    {h.revisions.into_iter().map(|r| {
                                        let restorable = admin && Some(r.version) != newest;
                                        let csrf = csrf.clone();
                                        let form = restorable.then(move || view! {
                                            <ActionForm action=restore attr:class="restore-form">
                                                <input type="hidden" name="csrf" value=csrf />
                                                <input type="hidden" name="entity" value=entity />
                                                <input type="hidden" name="id" value=h.id.to_string() />
                                                <input type="hidden" name="version" value=r.version.to_string() />
                                                <button type="submit">{format!("Restore version {}", r.version)}</button>
                                            </ActionForm>
                                        });
                                        view! { <Revision revision=r /> {form} }
                                    }).collect_view()}
                                </ol>
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
fn Revision(revision: RevisionView) -> impl IntoView {
    let RevisionView {
        version,
        author,
        at,
        comment,
        changes,
    } = revision;
    view! {
        <li class="revision" data-version=version>
            <p class="revision-meta">
                <strong>{format!("Version {version}")}</strong>" · "{author}" · "<time>{at}</time>
                {(!comment.is_empty()).then(|| view! { " · “"{comment}"”" })}
            </p>
            {if changes.is_empty() {
                view! { <p class="hint">"No field changed."</p> }.into_any()
            } else {
                view! {
                    <dl class="changes">
                        {changes.into_iter().map(|c| view! { <Change change=c /> }).collect_view()}
                    </dl>
                }.into_any()
            }}
        </li>
    }
}

/// A change an editor proposed that did not go live: waiting, or rejected and why.
#[component]
fn Proposal(proposal: ProposalView) -> impl IntoView {
    let ProposalView {
        state,
        author,
        at,
        comment,
        base_version,
        decided_by,
        decided_at,
        reason,
    } = proposal;
    let label = if state == "rejected" {
        "Rejected proposal"
    } else {
        "Awaiting review"
    };
    view! {
        <li class="proposal" data-state=state.clone()>
            <p class="revision-meta">
                <strong>{label}</strong>" · "{author}" · "<time>{at}</time>
                {(!comment.is_empty()).then(|| view! { " · “"{comment}"”" })}
                {format!(" · made on version {base_version}")}
            </p>
            {(state == "rejected").then(|| view! {
                <p class="rejection">
                    "Rejected by "{decided_by.unwrap_or_default()}" "<time>{decided_at.unwrap_or_default()}</time>
                    {reason.map(|r| view! { ": “"<span class="reason">{r}</span>"”" })}
                </p>
            })}
        </li>
    }
}

#[component]
pub(crate) fn Change(change: FieldChange) -> impl IntoView {
    let FieldChange {
        field,
        before,
        after,
        lines,
    } = change;
    let body = if lines.is_empty() {
        view! {
            <dd>
                {before.map(|b| view! { <del>{b}</del> })}
                {after.map(|a| view! { " " <ins>{a}</ins> })}
            </dd>
        }
        .into_any()
    } else {
        view! {
            <dd>
                <pre class="diff">
                    {lines.into_iter().map(|l| {
                        view! { <span class=l.class()>{l.shown()}"\n"</span> }
                    }).collect_view()}
                </pre>
            </dd>
        }
        .into_any()
    };
    view! { <dt>{field}</dt> {body} }
}
