//! The record taken out: every published event a filter selects as CSV and as NDJSON
//! (streamed a page at a time), and what search engines read (robots.txt, the sitemap).
//! Drafts never leave; text a spreadsheet would run stays text; multilingual quotes come
//! out exactly as their sources hold them, at the offsets the source page marks.

use crate::support::{count, desk, Desk};
use axum::http::StatusCode;
use serde_json::Value;
use sqlx::PgPool;

fn lines(body: &str) -> Vec<Value> {
    body.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

#[sqlx::test(migrations = "../migrations")]
async fn the_events_a_filter_selects_download_as_ndjson_and_csv_drafts_never(pool: PgPool) {
    server::demo::load(&pool).await.expect("demo loads");
    // A published event whose title a spreadsheet would run as a formula.
    sqlx::query(
        "UPDATE events SET title = '=HYPERLINK(\"https://evil.example\",\"Klik\") på listen'
         WHERE slug = 'huawei-added-to-the-entity-list'",
    )
    .execute(&pool)
    .await
    .unwrap();
    let Desk { app, .. } = desk(pool).await; // and a draft, "Huawei listed"
    let published = count(
        &app,
        "SELECT count(*) FROM events WHERE status = 'published'",
    )
    .await;
    assert!(published >= 5, "{published}");

    let all = app.get("/exports/events.ndjson").await;
    assert_eq!(all.status, StatusCode::OK, "{}", all.body);
    let content_type = all.headers["content-type"].to_str().unwrap_or_default();
    assert!(
        content_type.starts_with("application/x-ndjson"),
        "{content_type}"
    );
    assert!(all.headers["content-disposition"]
        .to_str()
        .unwrap_or_default()
        .contains("events.ndjson"));
    let events = lines(&all.body);
    assert_eq!(events.len() as i64, published);
    assert!(
        !all.body.contains("Huawei listed"),
        "the draft is not exported"
    );

    // The listing: its permalink as an address, its official identifier, its steps, and
    // each passage exactly as the stored source holds it at the offsets given.
    let listing = events
        .iter()
        .find(|e| {
            e["title"]
                .as_str()
                .is_some_and(|t| t.starts_with("=HYPERLINK"))
        })
        .expect("the listing");
    assert!(listing["permalink"]
        .as_str()
        .is_some_and(|p| p.starts_with("http://127.0.0.1:3000/events/")));
    assert_eq!(
        listing["legal_act"]["kind"], "federal_register",
        "{listing}"
    );
    assert_eq!(listing["legal_act"]["id"], "2019-10616", "{listing}");
    let steps: Vec<String> = listing["lifecycle"]
        .as_array()
        .expect("steps")
        .iter()
        .map(|s| {
            format!(
                "{} {}",
                s["step"].as_str().unwrap_or(""),
                s["date"].as_str().unwrap_or("")
            )
        })
        .collect();
    assert_eq!(steps, ["announced 2019-05-15", "effective 2019-05-16"]);
    let mut quoted = 0;
    for e in &events {
        for c in e["citations"].as_array().expect("citations") {
            let (start, end) = (c["start"].as_i64().unwrap(), c["end"].as_i64().unwrap());
            let stored: String = sqlx::query_scalar(
                "SELECT substr(body, $2::int + 1, $3::int - $2::int) FROM sources WHERE url = $1",
            )
            .bind(c["source_url"].as_str().unwrap())
            .bind(start as i32)
            .bind(end as i32)
            .fetch_one(&app.pool)
            .await
            .unwrap();
            assert_eq!(c["quote"].as_str().unwrap(), stored, "{c}");
            assert!(c["stored_copy"].as_str().is_some_and(|u| u
                .starts_with("http://127.0.0.1:3000/sources/")
                && u.contains("#c")));
            quoted += 1;
        }
    }
    assert!(
        quoted >= published,
        "every demo event cites a passage: {quoted}"
    );
    assert!(
        all.body.contains("lørdag") || all.body.contains("sælge"),
        "the Danish quotes as written"
    );

    // The same filter as the list: only the easings of Huawei.
    let eased = app
        .get("/exports/events.ndjson?target=Huawei&kind=eased")
        .await;
    assert_eq!(eased.status, StatusCode::OK, "{}", eased.body);
    let eased = lines(&eased.body);
    let listed = app.get("/api/events?target=Huawei&kind=eased").await.json();
    let ids = |v: &[Value]| {
        v.iter()
            .map(|e| e["id"].as_i64().unwrap_or(0))
            .collect::<Vec<_>>()
    };
    assert!(!eased.is_empty());
    assert_eq!(
        ids(&eased),
        ids(listed["events"].as_array().expect("events"))
    );

    // CSV: one row per event, the header first, the formula kept as text, the quotes of
    // an event one per line in their cell.
    let csv = app.get("/exports/events.csv").await;
    assert_eq!(csv.status, StatusCode::OK, "{}", csv.body);
    assert!(csv.headers["content-type"]
        .to_str()
        .unwrap_or_default()
        .starts_with("text/csv"));
    let mut table = csv::Reader::from_reader(csv.body.as_bytes());
    let header: Vec<String> = table.headers().unwrap().iter().map(str::to_owned).collect();
    assert_eq!(&header[..3], ["event_id", "permalink", "date"]);
    let column = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("{name}"))
    };
    let rows: Vec<csv::StringRecord> = table.records().map(|r| r.expect("a row")).collect();
    assert_eq!(rows.len() as i64, published);
    let row = rows
        .iter()
        .find(|r| r[column("title")].contains("HYPERLINK"))
        .expect("the listing's row");
    assert!(row[column("title")].starts_with("'="), "{:?}", row);
    assert_eq!(&row[column("legal_act_id")], "2019-10616");
    assert_eq!(&row[column("effective")], "2019-05-16");
    assert!(row[column("legal_act_url")].starts_with("https://www.federalregister.gov/"));
    let n: usize = row[column("citations")].parse().unwrap();
    assert_eq!(row[column("quotes")].lines().count(), n);
    assert_eq!(row[column("source_offsets")].lines().count(), n);

    // A wrong filter is a 400 that names the field; nothing is written.
    let wrong = app.get("/exports/events.csv?kind=nope").await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    assert!(wrong.body.contains("kind"), "{}", wrong.body);
}

