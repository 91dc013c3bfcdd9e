//! Revisions: every editor's change to an event or a source, as the record then stood.
//! This module alone turns a [`Snapshot`] into the stored JSON and back.

use super::DbError;
use crate::domain::event_form::EventSnapshot;
use crate::domain::revision::{Snapshot, SourceSnapshot};
use sqlx::PgConnection;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entity {
    Event,
    Source,
}

impl Entity {
    pub fn as_str(self) -> &'static str {
        match self {
            Entity::Event => "event",
            Entity::Source => "source",
        }
    }

    /// What a snapshot is of.
    pub fn of(snapshot: &Snapshot) -> Entity {
        match snapshot {
            Snapshot::Event(_) | Snapshot::EventBeforeLists(_) => Entity::Event,
            Snapshot::Source(_) => Entity::Source,
        }
    }
}

/// Writes one revision; the caller's transaction makes it part of the change itself.
pub async fn record(
    conn: &mut PgConnection,
    id: i64,
    version: i32,
    author: i64,
    comment: &str,
    snapshot: &Snapshot,
) -> Result<(), DbError> {
    sqlx::query!(
        r#"INSERT INTO revisions (entity, entity_id, version, author_id, comment, snapshot)
           VALUES ($1, $2, $3, $4, $5, $6)"#,
        Entity::of(snapshot).as_str(),
        id,
        version,
        author,
        comment.trim(),
        to_stored(snapshot)?
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// One stored revision, oldest first in [`list`].
#[derive(Debug, Clone)]
pub struct Stored {
    pub version: i32,
    pub author: String,
    pub at: chrono::DateTime<chrono::Utc>,
    pub comment: String,
    /// `None` for the revisions [`list`] did not read it for.
    pub snapshot: Option<Snapshot>,
}

/// Every revision of one event or source, oldest first; the snapshots of the newest
/// `newest_with_snapshots` only.
pub async fn list(
    pool: &super::Pool,
    entity: Entity,
    id: i64,
    newest_with_snapshots: i32,
) -> Result<Vec<Stored>, DbError> {
    // A source's snapshot holds its whole text: only the newest few, which the page
    // compares, are read, so a long history costs rows, not megabytes each.
    sqlx::query!(
        r#"SELECT r.version, r.comment, r.created_at,
                  CASE WHEN r.version > max(r.version) OVER () - $3 THEN r.snapshot
                       ELSE 'null'::jsonb END AS "snapshot!",
                  COALESCE(u.display_name, 'the system') AS "author!"
           FROM revisions r LEFT JOIN users u ON u.id = r.author_id
           WHERE r.entity = $1 AND r.entity_id = $2
           ORDER BY r.version"#,
        entity.as_str(),
        id,
        newest_with_snapshots
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|r| {
        let snapshot = match r.snapshot {
            serde_json::Value::Null => None,
            stored => Some(from_stored(entity, id, r.version, stored)?),
        };
        Ok(Stored {
            version: r.version,
            author: r.author,
            at: r.created_at,
            comment: r.comment,
            snapshot,
        })
    })
    .collect()
}

/// The snapshot one revision kept, if there is such a revision.
pub async fn snapshot_at(
    pool: &super::Pool,
    entity: Entity,
    id: i64,
    version: i32,
) -> Result<Option<Snapshot>, DbError> {
    sqlx::query_scalar!(
        "SELECT snapshot FROM revisions WHERE entity = $1 AND entity_id = $2 AND version = $3",
        entity.as_str(),
        id,
        version
    )
    .fetch_optional(pool)
    .await?
    .map(|stored| from_stored(entity, id, version, stored))
    .transpose()
}

/// An event's revision as stored, read back as the event it kept.
pub(super) fn event_snapshot(
    id: i64,
    version: i32,
    stored: serde_json::Value,
) -> Result<EventSnapshot, DbError> {
    match from_stored(Entity::Event, id, version, stored)? {
        Snapshot::Event(e) | Snapshot::EventBeforeLists(e) => Ok(e),
        Snapshot::Source(_) => Err(DbError::Corrupt(format!(
            "revision {version} of event {id} keeps a source"
        ))),
    }
}

pub(super) fn source_snapshot(
    id: i64,
    version: i32,
    stored: serde_json::Value,
) -> Result<SourceSnapshot, DbError> {
    match from_stored(Entity::Source, id, version, stored)? {
        Snapshot::Source(s) => Ok(s),
        Snapshot::Event(_) | Snapshot::EventBeforeLists(_) => Err(DbError::Corrupt(format!(
            "revision {version} of source {id} keeps an event"
        ))),
    }
}

/// The JSON a revision stores: the snapshot's own fields, untagged (the row's `entity`
/// says what it is of).
fn to_stored(snapshot: &Snapshot) -> Result<serde_json::Value, DbError> {
    match snapshot {
        Snapshot::Event(e) | Snapshot::EventBeforeLists(e) => serde_json::to_value(e),
        Snapshot::Source(s) => serde_json::to_value(s),
    }
    .map_err(|e| DbError::Corrupt(format!("a snapshot that cannot be stored: {e}")))
}

/// Reads back what [`to_stored`] wrote, now or in earlier versions.
fn from_stored(
    entity: Entity,
    id: i64,
    version: i32,
    stored: serde_json::Value,
) -> Result<Snapshot, DbError> {
    let corrupt = |e: serde_json::Error| {
        DbError::Corrupt(format!(
            "revision {version} of {} {id} does not read as one: {e}",
            entity.as_str()
        ))
    };
    match entity {
        Entity::Event => {
            // Revisions written before the lists of cited passages and relations lack
            // both keys; their absence is not "none cited".
            let lists = stored.get("cited").is_some() || stored.get("related").is_some();
            let event: EventSnapshot = serde_json::from_value(stored).map_err(corrupt)?;
            Ok(if lists {
                Snapshot::Event(event)
            } else {
                Snapshot::EventBeforeLists(event)
            })
        }
        Entity::Source => Ok(Snapshot::Source(
            serde_json::from_value::<SourceSnapshot>(stored).map_err(corrupt)?,
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{DatePrecision, EventKind, EventStatus};

    /// An event's revision exactly as the versions before typed snapshots stored it.
    const EVENT_AS_STORED: &str = r#"{
        "title": "Huawei added to the US Entity List",
        "summary": "The Commerce Department listed Huawei.",
        "kind": "imposed",
        "date": {"date": "2019-05-16", "precision": "day"},
        "end": null,
        "date_phrase": "on 16 May",
        "authorities": ["US Department of Commerce"],
        "targets": ["Huawei", "HiSilicon"],
        "legal_instrument": null,
        "status": "published",
        "cited": ["“added Huawei” — Federal Register (source 3)"],
        "related": ["modifies Huawei exemption (event 7)"]
    }"#;

    /// A source's revision as `db::sources::snapshot` stored it.
    const SOURCE_AS_STORED: &str = r#"{
        "url": "https://example.org/huawei", "title": "Huawei på listen",
        "publisher": "DR", "authors": ["A. Forfatter"], "published_on": "2019-05-17",
        "language": "da", "body": "Et.\n\nTo."
    }"#;

    fn stored(json: &str) -> serde_json::Value {
        serde_json::from_str(json).expect("test JSON")
    }

    #[test]
    fn revisions_stored_in_the_untyped_shape_still_read_and_write_back_the_same() {
        let read = from_stored(Entity::Event, 1, 2, stored(EVENT_AS_STORED)).unwrap();
        let Snapshot::Event(e) = &read else {
            panic!("{read:?}")
        };
        assert_eq!(e.draft.title, "Huawei added to the US Entity List");
        assert_eq!(e.draft.kind, EventKind::Imposed);
        assert_eq!(e.draft.date.precision, DatePrecision::Day);
        assert_eq!(e.draft.date_phrase.as_deref(), Some("on 16 May"));
        assert_eq!(e.draft.targets, ["Huawei", "HiSilicon"]);
        assert_eq!(e.status, EventStatus::Published);
        assert_eq!(e.related, ["modifies Huawei exemption (event 7)"]);
        assert_eq!(to_stored(&read).unwrap(), stored(EVENT_AS_STORED));

        let read = from_stored(Entity::Source, 3, 1, stored(SOURCE_AS_STORED)).unwrap();
        let Snapshot::Source(s) = &read else {
            panic!("{read:?}")
        };
        assert_eq!((s.language.as_str(), s.body.as_str()), ("da", "Et.\n\nTo."));
        assert_eq!(to_stored(&read).unwrap(), stored(SOURCE_AS_STORED));

        // Written before revisions listed passages and relations.
        let mut older = stored(EVENT_AS_STORED);
        let map = older.as_object_mut().unwrap();
        map.remove("cited");
        map.remove("related");
        let read = from_stored(Entity::Event, 1, 1, older).unwrap();
        assert!(matches!(read, Snapshot::EventBeforeLists(_)), "{read:?}");
    }

    #[test]
    fn a_snapshot_that_does_not_read_is_corrupt_and_says_which() {
        let mut bad = stored(SOURCE_AS_STORED);
        bad["language"] = "not a language".into();
        match from_stored(Entity::Source, 3, 4, bad) {
            Err(DbError::Corrupt(why)) => {
                assert!(why.starts_with("revision 4 of source 3"), "{why}");
                assert!(why.contains("language tag"), "{why}");
            }
            other => panic!("{other:?}"),
        }
        let event_as_source = stored(EVENT_AS_STORED);
        assert!(matches!(
            from_stored(Entity::Source, 3, 1, event_as_source),
            Err(DbError::Corrupt(_))
        ));
    }
}
