//! Which events a reader asks for: the timeline page's query string and the API's.

use super::dates::parse_iso_day;
use super::event::{EventId, EventKind, EventSummary};
#[cfg(test)]
use super::url_query::query_string;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub const DEFAULT_LIMIT: i64 = 100;
pub const MAX_LIMIT: i64 = 1000;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FilterError {
    #[error("`{field}`: {reason}")]
    Field { field: &'static str, reason: String },
    #[error("`from` ({from}) is after `to` ({to}); swap them")]
    Reversed { from: NaiveDate, to: NaiveDate },
    #[error("the window's `start` ({start}) is after its `end` ({end}); swap them")]
    ReversedWindow { start: NaiveDate, end: NaiveDate },
    #[error(transparent)]
    AsRecorded(#[from] super::as_recorded::RecordedDayError),
}

/// Keyset position: the last event of the previous page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursor {
    pub date: NaiveDate,
    pub id: EventId,
}

impl Cursor {
    pub fn encode(&self) -> String {
        format!("{}_{}", self.date.format("%Y-%m-%d"), self.id.0)
    }

    pub fn decode(s: &str) -> Option<Cursor> {
        let (date, id) = s.split_once('_')?;
        Some(Cursor {
            date: parse_iso_day(date).ok()?,
            id: EventId(id.parse().ok()?),
        })
    }
}

/// A parsed filter: every field already checked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventFilter {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub q: Option<String>,
    pub kind: Option<EventKind>,
    pub actor: Option<String>,
    /// Exact actor names, as the timeline's facets offer them.
    pub authority: Option<String>,
    pub target: Option<String>,
    /// Only the measures in force on this day (`event_matches`): the list then shows
    /// them as measures in force (`domain::in_force`) instead of events in date order;
    /// the timeline draws only them, and its facets count only them.
    #[serde(default)]
    pub in_force: Option<NaiveDate>,
    pub limit: Option<i64>,
    pub cursor: Option<Cursor>,
}

/// The filter as it arrives: strings from a query string or a form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawEventFilter {
    pub from: Option<String>,
    pub to: Option<String>,
    pub q: Option<String>,
    pub kind: Option<String>,
    pub actor: Option<String>,
    pub authority: Option<String>,
    pub target: Option<String>,
    #[serde(default)]
    pub in_force: Option<String>,
    pub limit: Option<String>,
    pub cursor: Option<String>,
}

fn present(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

impl TryFrom<RawEventFilter> for EventFilter {
    type Error = FilterError;
    fn try_from(raw: RawEventFilter) -> Result<Self, Self::Error> {
        let day = |field: &'static str, s: &Option<String>| {
            present(s)
                .map(|s| {
                    parse_iso_day(s).map_err(|e| FilterError::Field {
                        field,
                        reason: format!("{e}; give a full date like 2019-05-16"),
                    })
                })
                .transpose()
        };
        let from = day("from", &raw.from)?;
        let to = day("to", &raw.to)?;
        let in_force = day("in_force", &raw.in_force)?;
        if let (Some(from), Some(to)) = (from, to) {
            if from > to {
                return Err(FilterError::Reversed { from, to });
            }
        }
        let kind = present(&raw.kind)
            .map(|k| {
                k.parse::<EventKind>().map_err(|reason| FilterError::Field {
                    field: "kind",
                    reason,
                })
            })
            .transpose()?;
        let limit = present(&raw.limit)
            .map(|l| match l.parse::<i64>() {
                Ok(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
                _ => Err(FilterError::Field {
                    field: "limit",
                    reason: format!("“{l}” is not a whole number from 1 to {MAX_LIMIT}"),
                }),
            })
            .transpose()?;
        let cursor = present(&raw.cursor)
            .map(|c| {
                Cursor::decode(c).ok_or_else(|| FilterError::Field {
                    field: "cursor",
                    reason: "not a cursor this server gave out; start again without it".into(),
                })
            })
            .transpose()?;
        let text = |s: &Option<String>, field: &'static str| {
            present(s)
                .map(|s| {
                    if s.chars().count() > 200 {
                        Err(FilterError::Field {
                            field,
                            reason: "longer than 200 characters".into(),
                        })
                    } else {
                        Ok(s.to_owned())
                    }
                })
                .transpose()
        };
        Ok(EventFilter {
            from,
            to,
            q: text(&raw.q, "q")?,
            kind,
            actor: text(&raw.actor, "actor")?,
            authority: text(&raw.authority, "authority")?,
            target: text(&raw.target, "target")?,
            in_force,
            limit,
            cursor,
        })
    }
}

impl EventFilter {
    pub fn effective_limit(&self) -> i64 {
        self.limit.unwrap_or(DEFAULT_LIMIT)
    }

    pub fn is_empty(&self) -> bool {
        self.from.is_none()
            && self.to.is_none()
            && self.q.is_none()
            && self.kind.is_none()
            && self.actor.is_none()
            && self.authority.is_none()
            && self.target.is_none()
            && self.in_force.is_none()
    }
}

