//! The timeline's window, bucket and facet queries, over the demo record and over a
//! synthetic one large enough to need buckets.

use crate::support::{spawn_app, spawn_app_with_demo};
use axum::http::StatusCode;
use serde_json::Value;
use sqlx::PgPool;

fn ids(v: &Value) -> Vec<i64> {
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_i64().unwrap())
        .collect()
}

#[sqlx::test(migrations = "../migrations")]
async fn a_quiet_window_lists_its_events_with_running_ranges_and_relations(pool: PgPool) {
    let app = spawn_app_with_demo(pool).await;
    let v = app
        .get("/api/timeline?start=2019-06-01&end=2019-07-31")
        .await
        .json();
    assert_eq!(v["buckets"], Value::Null);
    let g20 = app
        .event_id("trump-eases-huawei-sanctions-at-g20-osaka")
        .await;
    let clarified = app
        .event_id("white-house-limits-easing-to-widely-available-products")
        .await;
    let licence = app.event_id("temporary-general-license-for-huawei").await;
    // The 90-day licence began in May but is still running in June.
    assert_eq!(ids(&v), [licence, g20, clarified]);
    assert_eq!(v["items"][0]["until"], "2019-08-19");
    let rel = &v["relations"][0];
    assert_eq!(
        (rel["from"].as_i64(), rel["to"].as_i64()),
        (Some(clarified), Some(g20))
    );
    assert_eq!(rel["kind"], "clarifies");
}

/// Under a filter no rollup counts, the ranges running at a window's start are asked for
/// only once the window is known to be drawn one by one: they must still be there.
#[sqlx::test(migrations = "../migrations")]
async fn a_searched_quiet_window_keeps_the_range_running_at_its_start(pool: PgPool) {
    let app = spawn_app_with_demo(pool).await;
    let all = app
        .get("/api/timeline?start=2019-06-01&end=2019-07-31")
        .await
        .json();
    let searched = app
        .get("/api/timeline?start=2019-06-01&end=2019-07-31&q=huawei")
        .await
        .json();
    assert_eq!(searched["buckets"], Value::Null);
    let licence = app.event_id("temporary-general-license-for-huawei").await;
    assert_eq!(ids(&searched)[0], licence, "{searched}");
    assert_eq!(ids(&searched), ids(&all));
    assert_eq!(searched["relations"], all["relations"]);
}

#[sqlx::test(migrations = "../migrations")]
async fn an_empty_window_and_a_one_day_window(pool: PgPool) {
    let app = spawn_app_with_demo(pool).await;
    let empty = app
        .get("/api/timeline?start=1990-01-01&end=1990-12-31")
        .await;
    assert_eq!(empty.status, StatusCode::OK);
    let empty = empty.json();
    assert!(ids(&empty).is_empty());
    assert_eq!(empty["buckets"], Value::Null);

    let day = app
        .get("/api/timeline?start=2019-06-29&end=2019-06-29")
        .await
        .json();
    assert_eq!(
        ids(&day).len(),
        3,
        "two events that day and the licence running"
    );
    let day = app
        .get("/api/timeline?start=2019-06-30&end=2019-06-30")
        .await
        .json();
    assert_eq!(ids(&day).len(), 1, "only the licence");
}

#[sqlx::test(migrations = "../migrations")]
async fn bad_windows_are_400s_that_say_what_to_fix(pool: PgPool) {
    let app = spawn_app(pool).await;
    for (uri, needle) in [
        ("/api/timeline?start=2020-01-01&end=2019-01-01", "swap them"),
        ("/api/timeline?start=2019-02-30&end=2019-03-01", "`start`"),
        ("/api/timeline?start=2019-01-01&end=soon", "`end`"),
        ("/api/timeline?end=2019-01-01", "required"),
        ("/api/timeline?start=1800-01-01&end=2100-01-01", "200 years"),
        (
            "/api/timeline?start=2019-01-01&end=2019-02-01&lanes=colour",
            "lane grouping",
        ),
        (
            "/api/timeline?start=2019-01-01&end=2019-02-01&kind=nice",
            "`kind`",
        ),
        (
            "/api/timeline/facets?from=2019-01-01&to=2018-01-01",
            "swap them",
        ),
    ] {
        let reply = app.get(uri).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{uri}");
        let message = reply.json()["error"]["message"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(message.contains(needle), "{uri}: {message}");
    }
}

async fn published_between(pool: &PgPool, from: &str, to: &str) -> i64 {
    sqlx::query_scalar(
        "SELECT count(*) FROM events WHERE status = 'published'
         AND starts_on BETWEEN $1::date AND $2::date",
    )
    .bind(from)
    .bind(to)
    .fetch_one(pool)
    .await
    .unwrap()
}

/// The ids of a window's items starting on or after `start`, sorted.
fn items_starting_from(v: &Value, start: &str) -> Vec<i64> {
    let mut ids: Vec<i64> = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["start"].as_str().unwrap() >= start)
        .map(|i| i["id"].as_i64().unwrap())
        .collect();
    ids.sort_unstable();
    ids
}

/// The events a bucketed window counts as starting inside it: its buckets, and the
/// events known only to a longer period than a bucket whose period starts inside it.
/// Adds `word` to these events' titles, and so to what a search finds them by.
async fn tag_titles(pool: &PgPool, word: &str, ids: &[i64]) {
    sqlx::query("UPDATE events SET title = title || ' ' || $1 WHERE id = ANY($2)")
        .bind(word)
        .bind(ids)
        .execute(pool)
        .await
        .unwrap();
    sqlx::query("SELECT refresh_event_derived($1)")
        .bind(ids)
        .execute(pool)
        .await
        .unwrap();
}

/// Searches whose forms part: their matches are not all held by one form.
const WORDS_OF_PARTED_FORMS: [&str; 3] = ["sanctions", "trade", "retaliates"];

/// Gives some events, none holding 'sanction', words that hold one form of a search in
/// [`WORDS_OF_PARTED_FORMS`] and not another: the Danish-stemmed "sanctionsen" holds
/// 'sanctions' without 'sanction', "sanctioned" (twice as many) 'sanction' without
/// 'sanctions', "trader" 'trad' without 'trade', "trading" 'trade' without 'trad',
/// "retaliated" 'retali' without 'retaliat', "retaliaten" (Danish-stemmed) 'retaliat'
/// without 'retali'. Each search then has matches its most frequent form does not hold,
/// whichever that is: "sanctions" is counted as its stem, 'sanction', and its matches as
/// written only as a stem ("sanctionsen") are the ones read apart. `with_steps`: only
/// events with lifecycle steps.
async fn tag_parted_forms(pool: &PgPool, with_steps: bool) {
    let unsanctioned: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM events WHERE NOT search @@ 'sanction'::tsquery AND (had_steps OR NOT $1)
         ORDER BY id % 7, id LIMIT 126",
    )
    .bind(with_steps)
    .fetch_all(pool)
    .await
    .unwrap();
    assert_eq!(unsanctioned.len(), 126, "events without 'sanction'");
    for (word, ids) in [
        "sanctionsen",
        "trader",
        "trading",
        "retaliated",
        "retaliaten",
        "sanctioned",
        "sanctioned",
    ]
    .iter()
    .zip(unsanctioned.chunks(18))
    {
        tag_titles(pool, word, ids).await;
    }
    for (search, without) in [
        ("sanctions", "sanction"),
        ("sanctions", "sanctions"),
        ("trade", "trad"),
        ("trade", "trade"),
        ("retaliates", "retaliat"),
        ("retaliates", "retali"),
    ] {
        let apart: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM events WHERE status = 'published'
               AND search @@ (event_search_query($1) && !! $2::tsquery)",
        )
        .bind(search)
        .bind(without)
        .fetch_one(pool)
        .await
        .unwrap();
        assert!(apart > 0, "{search} without {without}");
    }
}

/// `event_word_stem_only` is what counting afresh from the events' texts gives: per
/// lexeme, the published events holding it only as a stem of another word (in an English
/// or Danish vector of their texts and in no simple one); and each event's search document
/// is still the three configurations' vectors of its title, summary and quotes, weighted
/// A, B and C (as `event_search_doc` made it before `event_search_parts`).
async fn assert_stem_only_counted(pool: &PgPool) {
    let (differ, other_documents, sanctions): (i64, i64, Option<i32>) = sqlx::query_as(
        "WITH texts AS (
           SELECT e.id, e.status, e.search, e.title, e.summary, COALESCE((
                    SELECT string_agg(c.exact, ' ' ORDER BY c.position) FROM citations c
                    WHERE c.event_id = e.id), '') AS quotes
           FROM events e
         ), fresh AS (
           SELECT w AS word, count(*)::int AS n
           FROM texts t,
                unnest(ARRAY(
                  SELECT unnest(tsvector_to_array(to_tsvector('english', x)
                                                  || to_tsvector('danish', x)))
                  FROM unnest(ARRAY[t.title, t.summary, t.quotes]) AS f(x)
                  EXCEPT
                  SELECT unnest(tsvector_to_array(to_tsvector('simple', x)))
                  FROM unnest(ARRAY[t.title, t.summary, t.quotes]) AS f(x))) AS w
           WHERE t.status = 'published'
           GROUP BY 1
         ), kept AS (SELECT word, n FROM event_word_stem_only WHERE n <> 0)
         SELECT (SELECT count(*) FROM ((SELECT * FROM fresh EXCEPT SELECT * FROM kept)
                                       UNION ALL
                                       (SELECT * FROM kept EXCEPT SELECT * FROM fresh)) d),
                (SELECT count(*) FROM texts
                 WHERE search <> setweight(to_tsvector('simple', title)
                                           || to_tsvector('english', title)
                                           || to_tsvector('danish', title), 'A')
                                 || setweight(to_tsvector('simple', summary)
                                              || to_tsvector('english', summary)
                                              || to_tsvector('danish', summary), 'B')
                                 || setweight(to_tsvector('simple', quotes)
                                              || to_tsvector('english', quotes)
                                              || to_tsvector('danish', quotes), 'C')),
                (SELECT n FROM kept WHERE word = 'sanctions')",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    assert_eq!(differ, 0, "stem-only counts that differ from a fresh count");
    assert_eq!(
        other_documents, 0,
        "search documents not the three configurations' weighted vectors"
    );
    // "sanctionsen" (Danish) is 'sanctions' as a stem only.
    assert!(sanctions.is_some_and(|n| n > 0), "{sanctions:?}");
}

