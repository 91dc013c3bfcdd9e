//! The page cache: the pages readers land on (`/` with any filter, an event's permalink, a
//! source, an embed), the public JSON reads (the API's and the timeline's own) and the
//! feeds, the sitemap and robots.txt are rendered once per change of the record and then
//! served from memory to everyone who is not signed in. Rendering a page costs several
//! queries; a hit costs a hash lookup. (Downloads are streamed, never kept.)
//!
//! Freshness: every entry carries the record's generation when its rendering began, and
//! only entries of the current generation are served. The generation moves on
//! - after every state-changing request of a signed-in editor this server accepts (so an
//!   editor who saves and reloads sees the save at once), and
//! - on every `record_changed` notification, which triggers on the record's tables send
//!   for any writer (another server, the command line, psql).
//!
//! While the notifications cannot be followed (no database, a dropped connection), the
//! cache is not used at all: a page is never older than the record it claims to show.
//!
//! Each page keeps its Content-Security-Policy nonce fresh: the stored copy is cut at its
//! nonce, and every hit gets a new one; its gzip form is kept beside it, compressed once
//! and joined around the new nonce (see `gzip`). Cached pages carry a weak `ETag` of what they show
//! and a `Last-Modified` of when the record last changed as far as this server knows (the
//! change notification, or when it began following them), with `Cache-Control: no-cache`,
//! so a browser or a feed reader revalidates and gets a 304.
//!
//! Downloads (`/exports/…`) are streamed, never kept, but get validators all the same: a
//! tag naming this server's run and the record's generation, so a script that fetches the
//! whole record every hour gets a 304 while nothing changed.

use app::server_fns::gate::cookie_value;
use app::server_fns::session::{HOST_SESSION_COOKIE, SESSION_COOKIE};
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body_util::BodyExt;
use sha2::{Digest, Sha256};
use sqlx::postgres::PgListener;
use sqlx::PgPool;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Weak};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

mod gzip;

/// The channel the record's triggers notify (migration `record_changed`).
pub const CHANNEL: &str = "record_changed";
/// Memory the cached pages may take together.
const CAPACITY_BYTES: u64 = 64 * 1024 * 1024;
/// A page larger than this is served but not kept.
const LARGEST_PAGE: usize = 4 * 1024 * 1024;
/// Longer URLs are not cached: they are not links anyone shares.
const LONGEST_KEY: usize = 2048;
/// Even a page nothing changed is rendered anew this often (a safety net, not the rule).
const LONGEST_LIFE: Duration = Duration::from_secs(300);

pub struct PageCache {
    pages: moka::sync::Cache<String, Arc<CachedPage>>,
    generation: AtomicU64,
    following: AtomicBool,
    /// When the generation last moved on, in seconds since the Unix epoch.
    changed_at: AtomicU64,
    /// This server's run: generations restart at 0 with every run, so a download's tag
    /// names the run too and never matches another run's answer.
    run: String,
    /// Kept pages being gzipped, at most one per core: beyond that a page stays plain
    /// (the compression layer gzips each answer), so a flood of distinct addresses
    /// cannot queue compression without end.
    gzipping: Arc<tokio::sync::Semaphore>,
}

/// A rendered page cut at its nonce: `parts` joined by a fresh nonce make the body.
struct CachedPage {
    generation: u64,
    parts: Vec<Bytes>,
    /// `parts` gzipped, for the browsers that accept it (every one).
    gzipped: Option<gzip::Gzipped>,
    csp: Option<String>,
    content_type: HeaderValue,
    etag: HeaderValue,
    last_modified: SystemTime,
}

impl Default for PageCache {
    fn default() -> Self {
        PageCache {
            pages: moka::sync::Cache::builder()
                .max_capacity(CAPACITY_BYTES)
                .weigher(|key: &String, page: &Arc<CachedPage>| {
                    let bytes = key.len()
                        + page.len()
                        + page.gzipped.as_ref().map_or(0, gzip::Gzipped::len);
                    u32::try_from(bytes).unwrap_or(u32::MAX)
                })
                .time_to_live(LONGEST_LIFE)
                .build(),
            generation: AtomicU64::new(0),
            following: AtomicBool::new(false),
            changed_at: AtomicU64::new(unix_seconds(SystemTime::now())),
            run: fresh_nonce()[..12].to_owned(),
            gzipping: Arc::new(tokio::sync::Semaphore::new(
                std::thread::available_parallelism().map_or(1, usize::from),
            )),
        }
    }
}

