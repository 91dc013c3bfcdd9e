//! "What was in force on D": a listing, a licence easing it that expires, its extension, a
//! lifting known only to its month, a ban known only to its year, a threat (never in
//! force) and a draft (never shown), asked about on the days where the answer changes,
//! through the API and the timeline page; and what changed between two days.

use crate::support::spawn_app;
use app::db;
use app::domain::event_form::EventDraft;
use app::domain::lifecycle::{Lifecycle, LifecycleStep, Milestone};
use app::domain::{EventId, EventKind, EventStatus, RelationKind, Slug};
use axum::http::StatusCode;
use sqlx::PgPool;

struct Measure {
    title: &'static str,
    kind: EventKind,
    date: &'static str,
    end: Option<&'static str>,
    steps: &'static [(LifecycleStep, &'static str)],
    authority: &'static str,
    target: &'static str,
    status: EventStatus,
}

async fn store(pool: &PgPool, m: &Measure) -> EventId {
    let mut conn = pool.acquire().await.unwrap();
    let draft = EventDraft {
        title: m.title.into(),
        summary: String::new(),
        kind: m.kind,
        date: m.date.parse().unwrap(),
        end: m.end.map(|e| e.parse().unwrap()),
        date_phrase: None,
        authorities: vec![m.authority.into()],
        targets: vec![m.target.into()],
        legal_instrument: None,
        legal_act: None,
        lifecycle: Lifecycle::from(
            m.steps
                .iter()
                .map(|(step, date)| Milestone {
                    step: *step,
                    date: date.parse().unwrap(),
                })
                .collect::<Vec<_>>(),
        ),
        quote: None,
        relation: None,
        removals: Default::default(),
    };
    db::events::upsert_by_slug(&mut conn, &Slug::from_title(m.title), m.status, &draft)
        .await
        .unwrap()
}

const PUBLISHED: EventStatus = EventStatus::Published;

/// (title, certain) of the measures in force on `day` with the extra query `more`.
async fn in_force(app: &crate::support::TestApp, day: &str, more: &str) -> Vec<(String, bool)> {
    let reply = app.get(&format!("/api/events?in_force={day}{more}")).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let v = reply.json();
    let measures = v["measures"].as_array().expect("measures");
    assert_eq!(v["total"].as_u64(), Some(measures.len() as u64));
    let mut out: Vec<(String, bool)> = measures
        .iter()
        .map(|m| {
            (
                m["event"]["title"].as_str().unwrap_or_default().to_owned(),
                m["certain"].as_bool().unwrap_or_default(),
            )
        })
        .collect();
    out.sort();
    out
}

fn answer(pairs: &[(&str, bool)]) -> Vec<(String, bool)> {
    let mut out: Vec<(String, bool)> = pairs.iter().map(|(t, c)| ((*t).to_owned(), *c)).collect();
    out.sort();
    out
}

/// A published measure of `authority` on `target`, with no end.
fn measure(
    title: &'static str,
    kind: EventKind,
    date: &'static str,
    steps: &'static [(LifecycleStep, &'static str)],
    authority: &'static str,
    target: &'static str,
) -> Measure {
    Measure {
        title,
        kind,
        date,
        end: None,
        steps,
        authority,
        target,
        status: PUBLISHED,
    }
}

