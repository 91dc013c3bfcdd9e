//! Changing the record: the server functions behind editors' forms. Each one passes the
//! gate (session, role, CSRF token) before it reads its input, and validates everything
//! again here: the forms are a convenience, the server is the gate.

use crate::domain::source_form::{FieldErrors, SourceForm};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum AddSourceOutcome {
    Added { href: String },
    Invalid(FieldErrors),
    Duplicate { href: String },
}

#[server(prefix = "/api", endpoint = "add_source")]
pub async fn add_source(
    csrf: String,
    form: SourceForm,
    comment: Option<String>,
) -> Result<AddSourceOutcome, ServerFnError> {
    use crate::auth::gate;
    use crate::db::sources::{self, Added};
    use crate::domain::account::Role;
    let me = gate::require(Role::Editor, &csrf).await?;
    let draft = match form.parse(chrono::Utc::now().date_naive()) {
        Ok(d) => d,
        Err(errors) => return Ok(AddSourceOutcome::Invalid(errors)),
    };
    let state = gate::state()?;
    let added = sources::add(
        &state.pool,
        &draft,
        me.editor.id,
        comment.as_deref().unwrap_or(""),
    )
    .await
    .map_err(gate::internal)?;
    Ok(match added {
        Added::New(id) => AddSourceOutcome::Added {
            href: format!("/sources/{}", id.0),
        },
        Added::Duplicate(id) => AddSourceOutcome::Duplicate {
            href: format!("/sources/{}", id.0),
        },
    })
}
