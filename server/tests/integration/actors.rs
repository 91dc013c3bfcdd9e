//! An actor's identifiers in other databases: set by a signed-in editor through the form's
//! server function, checked by format, refused for anyone else, never lost to a second
//! editor's stale form, and linked on the actor's page for readers.

use crate::support::{sign_in, spawn_app_with_demo, Form, TestApp};
use app::domain::account::Role;
use axum::http::StatusCode;
use serde_json::Value;
use sqlx::PgPool;

async fn actor(app: &TestApp, name: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM actors WHERE name = $1")
        .bind(name)
        .fetch_one(&app.pool)
        .await
        .expect("a demo actor")
}

/// The form as the edit page posts it.
fn identifiers(csrf: &str, id: i64, was: (&str, &str), new: (&str, &str)) -> Form {
    Form::new()
        .field("csrf", csrf)
        .field("id", id.to_string())
        .field("was[wikidata]", was.0)
        .field("was[opensanctions]", was.1)
        .field("form[wikidata]", new.0)
        .field("form[opensanctions]", new.1)
}

#[sqlx::test(migrations = "../migrations")]
async fn editors_set_an_actors_identifiers_and_readers_follow_them(pool: PgPool) {
    let app = spawn_app_with_demo(pool).await;
    let zte = actor(&app, "ZTE").await;
    let (cookie, csrf) = sign_in(&app, "editor@example.org", Role::Editor).await;
    let save = |form: Form| {
        let (app, cookie) = (&app, cookie.clone());
        async move {
            app.call("save_actor_identifiers", Some(&cookie), &form)
                .await
        }
    };

    // Nobody signed in, or a form from elsewhere: refused, nothing stored.
    let (status, _) = app
        .call(
            "save_actor_identifiers",
            None,
            &identifiers(&csrf, zte, ("", ""), ("Q1", "")),
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = save(identifiers("forged", zte, ("", ""), ("Q1", ""))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Wrong formats are named field by field.
    let (status, answer) = save(identifiers(
        &csrf,
        zte,
        ("", ""),
        ("P31", "no spaces allowed"),
    ))
    .await;
    assert_eq!(status, StatusCode::OK);
    let errors = answer["Invalid"].to_string();
    assert!(
        errors.contains("wikidata") && errors.contains("opensanctions"),
        "{errors}"
    );

    // Addresses are read down to their ids.
    let (status, answer) = save(identifiers(
        &csrf,
        zte,
        ("", ""),
        (
            "https://www.wikidata.org/wiki/Q1\u{30}",
            "https://www.opensanctions.org/entities/NK-zte-example/",
        ),
    ))
    .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["Saved"]["wikidata"], "Q10");
    let page = app.get(&format!("/actors/{zte}")).await;
    assert!(
        page.body
            .contains("href=\"https://www.wikidata.org/wiki/Q10\""),
        "{}",
        page.body
    );
    assert!(page
        .body
        .contains("href=\"https://www.opensanctions.org/entities/NK-zte-example/\""));

    // A second editor's form, loaded before that save, cannot overwrite it.
    let (status, answer) = save(identifiers(&csrf, zte, ("", ""), ("Q11", ""))).await;
    assert_eq!(status, StatusCode::CONFLICT, "{answer}");
    assert!(
        answer.to_string().contains("Q10"),
        "says what is there now: {answer}"
    );

    // One Wikidata item, one actor.
    let huawei = actor(&app, "Huawei").await;
    let (_, answer) = save(identifiers(&csrf, huawei, ("Q160120", ""), ("Q10", ""))).await;
    assert!(
        answer["Invalid"].to_string().contains("ZTE"),
        "names the actor holding it: {answer}"
    );

    // Emptied fields clear them.
    let (status, _) = save(identifiers(&csrf, zte, ("Q10", "NK-zte-example"), ("", ""))).await;
    assert_eq!(status, StatusCode::OK);
    let stored: (Option<String>, Option<String>) =
        sqlx::query_as("SELECT wikidata_qid, opensanctions_id FROM actors WHERE id = $1")
            .bind(zte)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(stored, (None, None));

    // The edit page asks readers to sign in; an editor gets the form with its values.
    let page = app.get(&format!("/actors/{huawei}/edit")).await;
    assert_eq!(page.status, StatusCode::UNAUTHORIZED);
    let page = app
        .get_with(&format!("/actors/{huawei}/edit"), &[("cookie", &cookie)])
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("value=\"Q160120\""), "{}", page.body);
    let missing: Value = app
        .call(
            "save_actor_identifiers",
            Some(&cookie),
            &identifiers(&csrf, 999_999, ("", ""), ("", "")),
        )
        .await
        .1;
    assert!(missing.to_string().contains("not found") || missing.to_string().contains("actor"));
}