/// The chain of measures every test here asks about.
async fn huawei_chain(pool: &PgPool) {
    use EventKind as K;
    use LifecycleStep::*;
    let on_huawei = |title, kind, date, steps| measure(title, kind, date, steps, "BIS", "Huawei");
    let listing = on_huawei(
        "Huawei listed",
        K::Imposed,
        "2019-05-15",
        &[(Announced, "2019-05-15"), (Effective, "2019-05-16")],
    );
    let licence = on_huawei(
        "Temporary licence",
        K::Eased,
        "2019-05-20",
        &[(Effective, "2019-05-20"), (Expires, "2019-08-19")],
    );
    let extension = on_huawei(
        "Licence extended",
        K::Extended,
        "2019-08-19",
        &[(Effective, "2019-08-19"), (Expires, "2019-11-18")],
    );
    let (listing, licence, extension, lifting) = (
        store(pool, &listing).await,
        store(pool, &licence).await,
        store(pool, &extension).await,
        store(
            pool,
            &on_huawei("Listing lifted", K::Lifted, "2020-03", &[]),
        )
        .await,
    );
    let others = [
        measure(
            "ZTE equipment banned",
            K::Imposed,
            "2019",
            &[],
            "FCC",
            "ZTE",
        ),
        on_huawei("Tariffs threatened", K::Threatened, "2019-05-01", &[]),
        Measure {
            status: EventStatus::Draft,
            ..on_huawei("Draft measure", K::Imposed, "2019-01-01", &[])
        },
    ];
    for m in &others {
        store(pool, m).await;
    }
    let mut conn = pool.acquire().await.unwrap();
    db::events::relate(&mut conn, licence, RelationKind::Modifies, listing)
        .await
        .unwrap();
    db::events::relate(&mut conn, extension, RelationKind::Extends, licence)
        .await
        .unwrap();
    db::events::relate(&mut conn, lifting, RelationKind::Reverses, listing)
        .await
        .unwrap();
    drop(conn);
}

#[sqlx::test(migrations = "../migrations")]
async fn the_measures_in_force_follow_their_chain_and_their_precision(pool: PgPool) {
    huawei_chain(&pool).await;
    let app = spawn_app(pool).await;

    // Announced, not yet in force; the ban's year has begun but its day is unknown.
    assert_eq!(
        in_force(&app, "2019-05-15", "").await,
        answer(&[("ZTE equipment banned", false)])
    );
    assert_eq!(
        in_force(&app, "2019-06-30", "").await,
        answer(&[
            ("Huawei listed", true),
            ("Temporary licence", true),
            ("ZTE equipment banned", false)
        ])
    );
    // The licence runs through its expiry day; its extension starts that day.
    assert_eq!(
        in_force(&app, "2019-08-19", "&target=Huawei").await,
        answer(&[
            ("Huawei listed", true),
            ("Licence extended", true),
            ("Temporary licence", true)
        ])
    );
    assert_eq!(
        in_force(&app, "2019-08-20", "&target=Huawei").await,
        answer(&[("Huawei listed", true), ("Licence extended", true)])
    );
    // Lifted some day in March 2020: uncertain all month, gone after it.
    assert_eq!(
        in_force(&app, "2020-03-10", "").await,
        answer(&[("Huawei listed", false), ("ZTE equipment banned", true)])
    );
    let page = app.get("/?in_force=2020-03-10").await;
    assert!(
        page.body.contains("perhaps no longer: it may be out of force from 1 March 2020, and certainly is from 31 March 2020"),
        "the doubt names the lifting"
    );
    assert_eq!(
        in_force(&app, "2020-04-01", "").await,
        answer(&[("ZTE equipment banned", true)])
    );
    assert_eq!(
        in_force(&app, "2019-06-30", "&kind=eased").await,
        answer(&[("Temporary licence", true)])
    );

    // A day that is not a day is the reader's to correct.
    let wrong = app.get("/api/events?in_force=2019-02-30").await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    assert!(wrong.body.contains("in_force"), "{}", wrong.body);

    // The timeline page answers the same, grouped by target and authority, without script.
    let page = app.get("/?in_force=2019-06-30").await;
    assert_eq!(page.status, StatusCode::OK);
    let listed = page
        .body
        .split("class=\"in-force\"")
        .nth(1)
        .and_then(|rest| rest.split("</div>").next())
        .expect("the in-force list");
    // Each target's heading links to its page.
    let heading = |name: &str| {
        let at = listed
            .find(&format!(">{name}</a></h3>"))
            .unwrap_or_else(|| panic!("{name}'s measures: {listed}"));
        let start = listed[..at].rfind("<h3>").expect("its heading");
        assert!(
            listed[start..at].starts_with("<h3><a href=\"/actors/"),
            "{}",
            &listed[start..at]
        );
        at
    };
    let (huawei, zte) = (heading("Huawei"), heading("ZTE"));
    assert!(huawei < zte, "the target of the latest measure first");
    assert!(listed.contains("Temporary licence"));
    assert!(!listed.contains("Tariffs threatened") && !listed.contains("Draft measure"));
    assert!(listed.contains("perhaps not yet: it took effect some day in 2019"));
}