fn bucket_total(v: &Value) -> i64 {
    let window_start = v["start"].as_str().unwrap();
    let buckets: i64 = v["buckets"]["buckets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["count"].as_i64().unwrap())
        .sum();
    let periods: i64 = v["buckets"]["periods"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["start"].as_str().unwrap() >= window_start)
        .map(|p| p["count"].as_i64().unwrap())
        .sum();
    buckets + periods
}

#[sqlx::test(migrations = "../migrations")]
async fn a_busy_window_is_answered_in_buckets_that_add_up(pool: PgPool) {
    server::synthetic::generate(&pool, 3000, 7).await.unwrap();
    let app = spawn_app(pool).await;

    let decade = app
        .get("/api/timeline?start=2010-01-01&end=2019-12-31")
        .await
        .json();
    assert_eq!(decade["buckets"]["unit"], "month");
    assert_eq!(
        bucket_total(&decade),
        published_between(&app.pool, "2010-01-01", "2019-12-31").await
    );
    // Month buckets hold a month-precision event; one known only to its year is counted
    // apart, over its year.
    let periods = decade["buckets"]["periods"].as_array().unwrap();
    assert!(!periods.is_empty());
    assert!(periods.iter().all(|p| p["precision"] == "year"));
    // With the buckets come the most prominent events, not all of them.
    let top = decade["items"].as_array().unwrap();
    assert!(!top.is_empty() && top.len() <= 40);

    let all = app
        .get("/api/timeline?start=1999-01-01&end=2027-12-31&lanes=target")
        .await
        .json();
    assert_eq!(all["buckets"]["unit"], "quarter");
    assert_eq!(bucket_total(&all), 3000);
    let mut lanes: Vec<String> = all["buckets"]["buckets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["lane"].as_str().unwrap().to_owned())
        .collect();
    lanes.sort();
    lanes.dedup();
    assert_eq!(
        lanes.len(),
        13,
        "the twelve busiest targets and the rest: {lanes:?}"
    );
    assert!(lanes.contains(&"(other)".to_owned()));
    assert!(lanes.contains(&"Huawei".to_owned()));

    // Zoomed in far enough, the same record is drawn event by event.
    let week = app
        .get("/api/timeline?start=2024-03-04&end=2024-03-10")
        .await
        .json();
    assert_eq!(week["buckets"], Value::Null);
    let starting: Vec<&Value> = week["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["start"].as_str().unwrap() >= "2024-03-04")
        .collect();
    assert_eq!(
        starting.len() as i64,
        published_between(&app.pool, "2024-03-04", "2024-03-10").await
    );
}

/// A busy window under a text search shows its most prominent matches, whether the
/// word is in most events ("sanctions": found among the most prominent events) or in
/// few that are never prominent ("retaliates": picked from all the matches).
#[sqlx::test(migrations = "../migrations")]
async fn a_busy_search_shows_its_most_prominent_matches(pool: PgPool) {
    server::synthetic::generate(&pool, 5000, 11).await.unwrap();
    let app = spawn_app(pool).await;
    for word in ["sanctions", "retaliates"] {
        let v = app
            .get(&format!(
                "/api/timeline?start=1999-01-01&end=2027-12-31&q={word}"
            ))
            .await
            .json();
        assert!(!v["buckets"].is_null(), "{word}: not busy");
        let items = v["items"].as_array().unwrap();
        assert_eq!(items.len(), 40, "{word}");
        assert!(
            items
                .iter()
                .all(|i| i["title"].as_str().unwrap().contains(word)),
            "{word}: {items:?}"
        );
        let mut shown: Vec<i64> = items
            .iter()
            .map(|i| i["prominence"].as_i64().unwrap())
            .collect();
        shown.sort_unstable_by(|a, b| b.cmp(a));
        let most: Vec<i64> = sqlx::query_scalar(
            "SELECT prominence::bigint FROM events
             WHERE status = 'published' AND title LIKE '%' || $1 || '%'
             ORDER BY prominence DESC LIMIT 40",
        )
        .bind(word)
        .fetch_all(&app.pool)
        .await
        .unwrap();
        assert_eq!(shown, most, "{word}");
    }
}

/// Tags with `word` the published events at the `tagged` ranks of prominence among 5,000
/// synthetic ones, then searches the whole record for it, without lanes and by kind (the
/// share of matches comes from their count) and as recorded today (from a trial of the
/// 200 most prominent): each must show the events at the `most` ranks, compared by
/// prominence and date (the order the timeline ranks them in: events alike in both may
/// stand for each other).
async fn shows_most_prominent_matches(
    pool: PgPool,
    seed: u64,
    word: &str,
    tagged: &[usize],
    most: &[usize],
) {
    server::synthetic::generate(&pool, 5000, seed)
        .await
        .unwrap();
    let ranked: Vec<(i64, i32, chrono::NaiveDate)> = sqlx::query_as(
        "SELECT id, prominence, starts_on FROM events WHERE status = 'published'
         ORDER BY prominence DESC, starts_on, id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let ids: Vec<i64> = tagged.iter().map(|&rank| ranked[rank].0).collect();
    tag_titles(&pool, word, &ids).await;
    let app = spawn_app(pool).await;
    let mut expected: Vec<(i64, String)> = most
        .iter()
        .map(|&r| (i64::from(ranked[r].1), ranked[r].2.to_string()))
        .collect();
    expected.sort_unstable();
    let today = chrono::Utc::now().date_naive();
    for asked in [
        "lanes=none".to_owned(),
        "lanes=kind".to_owned(),
        format!("as_recorded={today}"),
    ] {
        let v = app
            .get(&format!(
                "/api/timeline?start=1999-01-01&end=2027-12-31&q={word}&{asked}"
            ))
            .await
            .json();
        assert!(!v["buckets"].is_null(), "{} matches: busy", tagged.len());
        let mut shown: Vec<(i64, String)> = v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                assert!(i["title"].as_str().unwrap().ends_with(word), "{i}");
                let start = i["start"].as_str().unwrap().to_owned();
                (i["prominence"].as_i64().unwrap(), start)
            })
            .collect();
        shown.sort_unstable();
        assert_eq!(shown, expected, "{asked}");
    }
}

/// A word a fifth of the most prominent events hold, and many more below them: the
/// window's 40 most prominent matches are found by walking further down the same events
/// (the share of matches says how far), and they are the same 40 that all the matches
/// would give.
#[sqlx::test(migrations = "../migrations")]
async fn a_search_held_by_some_prominent_events_finds_its_most_prominent(pool: PgPool) {
    // 39 of the first 200, then 1,000 from the 250th on: enough that walking on costs
    // less than reading them all.
    let tagged: Vec<usize> = (0..195).step_by(5).chain(250..1250).collect();
    let most: Vec<usize> = (0..195).step_by(5).chain([250]).collect();
    shows_most_prominent_matches(pool, 19, "okapi", &tagged, &most).await;
}

/// A word held by none of the window's most prominent events and by many below them: the
/// walk down the prominent events that the share of matches suggests comes back short,
/// and the window's 40 most prominent matches are then read from all its matches.
#[sqlx::test(migrations = "../migrations")]
async fn a_search_none_of_whose_prominent_events_hold_shows_its_most_prominent(pool: PgPool) {
    // 1,500 of 5,000: a share that says the 40 lie within the first 133 or so, so the
    // walk goes twice as far (267) from the prominence of rank 1500, ties included.
    let tagged: Vec<usize> = (1500..3000).collect();
    let most: Vec<usize> = (1500..1540).collect();
    shows_most_prominent_matches(pool, 29, "tapir", &tagged, &most).await;
}

/// Searched without lanes or by kind, a busy window is counted without unnesting lanes,
/// and its buckets are those the lanes' scan gives: kinds drawn by name where an event
/// of theirs starts inside the window, an event known only to the window's year of a
/// kind with none inside counted in the leftover lane.
#[sqlx::test(migrations = "../migrations")]
async fn a_search_by_kind_counts_its_buckets_as_the_lanes_scan_does(pool: PgPool) {
    use app::db::timeline::scanned_buckets;
    use app::domain::timeline::{BucketCounts, BucketUnit, Lanes, TimelineQuery};
    use app::domain::EventFilter;
    server::synthetic::generate(&pool, 3000, 37).await.unwrap();
    let (start, end) = ("2016-03-10", "2021-09-30");
    let imposed: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM events WHERE status = 'published' AND kind = 'imposed'
           AND starts_on BETWEEN $1::date AND $2::date ORDER BY id LIMIT 350",
    )
    .bind(start)
    .bind(end)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(imposed.len(), 350);
    // Three events of another kind, known only to the window's year.
    let year_known: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM events WHERE status = 'published' AND starts_on < '2010-01-01'
         ORDER BY id LIMIT 3",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    sqlx::query(
        "UPDATE events SET kind = 'lifted', precision = 'year', starts_on = '2016-01-01',
                ends_on = NULL, end_precision = NULL, covers_until = '2016-12-31'
         WHERE id = ANY($1)",
    )
    .bind(&year_known)
    .execute(&pool)
    .await
    .unwrap();
    let tagged: Vec<i64> = imposed.iter().chain(&year_known).copied().collect();
    tag_titles(&pool, "wombat", &tagged).await;
    let app = spawn_app(pool.clone()).await;
    for lanes in [Lanes::None, Lanes::Kind] {
        let v = app
            .get(&format!(
                "/api/timeline?start={start}&end={end}&q=wombat&lanes={}",
                lanes.as_str()
            ))
            .await
            .json();
        let shown: BucketCounts = serde_json::from_value(v["buckets"].clone()).unwrap();
        let q = TimelineQuery {
            start: chrono::NaiveDate::parse_from_str(start, "%Y-%m-%d").unwrap(),
            end: chrono::NaiveDate::parse_from_str(end, "%Y-%m-%d").unwrap(),
            lanes,
            as_recorded: None,
            filter: EventFilter {
                q: Some("wombat".into()),
                ..Default::default()
            },
        };
        let unit = BucketUnit::for_span(q.span_days());
        let scanned = scanned_buckets(&pool, &q, unit).await.unwrap();
        assert_eq!(shown, scanned, "{lanes:?}");
        let total: i64 = shown.buckets.iter().map(|b| b.count).sum::<i64>()
            + shown.periods.iter().map(|p| p.count).sum::<i64>();
        assert_eq!(total, 353, "{lanes:?}");
    }
}

