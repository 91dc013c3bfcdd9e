//! `/sources/{id}/edit`: an editor corrects a source, its text included. Saving re-anchors
//! every passage cited from it and says which ones an editor must now check.

use crate::app::use_signed_in;
use crate::components::FieldError;
use crate::domain::source_form::{EditableSource, FieldErrors};
use crate::pages::{EditorsOnly, ErrorNotice, NotFound};
use crate::server_fns::sources::{editable_source, SourceOutcome, UpdateSource};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn EditSourcePage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let me = use_signed_in();
    let source = Resource::new(id, editable_source);
    view! {
        <Title text="Edit a source" />
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || {
                let gate = EditorsOnly::editors("Only editors change sources.", format!("/sources/{}/edit", id()));
                Suspend::new(async move {
                    let (me, source) = (me.await, source.await);
                    gate.show(me, |signed_in| Ok(match source? {
                        Some(current) => view! {
                            <h1>"Edit: " {current.form.title.clone()}</h1>
                            <SourceEditor csrf=signed_in.csrf_token current />
                        }.into_any(),
                        None => view! { <NotFound /> }.into_any(),
                    }))
                })
            }}
        </Suspense>
    }
}

#[component]
fn SourceEditor(csrf: String, current: EditableSource) -> impl IntoView {
    let action = ServerAction::<UpdateSource>::new();
    let version = RwSignal::new(current.version);
    let errors = Memo::new(move |_| match action.value().get() {
        Some(Ok(SourceOutcome::Invalid(e))) => e,
        _ => FieldErrors::default(),
    });
    Effect::new(move || {
        if let Some(Ok(SourceOutcome::Saved { version: v, .. })) = action.value().get() {
            version.set(v);
        }
    });
    let form = current.form;
    let field = move |name: &'static str,
                      label: &'static str,
                      kind: &'static str,
                      value: String| {
        view! {
            <div class="field">
                <label for=format!("src-{name}")>{label}</label>
                <input id=format!("src-{name}") type=kind name=format!("form[{name}]") value=value
                    aria-describedby=format!("{name}-error") />
                <FieldError errors field=name prefix="" />
            </div>
        }
    };
    let href = format!("/sources/{}", current.id.0);
    view! {
        <p class="event-state">
            <a href=href>"The source as readers see it"</a>" · version "
            <span class="version">{move || version.get()}</span>" · "
            <a href=format!("/sources/{}/history", current.id.0)>"history"</a>" · "{form.url.clone()}
        </p>
        <ActionForm action attr:class="editor-form">
            <input type="hidden" name="csrf" value=csrf />
            <input type="hidden" name="id" value=current.id.0.to_string() />
            <input type="hidden" name="version" value=move || version.get().to_string() />
            <input type="hidden" name="form[url]" value=form.url.clone() />
            {field("title", "Title", "text", form.title)}
            {field("archive_url", "Archived copy (optional: a Wayback Machine snapshot, …)", "url", form.archive_url)}
            {field("publisher", "Publisher", "text", form.publisher)}
            {field("authors", "Author(s), separated by commas", "text", form.authors)}
            {field("published_on", "Publication date", "date", form.published_on)}
            {field("language", "Language (BCP 47)", "text", form.language)}
            <div class="field">
                <label for="src-text">"Article text"</label>
                <textarea id="src-text" name="form[text]" rows="18" aria-describedby="text-error">{form.text}</textarea>
                <FieldError errors field="text" prefix="" />
                <p class="hint">"Cited passages follow their text: a passage you reword or delete is flagged for review, never moved elsewhere."</p>
            </div>
            <div class="field">
                <label for="src-comment">"Comment for the history"</label>
                <input id="src-comment" type="text" name="comment" />
            </div>
            <button type="submit" disabled=move || action.pending().get()>"Save the source"</button>
        </ActionForm>
        {move || match action.value().get() {
            Some(Ok(SourceOutcome::Saved { version, report })) => view! {
                <section class="saved" role="status">
                    <p>{format!(
                        "Saved (version {version}). Cited passages: {} in place, {} moved with their text, {} to check.",
                        report.kept, report.moved, report.flagged.len()
                    )}</p>
                    {(!report.flagged.is_empty()).then(|| view! {
                        <ul class="flagged">
                            {report.flagged.into_iter().map(|f| view! {
                                <li><q>{f.exact}</q>" — "<a href=format!("/events/{}/edit", f.event_id.0)>{f.event_title}</a></li>
                            }).collect_view()}
                        </ul>
                    })}
                </section>
            }.into_any(),
            Some(Ok(SourceOutcome::Pending { href })) => view! {
                <p class="saved pending" role="status">
                    "Saved as a change for review: an admin will approve it before readers see it. "
                    <a href=href>"See it in the history"</a>
                </p>
            }.into_any(),
            Some(Ok(SourceOutcome::Invalid(_))) => view! {
                <p class="error" role="alert">"Some fields need attention; nothing was saved."</p>
            }.into_any(),
            Some(Ok(SourceOutcome::Conflict(theirs))) => view! {
                <section class="conflict" role="alert">
                    <h2>"Someone else changed this source while you were editing"</h2>
                    <p>{format!(
                        "Nothing of yours was saved. The source is now at version {}; your text is still in the form. Their title: “{}”. Reload the page to edit the new version.",
                        theirs.version, theirs.form.title
                    )}</p>
                </section>
            }.into_any(),
            Some(Err(error)) => view! { <ErrorNotice error /> }.into_any(),
            None => ().into_any(),
        }}
    }
}