#[sqlx::test(migrations = "../migrations")]
async fn what_changed_between_two_days_is_listed_by_authority_and_target(pool: PgPool) {
    huawei_chain(&pool).await;
    let app = spawn_app(pool).await;
    let changes = |from: &str, to: &str| {
        let uri = format!("/api/changes?from={from}&to={to}");
        let app = &app;
        async move {
            let reply = app.get(&uri).await;
            assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
            let v = reply.json();
            assert_eq!(
                v["total"].as_u64(),
                v["changes"].as_array().map(|c| c.len() as u64)
            );
            v["changes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| {
                    format!(
                        "{} {} {}",
                        c["on"]["date"].as_str().unwrap_or_default(),
                        c["change"].as_str().unwrap_or_default(),
                        c["event"]["title"].as_str().unwrap_or_default()
                    )
                })
                .collect::<Vec<_>>()
        }
    };
    // In force from its effective date, not its announcement; a date known only to its
    // year overlaps every period in it; the threat is no measure.
    assert_eq!(
        changes("2019-05-01", "2019-05-31").await,
        [
            "2019-01-01 took_effect ZTE equipment banned",
            "2019-05-16 took_effect Huawei listed",
            "2019-05-20 took_effect Temporary licence"
        ]
    );
    // The licence's expiry and its extension on the same day.
    assert_eq!(
        changes("2019-08-19", "2019-08-19").await,
        [
            "2019-01-01 took_effect ZTE equipment banned",
            "2019-08-19 expired Temporary licence",
            "2019-08-19 took_effect Licence extended"
        ]
    );
    // Dates known to a month or a year overlap the periods inside them.
    assert_eq!(
        changes("2020-03-15", "2020-03-15").await,
        ["2020-03-01 took_effect Listing lifted"]
    );
    assert_eq!(
        changes("2019-12-01", "2019-12-31").await,
        ["2019-01-01 took_effect ZTE equipment banned"]
    );
    // A range without an expiry date expires at its end.
    let ban = Measure {
        end: Some("2021-06-30"),
        ..measure(
            "Export ban on Acme",
            EventKind::Imposed,
            "2021-01-04",
            &[],
            "BIS",
            "Acme",
        )
    };
    store(&app.pool, &ban).await;
    assert_eq!(
        changes("2021-06-01", "2021-07-31").await,
        ["2021-06-30 expired Export ban on Acme"]
    );
    assert_eq!(
        in_force(&app, "2021-06-30", "&target=Acme").await,
        answer(&[("Export ban on Acme", true)])
    );
    assert_eq!(
        in_force(&app, "2021-07-01", "&target=Acme").await,
        answer(&[]),
        "out of force the day after its end"
    );
    for wrong in [
        "/api/changes?from=2019-06-01",
        "/api/changes?from=2019-06-01&to=2019-05-01",
        "/api/changes?from=x&to=2019-05-01",
    ] {
        let reply = app.get(wrong).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{wrong}");
    }

    // The page, without script: by authority, then target.
    let page = app.get("/changes?from=2019-05-01&to=2019-12-31").await;
    assert_eq!(page.status, StatusCode::OK);
    let listed = page
        .body
        .split("class=\"changes\"")
        .nth(1)
        .and_then(|rest| rest.split("</div>").next())
        .expect("the list of changes");
    let heading = |name: &str| {
        listed
            .find(&format!(">{name}</a></h3>"))
            .unwrap_or_else(|| panic!("{name}'s changes: {listed}"))
    };
    let (bis, fcc) = (heading("BIS"), heading("FCC"));
    assert!(
        fcc < bis,
        "the authority of the earliest change first (the ban, some day in 2019)"
    );
    assert_eq!(
        listed.matches("data-change=\"expired\"").count(),
        2,
        "{listed}"
    );
    assert!(!listed.contains("Tariffs threatened") && !listed.contains("Draft measure"));
    let wrong = app.get("/changes?from=2019-06-01&to=2019-05-01").await;
    assert!(
        wrong.body.contains("swap them"),
        "the page says what to fix"
    );
}

