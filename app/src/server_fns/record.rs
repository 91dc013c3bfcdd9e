//! Reading the record: the server functions readers' pages load their data through. Each
//! runs the same queries the JSON API uses, with the same domain types.

use super::AppError;
use crate::domain::filter::RawEventFilter;
use crate::domain::timeline::{Facets, RawTimelineQuery, TimelineWindow};
use crate::domain::{EventDetail, EventPage, SourceDetail};
use leptos::prelude::*;
use leptos::server_fn::codec::{GetUrl, Postcard};
use serde::{Deserialize, Serialize};

/// A filter a reader typed that cannot be read: the caller's to correct, with the reason.
#[cfg(feature = "ssr")]
fn refused(e: impl std::fmt::Display) -> AppError {
    AppError::BadRequest(e.to_string())
}

/// What the timeline page lists under the timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Listing {
    /// Events in date order, a page at a time.
    Dated(EventPage),
    /// With `in_force`: the measures in force on that day.
    InForce(crate::domain::in_force::InForce),
}

/// A page of the timeline's list, or the measures in force on the filter's `in_force` day.
#[server(input = GetUrl, prefix = "/api", endpoint = "load_timeline")]
pub async fn load_timeline(
    // An unfiltered page sends no fields at all.
    #[server(default)] filter: RawEventFilter,
) -> Result<Listing, AppError> {
    use crate::domain::EventFilter;
    let state = super::gate::state()?;
    let filter = EventFilter::try_from(filter).map_err(refused)?;
    Ok(match filter.in_force {
        Some(day) => Listing::InForce(crate::db::in_force::on(&state.pool, day, &filter).await?),
        None => Listing::Dated(crate::db::events::list(&state.pool, &filter).await?),
    })
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum EventLookup {
    Found {
        detail: Box<EventDetail>,
        /// Absolute URL of the canonical permalink.
        canonical_url: String,
    },
    /// Withdrawn by an admin: the permalink says so (410 Gone).
    Archived {
        title: String,
    },
    NotFound,
}

/// This site's public address (`https://host`, no trailing `/`), for the links other
/// sites keep (an embed's snippet).
#[server(input = GetUrl, prefix = "/api", endpoint = "load_site_address")]
pub async fn load_site_address() -> Result<String, AppError> {
    Ok(super::gate::state()?.public_url.clone())
}

/// One published event by its permalink key (`42` or `42-any-slug`).
#[server(input = GetUrl, prefix = "/api", endpoint = "load_event")]
pub async fn load_event(key: String) -> Result<EventLookup, AppError> {
    let state = super::gate::state()?;
    let Ok(key) = key.parse::<crate::domain::EventKey>() else {
        return Ok(EventLookup::NotFound);
    };
    let detail = crate::db::events::detail(&state.pool, key.id, false).await?;
    Ok(match detail {
        Some(detail) => EventLookup::Found {
            canonical_url: format!("{}{}", state.public_url, detail.event.permalink()),
            detail: Box::new(detail),
        },
        None => match crate::db::events::status_of(&state.pool, key.id).await? {
            Some((crate::domain::EventStatus::Archived, _, title)) => {
                EventLookup::Archived { title }
            }
            _ => EventLookup::NotFound,
        },
    })
}

/// The published record at the end of a past day (`day`: `YYYY-MM-DD`, UTC), a page at
/// a time, with the list's filter (all but `in_force`).
#[server(input = GetUrl, prefix = "/api", endpoint = "load_as_recorded")]
pub async fn load_as_recorded(
    day: String,
    #[server(default)] filter: RawEventFilter,
) -> Result<crate::domain::as_recorded::AsRecorded, AppError> {
    use crate::domain::EventFilter;
    let day = recorded_day(&day)?;
    let filter = EventFilter::try_from(filter).map_err(refused)?;
    if filter.in_force.is_some() {
        return Err(AppError::BadRequest(
            crate::domain::as_recorded::NOT_WITH_IN_FORCE.into(),
        ));
    }
    let state = super::gate::state()?;
    Ok(crate::db::as_recorded::list(&state.pool, day, &filter).await?)
}

/// One event's permalink as the published record had it at the end of `day`, and the
/// event as it is now when it has not been edited since (the page then shows that).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordedPermalink {
    pub recorded: crate::domain::as_recorded::RecordedLookup,
    pub unchanged: Option<EventLookup>,
}

/// One event's permalink as the published record had it at the end of `day`.
#[server(input = GetUrl, prefix = "/api", endpoint = "load_event_as_recorded")]
pub async fn load_event_as_recorded(
    key: String,
    day: String,
) -> Result<RecordedPermalink, AppError> {
    use crate::domain::as_recorded::RecordedLookup;
    let day = recorded_day(&day)?;
    let state = super::gate::state()?;
    let Ok(id) = key.parse::<crate::domain::EventKey>().map(|k| k.id) else {
        return Ok(RecordedPermalink {
            recorded: RecordedLookup::NotPublished,
            unchanged: None,
        });
    };
    let recorded = crate::db::as_recorded::event(&state.pool, id, day).await?;
    // Only an event unchanged since is read as it is now: a kept version needs nothing more.
    let unchanged = match recorded {
        RecordedLookup::Unchanged => Some(load_event(key).await?),
        _ => None,
    };
    Ok(RecordedPermalink {
        recorded,
        unchanged,
    })
}

