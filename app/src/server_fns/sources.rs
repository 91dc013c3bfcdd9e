//! Adding and correcting sources: the server functions behind the source forms. Each one
//! passes the gate (session, role, CSRF token) before it reads its input, and validates
//! everything again here.

use super::AppError;
// Not `EditableSource` itself: `#[server]` names the argument struct of `editable_source` so.
use crate::domain::source_form::{self, FieldErrors, ReanchorReport, SourceForm};
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
) -> Result<AddSourceOutcome, AppError> {
    use crate::db::sources::{self, Added};
    use crate::domain::account::Role;
    let me = super::gate::require(Role::Editor, &csrf).await?;
    let comment = match crate::domain::source_form::comment(comment.as_deref()) {
        Ok(c) => c,
        Err(errors) => return Ok(AddSourceOutcome::Invalid(errors)),
    };
    let draft = match form.parse(chrono::Utc::now().date_naive()) {
        Ok(d) => d,
        Err(errors) => return Ok(AddSourceOutcome::Invalid(errors)),
    };
    let state = super::gate::state()?;
    Ok(
        match sources::add(&state.pool, &draft, me.editor.id, comment).await? {
            Added::New(id) => AddSourceOutcome::Added {
                href: format!("/sources/{}", id.0),
            },
            Added::Duplicate(id) => AddSourceOutcome::Duplicate {
                href: format!("/sources/{}", id.0),
            },
        },
    )
}

/// What saving the source edit form gave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SourceOutcome {
    Saved {
        version: i32,
        report: ReanchorReport,
    },
    Invalid(FieldErrors),
    /// Someone else saved first; nothing was written. This is the source as it now is.
    Conflict(Box<source_form::EditableSource>),
    /// An editor's change to a source published events cite: kept for an admin's review,
    /// nothing readers see has changed. `href` is the source's history, which lists it.
    Pending {
        href: String,
    },
}

/// A source for its edit page: editors only.
#[server(input = leptos::server_fn::codec::GetUrl, prefix = "/api", endpoint = "editable_source")]
pub async fn editable_source(id: String) -> Result<Option<source_form::EditableSource>, AppError> {
    use crate::domain::SourceId;
    super::gate::editor().await?;
    let Ok(id) = id.parse::<i64>() else {
        return Ok(None);
    };
    let state = super::gate::state()?;
    Ok(crate::db::sources::editable(&state.pool, SourceId(id)).await?)
}

/// Changes a source, its text included, provided nobody changed it since `version`; the
/// citations of it are re-anchored and the report says what became of them.
#[server(prefix = "/api", endpoint = "update_source")]
pub async fn update_source(
    csrf: String,
    id: i64,
    version: i32,
    form: SourceForm,
    comment: Option<String>,
) -> Result<SourceOutcome, AppError> {
    use crate::db::sources::{self, SourceSaved};
    use crate::domain::{account::Role, SourceId};
    let me = super::gate::require(Role::Editor, &csrf).await?;
    let state = super::gate::state()?;
    let Some(url) = sources::url_of(&state.pool, SourceId(id)).await? else {
        return Err(AppError::NotFound("source".into()));
    };
    let comment = match crate::domain::source_form::comment(comment.as_deref()) {
        Ok(c) => c,
        Err(errors) => return Ok(SourceOutcome::Invalid(errors)),
    };
    let draft = match form
        .clone()
        .for_edit(&url)
        .parse(chrono::Utc::now().date_naive())
    {
        Ok(d) => d,
        Err(errors) => return Ok(SourceOutcome::Invalid(errors)),
    };
    // Only admins publish, so only admins change what readers see at once.
    if !me.editor.may(Role::Admin) {
        use super::review::{hold_for_review, source_route, Route};
        match source_route(&state.pool, SourceId(id), version).await? {
            Route::Direct => {}
            Route::Stale(current) => return Ok(SourceOutcome::Conflict(current)),
            Route::Review => {
                let proposed = crate::db::pending::Proposed::Source(form);
                let href =
                    hold_for_review(&state.pool, id, version, me.editor.id, comment, &proposed)
                        .await?;
                return Ok(SourceOutcome::Pending { href });
            }
        }
    }
    let saved = sources::update(
        &state.pool,
        SourceId(id),
        version,
        &draft,
        me.editor.id,
        comment,
    )
    .await?;
    Ok(match saved {
        SourceSaved::Done { version, report } => SourceOutcome::Saved { version, report },
        SourceSaved::Stale(current) => SourceOutcome::Conflict(current),
    })
}