/// The timeline and its facets take the same "in force on" filter: the window draws only
/// the measures in force that day (a measure begun years before still in it), and the
/// facets count only them.
#[sqlx::test(migrations = "../migrations")]
async fn the_timeline_draws_only_what_was_in_force_on_a_day(pool: PgPool) {
    huawei_chain(&pool).await;
    let app = spawn_app(pool).await;
    let titles = |v: &serde_json::Value| {
        let mut t: Vec<String> = v["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|i| i["title"].as_str().unwrap_or_default().to_owned())
            .collect();
        t.sort();
        t
    };
    let window = "/api/timeline?start=2019-01-01&end=2020-12-31";
    let all = app.get(window).await.json();
    assert_eq!(titles(&all).len(), 6, "{all}");
    let on = app.get(&format!("{window}&in_force=2019-08-20")).await;
    assert_eq!(on.status, StatusCode::OK, "{}", on.body);
    assert_eq!(
        titles(&on.json()),
        ["Huawei listed", "Licence extended", "ZTE equipment banned"]
    );
    let narrowed = app
        .get(&format!("{window}&in_force=2019-08-20&target=Huawei"))
        .await
        .json();
    assert_eq!(titles(&narrowed), ["Huawei listed", "Licence extended"]);

    let facets = app
        .get("/api/timeline/facets?in_force=2019-08-20")
        .await
        .json();
    assert_eq!(facets["total"], 3, "{facets}");
    let bad = app.get(&format!("{window}&in_force=someday")).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("in_force"), "{}", bad.body);
}

/// The `data-standing` of each change an actor page lists, with its day, in page order.
fn listed_standings(page: &str) -> Vec<(String, String)> {
    page.split("<li data-standing=\"")
        .skip(1)
        .map(|item| {
            let standing = item.split('"').next().unwrap_or_default().to_owned();
            let day = item
                .split("datetime=\"")
                .nth(1)
                .and_then(|d| d.split('"').next())
                .unwrap_or_default()
                .to_owned();
            (day, standing)
        })
        .collect()
}

