//! `/healthz`: the process answers. `/readyz`: it can serve, i.e. the database answers and
//! its schema is the one this build expects. Load balancers and scripts wait on the second.

use app::state::AppState;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

pub async fn healthz() -> &'static str {
    "ok"
}

pub async fn readyz(State(state): State<AppState>) -> Response {
    let applied: Result<Option<i64>, sqlx::Error> =
        sqlx::query_scalar("SELECT max(version) FROM _sqlx_migrations WHERE success")
            .fetch_one(&state.pool)
            .await;
    let expected = crate::database::latest_migration();
    match applied {
        Ok(Some(v)) if v >= expected => (StatusCode::OK, "ready").into_response(),
        Ok(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::RETRY_AFTER, "5")],
            "the database schema is older than this build; run `server migrate`",
        )
            .into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "readiness check: database unavailable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                [(header::RETRY_AFTER, "5")],
                "the database is unavailable",
            )
                .into_response()
        }
    }
}
