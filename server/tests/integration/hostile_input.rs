//! Hostile input on every route and every server function: empty, huge, NUL and control
//! characters, odd Unicode, broken percent-encoding, overlong and negative numbers,
//! impossible dates, junk cursors, SQL and HTML, paths out of the site. Whatever arrives,
//! the answer is a 4xx with a message (or a 2xx/3xx where the input is acceptable): never
//! a 5xx, a panic or a hang; HTML never carries the script back unescaped, redirects stay
//! on the site and no file outside the site is served.
//!
//! The cases come from a small seeded generator (xorshift) over one list of values, so a
//! failure names a case that reproduces on every run.

use crate::support::{create_account, sign_in, spawn_app_with_demo, TestApp, PASSWORD};
use app::domain::account::Role;
use app::domain::url_query::encode_component;
use axum::body::Body;
use axum::http::{Method, Request};
use http_body_util::BodyExt;
use sqlx::PgPool;
use std::collections::BTreeMap;
use std::time::Duration;
use tower::ServiceExt;

const SCRIPT: &str = "<script>alert(1)</script>";
/// Longer than any request here may take, however slow the build: past it, a hang.
const PATIENCE: Duration = Duration::from_secs(20);

/// A value as it goes on the wire: `Text` is percent-encoded as a browser would, `Raw`
/// goes in as written (broken escapes, bare delimiters, dot segments).
#[derive(Clone)]
enum Hostile {
    Text(String),
    Raw(&'static str),
}

impl Hostile {
    fn wire(&self) -> String {
        match self {
            Hostile::Text(s) => encode_component(s),
            Hostile::Raw(s) => (*s).to_owned(),
        }
    }