#[sqlx::test(migrations = "../migrations")]
async fn a_targets_page_shows_its_standing_with_each_authority_over_time(pool: PgPool) {
    huawei_chain(&pool).await;
    let id = |name: &'static str| {
        let pool = pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>("SELECT id FROM actors WHERE name = $1")
                .bind(name)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    let (huawei, zte, bis) = (id("Huawei").await, id("ZTE").await, id("BIS").await);
    let app = spawn_app(pool).await;

    let page = app.get(&format!("/actors/{huawei}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<h1>Huawei</h1>"), "{}", page.body);
    // Listed; a licence eases it, its extension carries the easing on past the licence's
    // expiry; restricted again when the extension expires; the lifting, known only to its
    // month, ends it once the month is over. The threat and the draft play no part.
    assert_eq!(
        listed_standings(&page.body),
        [
            ("2019-05-16", "restricted"),
            ("2019-05-20", "eased"),
            ("2019-11-19", "restricted"),
            ("2020-03-31", "ended"),
        ]
        .map(|(d, s)| (d.to_owned(), s.to_owned()))
    );
    assert!(page.body.contains("<h3>BIS"), "one row for the authority");
    assert!(
        page.body.contains("class=\"standing-eased\""),
        "the band draws the easing"
    );
    // The lifting is known only to its month: March 2020 is shaded, the listing may or
    // may not be in force then.
    let shaded = page
        .body
        .matches(r#"class="standing-uncertain"></rect>"#)
        .count();
    assert_eq!(shaded, 1, "{}", page.body);
    assert!(page.body.contains(
        "BIS, no measure in force (1 period when a measure dated only to its month or year may not be in force)"
    ));
    assert!(!page.body.contains("Tariffs threatened") && !page.body.contains("Draft measure"));
    assert!(
        !page.body.contains(".wasm"),
        "a reader's page: it loads no application code"
    );

    // Known only to its year: restricted from the first day it may be in force.
    let page = app.get(&format!("/actors/{zte}")).await;
    assert_eq!(
        listed_standings(&page.body),
        [("2019-01-01".to_owned(), "restricted".to_owned())]
    );
    assert_eq!(
        page.body
            .matches(r#"class="standing-uncertain"></rect>"#)
            .count(),
        1,
        "in force sometime in 2019: the year is shaded"
    );
    assert!(page.body.contains("<h3>FCC"));

    // An authority only: counted, linked to the timeline, no standing of its own.
    let page = app.get(&format!("/actors/{bis}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page
        .body
        .contains("Named as the authority of 5 events and as the target of 0 events."));
    assert!(page.body.contains("href=\"/?actor=BIS\""));
    assert!(!page.body.contains("Standing over time"));

    // Permalinks link their actors here.
    let listing = app.get("/api/events?target=Huawei&kind=imposed").await;
    let first = &listing.json()["events"][0];
    let permalink = format!(
        "/events/{}-{}",
        first["id"],
        first["slug"].as_str().unwrap_or_default()
    );
    let event = app.get(&permalink).await;
    assert!(
        event.body.contains(&format!("href=\"/actors/{huawei}\"")),
        "{}",
        event.body
    );

    for missing in ["/actors/999999", "/actors/abc", "/actors/-1"] {
        assert_eq!(
            app.get(missing).await.status,
            StatusCode::NOT_FOUND,
            "{missing}"
        );
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn the_timeline_draws_a_measures_steps_through_its_marker(pool: PgPool) {
    huawei_chain(&pool).await;
    let app = spawn_app(pool).await;
    let reply = app
        .get("/api/timeline?start=2019-01-01&end=2019-12-31&lanes=none")
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let window = reply.json();
    let items = window["items"].as_array().expect("items");
    let steps_of = |title: &str| {
        let item = items
            .iter()
            .find(|i| i["title"] == title)
            .unwrap_or_else(|| panic!("{title} in {items:?}"));
        item["lifecycle"]
            .as_array()
            .map(|steps| {
                steps
                    .iter()
                    .map(|s| format!("{} {}", s["step"].as_str().unwrap_or_default(), s["date"]))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    };
    assert_eq!(
        steps_of("Temporary licence"),
        ["effective \"2019-05-20\"", "expires \"2019-08-19\""]
    );
    assert!(
        steps_of("Tariffs threatened").is_empty(),
        "no steps, no field"
    );

    // Drawn in the page as served, and said in the marker's label.
    let page = app.get("/?start=2019-01-01&end=2019-12-31").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("class=\"tl-lifecycle\""),
        "{}",
        page.body
    );
    assert!(page.body.contains("class=\"tl-step tl-step-expires\""));
    assert!(page
        .body
        .contains("Temporary licence (in force 20 May 2019, expires 19 August 2019)"));
}

/// Lanes by lifecycle step: every recorded step in its own lane at its own date (the lag
/// between announcement and force, or force and expiry, reads across the lanes), lanes in
/// the order a measure goes through them; an event without steps is not drawn there; the
/// filters apply; a window with more steps than are drawn one by one is counted per step.
#[sqlx::test(migrations = "../migrations")]
async fn lanes_by_lifecycle_step_draw_each_step_at_its_own_date(pool: PgPool) {
    huawei_chain(&pool).await;
    let app = spawn_app(pool.clone()).await;
    let drawn = |window: serde_json::Value| {
        assert_eq!(window["lanes"], "lifecycle", "{window}");
        let mut drawn: Vec<String> = window["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|i| {
                let (step, start, title) = (&i["step"], &i["start"], &i["title"]);
                format!(
                    "{} {} {}",
                    step.as_str().unwrap_or("?"),
                    start.as_str().unwrap_or("?"),
                    title.as_str().unwrap_or("?")
                )
            })
            .collect();
        drawn.sort();
        drawn
    };
    let all = app
        .get("/api/timeline?start=2019-05-01&end=2019-12-31&lanes=lifecycle")
        .await;
    assert_eq!(all.status, StatusCode::OK, "{}", all.body);
    assert_eq!(
        drawn(all.json()),
        [
            "announced 2019-05-15 Huawei listed",
            "effective 2019-05-16 Huawei listed",
            "effective 2019-05-20 Temporary licence",
            "effective 2019-08-19 Licence extended",
            "expires 2019-08-19 Temporary licence",
            "expires 2019-11-18 Licence extended",
        ]
    );
    let eased = app
        .get("/api/timeline?start=2019-05-01&end=2019-12-31&lanes=lifecycle&kind=eased")
        .await
        .json();
    assert_eq!(
        drawn(eased),
        [
            "effective 2019-05-20 Temporary licence",
            "expires 2019-08-19 Temporary licence",
        ]
    );
    // A step outside the window is not drawn, though its event's other steps are.
    let summer = app
        .get("/api/timeline?start=2019-08-01&end=2019-08-31&lanes=lifecycle")
        .await
        .json();
    assert_eq!(
        drawn(summer),
        [
            "effective 2019-08-19 Licence extended",
            "expires 2019-08-19 Temporary licence",
        ]
    );

    // The page as served: the lanes named as steps, in a measure's order, the marks said.
    let page = app
        .get("/?start=2019-05-01&end=2019-12-31&lanes=lifecycle")
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let at = |text: &str| {
        page.body
            .find(text)
            .unwrap_or_else(|| panic!("{text} in {}", page.body))
    };
    let lanes = [
        r#"aria-label="Announced" data-lane="announced""#,
        r#"aria-label="In force" data-lane="effective""#,
        r#"aria-label="Expires" data-lane="expires""#,
    ]
    .map(at);
    assert!(lanes[0] < lanes[1] && lanes[1] < lanes[2], "{lanes:?}");
    at("In force 20 May 2019, Eased: Temporary licence");
    at(r#"<option value="lifecycle" selected"#);
    let lanes_html = page
        .body
        .split(r#"class="tl-lanes""#)
        .nth(1)
        .and_then(|s| s.split(r#"class="tl-lane-labels""#).next())
        .expect("the lanes");
    assert!(lanes_html.contains("Temporary licence"));
    assert!(
        !lanes_html.contains("Tariffs threatened"),
        "no steps, no mark"
    );

    // Busy: more steps than are drawn one by one are counted per step and bucket.
    sqlx::query(
        "INSERT INTO event_steps (event_id, step, starts_on, precision, covers_until)
         SELECT id, 'published', starts_on, 'day', starts_on FROM events
         WHERE precision = 'day' AND NOT EXISTS
             (SELECT 1 FROM event_steps s WHERE s.event_id = events.id AND s.step = 'published')",
    )
    .execute(&pool)
    .await
    .unwrap();
    server::synthetic::generate(&pool, 600, 5)
        .await
        .expect("generated");
    sqlx::query(
        "INSERT INTO event_steps (event_id, step, starts_on, precision, covers_until)
         SELECT id, 'announced', starts_on, precision, covers_until FROM events
         WHERE NOT EXISTS
             (SELECT 1 FROM event_steps s WHERE s.event_id = events.id AND s.step = 'announced')",
    )
    .execute(&pool)
    .await
    .unwrap();
    let steps_in = |from: &str, to: &str, step: &str| {
        let pool = pool.clone();
        let (from, to, step) = (from.to_owned(), to.to_owned(), step.to_owned());
        async move {
            sqlx::query_scalar::<_, i64>(
                "SELECT count(*) FROM event_steps s JOIN events e ON e.id = s.event_id
                 WHERE e.status = 'published' AND s.step = $3
                   AND s.starts_on <= $2::date AND s.covers_until >= $1::date",
            )
            .bind(from)
            .bind(to)
            .bind(step)
            .fetch_one(&pool)
            .await
            .unwrap()
        }
    };
    let busy = app
        .get("/api/timeline?start=1990-01-01&end=2030-12-31&lanes=lifecycle")
        .await;
    assert_eq!(busy.status, StatusCode::OK, "{}", busy.body);
    let busy = busy.json();
    let counted = |step: &str| {
        ["buckets", "periods"]
            .iter()
            .flat_map(|k| busy["buckets"][k].as_array().cloned().unwrap_or_default())
            .filter(|b| b["lane"] == step)
            .map(|b| b["count"].as_i64().unwrap_or(0))
            .sum::<i64>()
    };
    let announced = steps_in("1990-01-01", "2030-12-31", "announced").await;
    assert!(announced > 300, "{announced}");
    assert_eq!(counted("announced"), announced, "{busy}");
    assert_eq!(
        counted("published"),
        steps_in("1990-01-01", "2030-12-31", "published").await
    );
    let items = busy["items"].as_array().expect("the most prominent");
    assert!(!items.is_empty() && items.len() <= 40, "{}", items.len());
    let prominence: Vec<i64> = items
        .iter()
        .map(|i| i["prominence"].as_i64().unwrap_or(0))
        .collect();
    assert!(prominence.iter().max() >= prominence.iter().min());
    // Filtered, the steps are counted through their events (the filter tests them).
    let imposed = app
        .get("/api/timeline?start=1990-01-01&end=2030-12-31&lanes=lifecycle&kind=imposed")
        .await
        .json();
    let counted_imposed: i64 = imposed["buckets"]["buckets"]
        .as_array()
        .expect("busy")
        .iter()
        .chain(
            imposed["buckets"]["periods"]
                .as_array()
                .into_iter()
                .flatten(),
        )
        .map(|b| b["count"].as_i64().unwrap_or(0))
        .sum();
    let imposed_steps: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM event_steps s JOIN events e ON e.id = s.event_id
         WHERE e.status = 'published' AND e.kind = 'imposed'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(counted_imposed, imposed_steps);
}

/// `/changes` as a download: every change of the period, one per row, the same as the
/// API lists; text a spreadsheet would run as a formula kept as text; a wrong period is a
/// 400 that says why.
#[sqlx::test(migrations = "../migrations")]
async fn what_changed_downloads_as_csv_that_a_spreadsheet_reads_as_text(pool: PgPool) {
    huawei_chain(&pool).await;
    store(
        &pool,
        &measure(
            "=HYPERLINK(\"https://evil.example\",\"Klik\") på listen",
            EventKind::Imposed,
            "2019-05-10",
            &[],
            "+BIS",
            "Huawei",
        ),
    )
    .await;
    let app = spawn_app(pool).await;
    let api = app
        .get("/api/changes?from=2019-05-01&to=2019-05-31")
        .await
        .json();
    let reply = app
        .get("/exports/changes.csv?from=2019-05-01&to=2019-05-31")
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.headers["content-type"], "text/csv; charset=utf-8");
    assert!(reply.headers["content-disposition"]
        .to_str()
        .unwrap_or_default()
        .contains("changes-2019-05-01-to-2019-05-31.csv"));
    let mut table = csv::Reader::from_reader(reply.body.as_bytes());
    let header: Vec<String> = table
        .headers()
        .expect("a header row")
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(
        header[..6],
        ["date", "precision", "change", "what", "event_id", "title"]
    );
    let rows: Vec<csv::StringRecord> = table.records().map(|r| r.expect("a row")).collect();
    assert_eq!(rows.len() as u64, api["total"].as_u64().unwrap_or_default());
    let listed: Vec<String> = rows
        .iter()
        .map(|r| format!("{} {}", &r[0], &r[5]))
        .collect();
    assert_eq!(
        listed,
        [
            "2019 ZTE equipment banned",
            "2019-05-10 '=HYPERLINK(\"https://evil.example\",\"Klik\") på listen",
            "2019-05-16 Huawei listed",
            "2019-05-20 Temporary licence"
        ]
    );
    let hostile = &rows[1];
    assert_eq!(&hostile[7], "'+BIS");
    assert_eq!(&hostile[8], "Huawei");
    assert!(hostile[9].contains(&format!("/events/{}-", &hostile[4])));

    for (query, said) in [
        ("from=2019-05-01", "`to`"),
        ("from=2019-06-01&to=2019-05-01", "swap them"),
        ("from=2019-02-30&to=2019-05-01", "`from`"),
    ] {
        let reply = app.get(&format!("/exports/changes.csv?{query}")).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{query}");
        assert!(reply.body.contains(said), "{query}: {}", reply.body);
    }
}
