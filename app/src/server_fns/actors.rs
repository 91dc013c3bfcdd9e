//! Editors set where other databases know an actor (its Wikidata item, its OpenSanctions
//! entity). Passes the gate as an editor, with the form's token.

use super::AppError;
use crate::domain::actor_identifier::IdentifiersForm;
use crate::domain::source_form::FieldErrors;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum IdentifiersOutcome {
    /// Saved, as stored (ids read out of addresses).
    Saved(IdentifiersForm),
    Invalid(FieldErrors),
}

/// Sets an actor's identifiers. `was` is what the form was loaded with: if another
/// editor changed them since, nothing is saved and the answer (409) says so.
#[server(prefix = "/api", endpoint = "save_actor_identifiers")]
pub async fn save_actor_identifiers(
    csrf: String,
    id: i64,
    #[server(default)] was: IdentifiersForm,
    #[server(default)] form: IdentifiersForm,
) -> Result<IdentifiersOutcome, AppError> {
    use crate::db::DbError;
    use crate::domain::account::Role;
    super::gate::require(Role::Editor, &csrf).await?;
    let new = match form.parse() {
        Ok(ids) => ids,
        Err(errors) => return Ok(IdentifiersOutcome::Invalid(errors)),
    };
    // What the form was loaded with came from the record, so it parses; if it does not,
    // it cannot equal what is stored either.
    let was = was.parse().map_err(|_| {
        AppError::BadRequest(
            "The form's earlier identifiers cannot be read; reload the page.".into(),
        )
    })?;
    let state = super::gate::state()?;
    match crate::db::actors::set_identifiers(&state.pool, id, &was, &new).await {
        Ok(true) => Ok(IdentifiersOutcome::Saved(IdentifiersForm::from(&new))),
        Ok(false) => match crate::db::actors::profile(&state.pool, id).await? {
            None => Err(AppError::NotFound("actor".into())),
            Some(now) => Err(AppError::Conflict(format!(
                "Another editor changed these identifiers while you were editing; nothing was saved. They are now: Wikidata {}, OpenSanctions {}. Reload the page to edit them.",
                now.identifiers.wikidata.map_or("none".into(), |q| q.to_string()),
                now.identifiers.opensanctions.map_or("none".into(), |o| o.to_string()),
            ))),
        },
        Err(DbError::Invalid { field, reason }) => {
            Ok(IdentifiersOutcome::Invalid(FieldErrors::one(field, reason)))
        }
        Err(e) => Err(e.into()),
    }
}
