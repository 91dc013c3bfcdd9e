//! Signing in and out, and who is signed in. Sessions live in Postgres; the browser holds
//! only a random token in an HttpOnly, SameSite=Lax cookie (Secure when served over
//! HTTPS). Every state change also carries the session's CSRF token, checked here.

use crate::domain::account::Editor;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub const SESSION_COOKIE: &str = "st_session";
/// The cookie's name when the site is served over HTTPS.
pub const HOST_SESSION_COOKIE: &str = "__Host-st_session";

/// The signed-in editor and the token their forms must carry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedIn {
    pub editor: Editor,
    pub csrf_token: String,
}

/// The message of a server function's error, without the framework's wording.
pub fn error_message(e: &ServerFnError) -> String {
    match e {
        ServerFnError::ServerError(m) => m.clone(),
        other => other.to_string(),
    }
}

#[cfg(feature = "ssr")]
pub mod gate {
    //! The server side of access: reading the session, checking role and CSRF token.

    use super::{SignedIn, HOST_SESSION_COOKIE, SESSION_COOKIE};
    use crate::domain::account::Role;
    use crate::state::AppState;
    use axum::http::{header, request::Parts, HeaderValue, StatusCode};
    use leptos::prelude::*;

    pub fn state() -> Result<AppState, ServerFnError> {
        use_context::<AppState>().ok_or_else(|| ServerFnError::new("server state is missing"))
    }

    fn parts() -> Result<Parts, ServerFnError> {
        use_context::<Parts>().ok_or_else(|| ServerFnError::new("request is missing"))
    }

    pub fn refuse(status: StatusCode, message: impl Into<String>) -> ServerFnError {
        if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
            res.set_status(status);
        }
        ServerFnError::new(message.into())
    }

    /// A database failure as the caller should see it: 503 with Retry-After while the
    /// database is unreachable or busy (it is the server's trouble, and passing), else 500.
    pub fn internal(e: crate::db::DbError) -> ServerFnError {
        let id = request_id();
        if e.is_unavailable() {
            tracing::warn!(error = %e, "database unavailable");
            if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
                res.insert_header(header::RETRY_AFTER, HeaderValue::from_static("5"));
            }
            return refuse(
                StatusCode::SERVICE_UNAVAILABLE,
                format!(
                    "The record is temporarily unavailable. Try again in a few seconds. (Request {id})"
                ),
            );
        }
        if e.is_bad_value() {
            tracing::info!(error = %e, "a value the database cannot take");
            return refuse(
                StatusCode::BAD_REQUEST,
                "A value in this request cannot be stored or searched (a NUL character, or a number out of range). Remove it and try again.",
            );
        }
        tracing::error!(error = %e, "database operation failed");
        refuse(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("Something went wrong; try again in a moment. (Request {id})"),
        )
    }

    /// The id the server gave this request (`x-request-id`), for messages a person can
    /// quote in a report.
    pub fn request_id() -> String {
        parts()
            .ok()
            .and_then(|p| {
                p.headers
                    .get("x-request-id")
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_owned)
            })
            .unwrap_or_else(|| "-".into())
    }

    pub fn session_token() -> Option<String> {
        let parts = parts().ok()?;
        parts
            .headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|c| c.trim().split_once('='))
            .find(|(name, _)| *name == cookie_name())
            .map(|(_, value)| value.to_owned())
            .filter(|v| !v.is_empty())
    }

    pub fn client_address() -> String {
        parts()
            .ok()
            .and_then(|p| {
                p.extensions
                    .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                    .map(|c| c.0.ip().to_string())
            })
            .unwrap_or_else(|| "unknown".into())
    }

    pub async fn signed_in() -> Result<Option<SignedIn>, ServerFnError> {
        let Some(token) = session_token() else {
            return Ok(None);
        };
        let state = state()?;
        let found = crate::db::accounts::session(&state.pool, &token)
            .await
            .map_err(internal)?;
        Ok(found.map(|(editor, csrf_token)| SignedIn { editor, csrf_token }))
    }

    /// The signed-in editor, or a 401: the gate for reads only editors see (drafts,
    /// history). Reads change nothing, so they need no form token.
    pub async fn editor() -> Result<SignedIn, ServerFnError> {
        signed_in()
            .await?
            .ok_or_else(|| refuse(StatusCode::UNAUTHORIZED, "sign in first"))
    }

    /// The gate for every state change: a live session, the role, and the form's CSRF
    /// token equal to the session's.
    pub async fn require(role: Role, csrf: &str) -> Result<SignedIn, ServerFnError> {
        let me = editor().await?;
        if !constant_time_eq(me.csrf_token.as_bytes(), csrf.as_bytes()) {
            return Err(refuse(
                StatusCode::FORBIDDEN,
                "this form is out of date or came from another site; reload the page and try again",
            ));
        }
        if !me.editor.may(role) {
            return Err(refuse(
                StatusCode::FORBIDDEN,
                format!("only an {} may do this", role.as_str()),
            ));
        }
        Ok(me)
    }

    fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
        a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }

    fn served_over_https() -> bool {
        state().is_ok_and(|s| s.public_url.starts_with("https://"))
    }

    /// Over HTTPS the cookie is `__Host-` prefixed: browsers then accept it only when
    /// Secure, for this host alone and the whole path, so a sibling subdomain cannot plant
    /// or shadow it.
    pub fn cookie_name() -> &'static str {
        if served_over_https() {
            HOST_SESSION_COOKIE
        } else {
            SESSION_COOKIE
        }
    }

    pub fn set_session_cookie(token: &str, max_age_secs: i64) {
        let secure = if served_over_https() { "; Secure" } else { "" };
        let cookie = format!(
            "{}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}",
            cookie_name()
        );
        if let (Some(res), Ok(value)) = (
            use_context::<leptos_axum::ResponseOptions>(),
            HeaderValue::from_str(&cookie),
        ) {
            res.append_header(header::SET_COOKIE, value);
        }
    }
}

