//! Review of changes readers see: the server functions of the review queue, and where an
//! editor's save goes (straight in, or held for an admin). What the page shows is
//! `crate::review`.

use super::AppError;
#[cfg(feature = "ssr")]
use crate::domain::revision::Snapshot;
#[cfg(feature = "ssr")]
use crate::domain::source_form::FieldErrors;
use crate::review::{DecideOutcome, PendingView};
use leptos::prelude::*;

/// The pending changes, oldest first, each with its diff against the live record:
/// admins only.
#[server(input = leptos::server_fn::codec::GetUrl, prefix = "/api", endpoint = "review_queue")]
pub async fn review_queue() -> Result<Vec<PendingView>, AppError> {
    use crate::domain::account::Role;
    super::gate::with_role(Role::Admin).await?;
    let state = super::gate::state()?;
    Ok(queue(&state.pool).await?)
}

/// How many changes wait for review (the header's "Review (N)"): admins only.
#[server(input = leptos::server_fn::codec::GetUrl, prefix = "/api", endpoint = "review_count")]
pub async fn review_count() -> Result<i64, AppError> {
    use crate::domain::account::Role;
    super::gate::with_role(Role::Admin).await?;
    let state = super::gate::state()?;
    Ok(crate::db::pending::waiting(&state.pool).await?)
}

/// Approves (`decision` = "approve") or rejects ("reject", with an optional `reason`) a
/// pending change: admins only.
#[server(prefix = "/api", endpoint = "decide_change")]
pub async fn decide_change(
    csrf: String,
    id: i64,
    decision: String,
    reason: Option<String>,
) -> Result<DecideOutcome, AppError> {
    use crate::domain::account::Role;
    let me = super::gate::require(Role::Admin, &csrf).await?;
    let reason = match crate::domain::source_form::comment(reason.as_deref()) {
        Ok(r) => r,
        Err(errors) => return Ok(DecideOutcome::Invalid(errors)),
    };
    let state = super::gate::state()?;
    let decided = match decision.as_str() {
        "approve" => approve(&state.pool, id, &me.editor).await?,
        "reject" => reject(&state.pool, id, me.editor.id, reason).await?,
        _ => {
            return Err(AppError::BadRequest(
                "The decision must be approve or reject.".into(),
            ))
        }
    };
    decided.ok_or_else(|| AppError::NotFound("pending change".into()))
}

#[cfg(feature = "ssr")]
use crate::db::{pending, DbError, Pool};

/// Where an editor's save goes.
#[cfg(feature = "ssr")]
#[derive(Debug)]
pub enum Route<T> {
    /// Not something readers see: saved as usual.
    Direct,
    /// Made on an older version: refused as any stale save is, with the record as it is.
    Stale(Box<T>),
    /// Readers see it: kept for an admin's review.
    Review,
}

/// Keeps an editor's change for review (nothing readers see changes); returns the
/// history page that lists it.
#[cfg(feature = "ssr")]
pub async fn hold_for_review(
    pool: &Pool,
    id: i64,
    version: i32,
    author: i64,
    comment: &str,
    proposed: &pending::Proposed,
) -> Result<String, DbError> {
    pending::submit(pool, id, version, author, comment, proposed).await?;
    Ok(format!("/{}s/{id}/history", proposed.entity().as_str()))
}

/// Where an editor's (not an admin's) save of event `id` made on `version` goes.
#[cfg(feature = "ssr")]
pub async fn event_route(
    pool: &Pool,
    id: crate::domain::EventId,
    version: i32,
) -> Result<Route<crate::domain::event_form::Editable>, DbError> {
    let current = crate::db::events::editable(pool, id)
        .await?
        .ok_or(DbError::NotFound("event"))?;
    Ok(if current.version != version {
        Route::Stale(Box::new(current))
    } else if current.snapshot.status == crate::domain::EventStatus::Published {
        Route::Review
    } else {
        Route::Direct
    })
}

