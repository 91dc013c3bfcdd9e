//! `/oembed?url=`: what a site that reads oEmbed (a CMS, a chat client) needs to frame an
//! event's card or a timeline view from its address. The snippet is the one the "Embed"
//! button shows (`app::domain::embed`); only published events and valid views have one.
//! JSON by default, XML with `format=xml` (oEmbed defines both).

use crate::api::ApiError;
use app::components::timeline::TimelineUrl;
use app::db;
use app::domain::embed::Embed;
use app::domain::filter::RawEventFilter;
use app::domain::timeline::RawTimelineQuery;
use app::domain::{EventFilter, EventKey, EventStatus};
use app::state::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

pub fn routes() -> Router<AppState> {
    Router::new().route("/oembed", get(oembed))
}

#[derive(Debug, Deserialize)]
pub struct OEmbedQuery {
    url: Option<String>,
    maxwidth: Option<String>,
    maxheight: Option<String>,
    format: Option<String>,
}

/// The oEmbed 1.0 answer, type `rich`.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct OEmbed {
    version: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    provider_name: &'static str,
    provider_url: String,
    title: String,
    html: String,
    width: u32,
    height: u32,
    /// Seconds a consumer may keep this answer.
    cache_age: u32,
}

async fn oembed(
    State(state): State<AppState>,
    query: Result<Query<OEmbedQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(query) = query?;
    let xml = match query.format.as_deref().map(str::trim) {
        None | Some("" | "json") => false,
        Some("xml") => true,
        Some(other) => {
            return Err(ApiError::BadRequest(format!(
                "`format` is `json` (the default) or `xml`, not “{other}”"
            )))
        }
    };
    let max_width = size("maxwidth", query.maxwidth.as_deref())?;
    let max_height = size("maxheight", query.maxheight.as_deref())?;
    let url = query.url.filter(|u| !u.trim().is_empty()).ok_or_else(|| {
        ApiError::BadRequest(
            "give `url`: the address of an event's permalink or of a timeline view on this site"
                .into(),
        )
    })?;
    let embed = match on_site(&state.public_url, url.trim()).ok_or(ApiError::NotEmbeddable)? {
        Page::Event(key) => {
            let key = key
                .parse::<EventKey>()
                .map_err(|()| ApiError::NotEmbeddable)?;
            match db::events::status_of(&state.pool, key.id).await? {
                Some((EventStatus::Published, permalink, title)) => {
                    Embed::event(&permalink, &title)
                }
                _ => return Err(ApiError::NotEmbeddable),
            }
        }
        Page::Timeline(query) => timeline_embed(query)?,
    };
    let embed = embed.within(max_width, max_height);
    let answer = OEmbed {
        version: "1.0",
        kind: "rich",
        provider_name: "Sanctions Timeline",
        provider_url: format!("{}/", state.public_url),
        html: embed.iframe(&state.public_url),
        title: embed.title,
        width: embed.width,
        height: embed.height,
        cache_age: 3600,
    };
    Ok(if xml {
        ([(CONTENT_TYPE, "text/xml; charset=utf-8")], answer.to_xml()).into_response()
    } else {
        Json(answer).into_response()
    })
}

impl OEmbed {
    /// oEmbed's XML form: the same fields as elements of `<oembed>`, every text escaped.
    fn to_xml(&self) -> String {
        let fields = [
            ("version", self.version.to_owned()),
            ("type", self.kind.to_owned()),
            ("provider_name", self.provider_name.to_owned()),
            ("provider_url", self.provider_url.clone()),
            ("title", self.title.clone()),
            ("html", self.html.clone()),
            ("width", self.width.to_string()),
            ("height", self.height.to_string()),
            ("cache_age", self.cache_age.to_string()),
        ];
        let mut xml =
            String::from("<?xml version=\"1.0\" encoding=\"utf-8\" standalone=\"yes\"?>\n<oembed>");
        for (name, value) in fields {
            xml += &format!(
                "<{name}>{}</{name}>",
                quick_xml::escape::escape(value.as_str())
            );
        }
        xml + "</oembed>\n"
    }
}

