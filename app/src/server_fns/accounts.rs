//! Account administration: admins add editors and admins, change roles and disable
//! accounts. Every function passes the gate as an admin.

use super::AppError;
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
pub async fn list_accounts() -> Result<Vec<AccountSummary>, AppError> {
    use crate::domain::account::Role;
    super::gate::with_role(Role::Admin).await?;
    let state = super::gate::state()?;
    Ok(crate::db::accounts::list(&state.pool).await?)
}

/// Adds an account with a first password the new editor then uses to sign in.
#[server(prefix = "/api", endpoint = "create_account")]
pub async fn create_account(csrf: String, form: AccountForm) -> Result<AccountOutcome, AppError> {
    use crate::db::DbError;
    use crate::domain::account::Role;
    super::gate::require(Role::Admin, &csrf).await?;
    let (email, name, role, password) = match form.parse() {
        Ok(parsed) => parsed,
        Err(errors) => return Ok(AccountOutcome::Invalid(errors)),
    };
    let state = super::gate::state()?;
    let mut conn = state.pool.acquire().await.map_err(DbError::from)?;
    match crate::db::accounts::create(&mut conn, &email, &name, &password, role).await {
        Ok(_) => Ok(AccountOutcome::Saved),
        Err(DbError::Invalid { field, reason }) => {
            Ok(AccountOutcome::Invalid(FieldErrors::one(field, reason)))
        }
        Err(e) => Err(e.into()),
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
) -> Result<AccountOutcome, AppError> {
    use crate::domain::account::Role;
    let me = super::gate::require(Role::Admin, &csrf).await?;
    let Ok(role) = role.parse::<Role>() else {
        return Err(AppError::BadRequest(
            "The role must be editor or admin.".into(),
        ));
    };
    if me.editor.id == id && (role != Role::Admin || disabled) {
        return Err(AppError::Conflict(
            "You cannot demote or disable your own account; ask another admin.".into(),
        ));
    }
    let state = super::gate::state()?;
    if crate::db::accounts::change(&state.pool, id, role, disabled).await? {
        Ok(AccountOutcome::Saved)
    } else {
        Err(AppError::NotFound("account".into()))
    }
}
