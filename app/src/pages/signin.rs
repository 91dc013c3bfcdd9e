//! `/signin`: editors sign in here. Readers never need to.

use crate::domain::local_path::LocalPath;
use crate::pages::ErrorNotice;
use crate::server_fns::session::SignIn;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SignInPage() -> impl IntoView {
    let action = ServerAction::<SignIn>::new();
    // Only a path on this site, by the same rule the server redirects by.
    let next = use_query_map().with_untracked(|q| {
        LocalPath::or_home(q.get("next").as_deref())
            .as_str()
            .to_owned()
    });
    let target = next.clone();
    // Signed in: load the destination afresh, so every part of the page knows it.
    Effect::new(move || {
        if let Some(Ok(())) = action.value().get() {
            let _ = window().location().set_href(&target);
        }
    });
    view! {
        <Title text="Sign in" />
        <section class="signin">
            <h1>"Sign in"</h1>
            <p>"For editors of the record. Readers need no account."</p>
            <ActionForm action>
                <div class="field">
                    <label for="signin-email">"Email"</label>
                    <input id="signin-email" type="email" name="email" required autocomplete="username" />
                </div>
                <div class="field">
                    <label for="signin-password">"Password"</label>
                    <input id="signin-password" type="password" name="password" required autocomplete="current-password" />
                </div>
                <input type="hidden" name="next" value=next />
                <button type="submit" disabled=move || action.pending().get()>"Sign in"</button>
            </ActionForm>
            {move || action.value().get().and_then(|r| r.err()).map(|error| view! { <ErrorNotice error /> })}
        </section>
    }
}
