//! The history of an event or a source for editors, and an admin's restore of an old
//! revision as a new one. What a history shows (diffs, labels) is `crate::history`.

use super::AppError;
use crate::history::{History, RestoreOutcome};
use leptos::prelude::*;

/// The revisions of `entity` ("event" or "source") `id`: editors only.
#[server(input = leptos::server_fn::codec::GetUrl, prefix = "/api", endpoint = "history")]
pub async fn load_history(entity: String, id: String) -> Result<Option<History>, AppError> {
    use crate::history::Kind;
    super::gate::editor().await?;
    let (Ok(entity), Ok(id)) = (entity.parse::<Kind>(), id.parse::<i64>()) else {
        return Ok(None);
    };
    let state = super::gate::state()?;
    Ok(build(&state.pool, entity, id).await?)
}

/// Makes revision `version` the current state again, as a new revision (admins only).
/// For an event the fields come back and its status stays; for a source its text comes
/// back and its citations are re-anchored as for any edit.
#[server(prefix = "/api", endpoint = "restore_revision")]
pub async fn restore_revision(
    csrf: String,
    entity: String,
    id: i64,
    version: i32,
) -> Result<RestoreOutcome, AppError> {
    use crate::domain::account::Role;
    use crate::history::Kind;
    let me = super::gate::require(Role::Admin, &csrf).await?;
    let Ok(entity) = entity.parse::<Kind>() else {
        return Err(AppError::BadRequest(
            "The entity must be event or source.".into(),
        ));
    };
    let state = super::gate::state()?;
    restore(&state.pool, entity, id, version, me.editor.id)
        .await?
        .ok_or_else(|| AppError::NotFound("revision".into()))
}

#[cfg(feature = "ssr")]
use crate::db::{revisions, DbError, Pool};
#[cfg(feature = "ssr")]
use crate::history::Kind;

#[cfg(feature = "ssr")]
async fn build(pool: &Pool, kind: Kind, id: i64) -> Result<Option<History>, DbError> {
    use crate::domain::{EventId, SourceId};
    use crate::history::{minutes, views, ProposalView, COMPARED_REVISIONS};
    let (title, href, entity) = match kind {
        Kind::Event => match crate::db::events::editable(pool, EventId(id)).await? {
            Some(e) => (
                e.snapshot.draft.title,
                format!("/events/{id}/edit"),
                revisions::Entity::Event,
            ),
            None => return Ok(None),
        },
        Kind::Source => match crate::db::sources::editable(pool, SourceId(id)).await? {
            Some(s) => (
                s.form.title,
                format!("/sources/{id}"),
                revisions::Entity::Source,
            ),
            None => return Ok(None),
        },
    };
    // The compared revisions and the one before the oldest of them.
    let stored = revisions::list(pool, entity, id, COMPARED_REVISIONS as i32 + 1).await?;
    // Diffing long texts is CPU work of up to the page's budget: off the async workers.
    let views = match tokio::task::spawn_blocking(move || views(&stored)).await {
        Ok(views) => views,
        Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
        // Only a runtime shutting down cancels a blocking task.
        Err(e) => return Err(DbError::Sqlx(sqlx::Error::Io(std::io::Error::other(e)))),
    };
    let proposals = crate::db::pending::not_applied(pool, entity, id)
        .await?
        .into_iter()
        .map(|p| ProposalView {
            state: match p.state {
                crate::db::pending::State::Pending => "pending",
                crate::db::pending::State::Approved => "approved",
                crate::db::pending::State::Rejected => "rejected",
            }
            .into(),
            author: p.author,
            at: minutes(p.created_at),
            comment: p.comment,
            base_version: p.base_version,
            decided_by: p.decided_by,
            decided_at: p.decided_at.map(minutes),
            reason: p.reason,
        })
        .collect();
    Ok(Some(History {
        entity: match kind {
            Kind::Event => "event".into(),
            Kind::Source => "source".into(),
        },
        id,
        title,
        href,
        revisions: views,
        proposals,
    }))
}

#[cfg(feature = "ssr")]
async fn restore(
    pool: &Pool,
    kind: Kind,
    id: i64,
    version: i32,
    author: i64,
) -> Result<Option<RestoreOutcome>, DbError> {
    use crate::domain::revision::Snapshot;
    use crate::domain::{EventId, SourceId};
    let entity = match kind {
        Kind::Event => revisions::Entity::Event,
        Kind::Source => revisions::Entity::Source,
    };
    let Some(old) = revisions::snapshot_at(pool, entity, id, version).await? else {
        return Ok(None);
    };
    let comment = format!("Restored version {version}");
    match old {
        Snapshot::Event(snapshot) | Snapshot::EventBeforeLists(snapshot) => {
            use crate::db::events::{editable, update, Saved};
            let Some(current) = editable(pool, EventId(id)).await? else {
                return Ok(None);
            };
            Ok(Some(
                match update(
                    pool,
                    EventId(id),
                    current.version,
                    &snapshot.draft,
                    author,
                    &comment,
                )
                .await?
                {
                    Saved::Done { version, .. } => RestoreOutcome::Restored { version },
                    Saved::Stale(_) => RestoreOutcome::Conflict,
                },
            ))
        }
        Snapshot::Source(snapshot) => {
            use crate::db::sources::{editable, update, SourceSaved};
            let draft = snapshot.into();
            let Some(current) = editable(pool, SourceId(id)).await? else {
                return Ok(None);
            };
            Ok(Some(
                match update(
                    pool,
                    SourceId(id),
                    current.version,
                    &draft,
                    author,
                    &comment,
                )
                .await?
                {
                    SourceSaved::Done { version, .. } => RestoreOutcome::Restored { version },
                    SourceSaved::Stale(_) => RestoreOutcome::Conflict,
                },
            ))
        }
    }
}