impl PageCache {
    /// The record changed (or may have): every page rendered before now is stale.
    pub fn record_changed(&self) {
        self.changed_at
            .store(unix_seconds(SystemTime::now()), Ordering::SeqCst);
        self.generation.fetch_add(1, Ordering::SeqCst);
        self.pages.invalidate_all();
    }

    fn changed_at(&self) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(self.changed_at.load(Ordering::SeqCst))
    }

    /// Whether pages are served from the cache: only while changes are followed.
    pub fn is_live(&self) -> bool {
        self.following.load(Ordering::SeqCst)
    }

    fn set_following(&self, following: bool) {
        self.following.store(following, Ordering::SeqCst);
        self.record_changed();
    }

    /// Follows the record's changes for this cache (until nothing else holds it); without
    /// it the cache stays unused. Start it once per server, beside the router.
    pub fn follow_changes(self: &Arc<Self>, pool: PgPool) -> tokio::task::JoinHandle<()> {
        tokio::spawn(follow_changes(Arc::downgrade(self), pool))
    }

    fn fresh(&self, key: &str) -> Option<Arc<CachedPage>> {
        let page = self.pages.get(key)?;
        (page.generation == self.generation.load(Ordering::SeqCst)).then_some(page)
    }
}

/// Follows the record's change notifications for as long as `cache` is in use, reconnecting
/// after a failure.
async fn follow_changes(cache: Weak<PageCache>, pool: PgPool) {
    let mut retry_in = Duration::from_millis(250);
    loop {
        match PgListener::connect_with(&pool).await {
            Ok(mut listener) => match listener.listen(CHANNEL).await {
                Ok(()) => {
                    retry_in = Duration::from_millis(250);
                    let Some(live) = cache.upgrade() else { return };
                    live.set_following(true);
                    drop(live);
                    let ended = pass_on_changes(&cache, &pool, &mut listener).await;
                    if let Some(live) = cache.upgrade() {
                        live.set_following(false);
                    }
                    if ended {
                        return;
                    }
                    tracing::warn!("lost the record's change notifications; pages are rendered uncached until they are back");
                }
                Err(error) => tracing::warn!(%error, "cannot follow the record's changes"),
            },
            Err(error) => tracing::debug!(%error, "cannot follow the record's changes"),
        }
        if cache.strong_count() == 0 || pool.is_closed() {
            return;
        }
        tokio::time::sleep(retry_in).await;
        retry_in = (retry_in * 2).min(Duration::from_secs(10));
    }
}

/// Moves the generation on for each notification until the connection drops (false) or
/// nothing uses the cache or the pool any more (true).
async fn pass_on_changes(
    cache: &Weak<PageCache>,
    pool: &PgPool,
    listener: &mut PgListener,
) -> bool {
    loop {
        // A bounded wait, so a dropped cache or a closed pool ends the task.
        match tokio::time::timeout(Duration::from_secs(1), listener.try_recv()).await {
            Ok(Ok(Some(_))) => match cache.upgrade() {
                Some(live) => live.record_changed(),
                None => return true,
            },
            // The connection dropped: notifications sent meanwhile are lost.
            Ok(Ok(None)) | Ok(Err(_)) => return false,
            Err(_elapsed) => {
                if cache.strong_count() == 0 || pool.is_closed() {
                    return true;
                }
            }
        }
    }
}