    /// Short enough for a report line.
    fn describe(&self) -> String {
        match self {
            Hostile::Text(s) if s.chars().count() > 40 => {
                let head: String = s.chars().take(12).collect();
                format!("{head:?}… ({} bytes)", s.len())
            }
            Hostile::Text(s) => format!("{s:?}"),
            Hostile::Raw(s) => format!("raw `{s}`"),
        }
    }
}

fn hostile_values() -> Vec<Hostile> {
    let text = [
        "",
        " ",
        "\0",
        "a\0b",
        "\u{1}\u{7}\u{8}\u{1b}[31m\r\n\t\u{7f}",
        "\u{202E}gnp.exe",
        "\u{202E}",
        "e\u{301}\u{302}\u{303}\u{304}\u{305}\u{306}\u{307}",
        "\u{301}",
        "🙂👍🏽👨‍👩‍👧",
        "æøå ÆØÅ",
        "制裁时间线",
        "\u{FFFF}\u{FFFE}",
        "\u{FEFF}",
        "99999999999999999999",
        "-99999999999999999999",
        "-1",
        "0",
        "1e9",
        "1.5",
        "0x10",
        " 1 ",
        "NaN",
        "2019-02-30",
        "0000-01-01",
        "+275760-01-01",
        "-0001-01-01",
        "2019-13-01",
        "2019-00",
        "9999-12-31",
        "2019-01-01T00:00:00Z",
        "2019-01-01_-1",
        "2019-01-01_99999999999999999999",
        "+275760-01-01_1",
        "MjAxOS0wMS0wMV8x",
        "\u{ff}\u{fe}garbage==",
        "' OR 1=1 --",
        "1; DROP TABLE events; --",
        "\\",
        SCRIPT,
        "\"><script>alert(1)</script>",
        "../../../../etc/passwd",
        "..",
        "//evil.example",
        "/\\evil.example",
        "/\t/evil.example",
        "/\n",
        "javascript:alert(1)",
        "https://evil.example/",
        "data:text/html,<script>alert(1)</script>",
        "true",
        "null",
        "%00",
        "%ZZ",
    ];
    let mut values: Vec<Hostile> = text.iter().map(|s| Hostile::Text((*s).into())).collect();
    values.extend([
        Hostile::Text("x".repeat(201)),
        Hostile::Text("x".repeat(2_001)),
        Hostile::Text("A".repeat(100_000)),
        Hostile::Text("æ".repeat(50_000)),
        Hostile::Text(format!("1{}", "0".repeat(400))),
        Hostile::Text(SCRIPT.repeat(4_000)),
        Hostile::Text("\0".repeat(1_000)),
    ]);
    values.extend(
        [
            "%00",
            "%ZZ",
            "%",
            "%%",
            "%E2%82",
            "%C0%AF",
            "%ED%A0%80",
            "%FF%FE",
            "%0A",
            "/%0A",
            "/%0D%0ASet-Cookie:%20x=1",
            "/%09/evil.example",
            "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
            "..",
            "//evil.example",
            "a%26b%3Dc",
            "+",
            "&",
            "=",
            "[",
            "]",
            "%5B%5D",
        ]
        .into_iter()
        .map(Hostile::Raw),
    );
    values
}

/// Dot segments and the like, for a path segment (as written into the URI).
const HOSTILE_SEGMENTS: &[&str] = &[
    "..",
    "../..",
    "%2e%2e",
    "..%2f..%2f..%2fCargo.toml",
    "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "....//....//etc/passwd",
    "/evil.example",
    "%2F%2Fevil.example",
    "%5C..%5C..%5Cetc%5Cpasswd",
];

/// Keys a form or query should not have, to check the parsers of nested fields.
const HOSTILE_KEYS: &[&str] = &[
    "form",
    "form[]",
    "form[title][x]",
    "form[[[[[[title",
    "a[b][c][d][e][f][g][h][i][j][k][l][m][n][o][p]",
    "[]",
    "%5B",
    "%ZZ",
    "__proto__",
    "",
];

/// xorshift64*: deterministic, seeded per target.
struct Rng(u64);

impl Rng {
    fn new(name: &str) -> Self {
        // FNV-1a of the name; never zero.
        let seed = name.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
        });
        Rng(seed | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// A route or server function with a valid request to start from.
struct Target {
    /// As reported.
    name: String,
    method: Method,
    /// May hold `{}`: a path segment (the base `slot`, or a hostile one).
    path: String,
    slot: String,
    /// The valid request's parameters (query for GET, form body for POST); `{i}` in a
    /// value becomes the case number, so valid cases do not collide.
    params: Vec<(String, String)>,
    /// Where the case's main value goes when set; a random parameter otherwise.
    focus: Option<String>,
    /// A query for the entity's version now: `{v}` in a value becomes it, so saves are
    /// not all refused as stale and reach the database.
    current: Option<String>,
    /// The values to use instead of the whole list.
    values: Option<Vec<Hostile>>,
    /// Every case changes only the focus, nothing else (each value there, once).
    plain: bool,
    cookie: Option<String>,
    accept: &'static str,
    cases: usize,
}

impl Target {
    fn get(path: &str) -> Self {
        Target {
            name: format!("GET {path}"),
            method: Method::GET,
            path: path.into(),
            slot: String::new(),
            params: Vec::new(),
            focus: None,
            current: None,
            values: None,
            plain: false,
            cookie: None,
            accept: "text/html",
            cases: 0,
        }
    }

    /// A server function: form-encoded POST, JSON wanted (as the hydrated app asks).
    fn post(path: &str) -> Self {
        Target {
            name: format!("POST {path}"),
            method: Method::POST,
            accept: "application/json",
            ..Target::get(path)
        }
    }

    fn slot(mut self, base: impl Into<String>) -> Self {
        self.slot = base.into();
        self
    }

    fn params(mut self, params: &[(&str, &str)]) -> Self {
        self.params = params
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        self
    }

    fn focus(mut self, key: &str) -> Self {
        self.focus = Some(key.to_owned());
        self
    }

    fn current(mut self, sql: String) -> Self {
        self.current = Some(sql);
        self
    }

    fn values(mut self, values: Vec<Hostile>) -> Self {
        self.values = Some(values);
        self
    }

    fn plain(mut self) -> Self {
        self.plain = true;
        self
    }

    fn cookie(mut self, cookie: &str) -> Self {
        self.cookie = Some(cookie.into());
        self
    }

    fn accept(mut self, accept: &'static str) -> Self {
        self.accept = accept;
        self
    }

    fn cases(mut self, n: usize) -> Self {
        self.cases = n;
        self
    }
}

/// One generated request.
struct Case {
    uri: String,
    body: Option<String>,
    /// What was hostile in it, for the report.
    what: String,
}

fn encode_pairs(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// Case `i` of a target: the valid request with the `i`-th value (round robin, so every
/// value is used once per target when there are enough cases) put in one way or another.
fn make_case(t: &Target, i: usize, version: &str, values: &[Hostile], rng: &mut Rng) -> Case {
    let value = &values[i % values.len()];
    let mut what = Vec::new();
    let mut pairs: Vec<(String, String)> = t
        .params
        .iter()
        .map(|(k, v)| {
            (
                encode_component(k),
                encode_component(&v.replace("{i}", &i.to_string()).replace("{v}", version)),
            )
        })
        .collect();
    let mut slot = encode_component(&t.slot);
    let has_slot = t.path.contains("{}");
    // Where this case's value goes.
    let kind = if t.plain {
        1
    } else if has_slot && (pairs.is_empty() || rng.below(2) == 0) {
        0
    } else if pairs.is_empty() {
        6 + rng.below(2)
    } else {
        1 + rng.below(7)
    };
    match kind {
        0 => {
            // The path segment: a hostile value, or now and then a dot segment.
            slot = if rng.below(4) == 0 {
                let s = HOSTILE_SEGMENTS[rng.below(HOSTILE_SEGMENTS.len())];
                what.push(format!("path segment raw `{s}`"));
                s.to_owned()
            } else {
                what.push(format!("path segment {}", value.describe()));
                value.wire()
            };
        }
        1..=3 => {
            // One field (the focus if any), and up to two more at random.
            let at = t
                .focus
                .as_deref()
                .and_then(|f| pairs.iter().position(|(k, _)| *k == encode_component(f)))
                .filter(|_| kind != 3)
                .unwrap_or_else(|| rng.below(pairs.len()));
            pairs[at].1 = value.wire();
            what.push(format!("{}={}", t.params[at].0, value.describe()));
            for _ in 0..if t.plain { 0 } else { rng.below(3) } {
                let other = &values[rng.below(values.len())];
                let at = rng.below(pairs.len());
                pairs[at].1 = other.wire();
                what.push(format!("{}={}", t.params[at].0, other.describe()));
            }
        }
        4 => {
            let at = rng.below(pairs.len());
            what.push(format!("{} left out", t.params[at].0));
            pairs.remove(at);
            // And the value somewhere else, so every value is still sent.
            if !pairs.is_empty() {
                let at = rng.below(pairs.len());
                what.push(format!("{}={}", pairs[at].0, value.describe()));
                pairs[at].1 = value.wire();
            }
        }
        5 => {
            let at = rng.below(pairs.len());
            what.push(format!(
                "{} twice, then {}",
                t.params[at].0,
                value.describe()
            ));
            let key = pairs[at].0.clone();
            pairs.push((key, value.wire()));
        }
        6 => {
            let key = HOSTILE_KEYS[rng.below(HOSTILE_KEYS.len())];
            what.push(format!("extra key raw `{key}`={}", value.describe()));
            pairs.push((key.to_owned(), value.wire()));
        }
        _ => {
            // The whole query or body is the value.
            what.push(format!(
                "whole {} {}",
                if t.method == Method::GET {
                    "query"
                } else {
                    "body"
                },
                value.describe()
            ));
            pairs = vec![(value.wire(), String::new())];
        }
    }
    let encoded = if kind == 7 {
        pairs[0].0.clone()
    } else {
        encode_pairs(&pairs)
    };
    let path = t.path.replace("{}", &slot);
    let (uri, body) = if t.method == Method::GET {
        if encoded.is_empty() {
            (path, None)
        } else {
            (format!("{path}?{encoded}"), None)
        }
    } else {
        (path, Some(encoded))
    };
    Case {
        uri,
        body,
        what: what.join(", "),
    }
}

/// What went wrong with one case.
struct Failure {
    target: String,
    what: String,
    /// "500", "panic", "hang", "echoed script", ...
    kind: String,
    excerpt: String,
}

fn excerpt(body: &str) -> String {
    let flat: String = body
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    // The message, not the page around it: from the first telling word when there is one.
    let from = ["error", "Error", "panicked", "message"]
        .iter()
        .filter_map(|w| flat.find(w))
        .min()
        .unwrap_or(0);
    flat[from..].chars().take(160).collect()
}

struct Answer {
    status: u16,
    location: Option<String>,
    content_type: String,
    body: String,
}

/// Sends one request on its own task, so a panic in a handler is reported as such (and
/// the other cases still run), and a handler that never answers is a failure, not a hang.
async fn send(app: &TestApp, request: Request<Body>) -> Result<Answer, String> {
    let router = app.router.clone();
    let task = tokio::spawn(async move {
        let response = router.oneshot(request).await.expect("router answers");
        let (parts, body) = response.into_parts();
        let header = |name: &str| {
            parts
                .headers
                .get(name)
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        };
        let bytes = body
            .collect()
            .await
            .map(|b| b.to_bytes())
            .unwrap_or_default();
        Answer {
            status: parts.status.as_u16(),
            location: header("location"),
            content_type: header("content-type").unwrap_or_default(),
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    });
    match tokio::time::timeout(PATIENCE, task).await {
        Err(_) => Err("hang".into()),
        Ok(Err(e)) if e.is_panic() => {
            let payload = e.into_panic();
            let message = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default();
            Err(format!("panic: {message}"))
        }
        Ok(Err(e)) => Err(format!("task failed: {e}")),
        Ok(Ok(answer)) => Ok(answer),
    }
}

/// A redirect stays on this site: a path (not `//host`, not `/\host`), or this origin.
fn local_location(location: &str) -> bool {
    let path = location
        .strip_prefix("http://127.0.0.1:3000")
        .unwrap_or(location);
    path.starts_with('/')
        && !path.starts_with("//")
        && !path.starts_with("/\\")
        && !path.chars().any(|c| c.is_control() || c == '\\')
}

/// What the answer did wrong, if anything.
fn judge(answer: &Answer) -> Option<String> {
    if answer.status >= 500 {
        return Some(answer.status.to_string());
    }
    if (400..500).contains(&answer.status) && answer.body.trim().is_empty() {
        return Some(format!("{} without a message", answer.status));
    }
    if answer.content_type.starts_with("text/html") && answer.body.contains(SCRIPT) {
        return Some(format!("{} echoed the script unescaped", answer.status));
    }
    if (300..400).contains(&answer.status) {
        match &answer.location {
            Some(l) if local_location(l) => {}
            other => {
                return Some(format!(
                    "{} redirects off the site to {other:?}",
                    answer.status
                ))
            }
        }
    }
    // A file from outside the site: the workspace manifest or the system's passwords.
    if answer.body.contains("[workspace]") || answer.body.contains("root:x:0:0") {
        return Some(format!("{} served a file outside the site", answer.status));
    }
    None
}

/// Runs every case of every target; returns the failures.
async fn run(app: &TestApp, targets: &[Target], before_each: Option<&str>) -> Vec<Failure> {
    let all = hostile_values();
    let mut failures = Vec::new();
    for t in targets {
        let values = t.values.as_deref().unwrap_or(&all);
        let mut rng = Rng::new(&t.name);
        let mut unsendable = 0;
        for i in 0..t.cases {
            if let Some(sql) = before_each {
                sqlx::query(sql)
                    .execute(&app.pool)
                    .await
                    .expect("set-up statement");
            }
            let version = match &t.current {
                Some(sql) => sqlx::query_scalar::<_, i32>(sql)
                    .fetch_one(&app.pool)
                    .await
                    .expect("current version")
                    .to_string(),
                None => String::new(),
            };
            let case = make_case(t, i, &version, values, &mut rng);
            let mut request = Request::builder()
                .method(t.method.clone())
                .uri(&case.uri)
                .header("accept", t.accept)
                .header("host", "127.0.0.1:3000");
            if t.method == Method::POST {
                request = request
                    .header("content-type", "application/x-www-form-urlencoded")
                    .header("origin", "http://127.0.0.1:3000");
            }
            if let Some(cookie) = &t.cookie {
                request = request.header("cookie", cookie.as_str());
            }
            // A URI no client could send never reaches the server (hyper refuses the
            // request line first); those cases are counted, not sent.
            let Ok(request) = request.body(Body::from(case.body.clone().unwrap_or_default()))
            else {
                unsendable += 1;
                continue;
            };
            let verdict = match send(app, request).await {
                Ok(answer) => judge(&answer).map(|kind| (kind, excerpt(&answer.body))),
                Err(kind) => Some((kind, String::new())),
            };
            if let Some((kind, excerpt)) = verdict {
                failures.push(Failure {
                    target: t.name.clone(),
                    what: case.what,
                    kind,
                    excerpt,
                });
            }
        }
        assert!(
            unsendable * 4 < t.cases.max(1),
            "{}: {unsendable} of {} cases could not even be built",
            t.name,
            t.cases
        );
    }
    failures
}

/// Fails with every failure grouped by route and kind (a few examples each).
fn assert_none(failures: &[Failure]) {
    if failures.is_empty() {
        return;
    }
    // By route, status and the start of the message: one group per way of failing.
    let mode = |f: &Failure| -> String {
        f.excerpt
            .chars()
            .take_while(|c| !matches!(c, '`' | '"' | ':'))
            .take(48)
            .collect()
    };
    let mut groups: BTreeMap<(&str, &str, String), Vec<&Failure>> = BTreeMap::new();
    for f in failures {
        groups
            .entry((f.target.as_str(), f.kind.as_str(), mode(f)))
            .or_default()
            .push(f);
    }
    let mut report = format!("{} hostile cases went wrong:\n", failures.len());
    for ((target, kind, _), list) in &groups {
        report.push_str(&format!("\n{target} → {kind} ({} cases)\n", list.len()));
        for f in list.iter().take(3) {
            report.push_str(&format!("    {} ⇒ {}\n", f.what, f.excerpt));
        }
    }
    panic!("{report}");
}

/// Ids from the demo record to build valid requests on.
struct Demo {
    event: i64,
    slug: String,
    version: i32,
    source: i64,
    /// A passage of `source` as the browser would select it: exact, UTF-16 start, end.
    quote: (String, usize, usize),
}

async fn demo(app: &TestApp) -> Demo {
    let (event, slug, version): (i64, String, i32) = sqlx::query_as(
        "SELECT id, slug, version FROM events WHERE status = 'published' ORDER BY id LIMIT 1",
    )
    .fetch_one(&app.pool)
    .await
    .expect("a published demo event");
    let (source, body, exact, start): (i64, String, String, i32) = sqlx::query_as(
        "SELECT s.id, s.body, c.exact, c.start_char FROM citations c
         JOIN sources s ON s.id = c.source_id ORDER BY c.id LIMIT 1",
    )
    .fetch_one(&app.pool)
    .await
    .expect("a demo citation");
    let before: usize = body.chars().take(start as usize).map(char::len_utf16).sum();
    let end = before + exact.encode_utf16().count();
    Demo {
        event,
        slug,
        version,
        source,
        quote: (exact, before, end),
    }
}

/// The event form's fields, valid, as `form[...]` pairs.
fn event_fields(d: &Demo) -> Vec<(&'static str, String)> {
    vec![
        ("form[title]", "Hostile input {i}".into()),
        ("form[summary]", "A summary.".into()),
        ("form[kind]", "imposed".into()),
        ("form[date]", "2019-05-16".into()),
        ("form[end]", String::new()),
        ("form[date_phrase]", String::new()),
        ("form[authorities]", "US Department of Commerce".into()),
        ("form[targets]", "Huawei".into()),
        ("form[legal_instrument]", "Entity List".into()),
        ("form[legal_act_kind]", "federal_register".into()),
        ("form[legal_act_id]", "2019-10616".into()),
        ("form[quote_source]", d.source.to_string()),
        ("form[quote_exact]", d.quote.0.clone()),
        ("form[quote_start]", d.quote.1.to_string()),
        ("form[quote_end]", d.quote.2.to_string()),
        ("form[relation_kind]", String::new()),
        ("form[relation_to]", String::new()),
        ("form[remove_citations]", String::new()),
        ("form[remove_relations]", String::new()),
        ("comment", "hostile input test".into()),
    ]
}

fn source_fields() -> Vec<(&'static str, String)> {
    vec![
        ("form[url]", "https://example.org/hostile/{i}".into()),
        ("form[title]", "Hostile input".into()),
        ("form[publisher]", "Example".into()),
        ("form[authors]", "Jane Doe".into()),
        ("form[published_on]", "2019-06-29".into()),
        ("form[language]", "da".into()),
        ("form[text]", "Første afsnit.\n\nAndet afsnit.".into()),
        ("comment", "hostile input test".into()),
    ]
}

/// Each field of a form in turn, alone, set to the values most likely to get past the
/// form's parsing and into the database: too long, NUL, numbers that do not fit.
fn sweep(t: &Target) -> Vec<Target> {
    let values = vec![
        Hostile::Text("x".repeat(2_001)),
        Hostile::Text("A".repeat(100_000)),
        Hostile::Text("a\0b".into()),
        Hostile::Text(String::new()),
        Hostile::Text("99999999999999999999".into()),
    ];
    t.params
        .iter()
        .map(|(key, _)| Target {
            name: format!("{} [{key}]", t.name),
            method: t.method.clone(),
            path: t.path.clone(),
            slot: t.slot.clone(),
            params: t.params.clone(),
            focus: Some(key.clone()),
            plain: true,
            cookie: t.cookie.clone(),
            accept: t.accept,
            cases: values.len(),
            values: Some(values.clone()),
            current: t.current.clone(),
        })
        .collect()
}

fn with(mut t: Target, fields: Vec<(&str, String)>) -> Target {
    t.params
        .extend(fields.into_iter().map(|(k, v)| (k.to_owned(), v)));
    t
}

/// The registered path of a server function: `/api/` and its name (a function without a
/// fixed endpoint would have a hash after the name).
fn server_fn_path(name: &str) -> String {
    leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path)
        .find(|p| {
            p.strip_prefix("/api/")
                .and_then(|rest| rest.strip_prefix(name))
                .is_some_and(|hash| hash.chars().all(|c| c.is_ascii_digit()))
        })
        .unwrap_or_else(|| panic!("no server function {name}"))
        .to_owned()
}

/// Every server function this test throws input at, by name.
const SERVER_FNS: &[&str] = &[
    "add_source",
    "save_actor_identifiers",
    "create_event",
    "update_event",
    "set_event_status",
    "editable_event",
    "citable_sources",
    "known_actors",
    "editable_source",
    "update_source",
    "history",
    "restore_revision",
    "review_queue",
    "review_count",
    "decide_change",
    "whoami",
    "sign_in",
    "sign_out",
    "accounts",
    "create_account",
    "change_account",
    "load_timeline",
    "load_event",
    "load_event_card",
    "load_source",
    "load_actor",
    "load_window",
    "load_facets",
    "load_changes",
    "load_as_recorded",
    "load_event_as_recorded",
    "load_source_as_recorded",
    "load_site_address",
];

#[test]
fn every_server_function_is_covered() {
    let mut missing: Vec<&str> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path)
        .filter(|path| {
            let name = path
                .trim_start_matches("/api/")
                .trim_end_matches(|c: char| c.is_ascii_digit());
            !SERVER_FNS.contains(&name)
        })
        .collect();
    missing.sort();
    assert!(
        missing.is_empty(),
        "server functions without hostile-input cases: {missing:?}"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn readers_pages_refuse_hostile_input_without_failing(pool: PgPool) {
    let app = spawn_app_with_demo(pool).await;
    let d = demo(&app).await;
    let n = hostile_values().len();
    let filters = [
        ("q", "Huawei"),
        ("kind", "imposed"),
        ("authority", "US Department of Commerce"),
        ("target", "Huawei"),
        ("actor", "Huawei"),
        ("from", "2019-01-01"),
        ("to", "2020-12-31"),
        ("limit", "10"),
        ("cursor", ""),
    ];
    let mut timeline = vec![
        ("start", "2019-01-01"),
        ("end", "2019-12-31"),
        ("lanes", "authority"),
    ];
    timeline.extend(filters);
    let event = d.event.to_string();
    timeline.push(("selected", &event));
    let targets = [
        Target::get("/").params(&timeline).cases(n),
        Target::get("/")
            .params(&[("in_force", "2019-06-30"), ("target", "Huawei")])
            .cases(n),
        Target::get("/changes")
            .params(&[("from", "2019-01-01"), ("to", "2019-12-31")])
            .cases(n),
        Target::get("/")
            .params(&[
                ("as_recorded", "2019-06-30"),
                ("q", "Huawei"),
                ("kind", "imposed"),
            ])
            .cases(n),
        Target::get("/events/{}")
            .slot(format!("{}-{}", d.event, d.slug))
            .params(&[("as_recorded", "2019-06-30")])
            .cases(n),
        Target::get("/events/{}")
            .slot(format!("{}-{}", d.event, d.slug))
            .cases(n),
        Target::get("/events/{}/edit").slot(&event).cases(n / 2),
        Target::get("/events/{}/history").slot(&event).cases(n / 2),
        Target::get("/sources/{}")
            .slot(d.source.to_string())
            .cases(n),
        Target::get("/sources/{}/edit")
            .slot(d.source.to_string())
            .cases(n / 2),
        Target::get("/sources/{}/history")
            .slot(d.source.to_string())
            .cases(n / 2),
        Target::get("/actors/{}").slot("1").cases(n),
        Target::get("/embed/events/{}")
            .slot(format!("{}-{}", d.event, d.slug))
            .cases(n),
        Target::get("/embed")
            .params(&[
                ("target", "Huawei"),
                ("lanes", "authority"),
                ("start", "2019-01-01"),
                ("end", "2019-12-31"),
            ])
            .cases(n),
        Target::get("/events/new").cases(n / 4),
        Target::get("/sources/new").cases(n / 4),
        Target::get("/admin/accounts").cases(n / 4),
        Target::get("/review").cases(n / 4),
        Target::get("/signin")
            .params(&[("next", "/events/1")])
            .cases(n),
        Target::get("/healthz").cases(n / 4),
        // Static files and the fallback: nothing outside the site root comes out.
        Target::get("/pkg/{}")
            .slot("sanctions-timeline.css")
            .cases(n),
        Target::get("/{}").slot("favicon.ico").cases(n),
    ];
    assert_none(&run(&app, &targets, None).await);
}

#[sqlx::test(migrations = "../migrations")]
async fn the_json_api_refuses_hostile_input_with_a_4xx(pool: PgPool) {
    let app = spawn_app_with_demo(pool).await;
    let d = demo(&app).await;
    let n = hostile_values().len();
    let filters = [
        ("from", "2019-01-01"),
        ("to", "2020-12-31"),
        ("q", "Huawei"),
        ("kind", "imposed"),
        ("actor", "Huawei"),
        ("authority", "US Department of Commerce"),
        ("target", "Huawei"),
        ("limit", "10"),
        ("cursor", "2019-01-01_1"),
    ];
    let mut window = vec![
        ("start", "2019-01-01"),
        ("end", "2019-12-31"),
        ("lanes", "target"),
    ];
    window.extend(filters);
    let targets = [
        Target::get("/api/events")
            .accept("application/json")
            .params(&filters)
            .cases(2 * n),
        Target::get("/api/events/{}")
            .accept("application/json")
            .slot(d.event.to_string())
            .cases(n),
        Target::get("/api/sources/{}")
            .accept("application/json")
            .slot(d.source.to_string())
            .cases(n),
        Target::get("/api/citations/{}")
            .accept("application/ld+json")
            .slot("1".to_owned())
            .cases(n),
        Target::get("/api/timeline")
            .accept("application/json")
            .params(&window)
            .cases(2 * n),
        Target::get("/api/timeline/facets")
            .accept("application/json")
            .params(&filters[..7])
            .cases(n),
        Target::get("/api/events")
            .accept("application/json")
            .params(&[
                ("in_force", "2019-06-30"),
                ("kind", "imposed"),
                ("target", "Huawei"),
            ])
            .cases(n),
        Target::get("/api/changes")
            .accept("application/json")
            .params(&[("from", "2019-01-01"), ("to", "2019-12-31")])
            .cases(n),
        Target::get("/exports/changes.csv")
            .accept("text/csv")
            .params(&[("from", "2019-01-01"), ("to", "2019-12-31")])
            .cases(n),
        Target::get("/exports/events.csv")
            .accept("text/csv")
            .params(&filters)
            .cases(n),
        Target::get("/exports/events.ndjson")
            .accept("application/x-ndjson")
            .params(&filters)
            .cases(n),
        Target::get("/feeds/events.atom")
            .accept("application/atom+xml")
            .params(&filters)
            .cases(n),
        Target::get("/feeds/events.ics")
            .accept("text/calendar")
            .params(&filters)
            .cases(n),
        Target::get("/oembed")
            .accept("application/json")
            .params(&[
                ("url", "http://127.0.0.1:3000/?target=Huawei"),
                ("maxwidth", "400"),
                ("maxheight", "300"),
                ("format", "json"),
            ])
            .cases(n),
        Target::get("/sitemaps/{}")
            .accept("application/xml")
            .slot("events-0.xml".to_owned())
            .cases(n),
    ];
    assert_none(&run(&app, &targets, None).await);
}

#[sqlx::test(migrations = "../migrations")]
async fn readers_server_functions_refuse_hostile_input(pool: PgPool) {
    let app = spawn_app_with_demo(pool).await;
    let d = demo(&app).await;
    let n = hostile_values().len();
    let filter = |prefix: &str| -> Vec<(String, String)> {
        [
            "from",
            "to",
            "q",
            "kind",
            "actor",
            "authority",
            "target",
            "limit",
            "cursor",
        ]
        .iter()
        .zip([
            "2019-01-01",
            "2020-12-31",
            "Huawei",
            "imposed",
            "Huawei",
            "US Department of Commerce",
            "Huawei",
            "10",
            "",
        ])
        .map(|(k, v)| (format!("{prefix}[{k}]"), v.to_owned()))
        .collect()
    };
    let get = |name: &str| {
        Target::get(&server_fn_path(name))
            .accept("application/json")
            .cases(n)
    };
    let mut window = filter("query");
    window.extend(
        [
            ("start", "2019-01-01"),
            ("end", "2019-12-31"),
            ("lanes", "kind"),
        ]
        .map(|(k, v)| (format!("query[{k}]"), v.to_owned())),
    );
    let targets = [
        Target {
            params: filter("filter"),
            ..get("load_timeline")
        },
        Target {
            params: filter("filter"),
            ..get("load_facets")
        },
        Target {
            params: window,
            ..get("load_window")
        },
        Target {
            params: vec![
                ("filter[in_force]".into(), "2019-06-30".into()),
                ("filter[target]".into(), "Huawei".into()),
            ],
            ..get("load_timeline")
        },
        get("load_changes").params(&[("from", "2019-01-01"), ("to", "2019-12-31")]),
        Target {
            params: [("day".to_owned(), "2019-06-30".to_owned())]
                .into_iter()
                .chain(filter("filter"))
                .collect(),
            ..get("load_as_recorded")
        },
        get("load_event_as_recorded").params(&[
            ("key", &format!("{}-{}", d.event, d.slug)),
            ("day", "2019-06-30"),
        ]),
        get("load_source_as_recorded")
            .params(&[("id", &d.source.to_string()), ("day", "2019-06-30")]),
        get("load_event").params(&[("key", &format!("{}-{}", d.event, d.slug))]),
        get("load_event_card").params(&[
            ("key", &format!("{}-{}", d.event, d.slug)),
            ("as_recorded", "2019-06-30"),
        ]),
        get("load_source").params(&[("id", &d.source.to_string())]),
        get("load_actor").params(&[("id", "1")]),
        get("load_site_address"),
        Target::post("/api/whoami").cases(n / 2),
    ];
    assert_none(&run(&app, &targets, None).await);
}

#[sqlx::test(migrations = "../migrations")]
async fn signing_in_refuses_hostile_input_and_only_follows_local_paths(pool: PgPool) {
    let app = spawn_app_with_demo(pool).await;
    let n = hostile_values().len();
    create_account(&app, "ed@example.org", Role::Editor).await;
    let credentials = [
        ("email", "ed@example.org"),
        ("password", PASSWORD),
        ("next", "/events/1"),
    ];
    // The values that could pass for an address on this site (each costs a password hash).
    let addresses: Vec<Hostile> = hostile_values()
        .into_iter()
        .filter(|v| match v {
            Hostile::Text(s) => {
                s.len() < 100
                    && (s.is_empty() || s.starts_with(['/', '.', '\\']) || s.contains(':'))
            }
            Hostile::Raw(s) => s.starts_with(['/', '%', '.']),
        })
        .collect();
    let targets = [
        // Each value as the address to go to after signing in with the right password,
        // as a form without JavaScript posts it (a redirect follows).
        Target::post("/api/sign_in")
            .params(&credentials)
            .focus("next")
            .plain()
            .accept("text/html")
            .cases(addresses.len())
            .values(addresses),
        // Every field, with the usual mix.
        Target::post("/api/sign_in")
            .params(&credentials)
            .cases(n / 6),
    ];

    // Forget failed attempts before each case, so every case reaches its handler rather
    // than the wait after five failures.
    let failures = run(&app, &targets, Some("DELETE FROM sign_in_failures")).await;
    assert_none(&failures);
}

#[sqlx::test(migrations = "../migrations")]
async fn editors_server_functions_refuse_hostile_input(pool: PgPool) {
    let app = spawn_app_with_demo(pool).await;
    let d = demo(&app).await;
    let n = hostile_values().len();
    let (cookie, csrf) = sign_in(&app, "ed@example.org", Role::Editor).await;
    let post = |path: &str| {
        Target::post(path)
            .cookie(&cookie)
            .params(&[("csrf", &csrf)])
            .cases(n)
    };
    let get = |path: &str| {
        Target::get(path)
            .accept("application/json")
            .cookie(&cookie)
            .cases(n)
    };
    let page = |path: &str| Target::get(path).cookie(&cookie).cases(n / 2);
    let event = d.event.to_string();
    let source = d.source.to_string();
    let version = d.version.to_string();
    let mut targets = vec![
        with(post("/api/add_source"), source_fields()),
        with(post("/api/create_event"), event_fields(&d)),
        with(
            post("/api/update_event")
                .params(&[("csrf", &csrf), ("id", &event), ("version", "{v}")])
                .current(format!("SELECT version FROM events WHERE id = {event}")),
            event_fields(&d),
        ),
        with(
            post("/api/update_source")
                .params(&[("csrf", &csrf), ("id", &source), ("version", "{v}")])
                .current(format!("SELECT version FROM sources WHERE id = {source}")),
            source_fields(),
        ),
        get("/api/editable_event").params(&[("id", &event)]),
        get("/api/editable_source").params(&[("id", &source)]),
        get("/api/citable_sources").cases(n / 4),
        get("/api/known_actors").params(&[("typed", "Hua"), ("role", "target")]),
        get("/api/history").params(&[("entity", "event"), ("id", &event)]),
        // Admins' functions, by an editor: refused, whatever the input.
        post("/api/set_event_status")
            .params(&[
                ("csrf", &csrf),
                ("id", &event),
                ("version", &version),
                ("status", "published"),
            ])
            .cases(n / 2),
        get("/api/accounts").cases(n / 4),
        get("/api/review_queue").cases(n / 4),
        get("/api/review_count").cases(n / 4),
        post("/api/decide_change")
            .params(&[
                ("csrf", &csrf),
                ("id", "1"),
                ("decision", "approve"),
                ("reason", ""),
            ])
            .cases(n / 2),
        page("/review").cases(n / 4),
        page("/events/{}/edit").slot(&event),
        page("/events/{}/history").slot(&event),
        page("/sources/{}/edit").slot(&source),
        page("/sources/{}/history").slot(&source),
        page("/events/new").params(&[("source", &source)]),
        page("/sources/new"),
        with(
            post("/api/save_actor_identifiers").params(&[("csrf", &csrf), ("id", "1")]),
            vec![
                ("was[wikidata]", String::new()),
                ("was[opensanctions]", String::new()),
                ("form[wikidata]", "Q42".into()),
                ("form[opensanctions]", "ofac-{i}".into()),
            ],
        ),
        page("/actors/{}/edit").slot("1"),
        // Signing out with anything but the session's token: refused.
        post("/api/sign_out").params(&[("csrf", "not the token")]),
    ];
    let sweeps: Vec<Target> = targets[..4].iter().flat_map(sweep).collect();
    targets.extend(sweeps);
    assert_none(&run(&app, &targets, None).await);

    // Hostile session cookies: nobody is signed in by them, and nothing fails.
    let values = hostile_values();
    let mut failures = Vec::new();
    for value in &values {
        let Ok(request) = Request::post("/api/whoami")
            .header("accept", "application/json")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("cookie", format!("st_session={}", value.wire()))
            .body(Body::empty())
        else {
            continue;
        };
        match send(&app, request).await {
            Ok(answer) if answer.status == 200 && answer.body.trim() == "null" => {}
            Ok(answer) => failures.push(Failure {
                target: "POST /api/whoami (cookie)".into(),
                what: format!("st_session={}", value.describe()),
                kind: answer.status.to_string(),
                excerpt: excerpt(&answer.body),
            }),
            Err(kind) => failures.push(Failure {
                target: "POST /api/whoami (cookie)".into(),
                what: format!("st_session={}", value.describe()),
                kind,
                excerpt: String::new(),
            }),
        }
    }
    assert_none(&failures);
}

#[sqlx::test(migrations = "../migrations")]
async fn admins_server_functions_refuse_hostile_input(pool: PgPool) {
    let app = spawn_app_with_demo(pool).await;
    let d = demo(&app).await;
    let n = hostile_values().len();
    // The account the admin changes; never the admin's own.
    sign_in(&app, "victim@example.org", Role::Editor).await;
    let (cookie, csrf) = sign_in(&app, "admin@example.org", Role::Admin).await;
    let victim: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email = 'victim@example.org'")
        .fetch_one(&app.pool)
        .await
        .expect("victim account");
    let post = |path: &str| Target::post(path).cookie(&cookie).cases(n);
    let event = d.event.to_string();
    // Changes waiting for review, to approve and reject: an event's and a source's.
    let victim_form = app::domain::event_form::EventForm {
        title: "Proposed title".into(),
        kind: "imposed".into(),
        date: "2019-05-16".into(),
        authorities: "US Department of Commerce".into(),
        targets: "Huawei".into(),
        ..Default::default()
    };
    let mut changes = Vec::new();
    for proposed in [
        app::db::pending::Proposed::Event(victim_form),
        app::db::pending::Proposed::Source(app::domain::source_form::SourceForm {
            title: "Proposed".into(),
            publisher: "Example".into(),
            published_on: "2019-06-29".into(),
            language: "da".into(),
            text: "Første afsnit.\n\nAndet afsnit.".into(),
            ..Default::default()
        }),
    ] {
        let entity_id = match proposed {
            app::db::pending::Proposed::Event(_) => d.event,
            app::db::pending::Proposed::Source(_) => d.source,
        };
        let id = app::db::pending::submit(&app.pool, entity_id, 1, victim, "", &proposed)
            .await
            .expect("pending change");
        changes.push(id.to_string());
    }
    let targets = [
        post("/api/set_event_status")
            .current(format!("SELECT version FROM events WHERE id = {event}"))
            .params(&[
                ("csrf", &csrf),
                ("id", &event),
                ("version", "{v}"),
                ("status", "published"),
                ("comment", "hostile input test"),
            ]),
        post("/api/restore_revision").params(&[
            ("csrf", &csrf),
            ("entity", "event"),
            ("id", &event),
            ("version", "1"),
        ]),
        // Valid cases hash a password (slow in a debug build): fewer of them.
        post("/api/create_account")
            .params(&[
                ("csrf", &csrf),
                ("form[email]", "new{i}@example.org"),
                ("form[display_name]", "New editor"),
                ("form[role]", "editor"),
                ("form[password]", PASSWORD),
            ])
            .cases(n / 4),
        post("/api/change_account").params(&[
            ("csrf", &csrf),
            ("id", &victim.to_string()),
            ("role", "editor"),
            ("disabled", "false"),
        ]),
        Target::get("/api/accounts")
            .accept("application/json")
            .cookie(&cookie)
            .cases(n / 4),
        Target::get("/admin/accounts").cookie(&cookie).cases(n / 4),
        post("/api/decide_change").params(&[
            ("csrf", &csrf),
            ("id", &changes[0]),
            ("decision", "approve"),
            ("reason", ""),
        ]),
        post("/api/decide_change").params(&[
            ("csrf", &csrf),
            ("id", &changes[1]),
            ("decision", "reject"),
            ("reason", "hostile input test"),
        ]),
        Target::get("/api/review_queue")
            .accept("application/json")
            .cookie(&cookie)
            .cases(n / 4),
        Target::get("/api/review_count")
            .accept("application/json")
            .cookie(&cookie)
            .cases(n / 4),
        Target::get("/review").cookie(&cookie).cases(n / 4),
    ];
    assert_none(&run(&app, &targets, None).await);
}
