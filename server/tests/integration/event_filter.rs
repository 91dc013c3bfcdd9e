//! One filter, one meaning: every field of the event filter narrows the list, the
//! timeline's window, its buckets and its facets to the same events.

use crate::support::{spawn_app, spawn_app_with_demo, TestApp};
use app::db::timeline::buckets;
use app::domain::filter::RawEventFilter;
use app::domain::timeline::{BucketUnit, Lanes, RawTimelineQuery, TimelineQuery};
use app::domain::url_query::query_string;
use serde_json::Value;
use sqlx::PgPool;
use std::collections::BTreeSet;

/// Every published event of the list that a filter gives, across its pages.
async fn listed(app: &TestApp, filter: &RawEventFilter) -> BTreeSet<i64> {
    let mut ids = BTreeSet::new();
    let mut cursor = None;
    loop {
        let page = RawEventFilter {
            limit: Some("1000".into()),
            ..filter.at_cursor(cursor)
        };
        let v = app
            .get(&format!("/api/events?{}", query_string(page.query_pairs())))
            .await
            .json();
        for e in v["events"].as_array().expect("a page of events") {
            ids.insert(e["id"].as_i64().expect("an id"));
        }
        match v["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => return ids,
        }
    }
}

/// How many events the window over the whole record shows (drawn one by one, or counted
/// in its buckets when there are too many).
async fn in_window(app: &TestApp, filter: &RawEventFilter) -> i64 {
    let query = format!(
        "/api/timeline?start=1990-01-01&end=2030-12-31&{}",
        query_string(filter.query_pairs())
    );
    let w = app.get(&query).await.json();
    if w["buckets"].is_null() {
        w["items"].as_array().expect("items").len() as i64
    } else {
        bucket_sum(&w["buckets"]["buckets"])
    }
}

fn bucket_sum(buckets: &Value) -> i64 {
    buckets
        .as_array()
        .expect("buckets")
        .iter()
        .map(|b| b["count"].as_i64().expect("a count"))
        .sum()
}

/// The window's buckets counted by the query the timeline uses when zoomed out, whatever
/// the number of events.
async fn bucketed(pool: &PgPool, filter: &RawEventFilter) -> i64 {
    let q = TimelineQuery::try_from(RawTimelineQuery {
        start: Some("1990-01-01".into()),
        end: Some("2030-12-31".into()),
        lanes: Some(Lanes::Authority.as_str().into()),
        as_recorded: None,
        filter: filter.clone(),
    })
    .expect("a valid window");
    buckets(pool, &q, BucketUnit::Year)
        .await
        .expect("buckets")
        .buckets
        .iter()
        .map(|b| b.count)
        .sum()
}

async fn faceted(app: &TestApp, filter: &RawEventFilter) -> (i64, i64) {
    let f = app
        .get(&format!(
            "/api/timeline/facets?{}",
            query_string(filter.query_pairs())
        ))
        .await
        .json();
    let density: i64 = f["density"]
        .as_array()
        .expect("density")
        .iter()
        .map(|m| m[1].as_i64().expect("a count"))
        .sum();
    (f["total"].as_i64().expect("a total"), density)
}