/// Where an editor's (not an admin's) save of source `id` made on `version` goes.
#[cfg(feature = "ssr")]
pub async fn source_route(
    pool: &Pool,
    id: crate::domain::SourceId,
    version: i32,
) -> Result<Route<crate::domain::source_form::EditableSource>, DbError> {
    let current = crate::db::sources::editable(pool, id)
        .await?
        .ok_or(DbError::NotFound("source"))?;
    Ok(if current.version != version {
        Route::Stale(Box::new(current))
    } else if crate::db::sources::cited_by_published(pool, id).await? {
        Route::Review
    } else {
        Route::Direct
    })
}

/// The comment of an approved change's revision: the editor's, and who approved it,
/// within the length a revision's comment may have.
#[cfg(feature = "ssr")]
fn approved_comment(comment: &str, admin: &str) -> String {
    use crate::domain::source_form::MAX_COMMENT_CHARS;
    let suffix = format!("(approved by {admin})");
    let room = MAX_COMMENT_CHARS.saturating_sub(suffix.chars().count() + 1);
    let comment: String = comment.trim().chars().take(room).collect();
    let full = if comment.is_empty() {
        suffix
    } else {
        format!("{comment} {suffix}")
    };
    full.chars().take(MAX_COMMENT_CHARS).collect()
}

/// Puts a pending change live through the normal save, at the version it was made on.
/// The change stays locked meanwhile, so two admins cannot both decide it.
#[cfg(feature = "ssr")]
async fn approve(
    pool: &Pool,
    id: i64,
    admin: &crate::domain::account::Editor,
) -> Result<Option<DecideOutcome>, DbError> {
    use crate::db::{events, sources};
    use crate::domain::event_form::QuoteRule;
    use crate::domain::{EventId, SourceId};
    let mut tx = pool.begin().await?;
    let Some(change) = pending::lock(&mut tx, id).await? else {
        return Ok(None);
    };
    if change.state != pending::State::Pending {
        return Ok(Some(DecideOutcome::AlreadyDecided));
    }
    let comment = approved_comment(&change.comment, &admin.display_name);
    let invalid = |field: &str, reason: String| {
        Ok(Some(DecideOutcome::Invalid(FieldErrors::one(
            field, reason,
        ))))
    };
    let outcome = match &change.proposed {
        pending::Proposed::Event(form) => {
            let draft = match form.parse(QuoteRule::Optional) {
                Ok(d) => d,
                Err(errors) => return Ok(Some(DecideOutcome::Invalid(errors))),
            };
            let saved = events::update(
                pool,
                EventId(change.entity_id),
                change.base_version,
                &draft,
                change.author_id,
                &comment,
            )
            .await;
            match saved {
                Ok(events::Saved::Done { version, .. }) => DecideOutcome::Approved {
                    version,
                    href: format!("/events/{}/edit", change.entity_id),
                    report: None,
                },
                Ok(events::Saved::Stale(current)) => DecideOutcome::Stale {
                    base: change.base_version,
                    current: current.version,
                },
                Err(DbError::Quote(e)) => return invalid("quote", e.to_string()),
                Err(DbError::NotFound("source")) => {
                    return invalid("quote", "that source does not exist (any more)".into())
                }
                Err(DbError::Invalid { field, reason }) => return invalid(field, reason),
                Err(e) => return Err(e),
            }
        }
        pending::Proposed::Source(form) => {
            let source = SourceId(change.entity_id);
            let url = sources::url_of(pool, source)
                .await?
                .ok_or(DbError::NotFound("source"))?;
            let draft = match form
                .clone()
                .for_edit(&url)
                .parse(chrono::Utc::now().date_naive())
            {
                Ok(d) => d,
                Err(errors) => return Ok(Some(DecideOutcome::Invalid(errors))),
            };
            match sources::update(
                pool,
                source,
                change.base_version,
                &draft,
                change.author_id,
                &comment,
            )
            .await?
            {
                sources::SourceSaved::Done { version, report } => DecideOutcome::Approved {
                    version,
                    href: format!("/sources/{}", change.entity_id),
                    report: Some(report),
                },
                sources::SourceSaved::Stale(current) => DecideOutcome::Stale {
                    base: change.base_version,
                    current: current.version,
                },
            }
        }
    };
    if let DecideOutcome::Approved { version, .. } = &outcome {
        pending::approved(&mut tx, id, admin.id, *version).await?;
        tx.commit().await?;
    }
    Ok(Some(outcome))
}

