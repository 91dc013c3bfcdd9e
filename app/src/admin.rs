//! Account administration: admins add editors and admins, change roles and disable
//! accounts. Every function passes the gate as an admin.

use crate::domain::account::{AccountForm, AccountSummary};
use crate::domain::source_form::FieldErrors;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum AccountOutcome {
    Saved,
    Invalid(FieldErrors),
}

/// Every account (admins only).
#[server(input = leptos::server_fn::codec::GetUrl, prefix = "/api", endpoint = "accounts")]
pub async fn list_accounts() -> Result<Vec<AccountSummary>, ServerFnError> {
    use crate::auth::gate;
    use crate::domain::account::Role;
    use axum::http::StatusCode;
    if !gate::editor().await?.editor.may(Role::Admin) {
        return Err(gate::refuse(
            StatusCode::FORBIDDEN,
            "only an admin may do this",
        ));
    }
    let state = gate::state()?;
    crate::db::accounts::list(&state.pool)
        .await
        .map_err(gate::internal)
}

/// Adds an account with a first password the new editor then uses to sign in.
#[server(prefix = "/api", endpoint = "create_account")]
pub async fn create_account(
    csrf: String,
    form: AccountForm,
) -> Result<AccountOutcome, ServerFnError> {
    use crate::auth::gate;
    use crate::db::DbError;
    use crate::domain::account::Role;
    gate::require(Role::Admin, &csrf).await?;
    let (email, name, role, password) = match form.parse() {
        Ok(parsed) => parsed,
        Err(errors) => return Ok(AccountOutcome::Invalid(errors)),
    };
    let state = gate::state()?;
    let mut conn = state
        .pool
        .acquire()
        .await
        .map_err(|e| gate::internal(e.into()))?;
    match crate::db::accounts::create(&mut conn, &email, &name, &password, role).await {
        Ok(_) => Ok(AccountOutcome::Saved),
        Err(DbError::Invalid { field, reason }) => {
            Ok(AccountOutcome::Invalid(FieldErrors::one(field, reason)))
        }
        Err(e) => Err(gate::internal(e)),
    }
}

/// Sets an account's role and whether it may sign in (disabling ends its sessions).
/// An admin cannot demote or disable themself, so the record never loses its last admin
/// by accident.
#[server(prefix = "/api", endpoint = "change_account")]
pub async fn change_account(
    csrf: String,
    id: i64,
    role: String,
    #[server(default)] disabled: bool,
) -> Result<AccountOutcome, ServerFnError> {
    use crate::auth::gate;
    use crate::domain::account::Role;
    use axum::http::StatusCode;
    let me = gate::require(Role::Admin, &csrf).await?;
    let Ok(role) = role.parse::<Role>() else {
        return Err(gate::refuse(
            StatusCode::BAD_REQUEST,
            "role must be editor or admin",
        ));
    };
    if me.editor.id == id && (role != Role::Admin || disabled) {
        return Err(gate::refuse(
            StatusCode::CONFLICT,
            "you cannot demote or disable your own account; ask another admin",
        ));
    }
    let state = gate::state()?;
    match crate::db::accounts::change(&state.pool, id, role, disabled).await {
        Ok(true) => Ok(AccountOutcome::Saved),
        Ok(false) => Err(gate::refuse(
            StatusCode::NOT_FOUND,
            "there is no such account",
        )),
        Err(e) => Err(gate::internal(e)),
    }
}