/// The middleware: serves readers' pages from the cache, keeps what it renders, and moves
/// the generation on after an editor's accepted change.
pub async fn serve_cached(
    State(cache): State<Arc<PageCache>>,
    req: Request<Body>,
    next: Next,
) -> Response {
    let method = req.method().clone();
    if !matches!(method, Method::GET | Method::HEAD | Method::OPTIONS) {
        // Only a signed-in editor's accepted request can change the record; anyone else's
        // (a sign-in, a refused post) must not empty the cache for everyone.
        let editor = carries_session(req.headers());
        let response = next.run(req).await;
        if editor && (response.status().is_success() || response.status().is_redirection()) {
            cache.record_changed();
        }
        return response;
    }
    if method == Method::GET && cache.is_live() && req.uri().path().starts_with("/exports/") {
        return serve_download(&cache, req, next).await;
    }
    let Some(key) = cache_key(&req).filter(|_| method == Method::GET && cache.is_live()) else {
        return next.run(req).await;
    };
    let asked_for = Revalidation::of(req.headers());
    let gzip = gzip::accepted(req.headers());
    if let Some(page) = cache.fresh(&key) {
        return page.answer(&asked_for, gzip);
    }
    let generation = cache.generation.load(Ordering::SeqCst);
    let changed_at = cache.changed_at();
    let response = next.run(req).await;
    if !worth_keeping(&response) {
        return response;
    }
    let (parts, body) = response.into_parts();
    let body = match body.collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(error) => {
            tracing::warn!(%error, "a page failed while it was rendered");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let page = Arc::new(CachedPage::cut(
        generation,
        changed_at,
        &parts.headers,
        &body,
    ));
    keep(&cache, key, Arc::clone(&page), body.len());
    page.answer(&asked_for, gzip)
}

/// Keeps a page of `len` bytes at once, unless it is too large, and its gzip form as soon
/// as it is made, off the request path: at level 9 that takes about as long as rendering
/// a large answer does (6 ms for the 99 KB of the whole record in lanes by target at
/// 100,000 events), and the reader who asked should not wait for what only the next
/// readers need.
fn keep(cache: &Arc<PageCache>, key: String, page: Arc<CachedPage>, len: usize) {
    if len > LARGEST_PAGE {
        return;
    }
    cache.pages.insert(key.clone(), Arc::clone(&page));
    if len < gzip::SMALLEST {
        return;
    }
    let Ok(permit) = Arc::clone(&cache.gzipping).try_acquire_owned() else {
        return;
    };
    let cache = Arc::clone(cache);
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        let Some(gzipped) = gzip::Gzipped::of(&page.parts) else {
            return;
        };
        // Unless the record changed meanwhile and the page was rendered anew.
        if cache
            .pages
            .get(&key)
            .is_some_and(|kept| Arc::ptr_eq(&kept, &page))
        {
            cache.pages.insert(key, Arc::new(page.with(gzipped)));
        }
    });
}

/// A download, or 304 when the client's copy is of the record as it is now. The tag is
/// read before the download's queries run: a change landing meanwhile moves the
/// generation on, so the next request downloads again rather than trusting this one.
async fn serve_download(cache: &PageCache, req: Request<Body>, next: Next) -> Response {
    let generation = cache.generation.load(Ordering::SeqCst);
    let changed_at = cache.changed_at();
    let tag = format!("\"{}-{generation}\"", cache.run);
    let mut validators = HeaderMap::new();
    if let Ok(etag) = HeaderValue::from_str(&format!("W/{tag}")) {
        validators.insert(header::ETAG, etag);
    }
    if let Ok(date) = HeaderValue::from_str(&httpdate::fmt_http_date(changed_at)) {
        validators.insert(header::LAST_MODIFIED, date);
    }
    // Too large for a shared cache to be worth keeping, but a client may keep its copy.
    validators.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    if Revalidation::of(req.headers()).is_current(&tag, changed_at) {
        return (StatusCode::NOT_MODIFIED, validators).into_response();
    }
    let mut response = next.run(req).await;
    if response.status() == StatusCode::OK {
        response.headers_mut().extend(validators);
    }
    response
}

/// The cache key of a request whose answer is the same for every reader, if any: a
/// reader's page or a public read, asked for without a session.
fn cache_key(req: &Request<Body>) -> Option<String> {
    let path = req.uri().path();
    if !is_public_read(path) || carries_session(req.headers()) {
        return None;
    }
    let key = req.uri().path_and_query().map(|p| p.as_str().to_owned())?;
    (key.len() <= LONGEST_KEY).then_some(key)
}

