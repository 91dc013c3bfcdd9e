//! `/review` (admins only): editors' changes to what readers see, oldest first, each with
//! what it would change; an admin approves one (it goes live as a revision by its editor)
//! or rejects it with a reason.

use crate::app::use_signed_in;
use crate::pages::history::Change;
use crate::pages::{EditorsOnly, ErrorNotice};
use crate::review::{DecideOutcome, PendingView};
use crate::server_fns::review::{review_queue, DecideChange};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ReviewPage() -> impl IntoView {
    let me = use_signed_in();
    let queue = Resource::new(|| (), |_| review_queue());
    let decide = ServerAction::<DecideChange>::new();
    Effect::new(move || {
        if let Some(Ok(DecideOutcome::Approved { .. } | DecideOutcome::Rejected)) =
            decide.value().get()
        {
            queue.refetch();
        }
    });
    view! {
        <Title text="Review changes" />
        <h1>"Changes waiting for review"</h1>
        // Outside the list: the list reloads after a decision, the message stays.
        <DecisionMessage decide />
        <Suspense fallback=|| view! { <p class="loading">"Loading the changes…"</p> }>
            {move || Suspend::new(async move {
                let (me, queue) = (me.await, queue.await);
                EditorsOnly::admins("Only admins review changes.", "/review").show(me, |signed_in| {
                    let changes = queue?;
                    let csrf = signed_in.csrf_token;
                    Ok(view! {
                        {changes.is_empty().then(|| view! {
                            <p class="empty-queue">"Nothing waits for review."</p>
                        })}
                        <ol class="review-queue">
                            {changes.into_iter().map(|c| view! {
                                <PendingChange change=c csrf=csrf.clone() decide />
                            }).collect_view()}
                        </ol>
                    }.into_any())
                })
            })}
        </Suspense>
    }
}

#[component]
fn DecisionMessage(decide: ServerAction<DecideChange>) -> impl IntoView {
    move || {
        match decide.value().get()? {
        Ok(DecideOutcome::Approved { version, href, report }) => {
            let placed = report.map(|r| format!(
                " Cited passages: {} in place, {} moved with their text, {} to check.",
                r.kept, r.moved, r.flagged.len()
            ));
            Some(view! {
                <p class="saved" role="status">
                    {format!("Approved: readers now see version {version}.")}{placed}" "
                    <a href=href>"Open it"</a>
                </p>
            }.into_any())
        }
        Ok(DecideOutcome::Rejected) => Some(view! {
            <p class="saved" role="status">"Rejected: nothing changed for readers."</p>
        }.into_any()),
        Ok(DecideOutcome::Stale { base, current }) => Some(view! {
            <p class="error" role="alert">{format!(
                "Not approved: the change was made on version {base}, and the record is now at version {current}. \
                 It stays pending; reject it, or ask its editor to make it again on the new version."
            )}</p>
        }.into_any()),
        Ok(DecideOutcome::Invalid(errors)) => {
            let each: Vec<String> = errors.0.iter().map(|(f, m)| format!("{f}: {m}")).collect();
            Some(view! {
                <p class="error" role="alert">{format!(
                    "Not applied, it stays pending: {}.", each.join("; ")
                )}</p>
            }.into_any())
        }
        Ok(DecideOutcome::AlreadyDecided) => Some(view! {
            <p class="error" role="alert">"Another admin decided this change first."</p>
        }.into_any()),
        Err(error) => Some(view! { <ErrorNotice error /> }.into_any()),
    }
    }
}

#[component]
fn PendingChange(
    change: PendingView,
    csrf: String,
    decide: ServerAction<DecideChange>,
) -> impl IntoView {
    let PendingView {
        id,
        entity,
        entity_id,
        title,
        href,
        author,
        at,
        comment,
        base_version,
        current_version,
        changes,
        note,
    } = change;
    let stale = base_version != current_version;
    let what = if entity == "event" { "Event" } else { "Source" };
    let history = format!("/{entity}s/{entity_id}/history");
    let id = id.to_string();
    let (approve_csrf, reject_csrf) = (csrf.clone(), csrf);
    let (item_id, approve_id, reject_id) = (id.clone(), id.clone(), id.clone());
    let reason_id = format!("reason-{id}");
    view! {
        <li class="pending-change" data-entity=entity data-id=item_id>
            <h2>{format!("{what}: ")}<a href=href>{title}</a></h2>
            <p class="revision-meta">
                {author}" · "<time>{at}</time>
                {(!comment.is_empty()).then(|| view! { " · “"{comment}"”" })}
                {format!(" · made on version {base_version}")}" · "<a href=history>"history"</a>
            </p>
            {stale.then(|| view! {
                <p class="error stale-note">{format!(
                    "The record moved on to version {current_version} since: approving is refused. The changes below compare with version {current_version}."
                )}</p>
            })}
            {note.map(|n| view! { <p class="error">{n}</p> })}
            {if changes.is_empty() {
                view! { <p class="hint">"No field would change."</p> }.into_any()
            } else {
                view! {
                    <dl class="changes">
                        {changes.into_iter().map(|c| view! { <Change change=c /> }).collect_view()}
                    </dl>
                }.into_any()
            }}
            <div class="decide">
                <ActionForm action=decide attr:class="approve-form">
                    <input type="hidden" name="csrf" value=approve_csrf />
                    <input type="hidden" name="id" value=approve_id />
                    <input type="hidden" name="decision" value="approve" />
                    <button type="submit" disabled=move || decide.pending().get()>"Approve"</button>
                </ActionForm>
                <ActionForm action=decide attr:class="reject-form">
                    <input type="hidden" name="csrf" value=reject_csrf />
                    <input type="hidden" name="id" value=reject_id />
                    <input type="hidden" name="decision" value="reject" />
                    <label for=reason_id.clone()>"Reason (optional)"</label>
                    <input id=reason_id type="text" name="reason" />
                    <button type="submit" disabled=move || decide.pending().get()>"Reject"</button>
                </ActionForm>
            </div>
        </li>
    }
}