#[sqlx::test(migrations = "../migrations")]
async fn every_filter_field_narrows_list_window_buckets_and_facets_alike(pool: PgPool) {
    server::synthetic::generate(&pool, 1200, 13)
        .await
        .expect("synthetic record");
    let app = spawn_app(pool.clone()).await;
    let everything = listed(&app, &RawEventFilter::default()).await;
    assert_eq!(everything.len(), 1200);

    // Values taken from the record, so each field selects some events and not all.
    let all = app.get("/api/events?limit=1000").await.json();
    let first = &all["events"][0];
    let authority = first["authorities"][0]["name"]
        .as_str()
        .expect("an authority")
        .to_owned();
    let target = first["targets"][0]["name"]
        .as_str()
        .expect("a target")
        .to_owned();
    let field = |set: fn(&mut RawEventFilter, String), value: &str| {
        let mut f = RawEventFilter::default();
        set(&mut f, value.to_owned());
        f
    };
    let cases = [
        // Only events that retaliate say so.
        ("q", field(|f, v| f.q = Some(v), "retaliates")),
        ("kind", field(|f, v| f.kind = Some(v), "eased")),
        // Any role, any case.
        (
            "actor",
            field(|f, v| f.actor = Some(v), &target.to_uppercase()),
        ),
        ("authority", field(|f, v| f.authority = Some(v), &authority)),
        ("target", field(|f, v| f.target = Some(v), &target)),
        ("from", field(|f, v| f.from = Some(v), "2015-01-01")),
        ("to", field(|f, v| f.to = Some(v), "2012-12-31")),
    ];
    for (name, filter) in cases {
        let ids = listed(&app, &filter).await;
        let n = ids.len() as i64;
        assert!(
            n > 0 && ids.len() < everything.len(),
            "`{name}` should select some events but not all: {n}"
        );
        assert_eq!(in_window(&app, &filter).await, n, "`{name}`: the window");
        assert_eq!(
            bucketed(&app.pool, &filter).await,
            n,
            "`{name}`: the buckets"
        );
        assert_eq!(
            faceted(&app, &filter).await,
            (n, n),
            "`{name}`: the facets' total and density"
        );
    }

    // The actor filter means the same names as the events carry, whatever their role.
    let by_actor = listed(
        &app,
        &field(|f, v| f.actor = Some(v), &target.to_lowercase()),
    )
    .await;
    let by_target = listed(&app, &field(|f, v| f.target = Some(v), &target)).await;
    assert!(by_target.is_subset(&by_actor));
    let unknown = field(|f, v| f.actor = Some(v), "Nobody & Co");
    assert!(listed(&app, &unknown).await.is_empty());
    assert_eq!(in_window(&app, &unknown).await, 0);
    assert_eq!(faceted(&app, &unknown).await, (0, 0));
}

/// The timeline page itself keeps `actor`: the drawn timeline narrows, not only the list.
#[sqlx::test(migrations = "../migrations")]
async fn the_timeline_page_filters_by_actor(pool: PgPool) {
    let app = spawn_app_with_demo(pool).await;
    let white_house = app
        .event_id("white-house-limits-easing-to-widely-available-products")
        .await;
    let entity_list = app.event_id("huawei-added-to-the-entity-list").await;
    let drawn = |body: &str, id: i64| body.contains(&format!("data-event-id=\"{id}\""));
    let whole = app.get("/").await;
    assert!(drawn(&whole.body, white_house) && drawn(&whole.body, entity_list));
    let narrowed = app.get("/?actor=the%20WHITE%20house").await;
    assert_eq!(narrowed.status, axum::http::StatusCode::OK);
    assert!(drawn(&narrowed.body, white_house), "{}", narrowed.body);
    assert!(!drawn(&narrowed.body, entity_list));
}

/// A filter the server refuses is a 400 naming the field, wherever it arrives: the JSON
/// API and the server functions the pages load through.
#[sqlx::test(migrations = "../migrations")]
async fn a_refused_filter_is_a_400_that_names_the_field(pool: PgPool) {
    let app = spawn_app(pool).await;
    for path in [
        "/api/events?kind=nice",
        "/api/timeline/facets?kind=nice",
        "/api/load_timeline?filter[kind]=nice",
        "/api/load_facets?filter[kind]=nice",
        "/api/load_window?query[start]=2019-01-01&query[end]=2019-12-31&query[kind]=nice",
    ] {
        let reply = app.get(path).await;
        assert_eq!(reply.status, axum::http::StatusCode::BAD_REQUEST, "{path}");
        assert!(reply.body.contains("`kind`"), "{path}: {}", reply.body);
    }
}