/// A search's window is drawn event by event up to 300 matches starting inside it, and
/// in buckets from the 301st; matches before its start (a range running into it, an
/// event known only to its year) do not make it busy.
#[sqlx::test(migrations = "../migrations")]
async fn a_search_is_busy_from_its_301st_match_inside_the_window(pool: PgPool) {
    server::synthetic::generate(&pool, 2000, 23).await.unwrap();
    let (start, end) = ("2010-06-15", "2027-12-31");
    let inside: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM events WHERE status = 'published' AND starts_on >= $1::date
         ORDER BY id LIMIT 301",
    )
    .bind(start)
    .fetch_all(&pool)
    .await
    .unwrap();
    let before: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM events WHERE status = 'published'
           AND starts_on BETWEEN '2009-01-01' AND $1::date - 1",
    )
    .bind(start)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert!(before.len() > 20, "{}", before.len());
    let quiet_ones: Vec<i64> = inside[..300].iter().chain(&before).copied().collect();
    tag_titles(&pool, "quokka", &quiet_ones).await;
    let app = spawn_app(pool.clone()).await;
    let url = format!("/api/timeline?start={start}&end={end}&q=quokka");
    let quiet = app.get(&url).await.json();
    assert!(
        quiet["buckets"].is_null(),
        "300 inside: drawn event by event"
    );
    let starting_inside = |v: &Value| items_starting_from(v, start);
    let mut expected = inside[..300].to_vec();
    expected.sort_unstable();
    assert_eq!(starting_inside(&quiet), expected);

    // In lanes by authority an event imposed by two stands in both lanes, yet it is one
    // event: 300 still draw one by one.
    sqlx::query(
        "UPDATE events SET authority_names = authority_names || 'Ruritania'::text
         WHERE id = ANY($1)",
    )
    .bind(&inside[..100])
    .execute(&pool)
    .await
    .unwrap();
    let in_lanes = app.get(&format!("{url}&lanes=authority")).await.json();
    assert!(in_lanes["buckets"].is_null(), "300 events in 400 lane rows");
    assert_eq!(starting_inside(&in_lanes), expected);

    tag_titles(&pool, "quokka", &inside[300..]).await;
    for lanes in ["none", "authority"] {
        let busy = app
            .get(&format!("{url}&lanes={lanes}&fresh=1"))
            .await
            .json();
        assert!(
            !busy["buckets"].is_null(),
            "301 inside: in buckets ({lanes})"
        );
        assert_eq!(busy["items"].as_array().unwrap().len(), 40);
    }
    let busy = app.get(&format!("{url}&fresh=2")).await.json();
    // Every match inside counted once.
    assert_eq!(bucket_total(&busy), 301);
}

