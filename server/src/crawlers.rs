//! For search engines: `/robots.txt` (readers' pages open, editors' pages, the API and the
//! downloads closed, the sitemap named by its address) and `/sitemap.xml`, an index of
//! parts of at most 50,000 addresses each (the protocol's limit): every published event's
//! permalink (`/sitemaps/events-{n}.xml`) and every source page (`/sitemaps/sources-{n}.xml`),
//! part n holding the ids from n × 50,000.

use crate::api::ApiError;
use app::db;
use app::db::sitemap::Listed;
use app::state::AppState;
use axum::extract::{Path, State};
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use quick_xml::escape::escape;
use std::fmt::Write;

/// The sitemap protocol's limit of addresses per file.
pub const PER_PART: i64 = 50_000;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/robots.txt", get(robots))
        .route("/sitemap.xml", get(sitemap_index))
        .route("/sitemaps/{part}", get(sitemap_part))
}

async fn robots(State(state): State<AppState>) -> Response {
    let text = format!(
        "User-agent: *\n\
         Allow: /\n\
         Disallow: /api/\n\
         Disallow: /exports/\n\
         Disallow: /signin\n\
         Disallow: /review\n\
         Disallow: /admin/\n\
         Disallow: /events/new\n\
         Disallow: /sources/new\n\
         Disallow: /*/edit\n\
         Disallow: /*/history\n\
         Disallow: /*?*as_recorded=\n\
         \n\
         Sitemap: {}/sitemap.xml\n",
        state.public_url
    );
    ([(CONTENT_TYPE, "text/plain; charset=utf-8")], text).into_response()
}

fn xml(body: String) -> Response {
    ([(CONTENT_TYPE, "application/xml; charset=utf-8")], body).into_response()
}

async fn sitemap_index(State(state): State<AppState>) -> Result<Response, ApiError> {
    let (events, sources) = db::sitemap::last_ids(&state.pool).await?;
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (what, last) in [("events", events), ("sources", sources)] {
        for part in 0..=last / PER_PART {
            let _ = writeln!(
                out,
                "<sitemap><loc>{}/sitemaps/{what}-{part}.xml</loc></sitemap>",
                escape(state.public_url.as_str())
            );
        }
    }
    out.push_str("</sitemapindex>\n");
    Ok(xml(out))
}

async fn sitemap_part(
    State(state): State<AppState>,
    Path(part): Path<String>,
) -> Result<Response, ApiError> {
    let not_found = || ApiError::NotFound("sitemap part");
    let (what, n) = part
        .strip_suffix(".xml")
        .and_then(|p| p.rsplit_once('-'))
        .ok_or_else(not_found)?;
    let n: i64 = n
        .parse()
        .ok()
        .filter(|n| (0..i64::MAX / PER_PART).contains(n))
        .ok_or_else(not_found)?;
    let (from, until) = (n * PER_PART, (n + 1) * PER_PART);
    let listed = match what {
        "events" => db::sitemap::events(&state.pool, from, until).await?,
        "sources" => db::sitemap::sources(&state.pool, from, until).await?,
        _ => return Err(not_found()),
    };
    Ok(xml(urlset(&state.public_url, &listed)))
}

fn urlset(public_url: &str, listed: &[Listed]) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for l in listed {
        let _ = writeln!(
            out,
            "<url><loc>{}</loc><lastmod>{}</lastmod></url>",
            escape(format!("{public_url}{}", l.path).as_str()),
            l.changed
        );
    }
    out.push_str("</urlset>\n");
    out
}