/// The addresses whose answer depends on the record and the address alone.
fn is_public_read(path: &str) -> bool {
    if matches!(
        path,
        "/" | "/embed"
            | "/feeds/events.atom"
            | "/feeds/events.ics"
            | "/sitemap.xml"
            | "/robots.txt"
            | "/oembed"
    ) || app::pages::is_readers_page(path)
        || path.starts_with("/sitemaps/")
    {
        return true;
    }
    let Some(api) = path.strip_prefix("/api/") else {
        return false;
    };
    let mut segments = api.split('/');
    matches!(
        (segments.next(), segments.next(), segments.next()),
        (
            Some(
                "events"
                    | "timeline"
                    | "load_timeline"
                    | "load_window"
                    | "load_facets"
                    | "load_event"
                    | "load_event_card"
                    | "load_source"
                    | "load_actor"
            ),
            None,
            None
        ) | (Some("timeline"), Some("facets"), None)
            | (Some("events" | "sources" | "citations"), Some(_), None)
    )
}

fn carries_session(headers: &HeaderMap) -> bool {
    [SESSION_COOKIE, HOST_SESSION_COOKIE]
        .iter()
        .any(|name| cookie_value(headers, name).is_some())
}

/// The kinds of answer kept: pages, JSON (and JSON-LD), the timeline's postcard windows
/// and cards, feeds, sitemaps, robots.txt.
const KEPT_TYPES: [&str; 8] = [
    "text/html",
    "application/json",
    "application/x-postcard",
    "application/ld+json",
    "application/atom+xml",
    "text/calendar",
    "application/xml",
    "text/plain",
];

/// Only a complete page or JSON answer that is the same for everyone: a 200 that sets no
/// cookie, allows caching and is not already encoded.
fn worth_keeping(response: &Response) -> bool {
    let headers = response.headers();
    let cacheable_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| KEPT_TYPES.iter().any(|t| v.starts_with(t)));
    let no_store = headers
        .get(header::CACHE_CONTROL)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("no-store") || v.contains("private"));
    response.status() == StatusCode::OK
        && cacheable_type
        && !no_store
        && !headers.contains_key(header::SET_COOKIE)
        // Kept as plain text: it is gzipped (or not) per answer.
        && !headers.contains_key(header::CONTENT_ENCODING)
}

/// The nonce a page's Content-Security-Policy names, if any.
fn nonce_in(csp: &str) -> Option<&str> {
    let start = csp.find("'nonce-")? + "'nonce-".len();
    let len = csp[start..].find('\'')?;
    Some(&csp[start..start + len]).filter(|n| !n.is_empty())
}

impl CachedPage {
    fn len(&self) -> usize {
        self.parts.iter().map(Bytes::len).sum()
    }

    /// The same page with its gzip form.
    fn with(&self, gzipped: gzip::Gzipped) -> CachedPage {
        CachedPage {
            generation: self.generation,
            parts: self.parts.clone(),
            gzipped: Some(gzipped),
            csp: self.csp.clone(),
            content_type: self.content_type.clone(),
            etag: self.etag.clone(),
            last_modified: self.last_modified,
        }
    }

    fn cut(
        generation: u64,
        last_modified: SystemTime,
        headers: &HeaderMap,
        body: &Bytes,
    ) -> CachedPage {
        let csp = headers
            .get(header::CONTENT_SECURITY_POLICY)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let nonce = csp.as_deref().and_then(nonce_in).map(str::to_owned);
        let mut parts = Vec::new();
        let mut rest = 0;
        if let Some(nonce) = &nonce {
            for at in memchr::memmem::find_iter(body, nonce.as_bytes()) {
                parts.push(body.slice(rest..at));
                rest = at + nonce.len();
            }
        }
        parts.push(body.slice(rest..));
        let mut digest = Sha256::new();
        for part in &parts {
            digest.update(part);
        }
        let etag = format!("W/\"{}\"", hex::encode(&digest.finalize()[..16]));
        // Gzipped once kept (`keep`); until then, as a page too large to keep, the
        // compression layer streams it.
        CachedPage {
            generation,
            parts,
            gzipped: None,
            csp: csp.map(|csp| match &nonce {
                Some(nonce) => csp.replace(nonce.as_str(), NONCE_MARK),
                None => csp,
            }),
            content_type: headers
                .get(header::CONTENT_TYPE)
                .cloned()
                .unwrap_or_else(|| HeaderValue::from_static("text/html; charset=utf-8")),
            etag: HeaderValue::from_str(&etag)
                .unwrap_or_else(|_| HeaderValue::from_static("W/\"\"")),
            last_modified,
        }
    }

