//! Several editors saving at once, through the same server functions the edit pages use:
//! two on the same event and source, others on their own, some with forms left open
//! (stale versions). Afterwards nothing was lost or silently overwritten: every accepted
//! save is exactly one revision, with its author, comment and fields, at the version it
//! answered; versions run 1, 2, 3… without gaps; every refused save was told so with the
//! version that beat it; the stored record is the last accepted save; and every citation
//! still holds its quote in its source's text.

use crate::support::{
    account_id, add_source, create_event, sign_in, source_edit, spawn_app, utf16_span, Form,
    TestApp,
};
use app::domain::account::Role;
use serde_json::Value;
use sqlx::PgPool;
use std::collections::BTreeMap;
use std::sync::Arc;

const EDITORS: usize = 4;
const SAVES: usize = 25;

/// Text every version of a source keeps (each editor writes a different first line),
/// so the cited passages move with each save and are always found again.
const BODY: &str = "Huawei kom på Entity List i maj 🙂.\n\nDet gælder 68 datterselskaber.\n\nLempelsen kom lørdag i Osaka.";
const QUOTES: [&str; 3] = [
    "Huawei kom på Entity List i maj 🙂.",
    "Det gælder 68 datterselskaber.",
    "Lempelsen kom lørdag i Osaka.",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Entity {
    Event(i64),
    Source(i64),
}

impl Entity {
    fn table(self) -> (&'static str, i64) {
        match self {
            Entity::Event(id) => ("event", id),
            Entity::Source(id) => ("source", id),
        }
    }
}

/// One save and what the server answered.
#[derive(Debug)]
struct Attempt {
    editor: usize,
    entity: Entity,
    sent_version: i32,
    /// Unique per save: the revision's comment.
    comment: String,
    /// The title (event) or text (source) this save wrote.
    content: String,
    outcome: Outcome,
}

#[derive(Debug)]
enum Outcome {
    Saved(i32),
    /// Refused as stale, with the version that is there now.
    Conflict(i32),
    /// Refused at the quote (the source moved under the selection); told so.
    QuoteRefused,
    /// Anything else: a failure of the test.
    Other(u16, String),
}

struct Editor {
    index: usize,
    cookie: String,
    csrf: String,
}

/// The version the edit page would show now, and (for a source) its text.
async fn open(app: &TestApp, editor: &Editor, entity: Entity) -> (i32, String) {
    let uri = match entity {
        Entity::Event(id) => format!("/api/editable_event?id={id}"),
        Entity::Source(id) => format!("/api/editable_source?id={id}"),
    };
    let page = app.get_signed_in(&uri, &editor.cookie).await.json();
    let version = page["version"].as_i64().unwrap_or_else(|| panic!("{page}")) as i32;
    let text = page["form"]["text"].as_str().unwrap_or_default().to_owned();
    (version, text)
}

fn outcome(status: u16, answer: &Value) -> Outcome {
    let version = |v: &Value| v["version"].as_i64().map(|v| v as i32);
    if status == 200 {
        if let Some(v) = version(&answer["Saved"]) {
            return Outcome::Saved(v);
        }
        if let Some(v) = version(&answer["Conflict"]) {
            return Outcome::Conflict(v);
        }
        let fields: Vec<&str> = answer["Invalid"]
            .as_array()
            .map(|errors| errors.iter().filter_map(|e| e[0].as_str()).collect())
            .unwrap_or_default();
        if fields == ["quote"] {
            return Outcome::QuoteRefused;
        }
    }
    let text = answer.to_string();
    Outcome::Other(status, text.chars().take(300).collect())
}

/// One editor's session: `SAVES` saves over the entities on its list, now and then on a
/// form opened one save earlier (stale when someone saved in between).
async fn work(app: Arc<TestApp>, editor: Editor, plan: Vec<Entity>) -> Vec<Attempt> {
    let mut attempts = Vec::new();
    let mut opened: BTreeMap<Entity, (i32, String)> = BTreeMap::new();
    for i in 0..SAVES {
        let entity = plan[i % plan.len()];
        let reuse = i % 3 == 1 && opened.contains_key(&entity);
        let (version, text) = match opened.get(&entity) {
            Some(form) if reuse => form.clone(),
            _ => open(&app, &editor, entity).await,
        };
        opened.insert(entity, (version, text.clone()));
        // Let the others move between reading the form and saving it.
        tokio::task::yield_now().await;
        let comment = format!("editor {} save {i}", editor.index);
        let (endpoint, body, content) = match entity {
            Entity::Event(id) => {
                let title = format!("Huawei listed ({comment})");
                let mut form = Form::new()
                    .field("csrf", &editor.csrf)
                    .field("id", id)
                    .field("version", version)
                    .field("form[title]", &title)
                    .field("form[summary]", format!("Summary {i}."))
                    .field("form[kind]", "imposed")
                    .field("form[date]", format!("2019-05-{:02}", 1 + i % 28))
                    .field("form[authorities]", "US Department of Commerce")
                    // New actors named by several editors at once.
                    .field("form[targets]", format!("Huawei\nAffiliate {}", i % 4))
                    .field("comment", &comment);
                // Every fourth save also cites a passage, selected in the source's text
                // as this editor last read it (which may have moved since).
                if i % 4 == 3 {
                    if let Some((source, body)) = quote_source(&app, &editor, &opened).await {
                        let exact = QUOTES[i % QUOTES.len()];
                        if let Some((start, end)) = utf16_span(&body, exact) {
                            form = form
                                .field("form[quote_source]", source)
                                .field("form[quote_exact]", exact)
                                .field("form[quote_start]", start)
                                .field("form[quote_end]", end);
                        }
                    }
                }
                ("update_event", form, title)
            }
            Entity::Source(id) => {
                let text = format!("Rettet af {comment}.\n\n{BODY}");
                let form = source_edit(&editor.csrf, id, version, &text).set("comment", &comment);
                ("update_source", form, text)
            }
        };
        let (status, answer) = app.call(endpoint, Some(&editor.cookie), &body).await;
        let outcome = outcome(status.as_u16(), &answer);
        // After a save the page shows what was saved: the next quote is selected in it.
        if let (Outcome::Saved(v), Entity::Source(_)) = (&outcome, entity) {
            opened.insert(entity, (*v, content.clone()));
        }
        attempts.push(Attempt {
            editor: editor.index,
            entity,
            sent_version: version,
            comment,
            content,
            outcome,
        });
    }
    attempts
}

/// The first source on the editor's list with the text as last read.
async fn quote_source(
    app: &TestApp,
    editor: &Editor,
    opened: &BTreeMap<Entity, (i32, String)>,
) -> Option<(i64, String)> {
    let source = opened.keys().find_map(|e| match e {
        Entity::Source(id) => Some(*id),
        _ => None,
    })?;
    match opened.get(&Entity::Source(source)) {
        Some((_, text)) if !text.is_empty() => Some((source, text.clone())),
        _ => Some((source, open(app, editor, Entity::Source(source)).await.1)),
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn concurrent_saves_are_each_kept_or_refused_never_lost(pool: PgPool) {
    let app = spawn_app(pool).await;
    let mut editors = Vec::new();
    for index in 0..EDITORS {
        let (cookie, csrf) = sign_in(&app, &format!("ed{index}@example.org"), Role::Editor).await;
        editors.push(Editor {
            index,
            cookie,
            csrf,
        });
    }
    let author: i64 = sqlx::query_scalar("SELECT min(id) FROM users")
        .fetch_one(&app.pool)
        .await
        .expect("an account");
    let shared_source = add_source(&app, author, "https://example.dk/shared", BODY).await;
    let own_source = add_source(&app, author, "https://example.dk/own", BODY).await;
    let shared_event = create_event(&app, author, shared_source, BODY, "Shared", QUOTES[0]).await;
    let second_event = create_event(&app, author, shared_source, BODY, "Second", QUOTES[1]).await;
    let own_event = create_event(&app, author, own_source, BODY, "Own", QUOTES[2]).await;
    use Entity::{Event, Source};
    // Editors 0 and 1 work on the same event and source; 2 shares the source with them
    // but has an event of its own; 3 works alone on another source.
    let plans = [
        vec![
            Event(shared_event),
            Event(shared_event),
            Source(shared_source),
        ],
        vec![
            Event(shared_event),
            Source(shared_source),
            Event(shared_event),
        ],
        vec![
            Event(second_event),
            Source(shared_source),
            Event(second_event),
        ],
        vec![Event(own_event), Source(own_source), Event(own_event)],
    ];

    let app = Arc::new(app);
    let tasks: Vec<_> = editors
        .into_iter()
        .zip(plans)
        .map(|(editor, plan)| tokio::spawn(work(Arc::clone(&app), editor, plan)))
        .collect();
    let mut attempts = Vec::new();
    for task in tasks {
        attempts.extend(task.await.expect("an editor's session ends normally"));
    }
    assert_eq!(attempts.len(), EDITORS * SAVES);

    // Every answer was a save or a refusal the editor is told about.
    let odd: Vec<String> = attempts
        .iter()
        .filter_map(|a| match &a.outcome {
            Outcome::Other(status, answer) => Some(format!(
                "{} ({:?} at version {}): {status} {answer}",
                a.comment, a.entity, a.sent_version
            )),
            _ => None,
        })
        .collect();
    assert!(
        odd.is_empty(),
        "saves answered neither saved nor refused:\n{}",
        odd.join("\n")
    );
    let saved = attempts
        .iter()
        .filter(|a| matches!(a.outcome, Outcome::Saved(_)))
        .count();
    let conflicts = attempts
        .iter()
        .filter(|a| matches!(a.outcome, Outcome::Conflict(_)))
        .count();
    let quote_refused = attempts.len() - saved - conflicts;
    eprintln!("{saved} saved, {conflicts} refused as stale, {quote_refused} refused at the quote");
    // Both must happen, or the test proved nothing about concurrent saves.
    assert!(
        saved > 0 && conflicts > 0,
        "{saved} saved, {conflicts} conflicts"
    );

    let revisions: Vec<(String, i64, i32, i64, String, Value)> = sqlx::query_as(
        "SELECT r.entity, r.entity_id, r.version, r.author_id, r.comment, r.snapshot
         FROM revisions r ORDER BY r.entity, r.entity_id, r.version",
    )
    .fetch_all(&app.pool)
    .await
    .expect("revisions");
    let mut author_of = Vec::new();
    for index in 0..EDITORS {
        author_of.push(account_id(&app, &format!("ed{index}@example.org")).await);
    }

    for a in &attempts {
        let (table, id) = a.entity.table();
        let mine: Vec<_> = revisions
            .iter()
            .filter(|r| r.0 == table && r.1 == id && r.4 == a.comment)
            .collect();
        match a.outcome {
            Outcome::Saved(version) => {
                // Exactly one revision, at the version answered, by this editor, with
                // what this editor wrote.
                assert_eq!(mine.len(), 1, "{a:?}: {} revisions", mine.len());
                let r = mine[0];
                assert_eq!(r.2, version, "{a:?}");
                assert_eq!(version, a.sent_version + 1, "{a:?}");
                assert_eq!(r.3, author_of[a.editor], "{a:?}");
                let kept = match a.entity {
                    Entity::Event(_) => &r.5["title"],
                    Entity::Source(_) => &r.5["body"],
                };
                assert_eq!(kept.as_str(), Some(a.content.as_str()), "{a:?}");
            }
            Outcome::Conflict(current) => {
                // Told that another version is there, and nothing written.
                assert_ne!(current, a.sent_version, "{a:?}");
                assert!(mine.is_empty(), "{a:?} was refused yet wrote {mine:?}");
            }
            Outcome::QuoteRefused => assert!(mine.is_empty(), "{a:?}"),
            Outcome::Other(..) => unreachable!("refused above"),
        }
    }

    // Per event and source: versions 1..=current without a gap or a repeat, one more
    // than the saves accepted for it, and the stored record is the last accepted save.
    let entities: std::collections::BTreeSet<Entity> = attempts.iter().map(|a| a.entity).collect();
    for entity in entities {
        let (table, id) = entity.table();
        let (current, stored): (i32, String) = match entity {
            Entity::Event(_) => sqlx::query_as("SELECT version, title FROM events WHERE id = $1"),
            Entity::Source(_) => sqlx::query_as("SELECT version, body FROM sources WHERE id = $1"),
        }
        .bind(id)
        .fetch_one(&app.pool)
        .await
        .expect("entity");
        let versions: Vec<i32> = revisions
            .iter()
            .filter(|r| r.0 == table && r.1 == id)
            .map(|r| r.2)
            .collect();
        assert_eq!(versions, (1..=current).collect::<Vec<_>>(), "{entity:?}");
        let accepted: Vec<&Attempt> = attempts
            .iter()
            .filter(|a| a.entity == entity && matches!(a.outcome, Outcome::Saved(_)))
            .collect();
        assert_eq!(accepted.len() as i32, current - 1, "{entity:?}");
        let last = accepted
            .iter()
            .max_by_key(|a| match a.outcome {
                Outcome::Saved(v) => v,
                _ => 0,
            })
            .map(|a| a.content.as_str());
        if let Some(last) = last {
            assert_eq!(stored, last, "{entity:?}");
        }
    }

    // Every citation still holds its quote, and none was lost to review: the quoted
    // sentences are in every version of the text, once.
    let broken: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM citations c JOIN sources s ON s.id = c.source_id
         WHERE substr(s.body, c.start_char + 1, c.end_char - c.start_char) <> c.exact",
    )
    .fetch_one(&app.pool)
    .await
    .expect("count");
    assert_eq!(
        broken, 0,
        "citations whose offsets no longer hold their quote"
    );
    let flagged: i64 = sqlx::query_scalar("SELECT count(*) FROM citations WHERE needs_review")
        .fetch_one(&app.pool)
        .await
        .expect("count");
    assert_eq!(
        flagged, 0,
        "citations flagged although their text is still there"
    );
    let cited: i64 = sqlx::query_scalar("SELECT count(DISTINCT event_id) FROM citations")
        .fetch_one(&app.pool)
        .await
        .expect("count");
    assert_eq!(cited, 3, "every event still cites its passage");
    let added: i64 = sqlx::query_scalar("SELECT count(*) FROM citations")
        .fetch_one(&app.pool)
        .await
        .expect("count");
    eprintln!("{} passages cited by the saves", added - 3);
}