/// A window the rollups count (unfiltered, of one kind, of one actor) is drawn event by
/// event up to 300 events starting inside it and in buckets from the 301st, counted once
/// each: an event of two authorities in lanes by authority, an actor in both roles or in
/// another case. Events before the window, and those at its part months' edges outside
/// it, do not count.
#[sqlx::test(migrations = "../migrations")]
async fn a_rolled_up_window_is_busy_from_its_301st_event_inside_it(pool: PgPool) {
    server::synthetic::generate(&pool, 3000, 53).await.unwrap();
    let (start, end) = ("2010-01-15", "2016-06-20");
    let app = spawn_app(pool.clone()).await;
    let ids = |sql: &'static str| {
        let pool = pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>(sql)
                .bind(start)
                .bind(end)
                .fetch_all(&pool)
                .await
                .unwrap()
        }
    };
    let exec = |sql: &'static str, ids: Vec<i64>| {
        let pool = pool.clone();
        async move {
            sqlx::query(sql).bind(ids).execute(&pool).await.unwrap();
        }
    };
    let inside = ids("SELECT id FROM events WHERE status = 'published'
           AND starts_on BETWEEN $1::date AND $2::date ORDER BY id")
    .await;
    assert!(inside.len() > 400, "{}", inside.len());
    let mut asked = 0;
    // The window's items starting inside it, when drawn one by one; None in buckets.
    let mut drawn = |filter: &'static str| {
        asked += 1;
        let url = format!("/api/timeline?start={start}&end={end}&{filter}&fresh={asked}");
        let app = &app;
        async move {
            let v = app.get(&url).await.json();
            if !v["buckets"].is_null() {
                assert_eq!(v["items"].as_array().unwrap().len(), 40, "{url}");
                return (None, v);
            }
            (Some(items_starting_from(&v, start)), v)
        }
    };

    // One kind, 100 of its events imposed by two authorities: 300 events in 400 lane rows.
    exec(
        "UPDATE events SET kind = 'imposed' WHERE kind = 'threatened' AND id = ANY($1)",
        inside.clone(),
    )
    .await;
    exec(
        "UPDATE events SET kind = 'threatened' WHERE id = ANY($1)",
        inside[..301].to_vec(),
    )
    .await;
    exec(
        "UPDATE events SET authority_names = authority_names || 'Ruritania'::text
         WHERE id = ANY($1)",
        inside[..100].to_vec(),
    )
    .await;
    exec(
        "UPDATE events SET kind = 'imposed' WHERE id = ANY($1)",
        vec![inside[300]],
    )
    .await;
    assert!(
        ids(
            "SELECT id FROM events WHERE status = 'published' AND kind = 'threatened'
               AND starts_on < $1::date AND starts_on < $2::date"
        )
        .await
        .len()
            > 10
    );
    for filter in [
        "kind=threatened",
        "kind=threatened&lanes=authority",
        "kind=threatened&lanes=kind",
    ] {
        let (items, _) = drawn(filter).await;
        assert_eq!(items.as_deref(), Some(&inside[..300]), "{filter}");
    }
    exec(
        "UPDATE events SET kind = 'threatened' WHERE id = ANY($1)",
        vec![inside[300]],
    )
    .await;
    let (items, busy) = drawn("kind=threatened").await;
    assert_eq!(items, None, "301 of one kind inside: in buckets");
    assert_eq!(bucket_total(&busy), 301);
    let (items, _) = drawn("kind=threatened&lanes=authority").await;
    assert_eq!(items, None, "301 of one kind in lanes by authority");

    // One actor, some events holding it in both roles, written in another case.
    exec(
        "UPDATE events SET target_names = target_names || 'Ruritania'::text
         WHERE id = ANY($1)",
        inside[200..300].to_vec(),
    )
    .await;
    exec(
        "UPDATE events SET target_names = target_names || 'RURITANIA'::text
         WHERE id = ANY($1)",
        inside[50..200].to_vec(),
    )
    .await;
    let before = ids("SELECT id FROM events WHERE status = 'published'
           AND starts_on < $1::date AND starts_on < $2::date ORDER BY starts_on DESC LIMIT 20")
    .await;
    exec(
        "UPDATE events SET target_names = target_names || 'Ruritania'::text
         WHERE id = ANY($1)",
        before,
    )
    .await;
    let (items, _) = drawn("actor=ruritania").await;
    assert_eq!(items.as_deref(), Some(&inside[..300]), "300 of one actor");
    exec(
        "UPDATE events SET target_names = target_names || 'Ruritania'::text
         WHERE id = ANY($1)",
        vec![inside[300]],
    )
    .await;
    let (items, busy) = drawn("actor=ruritania").await;
    assert_eq!(items, None, "301 of one actor inside: in buckets");
    assert_eq!(bucket_total(&busy), 301);

    // Unfiltered: all but 300 of the window's events made drafts.
    exec(
        "UPDATE events SET status = 'draft' WHERE id = ANY($1)",
        inside[300..].to_vec(),
    )
    .await;
    let (items, _) = drawn("lanes=target").await;
    assert_eq!(
        items.as_deref(),
        Some(&inside[..300]),
        "300 published inside"
    );
    exec(
        "UPDATE events SET status = 'published' WHERE id = ANY($1)",
        vec![inside[300]],
    )
    .await;
    let (items, busy) = drawn("lanes=none").await;
    assert_eq!(items, None, "301 published inside: in buckets");
    assert_eq!(bucket_total(&busy), 301);

    // 301 events on one day: windows in the same months beside it stay quiet.
    let early = ids("SELECT id FROM events WHERE status = 'published'
           AND starts_on < $1::date AND starts_on < $2::date ORDER BY id LIMIT 301")
    .await;
    assert_eq!(early.len(), 301);
    exec(
        "UPDATE events SET precision = 'day', starts_on = '2020-06-25', ends_on = NULL,
                end_precision = NULL, covers_until = '2020-06-25'
         WHERE id = ANY($1)",
        early,
    )
    .await;
    for (from, to, busy) in [
        ("2020-06-10", "2020-06-24", false),
        ("2020-06-26", "2020-07-31", false),
        ("2020-06-26", "2020-08-03", false),
        ("2020-06-25", "2020-06-25", true),
        ("2020-05-30", "2020-06-25", true),
    ] {
        let v = app
            .get(&format!(
                "/api/timeline?start={from}&end={to}&fresh={from}{to}"
            ))
            .await
            .json();
        assert_eq!(!v["buckets"].is_null(), busy, "{from}..{to}");
        let inside = published_between(&pool, from, to).await;
        if busy {
            assert_eq!(bucket_total(&v), inside, "{from}..{to}");
        } else {
            let starting = items_starting_from(&v, from).len();
            assert_eq!(starting as i64, inside, "{from}..{to}");
        }
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn filters_apply_to_windows_and_facets_count_each_choice(pool: PgPool) {
    server::synthetic::generate(&pool, 1000, 3).await.unwrap();
    let app = spawn_app(pool).await;
    let f = app.get("/api/timeline/facets").await.json();
    assert_eq!(f["total"], 1000);
    let by_kind: i64 = f["kinds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k[1].as_i64().unwrap())
        .sum();
    assert_eq!(by_kind, 1000);
    let by_month: i64 = f["density"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m[1].as_i64().unwrap())
        .sum();
    assert_eq!(by_month, 1000);

    let eased = f["kinds"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k[0] == "eased")
        .map(|k| k[1].as_i64().unwrap())
        .unwrap();
    let w = app
        .get("/api/timeline?start=1999-01-01&end=2027-12-31&kind=eased")
        .await
        .json();
    let shown = match w["buckets"].is_null() {
        true => w["items"].as_array().unwrap().len() as i64,
        false => bucket_total(&w),
    };
    assert_eq!(shown, eased);
    // The kind facet ignores its own filter, so the control can offer the others.
    let fk = app.get("/api/timeline/facets?kind=eased").await.json();
    assert_eq!(fk["total"].as_i64(), Some(eased));
    assert_eq!(fk["kinds"], f["kinds"]);

    let authority = f["authorities"][0][0].as_str().unwrap().to_owned();
    let fa = app
        .get(&format!(
            "/api/timeline/facets?authority={}",
            authority.replace(' ', "%20")
        ))
        .await
        .json();
    assert_eq!(fa["total"], f["authorities"][0][1]);
}

#[sqlx::test(migrations = "../migrations")]
async fn search_covers_quotes_in_danish_and_english_forms(pool: PgPool) {
    let app = spawn_app_with_demo(pool).await;
    let titles = |v: Value| -> Vec<String> {
        v["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["title"].as_str().unwrap().to_owned())
            .collect()
    };
    // "Osaka" is only in a title; "rådgiver" only in a Danish quote.
    assert_eq!(titles(app.get("/api/events?q=osaka").await.json()).len(), 1);
    let adviser = titles(app.get("/api/events?q=r%C3%A5dgiver").await.json());
    assert_eq!(
        adviser,
        ["White House: only widely available products may be sold to Huawei"]
    );
    // Danish stemming: "sanktion" finds the quote with "sanktioner".
    let danish = titles(app.get("/api/events?q=sanktion").await.json());
    assert!(
        danish.contains(&"Huawei added to the US Entity List".to_owned()),
        "{danish:?}"
    );
    // English stemming: "licences" finds "licence".
    let english = titles(app.get("/api/events?q=licences").await.json());
    assert!(
        english
            .iter()
            .any(|t| t.starts_with("90-day Temporary General License")),
        "{english:?}"
    );
    // Huawei is found across titles, summaries and quotes.
    let huawei = titles(app.get("/api/events?q=huawei").await.json());
    assert!(huawei.len() >= 9, "{huawei:?}");
}

/// The rollups answer unfiltered windows and facets, and windows filtered by kind alone or
/// by actor alone; scanning the events answers the rest. On whole months, where both rank
/// lanes over the same days, they must agree exactly, and keep agreeing after events are
/// re-kinded, withdrawn and deleted.
#[sqlx::test(migrations = "../migrations")]
async fn rolled_up_counts_match_counting_every_event(pool: PgPool) {
    use app::db::timeline::{
        counted_buckets, rolled_up_facets, scanned_buckets, scanned_facets, Rollup,
    };
    use app::domain::timeline::{BucketUnit, Lanes, TimelineQuery};
    use app::domain::{EventFilter, EventKind};
    use chrono::NaiveDate;

    server::synthetic::generate(&pool, 4000, 11).await.unwrap();
    let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let windows = [
        ("1999-01-01", "2027-12-31"),
        // Buckets of years, cut mid-month at both ends: the months the rollup sums into
        // each year start in February.
        ("1990-02-17", "2027-11-09"),
        ("2015-01-01", "2024-12-31"),
        ("2023-01-01", "2023-12-31"),
        ("2024-03-01", "2024-03-31"),
    ];
    // Actors as a reader types them: any case, in any role.
    let actors: Vec<String> = sqlx::query_scalar(
        "SELECT upper(lane) FROM event_lane_totals WHERE lanes IN ('authority', 'target')
           AND lane NOT IN ('', '(none)') ORDER BY n DESC, lane LIMIT 3",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(actors.len(), 3);
    let mut filters = vec![EventFilter::default()];
    filters.extend(EventKind::ALL.iter().map(|&kind| EventFilter {
        kind: Some(kind),
        ..Default::default()
    }));
    filters.extend(actors.iter().map(|a| EventFilter {
        actor: Some(a.clone()),
        ..Default::default()
    }));
    let compare = |pool: PgPool| {
        let (filters, busiest) = (filters.clone(), actors[0].clone());
        async move {
            let mut counted_windows = 0;
            for (start, end) in windows {
                for lanes in Lanes::ALL {
                    for filter in &filters {
                        let q = TimelineQuery {
                            start: day(start),
                            end: day(end),
                            lanes,
                            as_recorded: None,
                            filter: filter.clone(),
                        };
                        let Some(rollup) = Rollup::for_query(&q) else {
                            // Only an actor drawn in lanes is left to the scan, and steps
                            // (counted from their own table) to theirs.
                            assert!(
                                lanes == Lanes::Lifecycle
                                    || (filter.actor.is_some() && lanes != Lanes::None),
                                "{q:?}"
                            );
                            continue;
                        };
                        let unit = BucketUnit::for_span(q.span_days());
                        let counted = counted_buckets(&pool, &q, unit, rollup).await.unwrap();
                        let scanned = scanned_buckets(&pool, &q, unit).await.unwrap();
                        assert_eq!(counted, scanned, "{start}..{end} by {lanes:?}, {filter:?}");
                        if filter.is_empty() {
                            assert!(!counted.buckets.is_empty(), "{start}..{end} by {lanes:?}");
                        }
                        counted_windows += 1;
                    }
                }
            }
            assert!(counted_windows >= 4 * (4 + 4 * EventKind::ALL.len() + 3));
            // Two filters at once are scanned.
            let both = TimelineQuery {
                start: day("2023-01-01"),
                end: day("2023-12-31"),
                lanes: Lanes::None,
                as_recorded: None,
                filter: EventFilter {
                    kind: Some(EventKind::Eased),
                    actor: Some(busiest),
                    ..Default::default()
                },
            };
            assert_eq!(Rollup::for_query(&both), None);
            // The unfiltered facets (the first view of `/`) come from the same rollups.
            let rolled_up = rolled_up_facets(&pool).await.unwrap();
            let scanned = scanned_facets(&pool, &Default::default()).await.unwrap();
            assert!(rolled_up.total > 0 && rolled_up.targets.len() == 30);
            assert_eq!(rolled_up, scanned);
        }
    };
    compare(pool.clone()).await;

    for edit in [
        "UPDATE events SET kind = 'lifted' WHERE id % 7 = 0",
        "UPDATE events SET status = 'draft' WHERE id % 11 = 0",
        "DELETE FROM event_relations WHERE from_event_id % 13 = 0 OR to_event_id % 13 = 0",
        "DELETE FROM citations WHERE event_id % 13 = 0",
        "DELETE FROM event_actors WHERE event_id % 13 = 0",
        "DELETE FROM events WHERE id % 13 = 0",
        // A day-precise date corrected to its month, and a month to its year.
        "UPDATE events SET precision = 'month', starts_on = date_trunc('month', starts_on)
         WHERE id % 17 = 0 AND precision = 'day'",
        "UPDATE events SET precision = 'year', starts_on = date_trunc('year', starts_on)
         WHERE id % 19 = 0 AND precision = 'month'",
    ] {
        sqlx::query(edit).execute(&pool).await.unwrap();
    }
    compare(pool).await;
}

/// A histogram finer than a month or a year does not pile the events known only to that
/// month or year onto its first day: they are counted apart, per period, including a
/// period that began before the window and overlaps it; the rollups and the scan agree.
#[sqlx::test(migrations = "../migrations")]
async fn events_known_to_a_month_or_year_are_counted_over_it_not_on_its_first_day(pool: PgPool) {
    use app::db::timeline::{buckets, scanned_buckets};
    use app::domain::timeline::{BucketUnit, Lanes, TimelineQuery};
    use app::domain::DatePrecision;
    use chrono::NaiveDate;

    server::synthetic::generate(&pool, 4000, 7).await.unwrap();
    let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let day_precise_between = |from: &'static str, to: &'static str| {
        let pool = pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>(
                "SELECT count(*) FROM events WHERE status = 'published' AND precision = 'day'
                   AND starts_on BETWEEN $1 AND $2",
            )
            .bind(day(from))
            .bind(day(to))
            .fetch_one(&pool)
            .await
            .unwrap()
        }
    };
    let year = TimelineQuery {
        start: day("2019-01-01"),
        end: day("2019-12-31"),
        lanes: Lanes::None,
        as_recorded: None,
        filter: Default::default(),
    };
    // Counted from the rollups, and the same by scanning the events.
    let counted = |q: TimelineQuery, unit: BucketUnit| {
        let pool = pool.clone();
        async move {
            let counted = buckets(&pool, &q, unit).await.unwrap();
            assert_eq!(counted, scanned_buckets(&pool, &q, unit).await.unwrap());
            counted
        }
    };
    let weeks = counted(year, BucketUnit::Week).await;
    // The week of 1 January (from Monday 31 December) holds only its days' events.
    let first_week: i64 = weeks
        .buckets
        .iter()
        .filter(|b| b.start == day("2018-12-31"))
        .map(|b| b.count)
        .sum();
    assert_eq!(
        first_week,
        day_precise_between("2019-01-01", "2019-01-06").await
    );
    // The year and its months (those with any event), each with as many events as are
    // dated to it.
    assert!(weeks.periods.len() >= 10, "{:?}", weeks.periods);
    assert!(weeks
        .periods
        .iter()
        .any(|p| p.precision == DatePrecision::Year));
    for p in &weeks.periods {
        let dated_to_it: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM events WHERE status = 'published'
               AND precision = $1 AND starts_on = $2",
        )
        .bind(p.precision.as_str())
        .bind(p.start)
        .fetch_one(&pool)
        .await
        .unwrap();
        assert!(p.count > 0 && p.count == dated_to_it, "{p:?}");
    }
    let in_buckets: i64 = weeks.buckets.iter().map(|b| b.count).sum();
    assert_eq!(
        in_buckets,
        day_precise_between("2019-01-01", "2019-12-31").await
    );

    // A window from mid-March in days: "sometime in 2019" and "sometime in March 2019"
    // began before it and still overlap it.
    let spring = TimelineQuery {
        start: day("2019-03-10"),
        end: day("2019-05-31"),
        lanes: Lanes::None,
        as_recorded: None,
        filter: Default::default(),
    };
    let days = counted(spring.clone(), BucketUnit::Day).await;
    let has = |start: &str, precision: DatePrecision| {
        days.periods
            .iter()
            .any(|p| p.start == day(start) && p.precision == precision)
    };
    assert!(has("2019-01-01", DatePrecision::Year));
    assert!(has("2019-03-01", DatePrecision::Month));
    assert!(!has("2019-02-01", DatePrecision::Month));
    assert!(days.buckets.iter().all(|b| b.start >= spring.start));
}

/// Windows that do not start or end on a month boundary: the part months at the edges
/// are counted from the events, so nothing is counted twice or lost.
#[sqlx::test(migrations = "../migrations")]
async fn buckets_of_a_window_cut_mid_month_add_up(pool: PgPool) {
    server::synthetic::generate(&pool, 6000, 5).await.unwrap();
    let app = spawn_app(pool).await;
    for (start, end, lanes, unit) in [
        ("2011-02-17", "2019-11-03", "none", "month"),
        ("2003-06-30", "2021-01-01", "authority", "quarter"),
        ("2005-05-02", "2014-04-29", "target", "month"),
        ("2012-05-02", "2014-09-29", "target", "week"),
    ] {
        let window = app
            .get(&format!(
                "/api/timeline?start={start}&end={end}&lanes={lanes}"
            ))
            .await
            .json();
        assert_eq!(window["buckets"]["unit"], unit, "{start}..{end}");
        let events = published_between(&app.pool, start, end).await;
        let total = bucket_total(&window);
        if lanes == "target" {
            // An event counts once per target.
            let memberships: i64 = sqlx::query_scalar(
                "SELECT coalesce(sum(greatest(cardinality(target_names), 1)), 0)::bigint
                 FROM events WHERE status = 'published' AND starts_on BETWEEN $1::date AND $2::date",
            )
            .bind(start)
            .bind(end)
            .fetch_one(&app.pool)
            .await
            .unwrap();
            assert_eq!(total, memberships, "{start}..{end}");
        } else if lanes == "none" {
            assert_eq!(total, events, "{start}..{end}");
        } else {
            assert!(total >= events, "{start}..{end}");
        }
    }
}

/// The lanes by lifecycle step zoomed out read the steps' monthly rollup: its buckets are
/// those counted step by step, for every window and unit, before and after steps are
/// moved, re-dated to their month or year, and their events unpublished or deleted.
#[sqlx::test(migrations = "../migrations")]
async fn the_steps_monthly_rollup_matches_counting_every_step(pool: PgPool) {
    use app::db::timeline::{buckets, scanned_step_buckets};
    use app::domain::timeline::{BucketUnit, Lanes, TimelineQuery};
    use chrono::NaiveDate;

    server::synthetic::generate(&pool, 4000, 13).await.unwrap();
    let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let windows = [
        ("1999-01-01", "2027-12-31"),
        ("2015-03-17", "2024-11-02"),
        ("2023-01-01", "2023-12-31"),
        ("2020-02-10", "2020-09-20"),
        ("2024-03-01", "2024-03-31"),
    ];
    let compare = |pool: PgPool| async move {
        let mut steps = 0;
        for (start, end) in windows {
            let q = TimelineQuery {
                start: day(start),
                end: day(end),
                lanes: Lanes::Lifecycle,
                as_recorded: None,
                filter: Default::default(),
            };
            let unit = BucketUnit::for_span(q.span_days());
            let read = buckets(&pool, &q, unit).await.unwrap();
            let scanned = scanned_step_buckets(&pool, &q, unit).await.unwrap();
            assert_eq!(read, scanned, "{start}..{end} by {unit:?}");
            steps += read.buckets.iter().map(|b| b.count).sum::<i64>();
        }
        assert!(steps > 1000, "the windows hold steps: {steps}");
    };
    compare(pool.clone()).await;
    for edit in [
        "UPDATE events SET status = 'draft' WHERE id % 11 = 0",
        "DELETE FROM events WHERE id % 13 = 0",
        "UPDATE event_steps SET starts_on = starts_on + 40, covers_until = covers_until + 40
         WHERE event_id % 7 = 0",
        "UPDATE event_steps SET precision = 'month', starts_on = date_trunc('month', starts_on),
                covers_until = period_last_day(date_trunc('month', starts_on)::date, 'month')
         WHERE event_id % 17 = 0 AND precision = 'day'",
        "UPDATE event_steps SET precision = 'year', starts_on = date_trunc('year', starts_on),
                covers_until = period_last_day(date_trunc('year', starts_on)::date, 'year')
         WHERE event_id % 19 = 0",
        "DELETE FROM event_steps WHERE event_id % 23 = 0",
    ] {
        sqlx::query(edit).execute(&pool).await.unwrap();
    }
    compare(pool.clone()).await;
    let rolled: i64 = sqlx::query_scalar("SELECT sum(n) FROM event_step_month_counts")
        .fetch_one(&pool)
        .await
        .unwrap();
    let stepped: i64 = sqlx::query_scalar("SELECT count(*) FROM event_steps")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(rolled, stepped);
}

/// Lanes by lifecycle step under a text search draw a window step by step up to 300 of
/// its matching steps, a step known to a year that began before it included, and in
/// buckets from the 301st; a matching event's steps that ended before it do not count.
#[sqlx::test(migrations = "../migrations")]
async fn a_searched_lifecycle_window_is_busy_from_its_301st_step(pool: PgPool) {
    server::synthetic::generate(&pool, 3000, 29).await.unwrap();
    let (start, end) = ("2010-06-15", "2027-12-31");
    // 100 events of three steps, each day-dated inside the window, and one whose steps all
    // ended before it.
    let inside: Vec<i64> = sqlx::query_scalar(
        "SELECT event_id FROM event_steps GROUP BY event_id
         HAVING count(*) = 3 AND min(starts_on) >= $1::date + 1 AND max(starts_on) <= $2::date
            AND bool_and(precision = 'day')
         ORDER BY event_id LIMIT 100",
    )
    .bind(start)
    .bind(end)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(inside.len(), 100);
    let before: i64 = sqlx::query_scalar(
        "SELECT event_id FROM event_steps GROUP BY event_id
         HAVING max(covers_until) < $1::date ORDER BY event_id LIMIT 1",
    )
    .bind(start)
    .fetch_one(&pool)
    .await
    .unwrap();
    let mut tagged = inside.clone();
    tagged.push(before);
    tag_titles(&pool, "quagga", &tagged).await;
    // One step now known only to the year the window begins in.
    sqlx::query(
        "UPDATE event_steps SET precision = 'year', starts_on = date_trunc('year', $2::date),
                covers_until = period_last_day(date_trunc('year', $2::date)::date, 'year')
         WHERE (event_id, step) = (SELECT event_id, step FROM event_steps WHERE event_id = $1
                                   ORDER BY starts_on LIMIT 1)",
    )
    .bind(inside[0])
    .bind(start)
    .execute(&pool)
    .await
    .unwrap();
    let app = spawn_app(pool.clone()).await;
    let url = format!("/api/timeline?start={start}&end={end}&lanes=lifecycle&q=quagga");
    let steps_of = |v: &Value| -> Vec<(i64, String)> {
        let mut pairs: Vec<(i64, String)> = v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                let step = i["step"].as_str().unwrap().to_owned();
                (i["id"].as_i64().unwrap(), step)
            })
            .collect();
        pairs.sort();
        pairs
    };
    let expected: Vec<(i64, String)> = sqlx::query_as(
        "SELECT event_id, step FROM event_steps WHERE event_id = ANY($1) ORDER BY 1, 2",
    )
    .bind(&inside)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(expected.len(), 300);
    let quiet = app.get(&url).await.json();
    assert!(quiet["buckets"].is_null(), "300 steps: drawn one by one");
    assert_eq!(steps_of(&quiet), expected);

    // A fourth step for one of the events: 301.
    let added = sqlx::query(
        "INSERT INTO event_steps (event_id, step, starts_on, precision, covers_until)
         SELECT $1, missing.step, '2020-02-02', 'day', '2020-02-02'
         FROM unnest(ARRAY['announced', 'adopted', 'published', 'effective', 'expires',
                           'lifted']) AS missing(step)
         WHERE NOT EXISTS (SELECT 1 FROM event_steps s
                           WHERE s.event_id = $1 AND s.step = missing.step)
         LIMIT 1",
    )
    .bind(inside[1])
    .execute(&pool)
    .await
    .unwrap()
    .rows_affected();
    assert_eq!(added, 1);
    let busy = app.get(&format!("{url}&fresh=1")).await.json();
    assert!(!busy["buckets"].is_null(), "301 steps: in buckets");
    assert_eq!(busy["items"].as_array().unwrap().len(), 40);
    let counted: i64 = ["buckets", "periods"]
        .iter()
        .flat_map(|k| busy["buckets"][k].as_array().unwrap())
        .map(|b| b["count"].as_i64().unwrap())
        .sum();
    assert_eq!(counted, 301);
}

/// Lanes by lifecycle step under a text search show the same steps however they are
/// found: from the window's first steps by date and the record's most prominent events
/// (a word most events hold), or from all the window's matching steps (a word only in
/// little-known events late in the record, which the steps and events tried first hold
/// too few of). Checked against the steps picked in plain SQL.
#[sqlx::test(migrations = "../migrations")]
async fn a_searched_lifecycle_window_finds_its_steps_however_rare_the_word(pool: PgPool) {
    use app::db::timeline::{window, EVENTS_TRIED, STEPS_TRIED};
    use app::domain::timeline::{Lanes, TimelineQuery, MAX_WINDOW_EVENTS, TOP_EVENTS};
    use app::domain::EventFilter;
    use chrono::NaiveDate;

    server::synthetic::generate(&pool, 12_000, 17)
        .await
        .unwrap();
    // Events with steps, beginning after all but the record's last 2,200 steps and not
    // among the most prominent: "zebra" in enough of them to make the whole record busy,
    // "yak" in a few.
    let late: Vec<i64> = sqlx::query_scalar(
        "SELECT e.id FROM events e
         WHERE e.status = 'published' AND e.starts_on > (
                 SELECT starts_on FROM event_steps ORDER BY starts_on DESC LIMIT 1 OFFSET 2200)
           AND EXISTS (SELECT 1 FROM event_steps s WHERE s.event_id = e.id)
           AND e.id NOT IN (SELECT id FROM events WHERE status = 'published'
                            ORDER BY prominence DESC, starts_on, id LIMIT $1)
         ORDER BY e.prominence, e.id LIMIT 440",
    )
    .bind(EVENTS_TRIED)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(late.len(), 440);
    tag_titles(&pool, "zebra", &late[..400]).await;
    tag_titles(&pool, "yak", &late[400..]).await;
    let (start, end) = ("1999-01-01", "2027-12-31");
    let window_steps: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM event_steps WHERE starts_on <= $2::date AND covers_until >= $1::date",
    )
    .bind(start)
    .bind(end)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(window_steps > STEPS_TRIED, "{window_steps} steps");

    // (event, step) pairs as the timeline shows them, and as SQL picks them.
    let shown = |pool: PgPool, word: &'static str| async move {
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let q = TimelineQuery {
            start: day(start),
            end: day(end),
            lanes: Lanes::Lifecycle,
            as_recorded: None,
            filter: EventFilter {
                q: Some(word.to_owned()),
                ..Default::default()
            },
        };
        let w = window(&pool, &q).await.unwrap();
        let mut pairs: Vec<(i64, String)> = w
            .items
            .iter()
            .map(|i| (i.id.0, i.step.unwrap().as_str().to_owned()))
            .collect();
        pairs.sort();
        // How many steps its buckets count, when busy.
        let counted = w.buckets.map(|b| {
            let periods: i64 = b.periods.iter().map(|p| p.count).sum();
            b.buckets.iter().map(|b| b.count).sum::<i64>() + periods
        });
        (counted, pairs)
    };
    let picked = |order: &'static str, limit: i64, word: &'static str| {
        let pool = pool.clone();
        async move {
            let mut pairs: Vec<(i64, String)> = sqlx::query_as(&format!(
                "SELECT e.id, s.step FROM events e JOIN event_steps s ON s.event_id = e.id
                 WHERE e.status = 'published' AND e.search @@ event_search_query($3)
                   AND s.starts_on <= $2::date AND s.covers_until >= $1::date
                 ORDER BY {order} LIMIT $4"
            ))
            .bind(start)
            .bind(end)
            .bind(word)
            .bind(limit)
            .fetch_all(&pool)
            .await
            .unwrap();
            pairs.sort();
            pairs
        }
    };
    let most_prominent = "e.prominence DESC, e.starts_on, e.id, s.step";
    let by_date = "s.starts_on, e.id, s.step";

    // What is tried first holds too few of "zebra", so both fallbacks are taken.
    let tried_by_date: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM (SELECT event_id FROM event_steps
             WHERE starts_on <= $2::date AND covers_until >= $1::date
             ORDER BY starts_on, event_id, step LIMIT $3) s
         JOIN events e ON e.id = s.event_id WHERE e.title LIKE '%zebra'",
    )
    .bind(start)
    .bind(end)
    .bind(STEPS_TRIED)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(
        tried_by_date < MAX_WINDOW_EVENTS as i64 + 1,
        "{tried_by_date}"
    );
    let tried_prominent: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM (SELECT id FROM events WHERE status = 'published'
             ORDER BY prominence DESC, starts_on, id LIMIT $3) t
         JOIN events e USING (id) JOIN event_steps s ON s.event_id = e.id
         WHERE e.title LIKE '%zebra' AND s.starts_on <= $2::date AND s.covers_until >= $1::date",
    )
    .bind(start)
    .bind(end)
    .bind(EVENTS_TRIED)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(tried_prominent < TOP_EVENTS, "{tried_prominent}");

    let (busy, zebra) = shown(pool.clone(), "zebra").await;
    assert!(
        busy.is_some(),
        "400 events' steps make the whole record busy"
    );
    assert_eq!(zebra, picked(most_prominent, TOP_EVENTS, "zebra").await);

    let (busy, yak) = shown(pool.clone(), "yak").await;
    assert!(busy.is_none());
    let every_yak = picked(by_date, 1000, "yak").await;
    assert!(every_yak.len() >= 40, "{}", every_yak.len());
    assert_eq!(yak, every_yak);

    // A word in 250 or so of the first 4,000 steps by date, which say about 400 in all:
    // counted first. Held by those alone, the window is quiet after all.
    let first_steps: Vec<i64> = sqlx::query_scalar(
        "SELECT s.event_id FROM event_steps s JOIN events e ON e.id = s.event_id
         WHERE e.status = 'published' GROUP BY s.event_id
         HAVING max(s.starts_on) < (SELECT starts_on FROM event_steps
                                    ORDER BY starts_on, event_id, step OFFSET $1 LIMIT 1)
            AND count(*) = 3
         ORDER BY s.event_id LIMIT 85",
    )
    .bind(STEPS_TRIED)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(first_steps.len(), 85);
    assert!(
        window_steps * 3 * 85 > (MAX_WINDOW_EVENTS as i64 + 20) * STEPS_TRIED,
        "{window_steps} steps: too few for the tried share to say busy"
    );
    tag_titles(&pool, "gnu", &first_steps).await;
    let (busy, gnu) = shown(pool.clone(), "gnu").await;
    assert!(busy.is_none(), "255 steps");
    assert_eq!(gnu, picked(by_date, 1000, "gnu").await);
    assert_eq!(gnu.len(), 255);
    // And in the steps of 30 late events: busy, its buckets those counted.
    tag_titles(&pool, "gnu", &late[..30]).await;
    let every_gnu = picked(by_date, 10_000, "gnu").await;
    assert!(every_gnu.len() > MAX_WINDOW_EVENTS, "{}", every_gnu.len());
    let (counted, gnu) = shown(pool.clone(), "gnu").await;
    assert_eq!(counted, Some(every_gnu.len() as i64));
    assert_eq!(gnu, picked(most_prominent, TOP_EVENTS, "gnu").await);

    // A word most events hold: answered from what is tried first.
    let (busy, sanctions) = shown(pool.clone(), "sanctions").await;
    assert!(busy.is_some());
    assert_eq!(
        sanctions,
        picked(most_prominent, TOP_EVENTS, "sanctions").await
    );
}