    /// The page with a nonce of its own (gzipped where `gzip` is accepted), or 304 when
    /// the browser's copy is current: its tag matches, or (when it sends no tag, as RFC
    /// 9110 says) it is from no earlier than the page's `Last-Modified`.
    fn answer(&self, asked_for: &Revalidation, gzip: bool) -> Response {
        let current = asked_for.is_current(self.strong_tag(), self.last_modified);
        let mut headers = HeaderMap::new();
        headers.insert(header::ETAG, self.etag.clone());
        if let Ok(date) = HeaderValue::from_str(&httpdate::fmt_http_date(self.last_modified)) {
            headers.insert(header::LAST_MODIFIED, date);
        }
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
        // A signed-in editor's request for the same address gets another page.
        headers.insert(
            header::VARY,
            HeaderValue::from_static("Cookie, Accept-Encoding"),
        );
        if current {
            return (StatusCode::NOT_MODIFIED, headers).into_response();
        }
        let nonce = fresh_nonce();
        headers.insert(header::CONTENT_TYPE, self.content_type.clone());
        if let Some(csp) = &self.csp {
            if let Ok(value) = HeaderValue::from_str(&csp.replace(NONCE_MARK, &nonce)) {
                headers.insert(header::CONTENT_SECURITY_POLICY, value);
            }
        }
        if let Some(gzipped) = self.gzipped.as_ref().filter(|_| gzip) {
            // The compression layer passes an answer with an encoding on as it is.
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
            let body = gzipped.joined(nonce.as_bytes());
            return (StatusCode::OK, headers, Body::from(body)).into_response();
        }
        let mut body = Vec::with_capacity(self.parts.iter().map(Bytes::len).sum::<usize>() + 64);
        for (i, part) in self.parts.iter().enumerate() {
            if i > 0 {
                body.extend_from_slice(nonce.as_bytes());
            }
            body.extend_from_slice(part);
        }
        (StatusCode::OK, headers, Body::from(body)).into_response()
    }
}

impl CachedPage {
    /// The tag without its weak mark.
    fn strong_tag(&self) -> &str {
        self.etag
            .to_str()
            .unwrap_or_default()
            .trim_start_matches("W/")
    }
}

/// What a conditional request asks: is my copy with these tags, or from that time, current?
struct Revalidation {
    tags: Option<String>,
    since: Option<SystemTime>,
}

impl Revalidation {
    fn of(headers: &HeaderMap) -> Revalidation {
        let text = |name| {
            headers
                .get(name)
                .and_then(|v: &HeaderValue| v.to_str().ok())
        };
        Revalidation {
            tags: text(header::IF_NONE_MATCH).map(str::to_owned),
            since: text(header::IF_MODIFIED_SINCE).and_then(|d| httpdate::parse_http_date(d).ok()),
        }
    }

    /// Whether the client's copy is the answer tagged `tag` (without its weak mark) and
    /// last modified at `modified`: its tag matches, or (when it sends no tag, as RFC 9110
    /// says) it is from no earlier than `modified`.
    fn is_current(&self, tag: &str, modified: SystemTime) -> bool {
        match (&self.tags, self.since) {
            (Some(tags), _) => tags.split(',').any(|asked| {
                let asked = asked.trim();
                // Weak comparison: a tag asked for with or without `W/` is the same tag.
                asked == "*" || asked.trim_start_matches("W/") == tag
            }),
            (None, Some(since)) => unix_seconds(modified) <= unix_seconds(since),
            (None, None) => false,
        }
    }
}

