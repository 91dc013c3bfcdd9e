//! The JSON API: filters, paging, and errors a client can act on.

use crate::support::{spawn_app, spawn_app_with_demo};
use axum::http::StatusCode;
use serde_json::Value;
use sqlx::PgPool;

fn titles(v: &Value) -> Vec<String> {
    v["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["title"].as_str().unwrap().to_owned())
        .collect()
}

fn dates(v: &Value) -> Vec<String> {
    v["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["date"]["date"].as_str().unwrap().to_owned())
        .collect()
}

#[sqlx::test(migrations = "../migrations")]
async fn lists_published_events_in_date_order(pool: PgPool) {
    let app = spawn_app_with_demo(pool).await;
    let reply = app.get("/api/events").await;
    assert_eq!(reply.status, StatusCode::OK);
    let v = reply.json();
    let d = dates(&v);
    assert!(d.len() >= 10);
    let mut sorted = d.clone();
    sorted.sort();
    assert_eq!(d, sorted);
    assert_eq!(v["next_cursor"], Value::Null);
}

#[sqlx::test(migrations = "../migrations")]
async fn filters_by_date_window_kind_actor_and_text(pool: PgPool) {
    let app = spawn_app_with_demo(pool).await;

    let june = app
        .get("/api/events?from=2019-06-01&to=2019-06-30")
        .await
        .json();
    // The 90-day licence from May is still running in June.
    assert_eq!(dates(&june), ["2019-05-20", "2019-06-29", "2019-06-29"]);

    // A month-precision event covers its whole month.
    let mid_july = app
        .get("/api/events?from=2020-07-20&to=2020-07-21")
        .await
        .json();
    assert_eq!(titles(&mid_july).len(), 1);
    assert!(titles(&mid_july)[0].contains("United Kingdom"));
    assert_eq!(mid_july["events"][0]["date"]["precision"], "month");

    // A range (the 90-day licence) overlaps windows inside it.
    let july_2019 = app
        .get("/api/events?from=2019-07-10&to=2019-07-11")
        .await
        .json();
    assert_eq!(titles(&july_2019).len(), 1);
    assert_eq!(july_2019["events"][0]["end"]["date"], "2019-08-19");

    let eased = app.get("/api/events?kind=eased").await.json();
    assert!(!titles(&eased).is_empty());
    assert!(eased["events"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["kind"] == "eased"));

    let zte = app.get("/api/events?actor=zte").await.json();
    assert_eq!(titles(&zte).len(), 1);
    assert_eq!(zte["events"][0]["targets"][1]["name"], "ZTE");

    let text = app.get("/api/events?q=Osaka").await.json();
    assert_eq!(titles(&text).len(), 1);
    let huawei = app.get("/api/events?q=huawei").await.json();
    assert!(titles(&huawei).len() >= 8);
    let none = app.get("/api/events?q=sojabønner").await.json();
    assert!(titles(&none).is_empty());
}

#[sqlx::test(migrations = "../migrations")]
async fn pages_with_a_cursor_cover_everything_once(pool: PgPool) {
    let app = spawn_app_with_demo(pool).await;
    let all = titles(&app.get("/api/events").await.json());
    let mut seen = Vec::new();
    let mut uri = "/api/events?limit=3".to_owned();
    loop {
        let page = app.get(&uri).await.json();
        let t = titles(&page);
        assert!(t.len() <= 3);
        seen.extend(t);
        match page["next_cursor"].as_str() {
            Some(c) => uri = format!("/api/events?limit=3&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(seen, all);
}

#[sqlx::test(migrations = "../migrations")]
async fn bad_queries_get_a_400_that_says_what_to_fix(pool: PgPool) {
    let app = spawn_app(pool).await;
    for (uri, needle) in [
        ("/api/events?from=2019-02-30", "`from`"),
        ("/api/events?to=yesterday", "`to`"),
        ("/api/events?from=2020-01-01&to=2019-01-01", "swap them"),
        ("/api/events?kind=relaxed", "imposed, eased"),
        ("/api/events?limit=5000", "1 to 1000"),
        ("/api/events?cursor=nonsense", "`cursor`"),
        ("/api/events/abc", "not a event id"),
        ("/api/sources/-1", "not a source id"),
    ] {
        let reply = app.get(uri).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{uri}");
        let v = reply.json();
        assert_eq!(v["error"]["status"], 400);
        let message = v["error"]["message"].as_str().unwrap();
        assert!(message.contains(needle), "{uri}: {message}");
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn one_event_carries_its_citations_and_relations(pool: PgPool) {
    let app = spawn_app_with_demo(pool).await;
    let id = app
        .event_id("trump-eases-huawei-sanctions-at-g20-osaka")
        .await;
    let v = app.get(&format!("/api/events/{id}")).await.json();
    assert_eq!(v["kind"], "eased");
    assert_eq!(v["date_phrase"], "lørdag");
    let citations = v["citations"].as_array().unwrap();
    assert_eq!(citations.len(), 2);
    assert!(citations[1]["quote"]["exact"]
        .as_str()
        .unwrap()
        .starts_with("Udtalelsen faldt lørdag"));
    assert_eq!(citations[0]["source"]["language"], "da");
    let relations = v["relations"].as_array().unwrap();
    let kinds: Vec<(&str, bool)> = relations
        .iter()
        .map(|r| {
            (
                r["kind"].as_str().unwrap(),
                r["outgoing"].as_bool().unwrap(),
            )
        })
        .collect();
    assert!(kinds.contains(&("modifies", true)));
    assert!(kinds.contains(&("clarifies", false)));

    let source_id = citations[0]["source"]["id"].as_i64().unwrap();
    let s = app.get(&format!("/api/sources/{source_id}")).await.json();
    let body = s["body"].as_str().unwrap();
    for c in s["cited"].as_array().unwrap() {
        let (start, end) = (
            c["span"]["start"].as_u64().unwrap() as usize,
            c["span"]["end"].as_u64().unwrap() as usize,
        );
        let slice: String = body.chars().skip(start).take(end - start).collect();
        assert_eq!(slice, c["exact"].as_str().unwrap());
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn unknown_and_draft_events_are_404(pool: PgPool) {
    let app = spawn_app_with_demo(pool).await;
    let reply = app.get("/api/events/999999").await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(reply.json()["error"]["status"], 404);

    let id = app.event_id("huawei-added-to-the-entity-list").await;
    sqlx::query("UPDATE events SET status = 'draft' WHERE id = $1")
        .bind(id)
        .execute(&app.pool)
        .await
        .unwrap();
    assert_eq!(
        app.get(&format!("/api/events/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    let listed = app.get("/api/events?limit=1000").await.json();
    assert!(!titles(&listed)
        .iter()
        .any(|t| t == "Huawei added to the US Entity List"));
    // Its relations vanish from the events that point at it, too.
    let g20 = app
        .event_id("trump-eases-huawei-sanctions-at-g20-osaka")
        .await;
    let v = app.get(&format!("/api/events/{g20}")).await.json();
    assert!(v["relations"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["event"]["id"] != id));
    assert_eq!(
        app.get("/api/sources/999999").await.status,
        StatusCode::NOT_FOUND
    );
}