/// Who is signed in (none for readers).
#[server(prefix = "/api", endpoint = "whoami")]
pub async fn whoami() -> Result<Option<SignedIn>, ServerFnError> {
    gate::signed_in().await
}

#[server(prefix = "/api", endpoint = "sign_in")]
pub async fn sign_in(
    email: String,
    password: String,
    next: Option<String>,
) -> Result<(), ServerFnError> {
    use crate::db::accounts;
    use axum::http::StatusCode;
    let state = gate::state()?;
    let account = email.trim().to_lowercase();
    let keys = accounts::throttle_keys(&account, &gate::client_address());
    let attempt = match accounts::begin_attempt(&state.pool, &keys)
        .await
        .map_err(gate::internal)?
    {
        accounts::Throttle::Go(attempt) => attempt,
        accounts::Throttle::Wait(wait) => {
            return Err(gate::refuse(
                StatusCode::TOO_MANY_REQUESTS,
                format!(
                    "Too many failed sign-ins. Try again in {} minute{}.",
                    (wait + 59) / 60,
                    if wait > 60 { "s" } else { "" }
                ),
            ))
        }
    };
    let editor = match account.parse() {
        Ok(email) => accounts::authenticate(&state.pool, &email, &password)
            .await
            .map_err(gate::internal)?,
        Err(_) => None,
    };
    // A failed attempt stays counted: it was recorded before the check.
    let Some(editor) = editor else {
        return Err(gate::refuse(
            StatusCode::UNAUTHORIZED,
            "Wrong email or password.",
        ));
    };
    accounts::succeeded(&state.pool, attempt, &keys[0])
        .await
        .map_err(gate::internal)?;
    let session = accounts::start_session(&state.pool, editor.id)
        .await
        .map_err(gate::internal)?;
    gate::set_session_cookie(&session.token, accounts::SESSION_DAYS as i64 * 86_400);
    let next = crate::domain::local_path::LocalPath::or_home(next.as_deref());
    leptos_axum::redirect(next.as_str());
    Ok(())
}

#[server(prefix = "/api", endpoint = "sign_out")]
pub async fn sign_out(csrf: String) -> Result<(), ServerFnError> {
    use crate::domain::account::Role;
    gate::require(Role::Editor, &csrf).await?;
    if let Some(token) = gate::session_token() {
        let state = gate::state()?;
        crate::db::accounts::end_session(&state.pool, &token)
            .await
            .map_err(gate::internal)?;
    }
    gate::set_session_cookie("", 0);
    leptos_axum::redirect("/");
    Ok(())
}