impl RawEventFilter {
    /// The query-string keys of a filter, in the order links write them.
    const KEYS: [&'static str; 10] = [
        "q",
        "kind",
        "authority",
        "target",
        "actor",
        "from",
        "to",
        "in_force",
        "limit",
        "cursor",
    ];

    fn field(&self, key: &str) -> &Option<String> {
        match key {
            "q" => &self.q,
            "kind" => &self.kind,
            "authority" => &self.authority,
            "target" => &self.target,
            "actor" => &self.actor,
            "from" => &self.from,
            "to" => &self.to,
            "in_force" => &self.in_force,
            "limit" => &self.limit,
            _ => &self.cursor,
        }
    }

    /// Reads a filter from a URL's query (`get` looks one key up): the inverse of
    /// [`RawEventFilter::query_pairs`].
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> Self {
        RawEventFilter {
            from: get("from"),
            to: get("to"),
            q: get("q"),
            kind: get("kind"),
            actor: get("actor"),
            authority: get("authority"),
            target: get("target"),
            in_force: get("in_force"),
            limit: get("limit"),
            cursor: get("cursor"),
        }
    }

    /// The filter's fields as query-string pairs, blank ones left out: the one way a
    /// filter is written into a URL (the list's next page, the timeline's links).
    pub fn query_pairs(&self) -> Vec<(&'static str, String)> {
        Self::KEYS
            .into_iter()
            .filter_map(|k| {
                let v = self.field(k).as_deref().filter(|v| !v.trim().is_empty())?;
                Some((k, v.to_owned()))
            })
            .collect()
    }

    /// The events the filter selects, as a query string for a link to them all (a
    /// download, a feed): its fields as [`RawEventFilter::query_pairs`] writes them, the
    /// list's `limit` and `cursor` left out.
    pub fn selection_query(&self) -> String {
        super::url_query::query_string(
            self.query_pairs()
                .into_iter()
                .filter(|(k, _)| !matches!(*k, "limit" | "cursor")),
        )
    }

    /// The same filter at another page of the list (`None`: its first page).
    pub fn at_cursor(&self, cursor: Option<String>) -> RawEventFilter {
        RawEventFilter {
            cursor,
            ..self.clone()
        }
    }
}

/// One page of events in date order, and where the next begins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct EventPage {
    pub events: Vec<EventSummary>,
    pub next_cursor: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(pairs: &[(&str, &str)]) -> RawEventFilter {
        let mut r = RawEventFilter::default();
        for (k, v) in pairs {
            let v = Some(v.to_string());
            match *k {
                "from" => r.from = v,
                "to" => r.to = v,
                "q" => r.q = v,
                "kind" => r.kind = v,
                "limit" => r.limit = v,
                "cursor" => r.cursor = v,
                "authority" => r.authority = v,
                "target" => r.target = v,
                _ => r.actor = v,
            }
        }
        r
    }

    fn percent_decode(s: &str) -> String {
        percent_encoding::percent_decode_str(s)
            .decode_utf8()
            .expect("the encoder writes UTF-8")
            .into_owned()
    }

    #[test]
    fn names_the_field_that_is_wrong() {
        let err = EventFilter::try_from(raw(&[("from", "2019-13-01")])).unwrap_err();
        assert!(err.to_string().starts_with("`from`"), "{err}");
        let err = EventFilter::try_from(raw(&[("limit", "0")])).unwrap_err();
        assert!(err.to_string().contains("1 to 1000"), "{err}");
        let err = EventFilter::try_from(raw(&[("kind", "nice")])).unwrap_err();
        assert!(err.to_string().starts_with("`kind`"), "{err}");
        assert!(EventFilter::try_from(raw(&[("cursor", "zz")])).is_err());
    }

    #[test]
    fn refuses_a_reversed_range() {
        let err = EventFilter::try_from(raw(&[("from", "2020-01-01"), ("to", "2019-01-01")]))
            .unwrap_err();
        assert!(matches!(err, FilterError::Reversed { .. }));
    }

    #[test]
    fn blank_fields_are_no_filter_and_query_round_trips() {
        let f = EventFilter::try_from(raw(&[("q", "  "), ("kind", "")])).unwrap();
        assert!(f.is_empty());
        let r = raw(&[
            ("q", "Huawei & ZTE"),
            ("kind", "eased"),
            ("actor", "Kína/Ø"),
        ]);
        let query = query_string(r.query_pairs());
        assert_eq!(
            query,
            "q=Huawei%20%26%20ZTE&kind=eased&actor=K%C3%ADna%2F%C3%98"
        );
        let decoded: Vec<(String, String)> = query
            .split('&')
            .filter_map(|p| p.split_once('='))
            .map(|(k, v)| (k.to_owned(), percent_decode(v)))
            .collect();
        let back = RawEventFilter::from_query(|k| {
            decoded
                .iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.clone())
        });
        assert_eq!(back, r);
        let c = Cursor {
            date: NaiveDate::from_ymd_opt(2019, 5, 16).unwrap(),
            id: EventId(3),
        };
        assert_eq!(Cursor::decode(&c.encode()), Some(c));
    }
}
