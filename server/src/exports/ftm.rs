//! The events as FollowTheMoney entities (`/exports/events.ftm.json`, one entity per
//! line), the model OpenSanctions and Aleph read: a `Sanction` per measure and target,
//! naming the target as a `LegalEntity`. Only events that are measures (imposed, eased,
//! extended, lifted, retaliated) with a target are sanctions; a threat or a clarification
//! is not, and an event without a target has nothing to sanction.

use app::domain::export::ExportedEvent;
use app::domain::lifecycle::LifecycleStep;
use app::domain::EventKind;
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};
use std::collections::HashSet;

/// Entity ids of this site's export start so, apart from anyone else's.
const ID_PREFIX: &str = "sanctions-timeline";

/// The entities of one page of events. `named` holds the targets already written by
/// earlier pages: each `LegalEntity` is written once per export.
pub fn entities(
    events: &[ExportedEvent],
    public_url: &str,
    named: &mut HashSet<String>,
) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    for e in events.iter().filter(|e| is_measure(e.kind)) {
        for target in &e.targets {
            let key = target_key(target);
            let entity = format!("{ID_PREFIX}-entity-{key}");
            if named.insert(key.clone()) {
                write(
                    &mut out,
                    &entity,
                    "LegalEntity",
                    properties([("name", vec![target.clone()])]),
                )?;
            }
            let sanction = format!("{ID_PREFIX}-sanction-{}-{key}", e.id.0);
            write(
                &mut out,
                &sanction,
                "Sanction",
                sanction_properties(e, &entity, public_url),
            )?;
        }
    }
    Ok(out)
}

fn is_measure(kind: EventKind) -> bool {
    matches!(
        kind,
        EventKind::Imposed
            | EventKind::Eased
            | EventKind::Extended
            | EventKind::Lifted
            | EventKind::Retaliated
    )
}

/// A target's part of the ids, the same in every export: from its name, which the record
/// keeps unique regardless of case.
fn target_key(name: &str) -> String {
    let digest = Sha256::digest(name.trim().to_lowercase().as_bytes());
    hex::encode(&digest[..12])
}

/// Dates as FtM takes them: `2019`, `2019-05` or `2019-05-16`, as precise as known.
fn sanction_properties(e: &ExportedEvent, entity: &str, public_url: &str) -> Map<String, Value> {
    let step = |s: LifecycleStep| {
        e.lifecycle
            .iter()
            .find(|m| m.step == s)
            .map(|m| m.date.iso())
    };
    let starts = step(LifecycleStep::Effective).unwrap_or_else(|| e.date.clone());
    let ends = step(LifecycleStep::Lifted)
        .or_else(|| step(LifecycleStep::Expires))
        .or_else(|| e.end_date.clone());
    let mut sources = vec![format!("{public_url}{}", e.permalink)];
    for c in &e.citations {
        if !sources.contains(&c.source_url) {
            sources.push(c.source_url.clone());
        }
    }
    let program = e
        .legal_instrument
        .clone()
        .or_else(|| e.legal_act.as_ref().map(|a| a.identifier()));
    properties([
        ("entity", vec![entity.to_owned()]),
        ("authority", e.authorities.clone()),
        ("status", vec![e.kind.as_str().to_owned()]),
        ("summary", vec![e.title.clone()]),
        ("description", some(&e.summary)),
        ("date", vec![e.date.clone()]),
        ("startDate", vec![starts]),
        (
            "listingDate",
            if e.kind == EventKind::Imposed {
                vec![e.date.clone()]
            } else {
                Vec::new()
            },
        ),
        ("endDate", ends.into_iter().collect()),
        ("program", program.into_iter().collect()),
        (
            "programId",
            e.legal_act.iter().map(|a| a.identifier()).collect(),
        ),
        (
            "programUrl",
            e.legal_act.iter().map(|a| a.official_url()).collect(),
        ),
        ("sourceUrl", sources),
        ("recordId", vec![e.id.0.to_string()]),
    ])
}

fn some(text: &str) -> Vec<String> {
    let text = text.trim();
    if text.is_empty() {
        Vec::new()
    } else {
        vec![text.to_owned()]
    }
}

/// FtM's property map: every value a list; empty lists left out.
fn properties<const N: usize>(pairs: [(&str, Vec<String>); N]) -> Map<String, Value> {
    pairs
        .into_iter()
        .filter(|(_, values)| !values.is_empty())
        .map(|(name, values)| (name.to_owned(), json!(values)))
        .collect()
}

fn write(
    out: &mut Vec<u8>,
    id: &str,
    schema: &str,
    properties: Map<String, Value>,
) -> Result<(), String> {
    let entity = json!({ "id": id, "schema": schema, "properties": properties });
    serde_json::to_writer(&mut *out, &entity).map_err(|e| e.to_string())?;
    out.push(b'\n');
    Ok(())
}
