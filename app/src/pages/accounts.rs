//! `/admin/accounts`: admins add accounts, change roles and disable accounts.

use crate::app::use_signed_in;
use crate::components::FieldError;
use crate::domain::account::{AccountSummary, Role};
use crate::domain::source_form::FieldErrors;
use crate::pages::{EditorsOnly, ErrorNotice};
use crate::server_fns::accounts::{list_accounts, AccountOutcome, ChangeAccount, CreateAccount};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AccountsPage() -> impl IntoView {
    let me = use_signed_in();
    let create = ServerAction::<CreateAccount>::new();
    let change = ServerAction::<ChangeAccount>::new();
    let accounts = Resource::new(
        move || (create.version().get(), change.version().get()),
        |_| list_accounts(),
    );
    view! {
        <Title text="Accounts" />
        <h1>"Accounts"</h1>
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let (me, accounts) = (me.await, accounts.await);
                EditorsOnly::admins("Only admins manage accounts.", "/admin/accounts").show(me, |signed_in| {
                    let list = accounts?;
                    let csrf = signed_in.csrf_token;
                    Ok(view! {
                        <table class="accounts">
                            <thead><tr><th>"Name"</th><th>"Email"</th><th>"Role and access"</th></tr></thead>
                            <tbody>
                                {list.into_iter().map(|a| view! { <AccountRow account=a csrf=csrf.clone() action=change /> }).collect_view()}
                            </tbody>
                        </table>
                        {move || match change.value().get() {
                            Some(Err(error)) => Some(view! { <ErrorNotice error /> }),
                            _ => None,
                        }}
                        <h2>"Add an account"</h2>
                        <NewAccount csrf action=create />
                    }.into_any())
                })
            })}
        </Suspense>
    }
}

#[component]
fn AccountRow(
    account: AccountSummary,
    csrf: String,
    action: ServerAction<ChangeAccount>,
) -> impl IntoView {
    let AccountSummary {
        id,
        email,
        display_name,
        role,
        disabled,
    } = account;
    view! {
        <tr class:disabled=disabled>
            <td>{display_name}</td>
            <td>{email.clone()}</td>
            <td>
                <ActionForm action attr:class="account-form">
                    <input type="hidden" name="csrf" value=csrf />
                    <input type="hidden" name="id" value=id.to_string() />
                    <select name="role" aria-label=format!("Role of {email}")>
                        <option value="editor" selected=role == Role::Editor>"Editor"</option>
                        <option value="admin" selected=role == Role::Admin>"Admin"</option>
                    </select>
                    <label>
                        <input type="checkbox" name="disabled" value="true" checked=disabled />
                        " disabled"
                    </label>
                    <button type="submit">"Save"</button>
                </ActionForm>
            </td>
        </tr>
    }
}

#[component]
fn NewAccount(csrf: String, action: ServerAction<CreateAccount>) -> impl IntoView {
    let errors = Memo::new(move |_| match action.value().get() {
        Some(Ok(AccountOutcome::Invalid(e))) => e,
        _ => FieldErrors::default(),
    });
    let field = move |name: &'static str, label: &'static str, kind: &'static str| {
        view! {
            <div class="field">
                <label for=format!("acct-{name}")>{label}</label>
                <input id=format!("acct-{name}") type=kind name=format!("form[{name}]")
                    aria-describedby=format!("acct-{name}-error") />
                <FieldError errors field=name prefix="acct-" />
            </div>
        }
    };
    view! {
        <ActionForm action attr:class="editor-form">
            <input type="hidden" name="csrf" value=csrf />
            {field("email", "Email", "email")}
            {field("display_name", "Name", "text")}
            <div class="field">
                <label for="acct-role">"Role"</label>
                <select id="acct-role" name="form[role]">
                    <option value="editor">"Editor (adds and edits)"</option>
                    <option value="admin">"Admin (also publishes, archives, restores, manages accounts)"</option>
                </select>
            </div>
            {field("password", "First password (at least 12 characters; tell it to them in person)", "password")}
            <button type="submit" disabled=move || action.pending().get()>"Add the account"</button>
        </ActionForm>
        {move || match action.value().get() {
            Some(Ok(AccountOutcome::Saved)) => Some(view! { <p class="saved" role="status">"Account added."</p> }.into_any()),
            Some(Ok(AccountOutcome::Invalid(_))) => Some(view! { <p class="error" role="alert">"Some fields need attention; nothing was saved."</p> }.into_any()),
            Some(Err(error)) => Some(view! { <ErrorNotice error /> }.into_any()),
            None => None,
        }}
    }
}
