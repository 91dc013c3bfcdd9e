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
    let comment = match crate::domain::source_form::comment(comment.as_deref()) {
        Ok(c) => c,
        Err(errors) => return Ok(AddSourceOutcome::Invalid(errors)),
    };
    let draft = match form.parse(chrono::Utc::now().date_naive()) {
        Ok(d) => d,
        Err(errors) => return Ok(AddSourceOutcome::Invalid(errors)),
    };
    let state = gate::state()?;
    let added = sources::add(&state.pool, &draft, me.editor.id, comment)
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

/// What saving the event form gave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum EventOutcome {
    /// Saved; `href` is the event's edit page, `version` what it is now at.
    Saved {
        href: String,
        version: i32,
        status: crate::domain::EventStatus,
    },
    Invalid(FieldErrors),
    /// Someone else saved first; nothing was written. This is the event as it now is.
    Conflict(Box<crate::domain::event_form::Editable>),
    /// An editor's change to a published event: kept for an admin's review, nothing
    /// readers see has changed. `href` is the event's history, which lists it.
    Pending {
        href: String,
    },
}

#[cfg(feature = "ssr")]
fn event_outcome(
    result: Result<crate::db::events::Saved, crate::db::DbError>,
) -> Result<EventOutcome, ServerFnError> {
    use crate::auth::gate;
    use crate::db::{events::Saved, DbError};
    match result {
        Ok(Saved::Done {
            id,
            version,
            status,
        }) => Ok(EventOutcome::Saved {
            href: format!("/events/{id}/edit"),
            version,
            status,
        }),
        Ok(Saved::Stale(current)) => Ok(EventOutcome::Conflict(current)),
        Err(DbError::Quote(e)) => {
            let mut errors = FieldErrors::default();
            errors.add("quote", format!("{e}; select the passage again"));
            Ok(EventOutcome::Invalid(errors))
        }
        Err(DbError::NotFound("source")) => Ok(EventOutcome::Invalid(FieldErrors::one(
            "quote",
            "that source does not exist (any more)",
        ))),
        Err(DbError::Invalid { field, reason }) => {
            Ok(EventOutcome::Invalid(FieldErrors::one(field, reason)))
        }
        Err(DbError::NotFound(_)) => Err(gate::refuse(
            axum::http::StatusCode::NOT_FOUND,
            "there is no such event",
        )),
        Err(e) => Err(gate::internal(e)),
    }
}

/// Adds an event, as a draft, citing the passage selected in its source.
#[server(prefix = "/api", endpoint = "create_event")]
pub async fn create_event(
    csrf: String,
    form: crate::domain::event_form::EventForm,
    comment: Option<String>,
) -> Result<EventOutcome, ServerFnError> {
    use crate::auth::gate;
    use crate::domain::{account::Role, event_form::QuoteRule};
    let me = gate::require(Role::Editor, &csrf).await?;
    let comment = match crate::domain::source_form::comment(comment.as_deref()) {
        Ok(c) => c,
        Err(errors) => return Ok(EventOutcome::Invalid(errors)),
    };
    let draft = match form.parse(QuoteRule::Required) {
        Ok(d) => d,
        Err(errors) => return Ok(EventOutcome::Invalid(errors)),
    };
    let state = gate::state()?;
    let created = crate::db::events::create(&state.pool, &draft, me.editor.id, comment)
        .await
        .map(|id| crate::db::events::Saved::Done {
            id,
            version: 1,
            status: crate::domain::EventStatus::Draft,
        });
    event_outcome(created)
}

/// Changes an event's fields (and adds a citation if one is selected), provided nobody
/// changed it since `version`.
#[server(prefix = "/api", endpoint = "update_event")]
pub async fn update_event(
    csrf: String,
    id: i64,
    version: i32,
    form: crate::domain::event_form::EventForm,
    comment: Option<String>,
) -> Result<EventOutcome, ServerFnError> {
    use crate::auth::gate;
    use crate::domain::{account::Role, event_form::QuoteRule, EventId};
    let me = gate::require(Role::Editor, &csrf).await?;
    let comment = match crate::domain::source_form::comment(comment.as_deref()) {
        Ok(c) => c,
        Err(errors) => return Ok(EventOutcome::Invalid(errors)),
    };
    let draft = match form.parse(QuoteRule::Optional) {
        Ok(d) => d,
        Err(errors) => return Ok(EventOutcome::Invalid(errors)),
    };
    let state = gate::state()?;
    // Only admins publish, so only admins change what readers see at once.
    if !me.editor.may(Role::Admin) {
        use crate::review::{event_route, Route};
        match event_route(&state.pool, EventId(id), version).await {
            Ok(Route::Direct) => {}
            Ok(Route::Stale(current)) => return Ok(EventOutcome::Conflict(current)),
            Ok(Route::Review) => {
                let proposed = crate::db::pending::Proposed::Event(form);
                let href = crate::review::hold_for_review(
                    &state.pool,
                    id,
                    version,
                    me.editor.id,
                    comment,
                    &proposed,
                )
                .await
                .map_err(gate::internal)?;
                return Ok(EventOutcome::Pending { href });
            }
            Err(e) => return event_outcome(Err(e)),
        }
    }
    event_outcome(
        crate::db::events::update(
            &state.pool,
            EventId(id),
            version,
            &draft,
            me.editor.id,
            comment,
        )
        .await,
    )
}