/// Rejects a pending change: it is kept, with the reason, and nothing else changes.
#[cfg(feature = "ssr")]
async fn reject(
    pool: &Pool,
    id: i64,
    admin: i64,
    reason: &str,
) -> Result<Option<DecideOutcome>, DbError> {
    let mut tx = pool.begin().await?;
    let Some(change) = pending::lock(&mut tx, id).await? else {
        return Ok(None);
    };
    if change.state != pending::State::Pending {
        return Ok(Some(DecideOutcome::AlreadyDecided));
    }
    let reason = (!reason.is_empty()).then_some(reason);
    pending::rejected(&mut tx, id, admin, reason).await?;
    tx.commit().await?;
    Ok(Some(DecideOutcome::Rejected))
}

/// A pending change beside the live record, as two snapshots of the shape revisions keep.
#[cfg(feature = "ssr")]
struct Compared {
    title: String,
    href: String,
    version: i32,
    before: Snapshot,
    /// The record as the change would make it, or why that cannot be worked out.
    after: Result<Snapshot, String>,
}

#[cfg(feature = "ssr")]
fn unreadable(errors: &FieldErrors) -> String {
    let each: Vec<String> = errors.0.iter().map(|(f, m)| format!("{f}: {m}")).collect();
    format!(
        "The change no longer passes the form's checks ({}).",
        each.join("; ")
    )
}

/// The live event and the event as `form` would make it: its fields, and its passages
/// and relations less those the form takes away, plus those it adds.
#[cfg(feature = "ssr")]
async fn compare_event(
    pool: &Pool,
    id: i64,
    form: &crate::domain::event_form::EventForm,
) -> Result<Option<Compared>, DbError> {
    use crate::domain::event_form::{
        cited_line, related_line, EventDraft, EventSnapshot, NewRelation, QuoteRule, Removals,
    };
    use crate::domain::EventId;
    let Some(current) = crate::db::events::editable(pool, EventId(id)).await? else {
        return Ok(None);
    };
    let before = Snapshot::Event(current.snapshot.clone());
    let after = match form.parse(QuoteRule::Optional) {
        Err(errors) => Err(unreadable(&errors)),
        Ok(draft) => {
            let gone = &draft.removals;
            let mut cited: Vec<String> = current
                .citations
                .iter()
                .filter(|c| !gone.citations.contains(&c.id))
                .map(|c| cited_line(&c.quote.exact, &c.source.title, c.source.id))
                .collect();
            if let Some(q) = &draft.quote {
                let title = crate::db::sources::current(pool, q.source)
                    .await?
                    .map_or_else(|| "(no such source)".to_owned(), |(_, s)| s.title);
                cited.push(cited_line(&q.exact, &title, q.source));
            }
            let mut related: Vec<String> = current
                .relations
                .iter()
                .filter(|r| {
                    let token = NewRelation {
                        kind: r.kind,
                        to: r.event.id,
                    };
                    r.outgoing && !gone.relations.contains(&token)
                })
                .map(|r| related_line(r.kind, &r.event.title, r.event.id))
                .collect();
            if let Some(r) = draft.relation {
                let title = crate::db::events::status_of(pool, r.to)
                    .await?
                    .map_or_else(|| "(no such event)".to_owned(), |(_, _, t)| t);
                related.push(related_line(r.kind, &title, r.to));
            }
            let proposed = EventSnapshot {
                draft: EventDraft {
                    quote: None,
                    relation: None,
                    removals: Removals::default(),
                    ..draft
                },
                status: current.snapshot.status,
                cited,
                related,
            };
            Ok(Snapshot::Event(proposed))
        }
    };
    Ok(Some(Compared {
        title: current.snapshot.draft.title.clone(),
        href: format!("/events/{id}/edit"),
        version: current.version,
        before,
        after,
    }))
}