/// A step an editor gives a published event later is found by a search in lanes by
/// lifecycle step, wherever the window's steps are searched from: here the window holds
/// more steps than are tried by date before the new one, so its matches are gathered from
/// the events marked as having steps (the mark is the database's, set as the step is
/// written).
#[sqlx::test(migrations = "../migrations")]
async fn a_step_added_to_a_published_event_is_found_by_a_search_by_step(pool: PgPool) {
    use crate::support::{desk, event_edit, Desk};
    use app::db::timeline::STEPS_TRIED;

    server::synthetic::generate(&pool, 12_000, 17)
        .await
        .unwrap();
    let (start, end, effective) = ("1999-01-01", "2027-12-31", "2026-06-03");
    let before: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM event_steps
         WHERE starts_on < $2::date AND covers_until >= $1::date",
    )
    .bind(start)
    .bind(effective)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(before > STEPS_TRIED, "{before} steps before it");

    let desk = desk(pool.clone()).await;
    let Desk {
        ref app,
        editor: (ref cookie, ref csrf),
        admin: (ref admin_cookie, ref admin_csrf),
        event: id,
        ..
    } = desk;
    let shown = |fresh: u8| {
        let url =
            format!("/api/timeline?start={start}&end={end}&lanes=lifecycle&q=okapi&fresh={fresh}");
        async move {
            let v = app.get(&url).await.json();
            assert!(v["buckets"].is_null(), "{v}");
            v["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| {
                    (
                        i["id"].as_i64().unwrap(),
                        i["step"].as_str().unwrap().to_owned(),
                    )
                })
                .collect::<Vec<_>>()
        }
    };
    let retitled = event_edit(csrf, id, 1, "Okapi exports listed");
    let (status, outcome) = app.call("update_event", Some(cookie), &retitled).await;
    assert_eq!(status, StatusCode::OK, "{outcome}");
    assert_eq!(outcome["Saved"]["version"], 2, "{outcome}");
    desk.set_status(2, "published").await;
    assert_eq!(shown(1).await, vec![], "no steps yet");

    let dated = event_edit(admin_csrf, id, 3, "Okapi exports listed")
        .field("form[effective_on]", effective);
    let (status, outcome) = app.call("update_event", Some(admin_cookie), &dated).await;
    assert_eq!(status, StatusCode::OK, "{outcome}");
    assert_eq!(outcome["Saved"]["version"], 4, "{outcome}");
    assert_eq!(shown(2).await, vec![(id, "effective".to_owned())]);
}