/// Publishes an event, takes it back to draft, or archives it (admins only).
#[server(prefix = "/api", endpoint = "set_event_status")]
pub async fn set_event_status(
    csrf: String,
    id: i64,
    version: i32,
    status: String,
    comment: Option<String>,
) -> Result<EventOutcome, ServerFnError> {
    use crate::auth::gate;
    use crate::domain::{account::Role, EventId, EventStatus};
    let me = gate::require(Role::Admin, &csrf).await?;
    let comment = match crate::domain::source_form::comment(comment.as_deref()) {
        Ok(c) => c,
        Err(errors) => return Ok(EventOutcome::Invalid(errors)),
    };
    let Ok(status) = status.parse::<EventStatus>() else {
        return Err(gate::refuse(
            axum::http::StatusCode::BAD_REQUEST,
            "status must be draft, published or archived",
        ));
    };
    let state = gate::state()?;
    event_outcome(
        crate::db::events::set_status(
            &state.pool,
            EventId(id),
            version,
            status,
            me.editor.id,
            comment,
        )
        .await,
    )
}

/// Any event for its edit page, drafts included: editors only.
#[server(input = leptos::server_fn::codec::GetUrl, prefix = "/api", endpoint = "editable_event")]
pub async fn editable_event(
    id: String,
) -> Result<Option<crate::domain::event_form::Editable>, ServerFnError> {
    use crate::auth::gate;
    use crate::domain::EventId;
    gate::editor().await?;
    let Ok(id) = id.parse::<i64>() else {
        return Ok(None);
    };
    let state = gate::state()?;
    crate::db::events::editable(&state.pool, EventId(id))
        .await
        .map_err(gate::internal)
}

/// The sources an editor can cite, newest first.
#[server(input = leptos::server_fn::codec::GetUrl, prefix = "/api", endpoint = "citable_sources")]
pub async fn citable_sources() -> Result<Vec<crate::domain::SourceRef>, ServerFnError> {
    use crate::auth::gate;
    gate::editor().await?;
    let state = gate::state()?;
    crate::db::sources::list(&state.pool)
        .await
        .map_err(gate::internal)
}

/// Existing actors matching what an editor types into an authority or target field (at
/// most ten): editors only, since it reads unpublished names too.
#[server(input = leptos::server_fn::codec::GetUrl, prefix = "/api", endpoint = "known_actors")]
pub async fn known_actors(
    typed: String,
    role: String,
) -> Result<Vec<crate::domain::KnownActor>, ServerFnError> {
    use crate::auth::gate;
    use crate::domain::ActorRole;
    use axum::http::StatusCode;
    gate::editor().await?;
    let role: ActorRole = role
        .parse()
        .map_err(|e: String| gate::refuse(StatusCode::BAD_REQUEST, e))?;
    // Longer than any actor's name: nothing can match.
    if typed.chars().count() > 200 {
        return Ok(Vec::new());
    }
    let state = gate::state()?;
    crate::db::actors::matching(&state.pool, &typed, role, 10)
        .await
        .map_err(gate::internal)
}

/// What saving the source edit form gave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SourceOutcome {
    Saved {
        version: i32,
        report: crate::domain::source_form::ReanchorReport,
    },
    Invalid(FieldErrors),
    /// Someone else saved first; nothing was written. This is the source as it now is.
    Conflict(Box<crate::domain::source_form::EditableSource>),
    /// An editor's change to a source published events cite: kept for an admin's review,
    /// nothing readers see has changed. `href` is the source's history, which lists it.
    Pending {
        href: String,
    },
}

/// A source for its edit page: editors only.
#[server(input = leptos::server_fn::codec::GetUrl, prefix = "/api", endpoint = "editable_source")]
pub async fn editable_source(
    id: String,
) -> Result<Option<crate::domain::source_form::EditableSource>, ServerFnError> {
    use crate::auth::gate;
    use crate::domain::SourceId;
    gate::editor().await?;
    let Ok(id) = id.parse::<i64>() else {
        return Ok(None);
    };
    let state = gate::state()?;
    crate::db::sources::editable(&state.pool, SourceId(id))
        .await
        .map_err(gate::internal)
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
) -> Result<SourceOutcome, ServerFnError> {
    use crate::auth::gate;
    use crate::db::sources::{self, SourceSaved};
    use crate::domain::{account::Role, SourceId};
    let me = gate::require(Role::Editor, &csrf).await?;
    let state = gate::state()?;
    let Some(url) = sources::url_of(&state.pool, SourceId(id))
        .await
        .map_err(gate::internal)?
    else {
        return Err(gate::refuse(
            axum::http::StatusCode::NOT_FOUND,
            "there is no such source",
        ));
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
        use crate::review::{source_route, Route};
        match source_route(&state.pool, SourceId(id), version)
            .await
            .map_err(gate::internal)?
        {
            Route::Direct => {}
            Route::Stale(current) => return Ok(SourceOutcome::Conflict(current)),
            Route::Review => {
                let proposed = crate::db::pending::Proposed::Source(form);
                let href = crate::review::hold_for_review(
                    &state.pool,
                    id,
                    version,
                    me.editor.id,
                    comment,
                    &proposed,
                )
                .await
                .map_err(gate::internal)?;
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
    .await
    .map_err(gate::internal)?;
    Ok(match saved {
        SourceSaved::Done { version, report } => SourceOutcome::Saved { version, report },
        SourceSaved::Stale(current) => SourceOutcome::Conflict(current),
    })
}