/// What the timeline's panel shows of the selected event, and no more: the readers'
/// bundle then carries the code to read this, not a whole permalink's data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum EventCard {
    /// As it is now, or as it stood on the drawn day and still stands.
    Now(Box<CardFace>),
    /// As it stood on the drawn day, edited since; `version` is the revision's.
    Then { version: i32, face: Box<CardFace> },
    /// Not published (now, or on the drawn day).
    NotPublished,
}

/// The selected event's date, kind, title, actors, permalink and cited passages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CardFace {
    pub date: crate::domain::FuzzyDate,
    pub end: Option<crate::domain::FuzzyDate>,
    pub kind: crate::domain::EventKind,
    pub title: String,
    /// The permalink's path, as it is now (the panel adds a past day).
    pub permalink: String,
    pub authorities: Vec<crate::domain::ActorRef>,
    pub targets: Vec<crate::domain::ActorRef>,
    /// Its cited passages; none for a past version (that day's permalink has them).
    pub quotes: Vec<CardQuote>,
}

/// One cited passage as the panel shows it, with where it comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CardQuote {
    pub citation: i64,
    pub exact: String,
    /// The source's language tag (`da`, `en`, ...).
    pub language: String,
    pub source: i64,
    pub source_title: String,
    pub publisher: String,
}

#[cfg(feature = "ssr")]
impl CardFace {
    fn now(detail: EventDetail) -> Self {
        let e = detail.event;
        CardFace {
            permalink: e.permalink(),
            date: e.date,
            end: e.end,
            kind: e.kind,
            title: e.title,
            authorities: e.authorities,
            targets: e.targets,
            quotes: detail
                .citations
                .into_iter()
                .map(|c| CardQuote {
                    citation: c.id.0,
                    exact: c.quote.exact,
                    language: c.source.language.as_str().to_owned(),
                    source: c.source.id.0,
                    source_title: c.source.title,
                    publisher: c.source.publisher,
                })
                .collect(),
        }
    }
}

/// The selected event as the timeline's panel shows it: as it is now, or (`as_recorded`,
/// `YYYY-MM-DD`) as the published record had it at the end of that day. In postcard, as
/// the readers' bundle reads it (its errors stay JSON).
#[server(input = GetUrl, output = Postcard, prefix = "/api", endpoint = "load_event_card")]
pub async fn load_event_card(
    key: String,
    #[server(default)] as_recorded: Option<String>,
) -> Result<EventCard, AppError> {
    use crate::domain::as_recorded::RecordedLookup;
    let now = |lookup: Option<EventLookup>| match lookup {
        Some(EventLookup::Found { detail, .. }) => EventCard::Now(Box::new(CardFace::now(*detail))),
        _ => EventCard::NotPublished,
    };
    let Some(day) = as_recorded else {
        return Ok(now(Some(load_event(key).await?)));
    };
    let Ok(id) = key.parse::<crate::domain::EventKey>().map(|k| k.id) else {
        return Ok(EventCard::NotPublished);
    };
    let answer = load_event_as_recorded(key, day).await?;
    Ok(match answer.recorded {
        RecordedLookup::Unchanged => now(answer.unchanged),
        RecordedLookup::Changed {
            version,
            snapshot,
            authorities,
            targets,
            ..
        } => {
            let d = snapshot.draft;
            let slug = crate::domain::Slug::from_title(&d.title);
            EventCard::Then {
                version,
                face: Box::new(CardFace {
                    permalink: crate::domain::event::permalink_path(id, &slug),
                    date: d.date,
                    end: d.end,
                    kind: d.kind,
                    title: d.title,
                    authorities,
                    targets,
                    quotes: Vec::new(),
                }),
            }
        }
        RecordedLookup::NotPublished | RecordedLookup::NotKept => EventCard::NotPublished,
    })
}

#[cfg(feature = "ssr")]
fn recorded_day(day: &str) -> Result<crate::domain::as_recorded::RecordedDay, AppError> {
    crate::domain::as_recorded::RecordedDay::parse(day, chrono::Utc::now().date_naive())
        .map_err(refused)
}

/// One source with its text and cited passages.
#[server(input = GetUrl, prefix = "/api", endpoint = "load_source")]
pub async fn load_source(id: String) -> Result<Option<SourceDetail>, AppError> {
    use crate::domain::SourceId;
    let state = super::gate::state()?;
    let Ok(id) = id.parse::<i64>() else {
        return Ok(None);
    };
    // An editor opening a source nobody cites yet (just added) sees it; readers do not.
    let for_editors = super::gate::signed_in().await?.is_some();
    Ok(crate::db::sources::detail(&state.pool, SourceId(id), for_editors).await?)
}

