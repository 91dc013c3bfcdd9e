//! "As recorded on K": the published record rebuilt from the revisions as it stood at the
//! end of a past day. An event edited after K shows its old version, one added after K is
//! absent, one loaded without a revision and edited since is counted as not kept; through
//! the API, the timeline page and the permalink. The history is made with the app's own
//! saves, then dated back to 29 June 2019 (a test cannot wait for days to pass).

use crate::support::{
    account_id, add_source, create_event, event_edit, sign_in, spawn_app_with_demo, TestApp, BODY,
    QUOTE,
};
use app::domain::{EventId, EventStatus};
use app::server_fns::record::EventCard;
use axum::http::StatusCode;
use sqlx::PgPool;

const DAY: &str = "2019-06-30";
/// The listing's title after the day.
const RETITLED: &str = "Huawei listed, retitled in December";

async fn publish(pool: &PgPool, id: i64, author: i64) {
    let version: i32 = sqlx::query_scalar("SELECT version FROM events WHERE id = $1")
        .bind(id)
        .fetch_one(pool)
        .await
        .expect("the event's version");
    app::db::events::set_status(
        pool,
        EventId(id),
        version,
        EventStatus::Published,
        author,
        "",
    )
    .await
    .expect("published");
}

/// An editor's save of event `id`, opened at `version`, under a new title.
async fn retitle(app: &TestApp, (cookie, csrf): (&str, &str), id: i64, version: i32, title: &str) {
    let (status, saved) = app
        .call(
            "update_event",
            Some(cookie),
            &event_edit(csrf, id, version, title),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
}

/// Every event and revision so far is dated back to the morning of 29 June 2019.
async fn date_back_everything(pool: &PgPool) {
    for sql in [
        "UPDATE events SET created_at = '2019-06-29 09:00+00', updated_at = '2019-06-29 09:00+00'",
        "UPDATE revisions SET created_at = '2019-06-29 10:00+00'",
    ] {
        sqlx::query(sql).execute(pool).await.expect(sql);
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn the_record_of_a_past_day_shows_what_was_published_then(pool: PgPool) {
    let app = spawn_app_with_demo(pool.clone()).await;
    let (cookie, csrf) =
        sign_in(&app, "admin@example.org", app::domain::account::Role::Admin).await;
    let admin = account_id(&app, "admin@example.org").await;
    let demo_published: i64 =
        sqlx::query_scalar("SELECT count(*) FROM events WHERE status = 'published'")
            .fetch_one(&pool)
            .await
            .expect("demo count");
    assert!(demo_published > 2, "the demo record loaded");
    // A demo event (loaded without a revision) that will be edited, and one that will not.
    let (loaded_edited, loaded_kept): (i64, i64) =
        sqlx::query_as("SELECT min(id), max(id) FROM events WHERE status = 'published'")
            .fetch_one(&pool)
            .await
            .expect("two demo events");

    // Published through the app on 29 June, with its revisions.
    let source = add_source(&app, admin, "https://example.org/huawei-listet", BODY).await;
    let listed = create_event(&app, admin, source, BODY, "Huawei på listen i juni", QUOTE).await;
    publish(&pool, listed, admin).await;
    // A draft then, published only later.
    let drafted = create_event(&app, admin, source, BODY, "Udkast om HiSilicon", QUOTE).await;
    date_back_everything(&pool).await;

    // Since then: the listing retitled, the draft published, a new event added, and a
    // demo event edited.
    retitle(&app, (&cookie, &csrf), listed, 2, RETITLED).await;
    publish(&pool, drafted, admin).await;
    let added = create_event(&app, admin, source, BODY, "Tilføjet i december", QUOTE).await;
    publish(&pool, added, admin).await;
    let demo_version: i32 = sqlx::query_scalar("SELECT version FROM events WHERE id = $1")
        .bind(loaded_edited)
        .fetch_one(&pool)
        .await
        .expect("version");
    retitle(
        &app,
        (&cookie, &csrf),
        loaded_edited,
        demo_version,
        "A demo event, edited",
    )
    .await;

    // The API: every demo event but the edited one, and the listing as it stood.
    let answer = app
        .get_json(&format!(
            "/api/load_as_recorded?day={DAY}&filter[limit]=500"
        ))
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let answer = answer.json();
    let ids: Vec<i64> = answer["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e| e["event"]["id"].as_i64().expect("id"))
        .collect();
    assert_eq!(answer["total"], demo_published, "{answer}");
    assert_eq!(ids.len() as i64, demo_published);
    assert_eq!(answer["changed_since"], 1);
    assert_eq!(answer["not_kept"], 1);
    assert!(ids.contains(&listed) && ids.contains(&loaded_kept));
    for absent in [drafted, added, loaded_edited] {
        assert!(!ids.contains(&absent), "{absent} listed in {answer}");
    }
    let then = answer["events"]
        .as_array()
        .and_then(|e| e.iter().find(|e| e["event"]["id"] == listed))
        .expect("the listing");
    assert_eq!(then["event"]["title"], "Huawei på listen i juni");
    assert_eq!(then["then"]["Version"], 2);
    assert_eq!(then["event"]["targets"][0]["name"], "Huawei");

    // The filter applies to the version of then: its old title is found, the new is not.
    let found = |q: &str| {
        let app = &app;
        let q = q.to_owned();
        async move {
            let reply = app
                .get_json(&format!("/api/load_as_recorded?day={DAY}&filter[q]={q}"))
                .await;
            assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
            reply.json()["events"]
                .as_array()
                .map(|e| e.iter().any(|e| e["event"]["id"] == listed))
                .unwrap_or(false)
        }
    };
    assert!(found("juni").await);
    assert!(!found("retitled").await);

    // The page: a banner, the old title, nothing added since.
    let page = app.get(&format!("/?as_recorded={DAY}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("The record as published at the end of"));
    assert!(page.body.contains("30 June 2019"));
    assert!(page.body.contains("Huawei på listen i juni"));
    assert!(page.body.contains("edited since"));
    for later in [
        "retitled in December",
        "Tilføjet i december",
        "Udkast om HiSilicon",
    ] {
        assert!(!page.body.contains(later), "{later} on the page of {DAY}");
    }
    assert!(
        page.body.contains(&format!("?as_recorded={DAY}")),
        "lines link as of the day"
    );

    // Permalinks as of that day.
    let old = app
        .get(&format!("/events/{listed}?as_recorded={DAY}"))
        .await;
    assert_eq!(old.status, StatusCode::OK);
    assert!(old.body.contains("Huawei på listen i juni"));
    assert!(old.body.contains("version 2"), "{}", old.body);
    assert!(old.body.contains("see it as it is now"));
    assert!(!old.body.contains("retitled in December"));
    assert!(
        old.body.contains("href=\"/actors/"),
        "the actors it named then link to their pages"
    );
    let same = app
        .get(&format!("/events/{loaded_kept}?as_recorded={DAY}"))
        .await;
    assert_eq!(same.status, StatusCode::OK);
    assert!(same.body.contains("has not been edited since"));
    // The timeline's panel as of that day: the old version, with that day's permalink
    // (the panel adds the day), or nothing for an event not published then.
    let app = &app;
    let card = |key: String| async move {
        let reply = app
            .get_postcard(&format!("/api/load_event_card?{key}"))
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{key}: {}", reply.body);
        reply.postcard::<EventCard>()
    };
    let EventCard::Then { version, face } = card(format!("key={listed}&as_recorded={DAY}")).await
    else {
        panic!("the version of {DAY}");
    };
    assert_eq!(version, 2);
    assert_eq!(face.title, "Huawei på listen i juni");
    assert!(
        face.permalink.starts_with(&format!("/events/{listed}-")),
        "{}",
        face.permalink
    );
    let EventCard::Now(now) = card(format!("key={listed}")).await else {
        panic!("the event as it is now");
    };
    assert_eq!(now.title, RETITLED);
    let unchanged = card(format!("key={loaded_kept}&as_recorded={DAY}")).await;
    assert!(matches!(unchanged, EventCard::Now(_)), "{unchanged:?}");
    assert_eq!(
        card(format!("key={added}&as_recorded={DAY}")).await,
        EventCard::NotPublished
    );
    for (id, why) in [
        (added, "added later"),
        (drafted, "added later"),
        (loaded_edited, "was not kept"),
    ] {
        let page = app.get(&format!("/events/{id}?as_recorded={DAY}")).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{id}");
        assert!(page.body.contains(why), "{id}: {}", page.body);
        assert!(!page.body.contains("Tilføjet i december"));
        assert!(!page.body.contains("Udkast om HiSilicon"));
    }

    // The day before anything was recorded: nothing.
    let before = app
        .get_json("/api/load_as_recorded?day=2019-06-28")
        .await
        .json();
    assert_eq!(before["total"], 0);
    assert_eq!(before["not_kept"], 0);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_day_that_cannot_be_shown_is_refused_with_the_reason(pool: PgPool) {
    let app = spawn_app_with_demo(pool).await;
    let tomorrow = (chrono::Utc::now().date_naive() + chrono::Duration::days(2)).to_string();
    for (query, said) in [
        ("day=2019-13-01".to_owned(), "must be a day like"),
        ("day=yesterday".to_owned(), "must be a day like"),
        (format!("day={tomorrow}"), "is after today"),
        (
            "day=2019-06-30&filter[in_force]=2019-06-30".to_owned(),
            "cannot be asked together",
        ),
        ("day=2019-06-30&filter[kind]=nice".to_owned(), "kind"),
    ] {
        let reply = app
            .get_json(&format!("/api/load_as_recorded?{query}"))
            .await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "{query}: {}",
            reply.body
        );
        assert!(reply.body.contains(said), "{query}: {}", reply.body);
    }
    // On the pages too: a clear 400, nothing rendered as if it were the record.
    let page = app.get(&format!("/?as_recorded={tomorrow}")).await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(page.body.contains("is after today"));
    let page = app.get("/events/1?as_recorded=%3Cscript%3E").await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(!page.body.contains("<script>"));
}

/// A record of more than 1,000 events is counted up to a bound (no scan of the whole
/// record on every page) and said as "More than 1,000"; its pages follow one another in
/// date order without a gap or a repeat.
#[sqlx::test(migrations = "../migrations")]
async fn a_large_record_of_a_day_is_counted_up_to_a_bound_and_paged_in_order(pool: PgPool) {
    server::synthetic::generate(&pool, 1200, 11)
        .await
        .expect("generated");
    let app = crate::support::spawn_app(pool).await;
    let today = chrono::Utc::now().date_naive();
    let first = app
        .get_json(&format!(
            "/api/load_as_recorded?day={today}&filter[limit]=1000"
        ))
        .await
        .json();
    assert_eq!(first["more"], true, "{}", first["total"]);
    assert_eq!(first["total"], 1000);
    let cursor = first["next_cursor"].as_str().expect("a next page");
    let second = app
        .get_json(&format!(
            "/api/load_as_recorded?day={today}&filter[limit]=1000&filter[cursor]={cursor}"
        ))
        .await
        .json();
    let ids = |page: &serde_json::Value| -> Vec<(String, i64)> {
        page["events"]
            .as_array()
            .expect("events")
            .iter()
            .map(|e| {
                (
                    e["event"]["date"]["date"]
                        .as_str()
                        .unwrap_or_default()
                        .to_owned(),
                    e["event"]["id"].as_i64().unwrap_or_default(),
                )
            })
            .collect()
    };
    let all: Vec<(String, i64)> = ids(&first).into_iter().chain(ids(&second)).collect();
    assert_eq!(all.len(), 1200);
    assert!(
        all.windows(2).all(|w| w[0] < w[1]),
        "in date order, no repeat"
    );
    let page = app.get(&format!("/?as_recorded={today}")).await;
    assert!(page
        .body
        .contains("More than 1,000 published events match."));
}

/// A source's page of a past day: its version then when edited since (with its text and
/// archived copy then), the page as it is when not, and nothing for one added since or
/// one readers cannot see.
#[sqlx::test(migrations = "../migrations")]
async fn a_source_of_a_past_day_reads_as_it_was_then(pool: PgPool) {
    let app = spawn_app_with_demo(pool.clone()).await;
    let (cookie, csrf) =
        sign_in(&app, "admin@example.org", app::domain::account::Role::Admin).await;
    let admin = account_id(&app, "admin@example.org").await;
    let edited = add_source(&app, admin, "https://example.org/kilde-rettet", BODY).await;
    let listed = create_event(&app, admin, edited, BODY, "Huawei på listen", QUOTE).await;
    publish(&pool, listed, admin).await;
    let kept = add_source(&app, admin, "https://example.org/kilde-uaendret", BODY).await;
    let cites_kept = create_event(&app, admin, kept, BODY, "Uændret kilde", QUOTE).await;
    publish(&pool, cites_kept, admin).await;
    let unseen = add_source(&app, admin, "https://example.org/kilde-kladde", BODY).await;
    date_back_everything(&pool).await;
    sqlx::query("UPDATE sources SET created_at = '2019-06-29 09:00+00'")
        .execute(&pool)
        .await
        .expect("sources dated back");

    // Since then: the first source's text corrected and an archived copy given it, and
    // a source added.
    let corrected = format!("{BODY}\n\nRettelse: tilføjet i december.");
    let (_, saved) = app
        .call(
            "update_source",
            Some(&cookie),
            &crate::support::source_edit(&csrf, edited, 1, &corrected)
                .field("form[archive_url]", "https://web.archive.org/web/2019/x"),
        )
        .await;
    assert!(saved["Saved"].is_object(), "{saved}");
    let added = add_source(&app, admin, "https://example.org/kilde-ny", BODY).await;
    let cites_added = create_event(&app, admin, added, BODY, "Ny kilde", QUOTE).await;
    publish(&pool, cites_added, admin).await;

    let then = app
        .get(&format!("/sources/{edited}?as_recorded={DAY}"))
        .await;
    assert_eq!(then.status, StatusCode::OK, "{}", then.body);
    assert!(
        then.body.contains("version 1, saved 29 June 2019"),
        "{}",
        then.body
    );
    assert!(
        !then.body.contains("Rettelse"),
        "the text of then: {}",
        then.body
    );
    assert!(
        !then.body.contains("Archived copy"),
        "no archived copy then"
    );
    assert!(then.body.contains(&format!(r#"href="/sources/{edited}""#)));
    let now = app.get(&format!("/sources/{edited}")).await;
    assert!(now.body.contains("Rettelse") && now.body.contains("Archived copy"));

    let unchanged = app.get(&format!("/sources/{kept}?as_recorded={DAY}")).await;
    assert_eq!(unchanged.status, StatusCode::OK);
    assert!(unchanged.body.contains("has not been edited since"));
    assert!(
        unchanged.body.contains("<mark"),
        "the passages marked as now"
    );

    for absent in [added, unseen] {
        let page = app
            .get(&format!("/sources/{absent}?as_recorded={DAY}"))
            .await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "source {absent}");
        assert!(page.body.contains("Not in the record of"));
    }
    // The same through the JSON read.
    let json = app
        .get_json(&format!(
            "/api/load_source_as_recorded?id={edited}&day={DAY}"
        ))
        .await
        .json();
    assert_eq!(json["recorded"]["Changed"]["version"], 1);
    assert_eq!(
        json["recorded"]["Changed"]["snapshot"]["url"],
        "https://example.org/kilde-rettet"
    );
    let future = app
        .get(&format!("/sources/{edited}?as_recorded=2999-01-01"))
        .await;
    assert_eq!(future.status, StatusCode::BAD_REQUEST, "{}", future.body);
}

/// Every bucket and period count of a bucketed window, added up.
fn counted(window: &serde_json::Value) -> i64 {
    let buckets = &window["buckets"];
    ["buckets", "periods"]
        .iter()
        .flat_map(|k| buckets[*k].as_array().cloned().unwrap_or_default())
        .map(|b| b["count"].as_i64().unwrap_or_default())
        .sum()
}

/// The interactive timeline of a past day: drawn from the record as it then stood, in
/// windows of single events (an edited one under its old title) and in busy windows'
/// buckets (the events added since not counted), on `/?as_recorded=` and through the API.
#[sqlx::test(migrations = "../migrations")]
async fn the_timeline_of_a_past_day_draws_the_record_as_it_then_stood(pool: PgPool) {
    server::synthetic::generate(&pool, 1200, 7)
        .await
        .expect("generated");
    let app = crate::support::spawn_app(pool.clone()).await;
    let (cookie, csrf) =
        sign_in(&app, "admin@example.org", app::domain::account::Role::Admin).await;
    let admin = account_id(&app, "admin@example.org").await;
    let source = add_source(&app, admin, "https://example.org/huawei-listet", BODY).await;
    let listed = create_event(&app, admin, source, BODY, "Huawei på listen i juni", QUOTE).await;
    publish(&pool, listed, admin).await;
    date_back_everything(&pool).await;
    // The day the listing was dated then.
    let day: chrono::NaiveDate = sqlx::query_scalar("SELECT starts_on FROM events WHERE id = $1")
        .bind(listed)
        .fetch_one(&pool)
        .await
        .expect("its day");
    // Since then: 50 events added, the listing retitled.
    let added_since: Vec<i64> = sqlx::query_scalar(
        "UPDATE events SET created_at = now()
         WHERE id IN (SELECT id FROM events WHERE id <> $1 ORDER BY id LIMIT 50) RETURNING id",
    )
    .bind(listed)
    .fetch_all(&pool)
    .await
    .expect("added since");
    retitle(&app, (&cookie, &csrf), listed, 2, RETITLED).await;
    let published: i64 =
        sqlx::query_scalar("SELECT count(*) FROM events WHERE status = 'published'")
            .fetch_one(&pool)
            .await
            .expect("count");

    // The whole record is too busy to draw event by event: counted in buckets.
    let whole = "start=1900-01-01&end=2099-12-31";
    let now = app.get_json(&format!("/api/timeline?{whole}")).await.json();
    let then = app
        .get_json(&format!("/api/timeline?{whole}&as_recorded={DAY}"))
        .await;
    assert_eq!(then.status, StatusCode::OK, "{}", then.body);
    let then = then.json();
    assert_eq!(counted(&now), published);
    assert_eq!(counted(&then), published - added_since.len() as i64);
    let shown: Vec<i64> = then["items"]
        .as_array()
        .expect("top events")
        .iter()
        .map(|i| i["id"].as_i64().expect("id"))
        .collect();
    assert!(!shown.is_empty());
    assert!(shown.iter().all(|id| !added_since.contains(id)));
    assert!(!then.to_string().contains("retitled in December"));
    // By authority too: the same events, in lanes.
    let by_authority = app
        .get_json(&format!(
            "/api/timeline?{whole}&lanes=authority&as_recorded={DAY}"
        ))
        .await
        .json();
    assert!(counted(&by_authority) >= counted(&then));

    // A week around the listing: drawn event by event, the listing as it then stood.
    let week = format!(
        "start={}&end={}",
        day - chrono::Duration::days(3),
        day + chrono::Duration::days(3)
    );
    let window = app
        .get_json(&format!("/api/timeline?{week}&as_recorded={DAY}"))
        .await
        .json();
    assert!(window["buckets"].is_null(), "{window}");
    let item = window["items"]
        .as_array()
        .and_then(|items| items.iter().find(|i| i["id"] == listed))
        .unwrap_or_else(|| panic!("the listing in {window}"));
    assert_eq!(item["title"], "Huawei på listen i juni");
    let now = app.get_json(&format!("/api/timeline?{week}")).await.json();
    assert!(now.to_string().contains("retitled in December"));
    // The events of the week added since are drawn now, not then.
    let ids = |w: &serde_json::Value| -> Vec<i64> {
        w["items"]
            .as_array()
            .map(|items| items.iter().filter_map(|i| i["id"].as_i64()).collect())
            .unwrap_or_default()
    };
    for id in ids(&now) {
        assert_eq!(
            ids(&window).contains(&id),
            !added_since.contains(&id),
            "event {id}"
        );
    }

    // The page draws that day's timeline above its list, and its panel and links keep
    // the day.
    let page = app.get(&format!("/?as_recorded={DAY}&{week}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("class=\"tl-viewport\""), "the drawing");
    assert!(page.body.contains(&format!("data-event-id=\"{listed}\"")));
    assert!(!page.body.contains("retitled in December"));

    // What the day's timeline cannot draw yet is refused with the reason.
    for (query, said) in [
        (
            format!("{week}&as_recorded={DAY}&in_force={DAY}"),
            "cannot be asked together",
        ),
        (
            format!("{week}&as_recorded={DAY}&lanes=lifecycle"),
            "lifecycle",
        ),
        (
            format!("{week}&as_recorded=2019-02-30"),
            "must be a day like",
        ),
    ] {
        let reply = app.get_json(&format!("/api/timeline?{query}")).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{query}");
        assert!(reply.body.contains(said), "{query}: {}", reply.body);
    }
}
