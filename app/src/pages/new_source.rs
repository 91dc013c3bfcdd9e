//! `/sources/new`: an editor pastes an article, marks where it starts and ends (the
//! automatic guess comes first), and adds it as a source.

use crate::app::use_signed_in;
use crate::components::FieldError;
use crate::domain::source_form::FieldErrors;
use crate::domain::source_text::{guess_bounds, paragraphs};
use crate::pages::{EditorsOnly, ErrorNotice};
use crate::server_fns::sources::{AddSource, AddSourceOutcome};
use leptos::prelude::*;
use leptos_meta::Title;

fn excerpt(p: &str) -> String {
    let mut s: String = p.chars().take(70).collect();
    if p.chars().count() > 70 {
        s.push('…');
    }
    s
}

#[component]
pub fn NewSourcePage() -> impl IntoView {
    let me = use_signed_in();
    view! {
        <Title text="Add a source" />
        <h1>"Add a source"</h1>
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                EditorsOnly::editors("Only editors add sources.", "/sources/new").show(me.await, |signed_in| {
                    Ok(view! { <SourceFormView csrf=signed_in.csrf_token /> }.into_any())
                })
            })}
        </Suspense>
    }
}

#[component]
fn SourceFormView(csrf: String) -> impl IntoView {
    let action = ServerAction::<AddSource>::new();
    let text = RwSignal::new(String::new());
    let paras = Memo::new(move |_| text.with(|t| paragraphs(t)));
    let guess = Memo::new(move |_| paras.with(|p| guess_bounds(p)));
    let errors = Memo::new(move |_| match action.value().get() {
        Some(Ok(AddSourceOutcome::Invalid(e))) => e,
        _ => FieldErrors::default(),
    });
    Effect::new(move || {
        if let Some(Ok(AddSourceOutcome::Added { href })) = action.value().get() {
            let _ = window().location().set_href(&href);
        }
    });
    let field = move |name: &'static str,
                      label: &'static str,
                      kind: &'static str,
                      hint: &'static str| {
        view! {
            <div class="field">
                <label for=format!("src-{name}")>{label}</label>
                <input id=format!("src-{name}") type=kind name=format!("form[{name}]") placeholder=hint
                    aria-describedby=format!("{name}-error") />
                <FieldError errors field=name prefix="" />
            </div>
        }
    };
    view! {
        <ActionForm action attr:class="editor-form">
            <input type="hidden" name="csrf" value=csrf />
            {field("url", "Address (URL)", "url", "https://…")}
            {field("archive_url", "Archived copy (optional: a Wayback Machine snapshot, …)", "url", "https://web.archive.org/web/…")}
            {field("title", "Title", "text", "")}
            {field("publisher", "Publisher", "text", "Computerworld")}
            {field("authors", "Author(s), separated by commas", "text", "")}
            {field("published_on", "Publication date", "date", "")}
            {field("language", "Language (BCP 47)", "text", "da, en, zh-Hans")}
            <div class="field">
                <label for="src-text">"Article text, pasted"</label>
                <textarea id="src-text" name="form[text]" rows="14" aria-describedby="text-error"
                    on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                <FieldError errors field="text" prefix="" />
            </div>
            <fieldset class="bounds">
                <legend>"Where the article starts and ends (the rest is page furniture)"</legend>
                <div class="field">
                    <label for="src-start">"Starts at"</label>
                    <select id="src-start" name="form[start]">
                        {move || paras.with(|ps| ps.iter().enumerate().map(|(i, p)| view! {
                            <option value=i.to_string() selected=i == guess.get().0>{format!("{}. {}", i + 1, excerpt(p))}</option>
                        }).collect_view())}
                    </select>
                    <FieldError errors field="start" prefix="" />
                </div>
                <div class="field">
                    <label for="src-end">"Ends after"</label>
                    <select id="src-end" name="form[end]">
                        {move || paras.with(|ps| ps.iter().enumerate().map(|(i, p)| view! {
                            <option value=(i + 1).to_string() selected=i + 1 == guess.get().1>{format!("{}. {}", i + 1, excerpt(p))}</option>
                        }).collect_view())}
                    </select>
                    <FieldError errors field="end" prefix="" />
                </div>
                <p class="hint">{move || {
                    let (s, e) = guess.get();
                    let n = paras.with(Vec::len);
                    if n == 0 { "Paste the text to choose.".to_string() } else { format!("Guessed: paragraphs {}–{} of {n}.", s + 1, e) }
                }}</p>
            </fieldset>
            <div class="field">
                <label for="src-comment">"Comment for the history"</label>
                <input id="src-comment" type="text" name="comment" />
            </div>
            <button type="submit" disabled=move || action.pending().get()>"Add the source"</button>
        </ActionForm>
        {move || match action.value().get() {
            Some(Ok(AddSourceOutcome::Duplicate { href })) => Some(view! {
                <p class="error" role="alert">"A source with this address exists already: "<a href=href>"open it"</a>"."</p>
            }.into_any()),
            Some(Ok(AddSourceOutcome::Invalid(_))) => Some(view! {
                <p class="error" role="alert">"Some fields need attention; nothing was saved."</p>
            }.into_any()),
            Some(Err(error)) => Some(view! { <ErrorNotice error /> }.into_any()),
            _ => None,
        }}
    }
}