/// More events than one read fetches: the pages follow one another, every event once, in
/// order, the last page ending the download.
#[sqlx::test(migrations = "../migrations")]
async fn a_large_export_is_streamed_page_after_page_without_a_gap_or_repeat(pool: PgPool) {
    server::synthetic::generate(&pool, 1300, 3)
        .await
        .expect("generated");
    let app = crate::support::spawn_app(pool).await;
    let reply = app.get("/exports/events.ndjson").await;
    assert_eq!(reply.status, StatusCode::OK);
    let events = lines(&reply.body);
    assert_eq!(events.len(), 1300);
    let mut ids: Vec<i64> = events.iter().map(|e| e["id"].as_i64().unwrap()).collect();
    // A date known to its month or year sorts on its first day.
    let first_day = |d: &str| format!("{d}{}", &"-01-01"[..10 - d.len().min(10)]);
    let days: Vec<String> = events
        .iter()
        .map(|e| first_day(e["date"].as_str().unwrap()))
        .collect();
    assert!(days.windows(2).all(|w| w[0] <= w[1]), "date order");
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 1300, "no event twice");
    let csv = app.get("/exports/events.csv?kind=imposed").await;
    let rows = csv::Reader::from_reader(csv.body.as_bytes())
        .records()
        .count() as i64;
    assert_eq!(
        rows,
        count(&app, "SELECT count(*) FROM events WHERE kind = 'imposed'").await
    );
}

/// The FollowTheMoney export: a `Sanction` per measure and target, each target a
/// `LegalEntity` written once however many pages name it; drafts, threats and events
/// without a target are not sanctions. (scripts/test also reads it back with the
/// `followthemoney` package.)
#[sqlx::test(migrations = "../migrations")]
async fn measures_export_as_followthemoney_sanctions_of_their_targets(pool: PgPool) {
    server::demo::load(&pool).await.expect("demo loads");
    let Desk { app, .. } = desk(pool).await; // and a draft, "Huawei listed"
    let reply = app.get("/exports/events.ftm.json?target=Huawei").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(reply.headers["content-disposition"]
        .to_str()
        .unwrap_or_default()
        .contains("events.ftm.json"));
    let entities = lines(&reply.body);
    let of = |schema: &str| -> Vec<&Value> {
        entities.iter().filter(|e| e["schema"] == schema).collect()
    };
    // The events that name Huawei, with each of their targets (the FCC's ban names ZTE too).
    let named: Vec<&str> = of("LegalEntity")
        .iter()
        .filter_map(|e| e["properties"]["name"][0].as_str())
        .collect();
    assert_eq!(named, ["Huawei", "ZTE"], "{}", reply.body);
    let huawei = of("LegalEntity")[0]["id"].clone();
    let sanctions: Vec<&Value> = of("Sanction")
        .into_iter()
        .filter(|s| s["properties"]["entity"][0] == huawei)
        .collect();
    let measures = count(
        &app,
        "SELECT count(*) FROM events e JOIN event_actors ea ON ea.event_id = e.id
           JOIN actors a ON a.id = ea.actor_id
          WHERE e.status = 'published' AND ea.role = 'target' AND a.name = 'Huawei'
            AND e.kind IN ('imposed', 'eased', 'extended', 'lifted', 'retaliated')",
    )
    .await;
    assert_eq!(sanctions.len() as i64, measures);
    assert!(!reply.body.contains("Huawei listed"), "the draft stays out");
    for s in &sanctions {
        let p = &s["properties"];
        assert!(p["authority"][0].as_str().is_some_and(|a| !a.is_empty()));
        assert!(p["startDate"][0]
            .as_str()
            .is_some_and(|d| d.starts_with("20")));
        assert!(p["sourceUrl"][0]
            .as_str()
            .is_some_and(|u| u.starts_with("http://127.0.0.1:3000/events/")));
        assert!(
            p["sourceUrl"].as_array().is_some_and(|u| u.len() >= 2),
            "{s}"
        );
    }
    // The listing is listed on its day; the licence that eased it ends when it expired.
    let listing = sanctions
        .iter()
        .find(|s| s["properties"]["status"][0] == "imposed")
        .expect("the listing");
    assert_eq!(listing["properties"]["listingDate"][0], "2019-05-16");
    let licence = sanctions
        .iter()
        .find(|s| s["properties"]["status"][0] == "eased")
        .expect("an easing");
    assert!(licence["properties"]["listingDate"].is_null());
}