/// A busy window in lanes by lifecycle step shows the steps of its most prominent events,
/// whether they are picked from the window's own steps (its months hold few: a step known
/// only to a year that began before the window among them) or found by walking the events
/// by prominence (the whole record): the very steps SQL picks, with a kind too.
#[sqlx::test(migrations = "../migrations")]
async fn a_busy_window_by_step_shows_its_most_prominent_events_steps(pool: PgPool) {
    use app::db::timeline::{window, STEPS_PICKED_FROM};
    use app::domain::timeline::{Lanes, TimelineQuery};
    use app::domain::{EventFilter, EventKind};
    use chrono::NaiveDate;

    server::synthetic::generate(&pool, 6000, 29).await.unwrap();
    // Steps of 2016 known only to their year: it begins before the window.
    sqlx::query(
        "UPDATE event_steps SET precision = 'year', starts_on = date_trunc('year', starts_on),
                covers_until = period_last_day(date_trunc('year', starts_on)::date, 'year')
         WHERE starts_on >= '2016-01-01' AND starts_on < '2017-01-01'",
    )
    .execute(&pool)
    .await
    .unwrap();
    let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let cases = [
        ("1999-01-01", "2027-12-31", None),
        ("2016-07-01", "2021-06-30", None),
        ("2016-07-01", "2021-06-30", Some(EventKind::Imposed)),
    ];
    let mut picked_from_steps = 0;
    for (start, end, kind) in cases {
        let in_months: i64 = sqlx::query_scalar(
            "SELECT sum(n)::bigint FROM event_step_month_counts
             WHERE month >= date_trunc('month', $1::date) AND month <= $2::date",
        )
        .bind(start)
        .bind(end)
        .fetch_one(&pool)
        .await
        .unwrap();
        picked_from_steps += i64::from(in_months <= STEPS_PICKED_FROM);
        let q = TimelineQuery {
            start: day(start),
            end: day(end),
            lanes: Lanes::Lifecycle,
            as_recorded: None,
            filter: EventFilter {
                kind,
                ..Default::default()
            },
        };
        let w = window(&pool, &q).await.unwrap();
        assert!(w.buckets.is_some(), "{start}..{end} {kind:?}: busy");
        let mut shown: Vec<(i64, String)> = w
            .items
            .iter()
            .map(|i| (i.id.0, i.step.unwrap().as_str().to_owned()))
            .collect();
        shown.sort();
        let mut expected: Vec<(i64, String)> = sqlx::query_as(
            "SELECT e.id, s.step FROM events e JOIN event_steps s ON s.event_id = e.id
             WHERE e.status = 'published' AND ($3::text IS NULL OR e.kind = $3)
               AND s.starts_on <= $2::date AND s.covers_until >= $1::date
             ORDER BY e.prominence DESC, e.starts_on, e.id, s.step LIMIT 40",
        )
        .bind(start)
        .bind(end)
        .bind(kind.map(EventKind::as_str))
        .fetch_all(&pool)
        .await
        .unwrap();
        expected.sort();
        assert_eq!(
            shown, expected,
            "{start}..{end} {kind:?} ({in_months} steps)"
        );
        let before: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM event_steps WHERE starts_on < $1::date
               AND covers_until >= $1::date AND event_id = ANY($2)",
        )
        .bind(start)
        .bind(shown.iter().map(|(id, _)| *id).collect::<Vec<_>>())
        .fetch_one(&pool)
        .await
        .unwrap();
        if start == "2016-07-01" && kind.is_none() {
            assert!(before > 0, "a step of 2016 among the shown");
        }
    }
    assert_eq!(picked_from_steps, 2, "both ways taken");
}

