//! Embeds: an event's card and a timeline view that other sites may frame (and nothing
//! else they may), the oEmbed answer that frames them, and the "Embed" button's snippet.

use crate::support::spawn_app_with_demo;
use axum::http::{header, StatusCode};
use sqlx::PgPool;

const G20: &str = "trump-eases-huawei-sanctions-at-g20-osaka";

fn framing(reply: &crate::support::Reply) -> (Option<&str>, &str) {
    let xfo = reply
        .headers
        .get(header::X_FRAME_OPTIONS)
        .and_then(|v| v.to_str().ok());
    let csp = reply
        .headers
        .get(header::CONTENT_SECURITY_POLICY)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    (xfo, csp)
}

#[sqlx::test(migrations = "../migrations")]
async fn only_the_embeds_may_be_framed_by_other_sites(pool: PgPool) {
    let app = spawn_app_with_demo(pool).await;
    let id = app.event_id(G20).await;

    let card = app.get(&format!("/embed/events/{id}-{G20}")).await;
    assert_eq!(card.status, StatusCode::OK);
    let (xfo, csp) = framing(&card);
    assert_eq!(xfo, None);
    assert!(csp.contains("frame-ancestors *"), "{csp}");
    // The card: no site header, the event, its first passage, links out in a new tab, and
    // no application code (it is complete as HTML).
    assert!(!card.body.contains("site-header"), "{}", card.body);
    assert!(card.body.contains("Trump"));
    assert!(
        card.body.contains("<blockquote lang=\"da\""),
        "{}",
        card.body
    );
    assert!(card.body.contains("Computerworld"));
    assert!(card.body.contains("target=\"_blank\""));
    assert!(!card.body.contains(".wasm"), "{}", card.body);

    let view = app.get("/embed?target=Huawei&lanes=authority").await;
    assert_eq!(view.status, StatusCode::OK);
    let (xfo, csp) = framing(&view);
    assert_eq!(xfo, None);
    assert!(csp.contains("frame-ancestors *"), "{csp}");
    assert!(!view.body.contains("site-header"));
    assert!(view.body.contains("Open this view on Sanctions Timeline"));
    assert!(
        view.body
            .contains("href=\"/?target=Huawei&amp;lanes=authority\"")
            || view
                .body
                .contains("href=\"/?target=Huawei&lanes=authority\""),
        "{}",
        view.body
    );

    for page in [
        "/".to_owned(),
        format!("/events/{id}-{G20}"),
        "/signin".to_owned(),
        "/api/events".to_owned(),
        "/embedded".to_owned(),
    ] {
        let reply = app.get(&page).await;
        let (xfo, csp) = framing(&reply);
        assert_eq!(xfo, Some("DENY"), "{page}");
        assert!(csp.contains("frame-ancestors 'none'"), "{page}: {csp}");
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn a_draft_or_withdrawn_event_has_no_card(pool: PgPool) {
    let app = spawn_app_with_demo(pool.clone()).await;
    let id = app.event_id(G20).await;
    sqlx::query("UPDATE events SET status = 'draft' WHERE id = $1")
        .bind(id)
        .execute(&pool)
        .await
        .unwrap();
    let card = app.get(&format!("/embed/events/{id}")).await;
    assert_eq!(card.status, StatusCode::NOT_FOUND);
    assert!(!card.body.contains("Trump"), "{}", card.body);
    let oembed = app
        .get_json(&format!(
            "/oembed?url=http%3A%2F%2F127.0.0.1%3A3000%2Fevents%2F{id}"
        ))
        .await;
    assert_eq!(oembed.status, StatusCode::NOT_FOUND);
}

#[sqlx::test(migrations = "../migrations")]
async fn oembed_frames_a_permalink_or_a_view_of_this_site_only(pool: PgPool) {
    let app = spawn_app_with_demo(pool.clone()).await;
    let id = app.event_id(G20).await;
    // A title that would break out of the snippet's attribute if it were not escaped.
    sqlx::query("UPDATE events SET title = 'G20 \"><script>alert(1)</script>' WHERE id = $1")
        .bind(id)
        .execute(&pool)
        .await
        .unwrap();

    let permalink = format!("http://127.0.0.1:3000/events/{id}-{G20}");
    let answer = app
        .get_json(&format!(
            "/oembed?url={}&maxwidth=400",
            app::domain::url_query::encode_component(&permalink)
        ))
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let json = answer.json();
    assert_eq!(json["version"], "1.0");
    assert_eq!(json["type"], "rich");
    assert_eq!(json["width"], 400);
    assert_eq!(json["title"], "G20 \"><script>alert(1)</script>");
    let html = json["html"].as_str().expect("html");
    assert!(
        html.starts_with(&format!(
            "<iframe src=\"http://127.0.0.1:3000/embed/events/{id}-{G20}\""
        )),
        "{html}"
    );
    assert!(!html.contains("<script"), "{html}");
    assert_eq!(html.matches('<').count(), 2, "{html}");

    // The permalink names the oEmbed address, and offers the same snippet to copy.
    let page = app.get(&format!("/events/{id}-{G20}")).await;
    assert!(
        page.body.contains("type=\"application/json+oembed\""),
        "{}",
        page.body
    );
    assert!(page.body.contains("<summary>Embed</summary>"));
    let snippet = page
        .body
        .split("class=\"embed-snippet\"")
        .nth(1)
        .and_then(|s| s.split_once('>'))
        .and_then(|(_, rest)| rest.split("</textarea>").next())
        .expect("the snippet");
    assert!(snippet.contains("&lt;iframe src="), "{snippet}");
    assert!(!snippet.contains("<script"), "{snippet}");

    // oEmbed's XML form: the same answer, the snippet escaped as element text.
    let xml = app
        .get(&format!(
            "/oembed?format=xml&url={}",
            app::domain::url_query::encode_component(&permalink)
        ))
        .await;
    assert_eq!(xml.status, StatusCode::OK, "{}", xml.body);
    assert!(xml.headers["content-type"]
        .to_str()
        .is_ok_and(|t| t.starts_with("text/xml")));
    assert!(xml.body.contains("<type>rich</type>"), "{}", xml.body);
    assert!(
        xml.body.contains(&format!(
            "<html>&lt;iframe src=&quot;http://127.0.0.1:3000/embed/events/{id}-{G20}&quot;"
        )),
        "{}",
        xml.body
    );
    assert!(!xml.body.contains("<script"), "{}", xml.body);

    let view = app
        .get_json("/oembed?url=http%3A%2F%2F127.0.0.1%3A3000%2F%3Ftarget%3DHuawei%26junk%3D1")
        .await;
    assert_eq!(view.status, StatusCode::OK, "{}", view.body);
    assert!(view.json()["html"]
        .as_str()
        .is_some_and(|h| h.contains("src=\"http://127.0.0.1:3000/embed?target=Huawei\"")));

    for (query, status) in [
        (
            "url=https%3A%2F%2Fevil.example%2Fevents%2F1",
            StatusCode::NOT_FOUND,
        ),
        (
            "url=http%3A%2F%2F127.0.0.1%3A3000%2Fsources%2F1",
            StatusCode::NOT_FOUND,
        ),
        (
            "url=http%3A%2F%2F127.0.0.1%3A3000%2Fevents%2F999999",
            StatusCode::NOT_FOUND,
        ),
        (
            "url=http%3A%2F%2F127.0.0.1%3A3000%2F%3Ffrom%3Dsoon",
            StatusCode::BAD_REQUEST,
        ),
        ("", StatusCode::BAD_REQUEST),
        (
            "url=http%3A%2F%2F127.0.0.1%3A3000%2F&maxwidth=wide",
            StatusCode::BAD_REQUEST,
        ),
        (
            "url=http%3A%2F%2F127.0.0.1%3A3000%2F&format=yaml",
            StatusCode::BAD_REQUEST,
        ),
    ] {
        let reply = app.get_json(&format!("/oembed?{query}")).await;
        assert_eq!(reply.status, status, "{query}: {}", reply.body);
        assert!(
            reply.json()["error"]["message"].as_str().is_some(),
            "{query}: {}",
            reply.body
        );
    }
}
