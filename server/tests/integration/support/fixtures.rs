//! The record the editing tests work on: sources and events stored directly or made
//! through the edit pages' forms, the forms themselves, and queries for what was stored.

use super::{sign_in, spawn_app, Form, TestApp};
use app::domain::account::Role;
use app::domain::source_form::SourceDraft;
use serde_json::Value;
use sqlx::PgPool;

/// A source text that puts emoji (two UTF-16 units each) and Danish letters before the
/// sentence the tests cite, so browser offsets and stored offsets differ.
pub const BODY: &str = "🙂🙂 Indledning på dansk, med æ, ø og å.\n\nHuawei kommer på Entity List den 16. maj 2019.\n\nSlut.";
pub const QUOTE: &str = "Huawei kommer på Entity List den 16. maj 2019.";

/// Where `exact` starts and ends in `text` as a browser selection counts (UTF-16 units).
pub fn utf16_span(text: &str, exact: &str) -> Option<(usize, usize)> {
    let byte = text.find(exact)?;
    let start = text[..byte].encode_utf16().count();
    Some((start, start + exact.encode_utf16().count()))
}

/// `QUOTE`'s place in `BODY`, as the browser reports it.
pub fn quote_span() -> (usize, usize) {
    utf16_span(BODY, QUOTE).expect("QUOTE is in BODY")
}

/// A source as an editor pastes it: this address and text, the rest always the same
/// (`source_edit` posts the same).
pub fn source_draft(url: &str, body: &str) -> SourceDraft {
    SourceDraft {
        url: url.into(),
        archive_url: None,
        title: "Huawei på listen".into(),
        publisher: "Computerworld".into(),
        authors: vec![],
        published_on: chrono::NaiveDate::from_ymd_opt(2019, 6, 29).expect("a date"),
        language: "da".parse().expect("a language tag"),
        body: body.into(),
    }
}

/// Stores a source with this address and text, added by `author`; returns its id.
pub async fn add_source(app: &TestApp, author: i64, url: &str, body: &str) -> i64 {
    match app::db::sources::add(&app.pool, &source_draft(url, body), author, "")
        .await
        .expect("source added")
    {
        app::db::sources::Added::New(id) => id.0,
        other => panic!("{other:?}"),
    }
}

/// Stores a draft event by `author` citing `exact` (its first place in `text`, the text of
/// `source`); returns its id.
pub async fn create_event(
    app: &TestApp,
    author: i64,
    source: i64,
    text: &str,
    title: &str,
    exact: &str,
) -> i64 {
    use app::domain::event_form::{EventDraft, PickedQuote};
    let (start, end) = utf16_span(text, exact).expect("the quote is in the text");
    let draft = EventDraft {
        title: title.into(),
        summary: String::new(),
        kind: "imposed".parse().expect("a kind"),
        date: "2019-05-16".parse().expect("a date"),
        end: None,
        date_phrase: None,
        authorities: vec!["US Department of Commerce".into()],
        targets: vec!["Huawei".into()],
        legal_instrument: None,
        legal_act: None,
        lifecycle: Default::default(),
        quote: Some(PickedQuote {
            source: app::domain::SourceId(source),
            exact: exact.into(),
            utf16_start: start,
            utf16_end: end,
            states: None,
        }),
        relation: None,
        removals: Default::default(),
    };
    app::db::events::create(&app.pool, &draft, author, "")
        .await
        .expect("event created")
        .0
}

/// The new-event form as its page posts it, citing `QUOTE` at `span` in `source`.
pub fn event_form(csrf: &str, source: i64, title: &str, span: (usize, usize)) -> Form {
    Form::new()
        .field("csrf", csrf)
        .field("form[title]", title)
        .field("form[summary]", "Huawei og 68 datterselskaber.")
        .field("form[kind]", "imposed")
        .field("form[date]", "2019-05-16")
        .field("form[date_phrase]", "for seks uger siden")
        .field("form[authorities]", "US Department of Commerce")
        .field("form[targets]", "Huawei")
        .field("form[legal_instrument]", "Entity List")
        .field("form[quote_source]", source)
        .field("form[quote_exact]", QUOTE)
        .field("form[quote_start]", span.0)
        .field("form[quote_end]", span.1)
        .field("comment", "from the article")
}