/// A one-word search over a wide window is counted from the word rollups, kept by
/// triggers on `events`: its buckets, by month or week, by kind or not, with or without a
/// kind filter, whole months or weeks or cut mid-month or mid-week at either end, with
/// events known only to the month or
/// year overlapping its start, are those its matches give, before and after editors'
/// kinds of edits (a word added to titles, a kind changed, a draft, a deletion, a date
/// made less precise), a word whose forms part ("sanctions": 'sanctions' | 'sanction',
/// some events holding one and not the other) included; the events holding a word only
/// as a stem (by which such a search skips reading its other forms' matches when there are
/// none) are counted as afresh. A search of several words, a negation or a phrase, is left
/// to its matches.
#[sqlx::test(migrations = "../migrations")]
async fn a_one_word_search_is_counted_from_the_word_rollups_as_its_matches_are(pool: PgPool) {
    use app::db::timeline::searched_counts;
    use app::domain::timeline::{Lanes, TimelineQuery};
    use app::domain::{EventFilter, EventKind};
    use chrono::NaiveDate;

    server::synthetic::generate(&pool, 4000, 41).await.unwrap();
    let tagged: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM events WHERE id % 5 = 0 ORDER BY id LIMIT 500")
            .fetch_all(&pool)
            .await
            .unwrap();
    tag_titles(&pool, "wombat", &tagged).await;
    tag_parted_forms(&pool, false).await;
    // Known only to their month and to their year, just before a window's cut start.
    sqlx::query(
        "UPDATE events SET precision = 'month', starts_on = '2003-03-01',
                ends_on = NULL, end_precision = NULL, covers_until = '2003-03-31'
         WHERE id IN (SELECT id FROM events WHERE id % 5 = 0 ORDER BY id LIMIT 4)",
    )
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query(
        "UPDATE events SET precision = 'year', starts_on = '2003-01-01',
                ends_on = NULL, end_precision = NULL, covers_until = '2003-12-31'
         WHERE id IN (SELECT id FROM events WHERE id % 5 = 0 ORDER BY id OFFSET 4 LIMIT 3)",
    )
    .execute(&pool)
    .await
    .unwrap();
    // On the days of a window's cut weeks outside it.
    for (offset, on) in [(7, "2003-03-11"), (9, "2004-09-16")] {
        sqlx::query(
            "UPDATE events SET precision = 'day', starts_on = $2::date, ends_on = NULL,
                    end_precision = NULL, covers_until = $2::date
             WHERE id IN (SELECT id FROM events WHERE id % 5 = 0 ORDER BY id OFFSET $1 LIMIT 2)",
        )
        .bind(offset)
        .bind(on)
        .execute(&pool)
        .await
        .unwrap();
    }
    let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let windows = [
        ("1999-01-01", "2026-12-31"),
        // Buckets of years, the first of them cut.
        ("1988-03-17", "2026-12-31"),
        ("2003-03-17", "2019-11-05"),
        ("2003-04-01", "2012-06-14"),
        ("2005-01-20", "2010-12-31"),
        // In weeks: cut mid-week at both ends, and whole weeks (Monday to Sunday).
        ("2003-03-12", "2004-09-15"),
        ("2010-01-04", "2012-06-24"),
    ];
    let compare = |pool: PgPool| async move {
        let mut by_word = 0;
        for &word in WORDS_OF_PARTED_FORMS
            .iter()
            .chain(&["wombat", "Huawei", "zte", "iran", "økonomi"])
        {
            for (start, end) in windows {
                for lanes in [Lanes::None, Lanes::Kind] {
                    for kind in [None, Some(EventKind::Imposed)] {
                        let q = TimelineQuery {
                            start: day(start),
                            end: day(end),
                            lanes,
                            as_recorded: None,
                            filter: EventFilter {
                                q: Some(word.into()),
                                kind,
                                ..Default::default()
                            },
                        };
                        let rolled = searched_counts(&pool, &q, true).await.unwrap();
                        let matched = searched_counts(&pool, &q, false).await.unwrap();
                        assert!(rolled.is_some(), "{word} {start}..{end}");
                        assert_eq!(rolled, matched, "{word} {start}..{end} {lanes:?} {kind:?}");
                        by_word += 1;
                    }
                }
            }
        }
        // Wombats are in about one event in forty: the counts are not empty.
        let whole = TimelineQuery {
            start: day("1999-01-01"),
            end: day("2026-12-31"),
            lanes: Lanes::None,
            as_recorded: None,
            filter: EventFilter {
                q: Some("wombat".into()),
                ..Default::default()
            },
        };
        let (counts, inside) = searched_counts(&pool, &whole, true).await.unwrap().unwrap();
        let matches: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM events WHERE status = 'published'
               AND search @@ event_search_query('wombat')",
        )
        .fetch_one(&pool)
        .await
        .unwrap();
        assert!(matches > 300, "{matches}");
        assert_eq!(inside, matches);
        let total: i64 = counts.buckets.iter().map(|b| b.count).sum::<i64>()
            + counts.periods.iter().map(|p| p.count).sum::<i64>();
        assert_eq!(total, matches);
        // Left to the matches: two words, a word and a negated one, a phrase.
        for several in ["wombat huawei", "wombat -huawei", "\"eases sanctions\""] {
            let q = TimelineQuery {
                filter: EventFilter {
                    q: Some(several.into()),
                    ..Default::default()
                },
                ..whole.clone()
            };
            assert_eq!(
                searched_counts(&pool, &q, true).await.unwrap(),
                None,
                "{several}"
            );
        }
        by_word
    };
    assert_eq!(compare(pool.clone()).await, 8 * 7 * 2 * 2);

    let more: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM events WHERE id % 7 = 3 ORDER BY id LIMIT 200")
            .fetch_all(&pool)
            .await
            .unwrap();
    tag_titles(&pool, "wombat", &more).await;
    for edit in [
        "UPDATE events SET kind = 'imposed' WHERE id % 7 = 0",
        "UPDATE events SET status = 'draft' WHERE id % 11 = 0",
        "DELETE FROM events WHERE id % 13 = 0",
        "UPDATE events SET precision = 'month', starts_on = date_trunc('month', starts_on)
         WHERE id % 17 = 0 AND precision = 'day'",
        "UPDATE events SET precision = 'year', starts_on = date_trunc('year', starts_on)
         WHERE id % 19 = 0 AND precision = 'month'",
    ] {
        sqlx::query(edit).execute(&pool).await.unwrap();
    }
    assert_stem_only_counted(&pool).await;
    assert_eq!(compare(pool).await, 8 * 7 * 2 * 2);
}