fn unix_seconds(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// Where the nonce goes in a stored policy.
const NONCE_MARK: &str = "{nonce}";

/// 128 random bits, as Leptos's own nonces have.
fn fresh_nonce() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nonce_is_read_from_the_policy() {
        assert_eq!(
            nonce_in("script-src 'self' 'nonce-abc123' 'wasm-unsafe-eval'"),
            Some("abc123")
        );
        assert_eq!(nonce_in("script-src 'self'"), None);
        assert_eq!(nonce_in("script-src 'nonce-'"), None);
    }

    #[test]
    fn a_cached_page_gets_a_new_nonce_each_time_and_keeps_its_etag() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("script-src 'nonce-N0NCE'"),
        );
        let body = Bytes::from_static(b"<script nonce=\"N0NCE\">a</script><p>N0NCE</p>");
        let changed = UNIX_EPOCH + Duration::from_secs(1_561_800_000);
        let page = CachedPage::cut(0, changed, &headers, &body);
        assert_eq!(page.parts.len(), 3);
        let unconditional = Revalidation {
            tags: None,
            since: None,
        };
        let first = page.answer(&unconditional, false);
        let second = page.answer(&unconditional, false);
        let csp = |r: &Response| {
            r.headers()[header::CONTENT_SECURITY_POLICY]
                .to_str()
                .unwrap()
                .to_owned()
        };
        assert_ne!(csp(&first), csp(&second));
        assert!(!csp(&first).contains("N0NCE"));
        assert_eq!(
            first.headers()[header::ETAG],
            second.headers()[header::ETAG]
        );
        let with_tag = |tags: &str| Revalidation {
            tags: Some(tags.to_owned()),
            since: None,
        };
        let etag = page.etag.to_str().unwrap().to_owned();
        for tags in [etag.as_str(), etag.trim_start_matches("W/"), "\"other\", *"] {
            assert_eq!(
                page.answer(&with_tag(tags), false).status(),
                StatusCode::NOT_MODIFIED,
                "{tags}"
            );
        }
        assert_eq!(
            page.answer(&with_tag("\"other\""), false).status(),
            StatusCode::OK
        );
        // Without a tag, the date decides; with one, the tag alone does.
        assert_eq!(
            first.headers()[header::LAST_MODIFIED],
            "Sat, 29 Jun 2019 09:20:00 GMT"
        );
        let since = |secs: u64| Revalidation {
            tags: None,
            since: Some(UNIX_EPOCH + Duration::from_secs(secs)),
        };
        assert_eq!(
            page.answer(&since(1_561_800_000), false).status(),
            StatusCode::NOT_MODIFIED
        );
        assert_eq!(
            page.answer(&since(1_561_799_999), false).status(),
            StatusCode::OK
        );
        let stale_tag_recent_date = Revalidation {
            tags: Some("\"other\"".into()),
            since: Some(UNIX_EPOCH + Duration::from_secs(1_561_900_000)),
        };
        assert_eq!(
            page.answer(&stale_tag_recent_date, false).status(),
            StatusCode::OK
        );
    }

    #[test]
    fn only_sessionless_readers_pages_have_a_key() {
        let req = |uri: &str, cookie: Option<&str>| {
            let mut r = Request::builder().uri(uri);
            if let Some(c) = cookie {
                r = r.header(header::COOKIE, c);
            }
            r.body(Body::empty()).unwrap()
        };
        assert_eq!(
            cache_key(&req("/?q=Huawei", None)).as_deref(),
            Some("/?q=Huawei")
        );
        assert!(cache_key(&req("/events/1-x", None)).is_some());
        assert!(cache_key(&req("/sources/2", Some("theme=dark"))).is_some());
        assert!(cache_key(&req("/events/1-x", Some("a=b; st_session=t"))).is_none());
        assert!(cache_key(&req("/events/new", None)).is_none());
        assert!(cache_key(&req("/events/1/edit", None)).is_none());
        assert!(cache_key(&req("/review", None)).is_none());
        for read in [
            "/api/events?q=x",
            "/api/events/3",
            "/api/sources/2",
            "/api/timeline?start=2019-01-01&end=2019-12-31",
            "/api/timeline/facets",
            "/api/load_window?query[start]=2019-01-01",
        ] {
            assert!(cache_key(&req(read, None)).is_some(), "{read}");
        }
        for not_public in [
            "/api/whoami",
            "/api/create_event",
            "/api/events/3/x",
            "/api/foo",
        ] {
            assert!(cache_key(&req(not_public, None)).is_none(), "{not_public}");
        }
    }
}
