//! The schema and the demo record, against a real PostgreSQL.

use app::db;
use app::domain::text_span::char_to_utf16;
use app::domain::{CharSpan, EventId, EventKind, EventStatus, FuzzyDate, Slug};
use sqlx::PgPool;

#[sqlx::test(migrations = "../migrations")]
async fn migrations_create_every_table(pool: PgPool) {
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT table_name::text FROM information_schema.tables
         WHERE table_schema = 'public' AND table_name <> '_sqlx_migrations' ORDER BY 1",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(
        tables,
        [
            "actors",
            "citations",
            "event_actors",
            "event_day_counts",
            "event_lane_totals",
            "event_month_counts",
            "event_period_counts",
            "event_relations",
            "event_step_month_counts",
            "event_steps",
            "event_word_months",
            "event_word_prominence",
            "event_word_stem_only",
            "event_word_step_months",
            "event_word_weeks",
            "events",
            "pending_changes",
            "revisions",
            "sessions",
            "sign_in_failures",
            "sources",
            "users"
        ]
    );
}

async fn counts(pool: &PgPool) -> (i64, i64, i64, i64, i64, i64) {
    sqlx::query_as(
        "SELECT (SELECT count(*) FROM sources), (SELECT count(*) FROM events),
                (SELECT count(*) FROM citations), (SELECT count(*) FROM actors),
                (SELECT count(*) FROM event_relations), (SELECT sum(version) FROM events)::bigint",
    )
    .fetch_one(pool)
    .await
    .unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn loading_the_demo_twice_changes_nothing(pool: PgPool) {
    let first = server::demo::load(&pool).await.unwrap();
    let after_first = counts(&pool).await;
    let second = server::demo::load(&pool).await.unwrap();
    assert_eq!(first, second);
    assert_eq!(counts(&pool).await, after_first);
    let (sources, events, citations, _, relations, versions) = after_first;
    assert!(sources >= 2 && events >= 3 && citations >= events);
    assert!(relations >= 3);
    assert_eq!(versions, events, "a reload must not bump versions");
    // And start-up loads only into an empty database.
    assert_eq!(server::demo::load_if_empty(&pool).await.unwrap(), None);
}

#[sqlx::test(migrations = "../migrations")]
async fn the_seed_article_is_stored_without_its_boilerplate(pool: PgPool) {
    server::demo::load(&pool).await.unwrap();
    let body: String = sqlx::query_scalar("SELECT body FROM sources WHERE url = $1")
        .bind(server::demo::COMPUTERWORLD_URL)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(body.starts_with("Trump lemper på Huawei-sanktioner"));
    assert!(body.ends_with("inden totalforbud træder i kraft"), "{body}");
    for boilerplate in [
        "Læs også",
        "Navnenyt",
        "Computerworld Events",
        "Artikel top billede",
    ] {
        assert!(!body.contains(boilerplate), "{boilerplate} kept");
    }
    let sha: String = sqlx::query_scalar("SELECT body_sha256 FROM sources WHERE url = $1")
        .bind(server::demo::COMPUTERWORLD_URL)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(sha, db::sources::body_sha256(&body));
}

const MIXED: &str = "Danske bogstaver: æble, ørred og ål.\n\n华为被列入实体清单。\n\nEmoji 🇺🇸🤝🇨🇳 then “the deal” 🙂 ends here.";

async fn mixed_source(pool: &PgPool) -> (app::domain::SourceId, EventId) {
    let mut conn = pool.acquire().await.unwrap();
    let source = db::sources::upsert_by_url(
        &mut conn,
        &db::sources::NewSource {
            url: "https://example.org/mixed".into(),
            archive_url: None,
            title: "Mixed".into(),
            publisher: "Test".into(),
            authors: vec!["A. Writer".into()],
            published_on: chrono::NaiveDate::from_ymd_opt(2020, 1, 2).unwrap(),
            language: "da".parse().unwrap(),
            body: MIXED.into(),
        },
    )
    .await
    .unwrap();
    let event = db::events::upsert_by_slug(
        &mut conn,
        &Slug::from_title("Mixed event"),
        EventStatus::Published,
        &app::domain::event_form::EventDraft {
            title: "Mixed event".into(),
            summary: String::new(),
            kind: EventKind::Imposed,
            date: FuzzyDate::day(chrono::NaiveDate::from_ymd_opt(2020, 1, 2).unwrap()),
            end: None,
            date_phrase: None,
            authorities: vec![],
            targets: vec![],
            legal_instrument: None,
            legal_act: None,
            lifecycle: Default::default(),
            quote: None,
            relation: None,
            removals: Default::default(),
        },
    )
    .await
    .unwrap();
    (source, event)
}

#[sqlx::test(migrations = "../migrations")]
async fn citation_offsets_round_trip_through_danish_cjk_and_emoji(pool: PgPool) {
    let (source, event) = mixed_source(&pool).await;
    for exact in [
        "ørred og ål",
        "华为被列入实体清单",
        "🇺🇸🤝🇨🇳",
        "“the deal” 🙂",
    ] {
        // The browser reports UTF-16 offsets; convert once, store chars, read back.
        let span = CharSpan::find_all(MIXED, exact)[0];
        let (u_start, u_end) = (
            char_to_utf16(MIXED, span.start).unwrap(),
            char_to_utf16(MIXED, span.end).unwrap(),
        );
        let from_browser = CharSpan::from_utf16(MIXED, u_start, u_end).unwrap();
        let mut conn = pool.acquire().await.unwrap();
        let id = db::citations::cite(&mut conn, event, source, exact, Some(from_browser), None)
            .await
            .unwrap();
        // Postgres agrees on the characters the offsets cover.
        let stored: String = sqlx::query_scalar(
            "SELECT substr(s.body, c.start_char + 1, c.end_char - c.start_char)
             FROM citations c JOIN sources s ON s.id = c.source_id WHERE c.id = $1",
        )
        .bind(id.0)
        .fetch_one(&pool)
        .await
        .unwrap();
        assert_eq!(stored, exact);
    }
    let detail = db::sources::detail(&pool, source, false)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(detail.cited.len(), 4);
    for c in &detail.cited {
        assert_eq!(c.span.slice(&detail.body), Some(c.exact.as_str()));
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn a_citation_whose_offsets_miss_its_quote_is_refused(pool: PgPool) {
    let (source, event) = mixed_source(&pool).await;
    let span = CharSpan::find_all(MIXED, "华为")[0];
    let shifted = CharSpan::new(span.start + 1, span.end + 1).unwrap();
    let mut conn = pool.acquire().await.unwrap();
    let err = db::citations::cite(&mut conn, event, source, "华为", Some(shifted), None)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("not the quoted passage"), "{err}");
    // The database itself is the last gate, even for SQL written by hand.
    let raw = sqlx::query(
        "INSERT INTO citations (event_id, source_id, exact, start_char, end_char)
         VALUES ($1, $2, '华为', $3, $4)",
    )
    .bind(event.0)
    .bind(source.0)
    .bind(shifted.start as i32)
    .bind(shifted.end as i32)
    .execute(&pool)
    .await
    .unwrap_err();
    assert!(
        raw.to_string().contains("do not hold the quoted text"),
        "{raw}"
    );
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM citations")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(count, 0);
}