#[sqlx::test(migrations = "../migrations")]
async fn a_target_is_one_followthemoney_entity_across_every_page(pool: PgPool) {
    server::synthetic::generate(&pool, 1300, 3)
        .await
        .expect("generated");
    let app = crate::support::spawn_app(pool).await;
    let reply = app.get("/exports/events.ftm.json").await;
    assert_eq!(reply.status, StatusCode::OK);
    let entities = lines(&reply.body);
    let mut ids: Vec<&str> = entities.iter().filter_map(|e| e["id"].as_str()).collect();
    let written = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), written, "no entity written twice");
    let named: std::collections::HashSet<&str> = entities
        .iter()
        .filter(|e| e["schema"] == "LegalEntity")
        .filter_map(|e| e["id"].as_str())
        .collect();
    let sanctions: Vec<&Value> = entities
        .iter()
        .filter(|e| e["schema"] == "Sanction")
        .collect();
    assert!(sanctions.len() > 500, "{}", sanctions.len());
    for s in sanctions {
        let entity = s["properties"]["entity"][0].as_str().unwrap_or_default();
        assert!(
            named.contains(entity),
            "{entity} is written before it is named"
        );
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn search_engines_get_robots_txt_and_a_sitemap_of_every_published_page(pool: PgPool) {
    server::demo::load(&pool).await.expect("demo loads");
    let Desk {
        app, event: draft, ..
    } = desk(pool).await;

    let robots = app.get("/robots.txt").await;
    assert_eq!(robots.status, StatusCode::OK);
    assert!(
        robots
            .body
            .contains("Sitemap: http://127.0.0.1:3000/sitemap.xml"),
        "{}",
        robots.body
    );
    assert!(robots.body.contains("Disallow: /api/"));
    assert!(robots.body.contains("Disallow: /*/edit"));

    let index = app.get("/sitemap.xml").await;
    assert_eq!(index.status, StatusCode::OK);
    assert!(index.headers["content-type"]
        .to_str()
        .unwrap_or_default()
        .contains("xml"));
    for part in ["events-0.xml", "sources-0.xml"] {
        assert!(
            index
                .body
                .contains(&format!("<loc>http://127.0.0.1:3000/sitemaps/{part}</loc>")),
            "{}",
            index.body
        );
    }
    let events = app.get("/sitemaps/events-0.xml").await;
    assert_eq!(events.status, StatusCode::OK);
    let listed = events.body.matches("<url>").count() as i64;
    assert_eq!(
        listed,
        count(
            &app,
            "SELECT count(*) FROM events WHERE status = 'published'"
        )
        .await
    );
    assert!(events.body.contains("<loc>http://127.0.0.1:3000/events/"));
    assert!(events.body.contains("<lastmod>"));
    assert!(
        !events.body.contains(&format!("/events/{draft}-")),
        "no draft listed"
    );
    let sources = app.get("/sitemaps/sources-0.xml").await;
    assert_eq!(
        sources.body.matches("<url>").count() as i64,
        count(&app, "SELECT count(*) FROM sources").await
    );
    for missing in [
        "/sitemaps/actors-0.xml",
        "/sitemaps/events-x.xml",
        "/sitemaps/events-99999999999999999999.xml",
        "/sitemaps/events-0",
    ] {
        assert_eq!(
            app.get(missing).await.status,
            StatusCode::NOT_FOUND,
            "{missing}"
        );
    }
}
