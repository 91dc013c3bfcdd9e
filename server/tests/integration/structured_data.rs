//! What a permalink gives machines and other sites besides its HTML: schema.org JSON-LD,
//! link-preview tags, and a link to each quote highlighted in the live article.

use crate::support::spawn_app_with_demo;
use axum::http::StatusCode;
use serde_json::Value;
use sqlx::PgPool;

#[sqlx::test(migrations = "../migrations")]
async fn a_permalink_carries_json_ld_preview_tags_and_links_to_the_quote_in_the_original(
    pool: PgPool,
) {
    let app = spawn_app_with_demo(pool.clone()).await;
    // A hostile title that would end a script block if it were not escaped.
    sqlx::query(
        "UPDATE events SET title = 'G20: </script><script>alert(1)</script> & co'
         WHERE slug = 'trump-eases-huawei-sanctions-at-g20-osaka'",
    )
    .execute(&pool)
    .await
    .unwrap();
    let id: i64 = sqlx::query_scalar(
        "SELECT id FROM events WHERE slug = 'trump-eases-huawei-sanctions-at-g20-osaka'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let page = app
        .get(&format!(
            "/events/{id}-trump-eases-huawei-sanctions-at-g20-osaka"
        ))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("<script>alert(1)"), "{}", page.body);
    assert!(
        page.body.contains("<title>G20: &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; co · Sanctions Timeline</title>"),
        "the title as text: {}",
        page.body
    );

    let ld = page
        .body
        .split(r#"<script type="application/ld+json">"#)
        .nth(1)
        .and_then(|s| s.split("</script>").next())
        .expect("a JSON-LD block");
    let ld: Value = serde_json::from_str(ld).expect("valid JSON");
    assert_eq!(ld["@context"], "https://schema.org");
    assert_eq!(ld["@type"], "Event");
    assert_eq!(ld["name"], "G20: </script><script>alert(1)</script> & co");
    assert_eq!(ld["startDate"], "2019-06-29");
    assert!(ld["url"]
        .as_str()
        .is_some_and(|u| u.starts_with("http://127.0.0.1:3000/events/")));
    let about: Vec<&str> = ld["about"]
        .as_array()
        .expect("about")
        .iter()
        .filter_map(|a| a["name"].as_str())
        .collect();
    assert!(about.contains(&"Huawei"), "{about:?}");
    let citation = &ld["citation"][0];
    assert_eq!(citation["@type"], "Quotation");
    assert!(citation["text"].as_str().is_some_and(|t| !t.is_empty()));
    assert_eq!(citation["inLanguage"], "da");
    assert_eq!(citation["isPartOf"]["publisher"]["name"], "Computerworld");
    assert!(citation["isPartOf"]["url"]
        .as_str()
        .is_some_and(|u| u.starts_with("https://")));

    assert!(page
        .body
        .contains(r#"<meta name="twitter:card" content="summary">"#));
    assert!(
        page.body
            .contains(r#"<meta name="twitter:title" content="G20: &lt;/script&gt;"#)
            || page
                .body
                .contains(r#"<meta name="twitter:title" content="G20: &lt;/script>"#)
    );

    // "Open in the original": the publisher's page with a text fragment of the quote.
    let original = page
        .body
        .split("<a ")
        .find(|tag| tag.contains(r#"class="original""#) && tag.contains("Open in the original"))
        .and_then(|tag| tag.split(r#"href=""#).nth(1))
        .and_then(|s| s.split('"').next())
        .expect("a link to the original");
    assert!(original.starts_with("https://"), "{original}");
    let fragment = original.split("#:~:text=").nth(1).expect("a text fragment");
    assert!(
        !fragment.contains(' ') && !fragment.is_empty(),
        "{fragment}"
    );
    // The quote runs to 23 words: matched by its first and last four, encoded (the comma
    // is the directive's separator, so it is encoded in a term).
    assert!(
        fragment.contains("Nu%20meddeler%20han%2C%20at,"),
        "{fragment}"
    );
    assert!(
        fragment.contains(",problemer%2C%E2%80%99%20som%20han%20siger."),
        "{fragment}"
    );
}

/// Each cited passage as a W3C Web Annotation: the event as its body, the passage selected
/// by its quote and its offsets in our stored copy, and by its quote in the original.
#[sqlx::test(migrations = "../migrations")]
async fn a_citation_is_a_web_annotation_with_quote_and_position_selectors(pool: PgPool) {
    server::demo::load(&pool).await.expect("demo loads");
    let crate::support::Desk {
        app, event: draft, ..
    } = crate::support::desk(pool.clone()).await;
    let (id, start, end, source): (i64, i32, i32, i64) = sqlx::query_as(
        "SELECT c.id, c.start_char, c.end_char, c.source_id FROM citations c
         JOIN events e ON e.id = c.event_id
         WHERE e.slug = 'trump-eases-huawei-sanctions-at-g20-osaka' ORDER BY c.position LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let reply = app.get(&format!("/api/citations/{id}")).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(reply.headers["content-type"]
        .to_str()
        .unwrap_or_default()
        .starts_with("application/ld+json; profile=\"http://www.w3.org/ns/anno.jsonld\""));
    let a: Value = reply.json();
    assert_eq!(a["@context"], "http://www.w3.org/ns/anno.jsonld");
    assert_eq!(a["type"], "Annotation");
    assert_eq!(a["id"], format!("http://127.0.0.1:3000/api/citations/{id}"));
    assert!(a["body"]["id"].as_str().is_some_and(
        |b| b.contains("/events/") && b.ends_with("trump-eases-huawei-sanctions-at-g20-osaka")
    ));
    let stored = &a["target"][0];
    assert_eq!(
        stored["source"],
        format!("http://127.0.0.1:3000/sources/{source}")
    );
    let quote = &stored["selector"][0];
    assert_eq!(quote["type"], "TextQuoteSelector");
    let position = &stored["selector"][1];
    assert_eq!(position["type"], "TextPositionSelector");
    assert_eq!(
        (position["start"].as_i64(), position["end"].as_i64()),
        (Some(start as i64), Some(end as i64))
    );
    // The offsets select the exact quote in the stored text, in characters (æ, ø, å and
    // ‘ ’ count one each).
    let at: String =
        sqlx::query_scalar("SELECT substr(body, $2 + 1, $3 - $2) FROM sources WHERE id = $1")
            .bind(source)
            .bind(start)
            .bind(end)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(quote["exact"].as_str(), Some(at.as_str()));
    assert!(at.contains("sælge"), "{at}");
    let original = &a["target"][1];
    assert!(original["source"]["id"]
        .as_str()
        .is_some_and(|u| u.contains("computerworld")));
    assert_eq!(original["source"]["language"], "da");
    assert_eq!(original["selector"]["exact"], quote["exact"]);

    // A draft's passage is not published; a wrong id says why.
    let draft_citation: i64 = sqlx::query_scalar("SELECT id FROM citations WHERE event_id = $1")
        .bind(draft)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(
        app.get(&format!("/api/citations/{draft_citation}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/api/citations/99999999").await.status,
        StatusCode::NOT_FOUND
    );
    let wrong = app.get("/api/citations/abc").await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    assert!(wrong.body.contains("citation id"), "{}", wrong.body);
}