/// The edit page's form for event `id`, opened at `version`: `event_form`'s fields with
/// `title`, no new passage selected.
pub fn event_edit(csrf: &str, id: i64, version: i32, title: &str) -> Form {
    event_form(csrf, 0, title, (0, 0))
        .without("form[quote_source]")
        .without("form[quote_exact]")
        .without("form[quote_start]")
        .without("form[quote_end]")
        .field("id", id)
        .field("version", version)
}

/// The source edit page's form for source `id`, opened at `version`, with this text and
/// `source_draft`'s other fields (the address is ignored: a source keeps its own).
pub fn source_edit(csrf: &str, id: i64, version: i32, text: &str) -> Form {
    Form::new()
        .field("csrf", csrf)
        .field("id", id)
        .field("version", version)
        .field("form[url]", "https://evil.example/ignored")
        .field("form[title]", "Huawei på listen")
        .field("form[publisher]", "Computerworld")
        .field("form[authors]", "")
        .field("form[published_on]", "2019-06-29")
        .field("form[language]", "da")
        .field("form[text]", text)
        .field("comment", "rettelse")
}

/// The form that moves event `id` at `version` to `status` (an admin's).
pub fn status_form(csrf: &str, id: i64, version: i64, status: &str) -> Form {
    Form::new()
        .field("csrf", csrf)
        .field("id", id)
        .field("version", version)
        .field("status", status)
}

/// The history page's form that restores `version` of an event or a source.
pub fn restore_form(csrf: &str, entity: &str, id: i64, version: i32) -> Form {
    Form::new()
        .field("csrf", csrf)
        .field("entity", entity)
        .field("id", id)
        .field("version", version)
}

/// A source of `email`'s account (`BODY`) and a draft event citing `QUOTE` in it, made
/// through the form: (source id, event id).
pub async fn draft_event(
    app: &TestApp,
    email: &str,
    cookie: &str,
    csrf: &str,
    title: &str,
) -> (i64, i64) {
    let author = account_id(app, email).await;
    let source = add_source(app, author, "https://example.org/huawei", BODY).await;
    let (_, created) = app
        .call(
            "create_event",
            Some(cookie),
            &event_form(csrf, source, title, quote_span()),
        )
        .await;
    (source, saved_id(&created))
}

/// An editor and an admin signed in, and the editor's draft "Huawei listed" citing a
/// source of theirs.
pub struct Desk {
    pub app: TestApp,
    /// (cookie, CSRF token)
    pub editor: (String, String),
    pub admin: (String, String),
    pub source: i64,
    pub event: i64,
}

impl Desk {
    /// The admin moves the event, opened at `version`, to `status`: what the server said.
    pub async fn set_status(&self, version: i64, status: &str) -> Value {
        let (_, outcome) = self
            .app
            .call(
                "set_event_status",
                Some(&self.admin.0),
                &status_form(&self.admin.1, self.event, version, status),
            )
            .await;
        outcome
    }
}

pub async fn desk(pool: PgPool) -> Desk {
    let app = spawn_app(pool).await;
    let editor = sign_in(&app, "ed@example.org", Role::Editor).await;
    let admin = sign_in(&app, "admin@example.org", Role::Admin).await;
    let (source, event) = draft_event(
        &app,
        "ed@example.org",
        &editor.0,
        &editor.1,
        "Huawei listed",
    )
    .await;
    Desk {
        app,
        editor,
        admin,
        source,
        event,
    }
}

pub async fn account_id(app: &TestApp, email: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(email)
        .fetch_one(&app.pool)
        .await
        .unwrap_or_else(|e| panic!("no account {email}: {e}"))
}

/// The one number `sql` answers.
pub async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(&app.pool)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// The event a save answered with `Saved` (its edit page's address holds the id).
pub fn saved_id(outcome: &Value) -> i64 {
    let href = outcome["Saved"]["href"]
        .as_str()
        .unwrap_or_else(|| panic!("{outcome}"));
    href.trim_start_matches("/events/")
        .trim_end_matches("/edit")
        .parse()
        .unwrap_or_else(|e| panic!("{href}: {e}"))
}

/// The change to `field` in a revision or a pending change (its `changes`).
pub fn change_of<'a>(revision: &'a Value, field: &str) -> &'a Value {
    revision["changes"]
        .as_array()
        .and_then(|c| c.iter().find(|f| f["field"] == field))
        .unwrap_or_else(|| panic!("{field} in {revision}"))
}