/// Lanes by lifecycle step under a one-word search count the steps from the word rollup
/// (`event_word_step_months`) as counting the matching steps one by one does, for every
/// window and unit of a month or more, a word whose forms part included, before and after
/// events change words, status or existence and steps move, change precision or go; and
/// the rollup is what counting it afresh from the events and their steps gives.
#[sqlx::test(migrations = "../migrations")]
async fn a_one_word_search_by_step_is_counted_from_the_word_rollup_as_its_steps_are(pool: PgPool) {
    use app::db::timeline::{scanned_step_buckets, word_step_buckets};
    use app::domain::timeline::{BucketUnit, Lanes, TimelineQuery};
    use app::domain::EventFilter;
    use chrono::NaiveDate;

    server::synthetic::generate(&pool, 4000, 43).await.unwrap();
    let with_steps: Vec<i64> = sqlx::query_scalar(
        "SELECT DISTINCT event_id FROM event_steps WHERE event_id % 3 = 0 ORDER BY 1 LIMIT 300",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    tag_titles(&pool, "wombat", &with_steps).await;
    tag_parted_forms(&pool, true).await;
    // Steps known only to their month and to their year, just before a window's cut start.
    sqlx::query(
        "UPDATE event_steps SET precision = 'month', starts_on = '2003-03-01',
                covers_until = '2003-03-31'
         WHERE event_id = ANY($1) AND event_id % 4 = 0",
    )
    .bind(&with_steps[..40])
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query(
        "UPDATE event_steps SET precision = 'year', starts_on = '2003-01-01',
                covers_until = '2003-12-31'
         WHERE event_id = ANY($1) AND event_id % 4 = 1",
    )
    .bind(&with_steps[..40])
    .execute(&pool)
    .await
    .unwrap();
    let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let windows = [
        ("1999-01-01", "2026-12-31"),
        // Buckets of years, the first of them cut.
        ("1988-03-17", "2026-12-31"),
        ("2003-03-17", "2019-11-05"),
        ("2003-04-01", "2012-06-14"),
        ("2005-01-20", "2010-12-31"),
        ("2003-02-10", "2008-01-15"),
        ("1990-06-10", "2026-12-31"),
    ];
    let compare = |pool: PgPool| async move {
        let mut steps = 0;
        for &word in WORDS_OF_PARTED_FORMS
            .iter()
            .chain(&["wombat", "Huawei", "zte", "iran"])
        {
            for (start, end) in windows {
                let q = TimelineQuery {
                    start: day(start),
                    end: day(end),
                    lanes: Lanes::Lifecycle,
                    as_recorded: None,
                    filter: EventFilter {
                        q: Some(word.into()),
                        ..Default::default()
                    },
                };
                let unit = BucketUnit::for_span(q.span_days());
                let rolled = word_step_buckets(&pool, &q, unit).await.unwrap();
                let scanned = scanned_step_buckets(&pool, &q, unit).await.unwrap();
                assert_eq!(rolled.as_ref(), Some(&scanned), "{word} {start}..{end}");
                steps += scanned.buckets.iter().map(|b| b.count).sum::<i64>();
            }
        }
        assert!(steps > 1000, "the windows hold matching steps: {steps}");
        assert_eq!(word_step_drift(&pool).await, 0);
    };
    compare(pool.clone()).await;

    // Several words, a phrase, a kind, and finer buckets are left to the steps.
    let whole = |text: &str| TimelineQuery {
        start: day("1999-01-01"),
        end: day("2026-12-31"),
        lanes: Lanes::Lifecycle,
        as_recorded: None,
        filter: EventFilter {
            q: Some(text.into()),
            ..Default::default()
        },
    };
    for several in ["wombat huawei", "wombat -huawei", "\"eases sanctions\""] {
        let q = whole(several);
        let unit = BucketUnit::for_span(q.span_days());
        assert_eq!(word_step_buckets(&pool, &q, unit).await.unwrap(), None);
    }
    let mut of_kind = whole("wombat");
    of_kind.filter.kind = Some(app::domain::EventKind::Imposed);
    assert_eq!(
        word_step_buckets(&pool, &of_kind, BucketUnit::Year)
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        word_step_buckets(&pool, &whole("wombat"), BucketUnit::Week)
            .await
            .unwrap(),
        None
    );

    let more: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM events WHERE id % 7 = 3 ORDER BY id LIMIT 200")
            .fetch_all(&pool)
            .await
            .unwrap();
    tag_titles(&pool, "wombat", &more).await;
    for edit in [
        "UPDATE events SET status = 'draft' WHERE id % 11 = 0",
        "UPDATE events SET status = 'published' WHERE id % 22 = 0",
        "DELETE FROM events WHERE id % 13 = 0",
        "UPDATE event_steps SET starts_on = starts_on + 40, covers_until = covers_until + 40
         WHERE event_id % 5 = 0",
        "UPDATE event_steps SET precision = 'year', starts_on = date_trunc('year', starts_on),
                covers_until = period_last_day(date_trunc('year', starts_on)::date, 'year')
         WHERE event_id % 19 = 0",
        "DELETE FROM event_steps WHERE event_id % 23 = 0",
        "INSERT INTO event_steps (event_id, step, starts_on, precision, covers_until)
         SELECT id, 'lifted', starts_on + 500, 'day', starts_on + 500 FROM events
         WHERE id % 29 = 0 ON CONFLICT DO NOTHING",
    ] {
        sqlx::query(edit).execute(&pool).await.unwrap();
    }
    // A word taken away from some events' text.
    let untagged: Vec<i64> = with_steps
        .iter()
        .copied()
        .filter(|id| id % 2 == 0)
        .collect();
    sqlx::query("UPDATE events SET title = replace(title, ' wombat', '') WHERE id = ANY($1)")
        .bind(&untagged)
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("SELECT refresh_event_derived($1)")
        .bind(&untagged)
        .execute(&pool)
        .await
        .unwrap();
    compare(pool).await;
}

/// How many rows of the word rollup of steps differ from counting it afresh from the
/// events and their steps (rows of zero aside).
async fn word_step_drift(pool: &PgPool) -> i64 {
    sqlx::query_scalar(
        "WITH afresh AS (
           SELECT w.lexeme AS word, date_trunc('month', s.starts_on::timestamp)::date AS month,
                  s.precision, s.step, count(*)::int AS n
           FROM events e JOIN event_steps s ON s.event_id = e.id, unnest(e.search) AS w
           WHERE e.status = 'published' GROUP BY 1, 2, 3, 4
         ), kept AS (
           SELECT word, month, precision, step, n FROM event_word_step_months WHERE n <> 0
         )
         SELECT count(*) FROM ((SELECT * FROM afresh EXCEPT SELECT * FROM kept)
                               UNION ALL (SELECT * FROM kept EXCEPT SELECT * FROM afresh)) d",
    )
    .fetch_one(pool)
    .await
    .unwrap()
}

/// An editor changing an event's words while another writes one of its steps, in either
/// order, leaves the step counted under the words the event ends with.
#[sqlx::test(migrations = "../migrations")]
async fn a_step_written_while_its_events_words_change_is_counted_under_the_new_words(pool: PgPool) {
    server::synthetic::generate(&pool, 300, 47).await.unwrap();
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM events WHERE status = 'published' AND NOT EXISTS
           (SELECT 1 FROM event_steps s WHERE s.event_id = events.id AND s.step = 'lifted')
         ORDER BY id LIMIT 2",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let retitle = "UPDATE events SET title = title || ' wombat' WHERE id = $1";
    let add_step = "INSERT INTO event_steps (event_id, step, starts_on, precision, covers_until)
                    VALUES ($1, 'lifted', '2030-05-01', 'day', '2030-05-01')";
    let wait = std::time::Duration::from_millis(300);

    // The words change first, uncommitted; the step's writer waits for them.
    let mut editor = pool.begin().await.unwrap();
    sqlx::query(retitle)
        .bind(ids[0])
        .execute(&mut *editor)
        .await
        .unwrap();
    sqlx::query("SELECT refresh_event_derived(ARRAY[$1::bigint])")
        .bind(ids[0])
        .execute(&mut *editor)
        .await
        .unwrap();
    let writer = tokio::spawn({
        let (pool, id) = (pool.clone(), ids[0]);
        async move { sqlx::query(add_step).bind(id).execute(&pool).await }
    });
    tokio::time::sleep(wait).await;
    editor.commit().await.unwrap();
    writer.await.unwrap().unwrap();
    assert_eq!(
        word_step_drift(&pool).await,
        0,
        "step written after the words"
    );

    // The step first, uncommitted; the editor waits for it.
    let mut writer = pool.begin().await.unwrap();
    sqlx::query(add_step)
        .bind(ids[1])
        .execute(&mut *writer)
        .await
        .unwrap();
    let editor = tokio::spawn({
        let (pool, id) = (pool.clone(), ids[1]);
        async move {
            let mut tx = pool.begin().await?;
            sqlx::query(retitle).bind(id).execute(&mut *tx).await?;
            sqlx::query("SELECT refresh_event_derived(ARRAY[$1::bigint])")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            tx.commit().await
        }
    });
    tokio::time::sleep(wait).await;
    writer.commit().await.unwrap();
    editor.await.unwrap().unwrap();
    assert_eq!(
        word_step_drift(&pool).await,
        0,
        "words changed after the step"
    );
    let counted: Option<i64> = sqlx::query_scalar(
        "SELECT sum(n) FROM event_word_step_months WHERE word = 'wombat' AND step = 'lifted'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(counted, Some(2));
}
