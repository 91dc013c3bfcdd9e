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