/// A source's page as the published record had it at the end of `day`, and the source
/// as it is now when it has not been edited since (the page then shows that).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordedSourcePage {
    pub recorded: crate::domain::as_recorded::RecordedSource,
    pub unchanged: Option<SourceDetail>,
}

/// A source's page as the published record had it at the end of `day`.
#[server(input = GetUrl, prefix = "/api", endpoint = "load_source_as_recorded")]
pub async fn load_source_as_recorded(
    id: String,
    day: String,
) -> Result<RecordedSourcePage, AppError> {
    use crate::domain::as_recorded::RecordedSource;
    use crate::domain::SourceId;
    let day = recorded_day(&day)?;
    let state = super::gate::state()?;
    let Ok(id) = id.parse::<i64>().map(SourceId) else {
        return Ok(RecordedSourcePage {
            recorded: RecordedSource::NotPublished,
            unchanged: None,
        });
    };
    let recorded = crate::db::as_recorded::source(&state.pool, id, day).await?;
    let unchanged = match recorded {
        RecordedSource::Unchanged => crate::db::sources::detail(&state.pool, id, false).await?,
        _ => None,
    };
    Ok(RecordedSourcePage {
        recorded,
        unchanged,
    })
}

/// One window of the interactive timeline, in postcard (the readers' bundle reads it;
/// `/api/timeline` answers the same window in JSON).
#[server(input = GetUrl, output = Postcard, prefix = "/api", endpoint = "load_window")]
pub async fn load_window(
    #[server(default)] query: RawTimelineQuery,
) -> Result<TimelineWindow, AppError> {
    use crate::domain::timeline::TimelineQuery;
    let state = super::gate::state()?;
    let mut query = query;
    let blank = |s: &Option<String>| s.as_deref().is_none_or(|s| s.trim().is_empty());
    if blank(&query.start) || blank(&query.end) {
        // No view yet: frame the whole record the filters select.
        let filter = crate::domain::EventFilter::try_from(query.filter.clone()).map_err(refused)?;
        let (first, last) = crate::db::timeline::extent(&state.pool, &filter).await?;
        let pad = ((last - first).num_days() / 25).max(15);
        let fmt = |d: chrono::NaiveDate| Some(d.format("%Y-%m-%d").to_string());
        query.start = fmt(first - chrono::Duration::days(pad));
        query.end = fmt(last + chrono::Duration::days(pad));
    }
    let q = TimelineQuery::try_from(query).map_err(refused)?;
    Ok(crate::db::timeline::window(&state.pool, &q).await?)
}

/// What changed between two days (`from`, `to`: `YYYY-MM-DD`, both required).
#[server(input = GetUrl, prefix = "/api", endpoint = "load_changes")]
pub async fn load_changes(
    #[server(default)] from: Option<String>,
    #[server(default)] to: Option<String>,
) -> Result<crate::domain::changes::Changes, AppError> {
    let (from, to) =
        crate::domain::changes::period(from.as_deref(), to.as_deref()).map_err(refused)?;
    let state = super::gate::state()?;
    Ok(
        crate::db::changes::between(&state.pool, from, to, crate::domain::changes::MAX_CHANGES)
            .await?,
    )
}

/// Counts for the filter controls and the density strip.
#[server(input = GetUrl, prefix = "/api", endpoint = "load_facets")]
pub async fn load_facets(#[server(default)] filter: RawEventFilter) -> Result<Facets, AppError> {
    use crate::domain::EventFilter;
    let state = super::gate::state()?;
    let f = EventFilter::try_from(filter).map_err(refused)?;
    Ok(crate::db::timeline::facets(&state.pool, &f).await?)
}

/// An actor's page: who it is and, as a target, its standing with each authority.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActorOverview {
    pub profile: crate::domain::ActorProfile,
    /// None when no published event targets it.
    pub status: Option<crate::domain::target_status::TargetStatus>,
    /// The server's today: a standing still in force is drawn up to it.
    pub today: chrono::NaiveDate,
}

/// One actor by its id; none when there is no such actor.
#[server(input = GetUrl, prefix = "/api", endpoint = "load_actor")]
pub async fn load_actor(id: String) -> Result<Option<ActorOverview>, AppError> {
    let state = super::gate::state()?;
    let Ok(id) = id.parse::<i64>() else {
        return Ok(None);
    };
    let Some(profile) = crate::db::actors::profile(&state.pool, id).await? else {
        return Ok(None);
    };
    let status = if profile.as_target > 0 {
        Some(crate::db::target_status::of_target(&state.pool, profile.actor.clone()).await?)
    } else {
        None
    };
    Ok(Some(ActorOverview {
        profile,
        status,
        today: chrono::Utc::now().date_naive(),
    }))
}
