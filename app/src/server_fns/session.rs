//! Signing in and out, and who is signed in. Sessions live in Postgres; the browser holds
//! only a random token in an HttpOnly, SameSite=Lax cookie (Secure when served over
//! HTTPS). Every state change also carries the session's CSRF token, checked by [`gate`].

use super::AppError;
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

#[cfg(feature = "ssr")]
pub mod gate {
    //! The server side of access: reading the session, checking role and CSRF token.

    use super::{AppError, SignedIn, HOST_SESSION_COOKIE, SESSION_COOKIE};
    use crate::domain::account::Role;
    use crate::state::AppState;
    use axum::http::{header, request::Parts, HeaderValue};
    use leptos::prelude::*;

    pub fn state() -> Result<AppState, AppError> {
        use_context::<AppState>().ok_or_else(|| AppError::internal("server state is missing"))
    }

    fn parts() -> Option<Parts> {
        use_context::<Parts>()
    }

    pub fn session_token() -> Option<String> {
        let parts = parts()?;
        cookie_value(&parts.headers, cookie_name())
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    }

    /// The value of the cookie `name` in a request's headers (possibly empty), if sent.
    pub fn cookie_value<'a>(headers: &'a axum::http::HeaderMap, name: &str) -> Option<&'a str> {
        headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|c| c.trim().split_once('='))
            .find(|(cookie, _)| *cookie == name)
            .map(|(_, value)| value)
    }

    pub fn client_address() -> String {
        parts()
            .and_then(|p| {
                p.extensions
                    .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                    .map(|c| c.0.ip().to_string())
            })
            .unwrap_or_else(|| "unknown".into())
    }

    pub async fn signed_in() -> Result<Option<SignedIn>, AppError> {
        let Some(token) = session_token() else {
            return Ok(None);
        };
        let state = state()?;
        let found = crate::db::accounts::session(&state.pool, &token).await?;
        Ok(found.map(|(editor, csrf_token)| SignedIn { editor, csrf_token }))
    }

    /// The signed-in editor, or Unauthorised: the gate for reads only editors see
    /// (drafts, history). Reads change nothing, so they need no form token.
    pub async fn editor() -> Result<SignedIn, AppError> {
        signed_in().await?.ok_or_else(AppError::sign_in_first)
    }

    /// The signed-in editor if they have `role`: the gate for reads only admins see.
    pub async fn with_role(role: Role) -> Result<SignedIn, AppError> {
        let me = editor().await?;
        may(&me, role)?;
        Ok(me)
    }

    /// The gate for every state change: a live session, the role, and the form's CSRF
    /// token equal to the session's.
    pub async fn require(role: Role, csrf: &str) -> Result<SignedIn, AppError> {
        let me = editor().await?;
        if !constant_time_eq(me.csrf_token.as_bytes(), csrf.as_bytes()) {
            return Err(AppError::Forbidden(
                "This form is out of date or came from another site; reload the page and try again.".into(),
            ));
        }
        may(&me, role)?;
        Ok(me)
    }

    fn may(me: &SignedIn, role: Role) -> Result<(), AppError> {
        if me.editor.may(role) {
            Ok(())
        } else {
            Err(AppError::Forbidden(format!(
                "Only an {} may do this.",
                role.as_str()
            )))
        }
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
pub async fn whoami() -> Result<Option<SignedIn>, AppError> {
    gate::signed_in().await
}

#[server(prefix = "/api", endpoint = "sign_in")]
pub async fn sign_in(
    email: String,
    password: String,
    next: Option<String>,
) -> Result<(), AppError> {
    use crate::db::accounts;
    let state = gate::state()?;
    let account = email.trim().to_lowercase();
    let keys = accounts::throttle_keys(&account, &gate::client_address());
    let attempt = match accounts::begin_attempt(&state.pool, &keys).await? {
        accounts::Throttle::Go(attempt) => attempt,
        accounts::Throttle::Wait(wait) => {
            return Err(AppError::TooManyRequests(format!(
                "Too many failed sign-ins. Try again in {} minute{}.",
                (wait + 59) / 60,
                if wait > 60 { "s" } else { "" }
            )))
        }
    };
    let editor = match account.parse() {
        Ok(email) => accounts::authenticate(&state.pool, &email, &password).await?,
        Err(_) => None,
    };
    // A failed attempt stays counted: it was recorded before the check.
    let Some(editor) = editor else {
        return Err(AppError::Unauthorised("Wrong email or password.".into()));
    };
    accounts::succeeded(&state.pool, attempt, &keys[0]).await?;
    let session = accounts::start_session(&state.pool, editor.id).await?;
    gate::set_session_cookie(&session.token, accounts::SESSION_DAYS as i64 * 86_400);
    let next = crate::domain::local_path::LocalPath::or_home(next.as_deref());
    leptos_axum::redirect(next.as_str());
    Ok(())
}

#[server(prefix = "/api", endpoint = "sign_out")]
pub async fn sign_out(csrf: String) -> Result<(), AppError> {
    use crate::domain::account::Role;
    gate::require(Role::Editor, &csrf).await?;
    if let Some(token) = gate::session_token() {
        let state = gate::state()?;
        crate::db::accounts::end_session(&state.pool, &token).await?;
    }
    gate::set_session_cookie("", 0);
    leptos_axum::redirect("/");
    Ok(())
}
