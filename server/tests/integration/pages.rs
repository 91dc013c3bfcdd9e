//! Server-rendered pages: what a reader without JavaScript gets, with the right status.

use crate::support::spawn_app_with_demo;
use axum::http::StatusCode;
use sqlx::PgPool;

#[sqlx::test(migrations = "../migrations")]
async fn the_timeline_groups_events_by_year_and_month(pool: PgPool) {
    let app = spawn_app_with_demo(pool).await;
    let page = app.get("/").await;
    assert_eq!(page.status, StatusCode::OK);
    // The chronological list, below the interactive timeline.
    let body = &page.body[page
        .body
        .find(r#"class="timeline-list""#)
        .expect("the list")..];
    let pos = |s: &str| body.find(s).unwrap_or_else(|| panic!("{s} missing"));
    assert!(pos(">2019<") < pos(">May 2019<"));
    assert!(pos(">May 2019<") < pos(">June 2019<"));
    assert!(pos(">June 2019<") < pos(">2020<"));
    // Month precision shows as a month, a range shows its end.
    assert!(body.contains(r#"<time datetime="2020-07">July 2020</time>"#));
    assert!(body.contains(r#"<time datetime="2019-08-19">19 August 2019</time>"#));
    let id = app
        .event_id("trump-eases-huawei-sanctions-at-g20-osaka")
        .await;
    assert!(body.contains(&format!(
        r#"href="/events/{id}-trump-eases-huawei-sanctions-at-g20-osaka""#
    )));
}

#[sqlx::test(migrations = "../migrations")]
async fn the_timeline_filters_from_its_query_and_refuses_bad_ones(pool: PgPool) {
    let app = spawn_app_with_demo(pool).await;
    let page = app.get("/?kind=clarified").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("1 event"));
    assert!(page.body.contains("White House: only widely available"));
    assert!(!page.body.contains("Osaka"));
    let bad = app.get("/?from=2019-02-31").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("not a day of the calendar"));
}

#[sqlx::test(migrations = "../migrations")]
async fn a_permalink_is_complete_without_javascript(pool: PgPool) {
    let app = spawn_app_with_demo(pool).await;
    let id = app.event_id("huawei-added-to-the-entity-list").await;
    let path = format!("/events/{id}-huawei-added-to-the-entity-list");
    let page = app.get(&path).await;
    assert_eq!(page.status, StatusCode::OK);
    let b = &page.body;
    assert!(
        b.contains("<title>Huawei added to the US Entity List · Sanctions Timeline</title>"),
        "{b}"
    );
    assert!(
        b.contains(r#"<meta name="description" content="16 May 2019: Huawei and 68 affiliates"#)
    );
    let canonical = b
        .split('<')
        .find(|tag| tag.starts_with("link") && tag.contains(r#"rel="canonical""#))
        .expect("a canonical link");
    assert!(
        canonical.contains(&format!(r#"href="http://127.0.0.1:3000{path}""#)),
        "{canonical}"
    );
    assert!(b.contains("for seks uger siden"));
    assert!(b.contains("US Department of Commerce"));
    assert!(b.contains("Det skete, da han dengang tilføjede Huawei"));
    assert!(b.contains("Computerworld"));
    assert!(b.contains("Danish"));
    assert!(b.contains("Modified by"));
    assert!(b.contains(r#"href="/sources/"#));
    // The legal instrument's official identifier links to the page that publishes it;
    // the rest of its text stays as written.
    let instrument = &b[b.find("Legal instrument: ").expect("the instrument")..];
    let instrument = &instrument[..instrument.find("</p>").expect("its end")];
    let link = instrument
        .split('<')
        .find(|tag| tag.starts_with("a "))
        .expect("a link");
    assert!(link.contains(r#"href="https://www.ecfr.gov/current/title-15/part-744""#));
    assert!(link.contains(r#"rel="external noopener""#));
    assert!(link.ends_with(">15 CFR Part 744"), "{link}");
    assert!(instrument.contains("Entity List, <a "));
    assert!(instrument.contains("</a>, Supplement No. 4; the listing: "));
    // Its Federal Register document too, as the rule was published.
    assert!(
        instrument.contains(r#"href="https://www.federalregister.gov/d/2019-10616""#),
        "{instrument}"
    );
    assert!(
        instrument
            .trim_end_matches("<!>")
            .ends_with("</a> (84 FR 22961, 21 May 2019)"),
        "{instrument}"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn a_wrong_or_missing_slug_redirects_permanently(pool: PgPool) {
    let app = spawn_app_with_demo(pool).await;
    let id = app.event_id("huawei-added-to-the-entity-list").await;
    let canonical = format!("/events/{id}-huawei-added-to-the-entity-list");
    for uri in [format!("/events/{id}"), format!("/events/{id}-old-title")] {
        let reply = app.get(&uri).await;
        assert_eq!(reply.status, StatusCode::MOVED_PERMANENTLY, "{uri}");
        assert_eq!(reply.location(), Some(canonical.as_str()));
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn unknown_events_and_paths_are_real_404_pages(pool: PgPool) {
    let app = spawn_app_with_demo(pool).await;
    for uri in [
        "/events/987654",
        "/events/987654-nope",
        "/events/abc",
        "/sources/987654",
        "/no/such/page",
    ] {
        let reply = app.get(uri).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{uri}");
        assert!(reply.body.contains("Not found"), "{uri}");
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn the_source_page_marks_every_cited_passage(pool: PgPool) {
    let app = spawn_app_with_demo(pool).await;
    let source: i64 = sqlx::query_scalar("SELECT id FROM sources WHERE language = 'da'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let page = app.get(&format!("/sources/{source}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let citations: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, exact FROM citations WHERE source_id = $1")
            .bind(source)
            .fetch_all(&app.pool)
            .await
            .unwrap();
    assert_eq!(citations.len(), 6);
    for (id, exact) in citations {
        assert!(
            page.body.contains(&format!(r#"id="c{id}""#)),
            "anchor c{id}"
        );
        assert!(
            page.body
                .contains(&format!(r#"<mark data-citations="{id}">{exact}</mark>"#)),
            "{exact}"
        );
    }
    assert!(!page.body.contains("Navnenyt"));
}

#[sqlx::test(migrations = "../migrations")]
async fn the_timeline_is_rendered_at_its_view_before_any_script(pool: PgPool) {
    let app = spawn_app_with_demo(pool).await;
    // The view the URL names: the range, the viewport's days and the markers in it.
    let page = app.get("/?start=2019-05-01&end=2019-06-30").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains(r#"class="tl-range">1 May 2019 – 30 June 2019<"#),
        "{}",
        page.body
    );
    assert!(page.body.contains(r#"data-start="2019-05-01""#));
    assert!(page.body.contains(r#"data-end="2019-06-30""#));
    assert!(page
        .body
        .contains(r#"aria-label="16 May 2019, Imposed: Huawei added"#));
    // No view: the whole record as the server frames it, never an empty range.
    let whole = app.get("/").await;
    let range = whole
        .body
        .split(r#"class="tl-range">"#)
        .nth(1)
        .and_then(|r| r.split('<').next())
        .expect("a range");
    assert!(!range.contains("1970"), "{range}");
    assert!(range.contains("2019"), "{range}");
}

/// A busy view's lanes are drawn as one histogram each, an image described by what it
/// counts, not an element per bucket.
#[sqlx::test(migrations = "../migrations")]
async fn a_busy_timeline_draws_each_lane_as_one_described_histogram(pool: PgPool) {
    server::synthetic::generate(&pool, 2000, 5).await.unwrap();
    let app = crate::support::spawn_app(pool).await;
    let page = app.get("/").await;
    assert_eq!(page.status, StatusCode::OK);
    // Without lanes: one histogram, of every published event in the whole record's frame.
    assert_eq!(page.body.matches(r#"class="tl-histogram""#).count(), 1);
    assert!(
        page.body.contains(
            r#"role="img" aria-label="2000 events in this frame, counted in buckets; busiest "#
        ),
        "{}",
        page.body
    );
    assert!(!page.body.contains("tl-bucket"));
    // Events known only to their year are counted apart and drawn over it as a band.
    assert!(
        page.body.contains(
            " of them known only to their month or year, drawn over it (most: Sometime in "
        ),
        "{}",
        page.body
    );
    assert_eq!(page.body.matches(r#"class="tl-periods""#).count(), 1);
    let by_target = app.get("/?lanes=target").await;
    let lanes = by_target.body.matches(r#"class="tl-histogram""#).count();
    assert!(lanes > 1, "{lanes}");
}