/// What an address on this site shows that can be embedded.
#[derive(Debug, PartialEq)]
enum Page<'a> {
    /// An event's permalink or card, by its key (`12-slug`).
    Event(&'a str),
    /// The timeline (`/` or `/embed`) with this query.
    Timeline(&'a str),
}

/// The page `url` names on the site at `site` (`https://host`), if it is one to embed.
fn on_site<'a>(site: &str, url: &'a str) -> Option<Page<'a>> {
    let (head, rest) = (url.get(..site.len())?, url.get(site.len()..)?);
    if !head.eq_ignore_ascii_case(site) {
        return None;
    }
    let rest = rest.split('#').next().unwrap_or_default();
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    match path {
        "" | "/" | "/embed" => Some(Page::Timeline(query)),
        _ => {
            let key = path
                .strip_prefix("/embed")
                .unwrap_or(path)
                .strip_prefix("/events/")?;
            (!key.is_empty() && !key.contains('/')).then_some(Page::Event(key))
        }
    }
}

/// The embed of a timeline view: only what the timeline reads of `query` is kept, and a
/// filter the timeline would refuse is refused here with its reason.
fn timeline_embed(query: &str) -> Result<Embed, ApiError> {
    let pairs: HashMap<String, String> = form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    let filter = RawEventFilter {
        limit: None,
        cursor: None,
        ..RawEventFilter::from_query(|k| pairs.get(k).cloned())
    };
    EventFilter::try_from(filter.clone()).map_err(|e| ApiError::BadRequest(e.to_string()))?;
    let url = TimelineUrl {
        query: RawTimelineQuery {
            start: pairs.get("start").cloned(),
            end: pairs.get("end").cloned(),
            lanes: pairs.get("lanes").cloned(),
            // An embed draws the record as it is now.
            as_recorded: None,
            filter,
        },
        selected: None,
        embedded: true,
    };
    Ok(Embed::timeline(url.href(url.view(), url.lanes(), None)))
}

/// A frame size limit: a whole number of pixels, or absent.
fn size(name: &str, raw: Option<&str>) -> Result<Option<u32>, ApiError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(raw) => raw.parse::<u32>().map(Some).map_err(|_| {
            ApiError::BadRequest(format!(
                "`{name}` is a width or height in pixels (a whole number), not “{raw}”"
            ))
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SITE: &str = "https://timeline.example";

    #[test]
    fn only_this_sites_permalinks_and_views_are_embeddable() {
        let page = |url: &'static str| on_site(SITE, url);
        assert_eq!(
            page("https://timeline.example/events/12-huawei"),
            Some(Page::Event("12-huawei"))
        );
        assert_eq!(
            page("HTTPS://Timeline.example/embed/events/12#x"),
            Some(Page::Event("12"))
        );
        assert_eq!(
            page("https://timeline.example/?target=Huawei"),
            Some(Page::Timeline("target=Huawei"))
        );
        assert_eq!(page("https://timeline.example"), Some(Page::Timeline("")));
        for foreign in [
            "https://timeline.example.evil/events/12",
            "https://evil.example/?u=https://timeline.example/events/12",
            "https://timeline.example/sources/3",
            "https://timeline.example/events/12/edit",
            "https://timeline.example/events/",
            "javascript:alert(1)",
            "https://timeline.exa",
        ] {
            assert_eq!(on_site(SITE, foreign), None, "{foreign}");
        }
    }

    #[test]
    fn a_view_keeps_what_the_timeline_reads_and_refuses_what_it_would() {
        let embed = timeline_embed("target=Huawei&lanes=lifecycle&evil=%22%3E&cursor=9").unwrap();
        assert_eq!(embed.path, "/embed?target=Huawei&lanes=lifecycle");
        assert!(matches!(
            timeline_embed("from=yesterday"),
            Err(ApiError::BadRequest(_))
        ));
    }
}
