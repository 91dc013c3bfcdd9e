//! Editing events: the server functions behind the event form. Each one passes the gate
//! (session, role, CSRF token) before it reads its input, and validates everything again
//! here: the form is a convenience, the server is the gate.

use super::AppError;
use crate::domain::event_form::{Editable, EventForm};
use crate::domain::source_form::FieldErrors;
use crate::domain::{KnownActor, SourceRef};
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

/// What saving the event form gave. Refused fields and a lost race are answers the form
/// shows in place, not errors.
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
    Conflict(Box<Editable>),
    /// An editor's change to a published event: kept for an admin's review, nothing
    /// readers see has changed. `href` is the event's history, which lists it.
    Pending {
        href: String,
    },
}

#[cfg(feature = "ssr")]
fn event_outcome(
    result: Result<crate::db::events::Saved, crate::db::DbError>,
) -> Result<EventOutcome, AppError> {
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
        Err(DbError::Quote(e)) => Ok(EventOutcome::Invalid(FieldErrors::one(
            "quote",
            format!("{e}; select the passage again"),
        ))),
        Err(DbError::NotFound("source")) => Ok(EventOutcome::Invalid(FieldErrors::one(
            "quote",
            "that source does not exist (any more)",
        ))),
        Err(DbError::Invalid { field, reason }) => {
            Ok(EventOutcome::Invalid(FieldErrors::one(field, reason)))
        }
        Err(e) => Err(e.into()),
    }
}

/// A save's comment and its form as a draft, or what is wrong with them.
#[cfg(feature = "ssr")]
fn checked<'a>(
    comment: Option<&'a str>,
    form: &EventForm,
    quote: crate::domain::event_form::QuoteRule,
) -> Result<(&'a str, crate::domain::event_form::EventDraft), FieldErrors> {
    let comment = crate::domain::source_form::comment(comment)?;
    Ok((comment, form.parse(quote)?))
}

/// Adds an event, as a draft, citing the passage selected in its source.
#[server(prefix = "/api", endpoint = "create_event")]
pub async fn create_event(
    csrf: String,
    form: EventForm,
    comment: Option<String>,
) -> Result<EventOutcome, AppError> {
    use crate::domain::{account::Role, event_form::QuoteRule};
    let me = super::gate::require(Role::Editor, &csrf).await?;
    let (comment, draft) = match checked(comment.as_deref(), &form, QuoteRule::Required) {
        Ok(checked) => checked,
        Err(errors) => return Ok(EventOutcome::Invalid(errors)),
    };
    let state = super::gate::state()?;
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
    form: EventForm,
    comment: Option<String>,
) -> Result<EventOutcome, AppError> {
    use crate::domain::{account::Role, event_form::QuoteRule, EventId};
    let me = super::gate::require(Role::Editor, &csrf).await?;
    let (comment, draft) = match checked(comment.as_deref(), &form, QuoteRule::Optional) {
        Ok(checked) => checked,
        Err(errors) => return Ok(EventOutcome::Invalid(errors)),
    };
    let state = super::gate::state()?;
    // Only admins publish, so only admins change what readers see at once.
    if !me.editor.may(Role::Admin) {
        use super::review::{event_route, hold_for_review, Route};
        match event_route(&state.pool, EventId(id), version).await {
            Ok(Route::Direct) => {}
            Ok(Route::Stale(current)) => return Ok(EventOutcome::Conflict(current)),
            Ok(Route::Review) => {
                let proposed = crate::db::pending::Proposed::Event(form);
                let href =
                    hold_for_review(&state.pool, id, version, me.editor.id, comment, &proposed)
                        .await?;
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
) -> Result<EventOutcome, AppError> {
    use crate::domain::{account::Role, EventId, EventStatus};
    let me = super::gate::require(Role::Admin, &csrf).await?;
    let comment = match crate::domain::source_form::comment(comment.as_deref()) {
        Ok(c) => c,
        Err(errors) => return Ok(EventOutcome::Invalid(errors)),
    };
    let Ok(status) = status.parse::<EventStatus>() else {
        return Err(AppError::BadRequest(
            "The status must be draft, published or archived.".into(),
        ));
    };
    let state = super::gate::state()?;
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
#[server(input = GetUrl, prefix = "/api", endpoint = "editable_event")]
pub async fn editable_event(id: String) -> Result<Option<Editable>, AppError> {
    use crate::domain::EventId;
    super::gate::editor().await?;
    let Ok(id) = id.parse::<i64>() else {
        return Ok(None);
    };
    let state = super::gate::state()?;
    Ok(crate::db::events::editable(&state.pool, EventId(id)).await?)
}

/// The sources an editor can cite, newest first.
#[server(input = GetUrl, prefix = "/api", endpoint = "citable_sources")]
pub async fn citable_sources() -> Result<Vec<SourceRef>, AppError> {
    super::gate::editor().await?;
    let state = super::gate::state()?;
    Ok(crate::db::sources::list(&state.pool).await?)
}

/// Existing actors matching what an editor types into an authority or target field (at
/// most ten): editors only, since it reads unpublished names too.
#[server(input = GetUrl, prefix = "/api", endpoint = "known_actors")]
pub async fn known_actors(typed: String, role: String) -> Result<Vec<KnownActor>, AppError> {
    use crate::domain::ActorRole;
    super::gate::editor().await?;
    let role: ActorRole = role.parse().map_err(AppError::BadRequest)?;
    // Longer than any actor's name: nothing can match.
    if typed.chars().count() > 200 {
        return Ok(Vec::new());
    }
    let state = super::gate::state()?;
    Ok(crate::db::actors::matching(&state.pool, &typed, role, 10).await?)
}
