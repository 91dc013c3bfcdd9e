//! Feeds for a filter: Atom (the events that changed last, each linking its permalink)
//! and iCalendar (the events' dated steps, upcoming ones included), read back by parsers
//! of those formats; drafts never in them; hostile text escaped.

use crate::support::{count, desk, Desk};
use axum::http::StatusCode;
use sqlx::PgPool;
use std::str::FromStr;

const HOSTILE: &str = "<script>alert(1)</script> Huawei, ZTE; & co\nSUMMARY:forged";

async fn demo_with_hostile_title(pool: &PgPool) {
    server::demo::load(pool).await.expect("demo loads");
    sqlx::query(
        "UPDATE events SET title = $1, updated_at = now() + interval '1 minute'
         WHERE slug = 'temporary-general-license-for-huawei'",
    )
    .bind(HOSTILE)
    .execute(pool)
    .await
    .unwrap();
}

#[sqlx::test(migrations = "../migrations")]
async fn an_atom_feed_of_the_latest_changes_for_a_filter(pool: PgPool) {
    demo_with_hostile_title(&pool).await;
    let Desk { app, .. } = desk(pool).await; // and a draft, "Huawei listed"
    let reply = app.get("/feeds/events.atom").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(reply.headers["content-type"]
        .to_str()
        .unwrap_or_default()
        .starts_with("application/atom+xml"));
    assert!(!reply.body.contains("<script>"), "escaped in the XML");
    let feed = atom_syndication::Feed::from_str(&reply.body).expect("valid Atom");
    let published = count(
        &app,
        "SELECT count(*) FROM events WHERE status = 'published'",
    )
    .await;
    assert_eq!(feed.entries().len() as i64, published.min(50));
    // The latest changed first, its title exactly as written, linked to its permalink.
    let first = &feed.entries()[0];
    assert_eq!(first.title().as_str(), HOSTILE);
    let link = &first.links()[0];
    assert!(
        link.href().starts_with("http://127.0.0.1:3000/events/"),
        "{}",
        link.href()
    );
    assert_eq!(first.id(), link.href());
    assert!(
        feed.entries()
            .iter()
            .all(|e| e.title().as_str() != "Huawei listed"),
        "no draft"
    );
    let updated: Vec<_> = feed.entries().iter().map(|e| *e.updated()).collect();
    assert!(updated.windows(2).all(|w| w[0] >= w[1]), "latest first");
    assert_eq!(feed.updated(), &updated[0]);

    // The same filter as the timeline: only the easings of Huawei, the feed linking back
    // to that view.
    let eased = app.get("/feeds/events.atom?target=Huawei&kind=eased").await;
    let eased = atom_syndication::Feed::from_str(&eased.body).expect("valid Atom");
    let listed = app.get("/api/events?target=Huawei&kind=eased").await.json();
    let mut want: Vec<String> = listed["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e| {
            format!(
                "http://127.0.0.1:3000/events/{}-{}",
                e["id"],
                e["slug"].as_str().unwrap_or("")
            )
        })
        .collect();
    let mut got: Vec<String> = eased.entries().iter().map(|e| e.id().to_owned()).collect();
    want.sort();
    got.sort();
    assert!(!got.is_empty());
    assert_eq!(got, want);
    assert!(eased.links().iter().any(|l| l.rel() == "self"
        && l.href()
            .ends_with("/feeds/events.atom?kind=eased&target=Huawei")
        || l.rel() == "self" && l.href().contains("target=Huawei")));

    let wrong = app.get("/feeds/events.atom?from=2019-02-30").await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    assert!(wrong.body.contains("from"), "{}", wrong.body);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_calendar_of_a_filters_dated_steps_upcoming_ones_included(pool: PgPool) {
    demo_with_hostile_title(&pool).await;
    // A licence that expires next month: what a subscriber wants to see coming.
    let soon = chrono::Utc::now().date_naive() + chrono::Duration::days(30);
    sqlx::query(
        "UPDATE event_steps SET starts_on = $1, covers_until = $1
         WHERE step = 'expires' AND event_id =
             (SELECT id FROM events WHERE slug = 'temporary-general-license-for-huawei')",
    )
    .bind(soon)
    .execute(&pool)
    .await
    .unwrap();
    let Desk { app, .. } = desk(pool).await;

    let reply = app
        .get("/feeds/events.ics?target=Huawei&from=2019-01-01")
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(reply.headers["content-type"]
        .to_str()
        .unwrap_or_default()
        .starts_with("text/calendar"));
    let unfolded = icalendar::parser::unfold(&reply.body);
    let calendar = icalendar::parser::read_calendar(&unfolded).expect("valid iCalendar");
    let entries: Vec<(String, String)> = calendar
        .components
        .iter()
        .filter(|c| c.name == "VEVENT")
        .map(|c| {
            let get = |name: &str| {
                c.properties
                    .iter()
                    .find(|p| p.name == name)
                    .map(|p| p.val.to_string())
                    .unwrap_or_default()
            };
            (get("DTSTART"), get("SUMMARY"))
        })
        .collect();
    assert!(
        entries.contains(&(
            "20190516".into(),
            "In force — Huawei added to the US Entity List".into()
        )),
        "{entries:?}"
    );
    assert!(
        entries.contains(&(
            "20190515".into(),
            "Announced — Huawei added to the US Entity List".into()
        )),
        "{entries:?}"
    );
    assert!(
        entries.iter().all(|(_, s)| !s.contains("Huawei listed")),
        "no draft"
    );
    // The hostile title cannot forge a property: the newline and the separators are
    // escaped, so the one SUMMARY line reads back as written.
    assert!(!reply.body.contains("\nSUMMARY:forged"), "{}", reply.body);
    let uids: Vec<&str> = reply
        .body
        .lines()
        .filter(|l| l.starts_with("UID:"))
        .collect();
    let mut unique = uids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(uids.len(), unique.len(), "one UID per dated step");

    // Without `from`: the last year and what is coming, here only the coming expiry.
    let upcoming = app.get("/feeds/events.ics?target=Huawei").await;
    assert_eq!(upcoming.status, StatusCode::OK);
    let day = soon.format("%Y%m%d").to_string();
    assert!(
        upcoming.body.contains(&format!("DTSTART;VALUE=DATE:{day}")),
        "{}",
        upcoming.body
    );
    assert_eq!(
        upcoming.body.matches("BEGIN:VEVENT").count(),
        1,
        "{}",
        upcoming.body
    );

    let wrong = app.get("/feeds/events.ics?kind=nope").await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
}