/// The live source and the source as `form` would make it.
#[cfg(feature = "ssr")]
async fn compare_source(
    pool: &Pool,
    id: i64,
    form: &crate::domain::source_form::SourceForm,
) -> Result<Option<Compared>, DbError> {
    use crate::db::sources;
    let Some((version, current)) = sources::current(pool, crate::domain::SourceId(id)).await?
    else {
        return Ok(None);
    };
    let after = form
        .clone()
        .for_edit(&current.url)
        .parse(chrono::Utc::now().date_naive())
        .map(|d| Snapshot::Source((&d).into()))
        .map_err(|e| unreadable(&e));
    Ok(Some(Compared {
        title: current.title.clone(),
        href: format!("/sources/{id}/edit"),
        version,
        before: Snapshot::Source((&current).into()),
        after,
    }))
}

#[cfg(feature = "ssr")]
async fn queue(pool: &Pool) -> Result<Vec<PendingView>, DbError> {
    let waiting = pending::queue(pool).await?;
    let mut compared = Vec::new();
    for change in waiting {
        let c = match &change.proposed {
            pending::Proposed::Event(form) => compare_event(pool, change.entity_id, form).await?,
            pending::Proposed::Source(form) => compare_source(pool, change.entity_id, form).await?,
        };
        // A change to a record that is gone has nothing to compare with or apply to.
        if let Some(c) = c {
            compared.push((change, c));
        }
    }
    let pairs: Vec<(Snapshot, Snapshot)> = compared
        .iter()
        .filter_map(|(_, c)| c.after.as_ref().ok().map(|a| (c.before.clone(), a.clone())))
        .collect();
    // Diffing long texts is CPU work within the page's budget: off the async workers.
    let mut diffs =
        match tokio::task::spawn_blocking(move || crate::history::compare_all(&pairs)).await {
            Ok(diffs) => diffs.into_iter(),
            Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            // Only a runtime shutting down cancels a blocking task.
            Err(e) => return Err(DbError::Sqlx(sqlx::Error::Io(std::io::Error::other(e)))),
        };
    Ok(compared
        .into_iter()
        .map(|(change, c)| {
            let (changes, note) = match c.after {
                Ok(_) => (diffs.next().unwrap_or_default(), None),
                Err(note) => (Vec::new(), Some(note)),
            };
            PendingView {
                id: change.id,
                entity: change.entity().as_str().to_owned(),
                entity_id: change.entity_id,
                title: c.title,
                href: c.href,
                author: change.author,
                at: crate::history::minutes(change.created_at),
                comment: change.comment,
                base_version: change.base_version,
                current_version: c.version,
                changes,
                note,
            }
        })
        .collect())
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::approved_comment;
    use crate::domain::source_form::MAX_COMMENT_CHARS;

    #[test]
    fn an_approved_comment_names_the_admin_and_fits_a_revision() {
        assert_eq!(approved_comment("", "Ada"), "(approved by Ada)");
        assert_eq!(
            approved_comment(" Retter titlen ", "Ada"),
            "Retter titlen (approved by Ada)"
        );
        let long = approved_comment(&"å".repeat(MAX_COMMENT_CHARS), "Ada");
        assert_eq!(long.chars().count(), MAX_COMMENT_CHARS);
        assert!(long.ends_with("(approved by Ada)"));
    }
}
