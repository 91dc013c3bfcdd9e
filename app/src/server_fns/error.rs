//! The one error every server function answers with: what went wrong, in words a person
//! can act on, and the HTTP status that means. [`AppError::status`] is the only place a
//! status is chosen: the server applies it to server-function answers
//! (`server::server_fn_errors`), and pages apply it while they render on the server
//! (`pages::ErrorNotice`).

use crate::domain::source_form::FieldErrors;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use leptos::server_fn::{Bytes, ContentType, Decodes, Encodes, Format, FormatType};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum AppError {
    /// Nobody is signed in, or signing in failed. Editors' pages show the sign-in prompt.
    #[error("{0}")]
    Unauthorised(String),
    /// Signed in, but not allowed: the wrong role, or a form token that is not the
    /// session's.
    #[error("{0}")]
    Forbidden(String),
    /// The thing asked for ("account", "revision", ...) does not exist.
    #[error("There is no such {0}.")]
    NotFound(String),
    /// The request contradicts the record as it is (an admin demoting themself).
    #[error("{0}")]
    Conflict(String),
    /// Input refused as a whole (a filter, a decision that is no decision), and why.
    #[error("{0}")]
    BadRequest(String),
    /// Input refused field by field.
    #[error("Some fields need attention: {}.", listed(.0))]
    Invalid(FieldErrors),
    /// Too many failed sign-ins from here; the message says how long to wait.
    #[error("{0}")]
    TooManyRequests(String),
    /// The database is down or busy: passing, to be retried.
    #[error(
        "The record is temporarily unavailable. Try again in a few seconds. (Request {request_id})"
    )]
    Unavailable { request_id: String },
    /// The server's own failure, logged under the request's id.
    #[error("Something went wrong; try again in a moment. (Request {request_id})")]
    Internal { request_id: String },
    /// The framework's: arguments that do not decode (the caller's mistake), an answer
    /// that does not, or a server that cannot be reached.
    #[error("{0}")]
    Framework(ServerFnErrorErr),
}

fn listed(errors: &FieldErrors) -> String {
    let each: Vec<String> = errors.0.iter().map(|(f, m)| format!("{f}: {m}")).collect();
    each.join("; ")
}

impl AppError {
    /// "Sign in first.": a gate's answer to a request without a session.
    pub fn sign_in_first() -> Self {
        AppError::Unauthorised("Sign in first.".into())
    }

    /// The HTTP status this error is answered with.
    pub fn status(&self) -> u16 {
        match self {
            AppError::Unauthorised(_) => 401,
            AppError::Forbidden(_) => 403,
            AppError::NotFound(_) => 404,
            AppError::Conflict(_) => 409,
            AppError::BadRequest(_) | AppError::Invalid(_) => 400,
            AppError::TooManyRequests(_) => 429,
            AppError::Unavailable { .. } => 503,
            AppError::Internal { .. } => 500,
            AppError::Framework(
                ServerFnErrorErr::Args(_)
                | ServerFnErrorErr::MissingArg(_)
                | ServerFnErrorErr::Deserialization(_),
            ) => 400,
            AppError::Framework(_) => 500,
        }
    }

    /// Seconds to wait before retrying (`Retry-After`), for trouble that passes.
    pub fn retry_after(&self) -> Option<u32> {
        matches!(self, AppError::Unavailable { .. }).then_some(5)
    }
}

impl FromServerFnError for AppError {
    type Encoder = AppErrorJson;

    fn from_server_fn_error(e: ServerFnErrorErr) -> Self {
        AppError::Framework(e)
    }
}

/// How an [`AppError`] travels: JSON, `{"BadRequest": "…"}`, which the server's status
/// layer, a plain form's redirect and every script read. The readers' bundle reads it
/// with the browser's JSON parser instead of serde_json, whose reader and the
/// formatting it drags in would be a tenth of the bundle.
pub struct AppErrorJson;

impl ContentType for AppErrorJson {
    const CONTENT_TYPE: &'static str = "application/json";
}

impl FormatType for AppErrorJson {
    const FORMAT_TYPE: Format = Format::Text;
}

impl Encodes<AppError> for AppErrorJson {
    type Error = serde_json::Error;

    fn encode(error: &AppError) -> Result<Bytes, Self::Error> {
        serde_json::to_vec(error).map(Bytes::from)
    }
}

impl Decodes<AppError> for AppErrorJson {
    type Error = String;

    #[cfg(not(feature = "readers"))]
    fn decode(bytes: Bytes) -> Result<AppError, String> {
        serde_json::from_slice(&bytes).map_err(|e| e.to_string())
    }

    #[cfg(feature = "readers")]
    fn decode(bytes: Bytes) -> Result<AppError, String> {
        in_browser::read(&bytes)
    }
}

/// The readers' bundle's reader of an error: it only asks for the timeline's windows
/// and cards, so it only ever shows an error's words.
#[cfg(feature = "readers")]
mod in_browser {
    use super::AppError;
    use leptos::server_fn::error::ServerFnErrorErr;
    use wasm_bindgen::{JsCast, JsValue};
    use web_sys::js_sys::{Array, Object, Reflect, JSON};

    pub(super) fn read(bytes: &[u8]) -> Result<AppError, String> {
        let text = std::str::from_utf8(bytes).map_err(|e| e.to_string())?;
        let not_ours = || format!("not an error this server sends: {text}");
        let value = JSON::parse(text).map_err(|_| not_ours())?;
        // Externally tagged: one key, the variant; its value the words or the fields.
        let entry = value
            .dyn_ref::<Object>()
            .map(|o| Object::entries(o).get(0))
            .and_then(|e| e.dyn_into::<Array>().ok())
            .ok_or_else(not_ours)?;
        let (variant, inner) = (entry.get(0).as_string().unwrap_or_default(), entry.get(1));
        let words = || inner.as_string().unwrap_or_default();
        let request_id = || {
            Reflect::get(&inner, &JsValue::from_str("request_id"))
                .ok()
                .and_then(|v| v.as_string())
                .unwrap_or_default()
        };
        Ok(match variant.as_str() {
            "Unauthorised" => AppError::Unauthorised(words()),
            "Forbidden" => AppError::Forbidden(words()),
            "NotFound" => AppError::NotFound(words()),
            "Conflict" => AppError::Conflict(words()),
            "BadRequest" => AppError::BadRequest(words()),
            "TooManyRequests" => AppError::TooManyRequests(words()),
            "Unavailable" => AppError::Unavailable {
                request_id: request_id(),
            },
            "Internal" => AppError::Internal {
                request_id: request_id(),
            },
            // Field errors answer editors' forms, and the framework's its own mistakes:
            // neither comes to the bundle's requests, so their JSON is shown as it is.
            _ => AppError::Framework(ServerFnErrorErr::ServerError(text.to_owned())),
        })
    }
}

/// A database failure as the caller should see it: passing trouble (unreachable, busy)
/// is 503, a value the database cannot take is the caller's to correct, anything else is
/// the server's, logged with the request's id.
#[cfg(feature = "ssr")]
impl From<crate::db::DbError> for AppError {
    fn from(e: crate::db::DbError) -> Self {
        use crate::db::DbError;
        let request_id = request_id();
        if e.is_unavailable() {
            tracing::warn!(error = %e, "database unavailable");
            return AppError::Unavailable { request_id };
        }
        if e.is_bad_value() {
            tracing::info!(error = %e, "a value the database cannot take");
            return AppError::BadRequest(
                "A value in this request cannot be stored or searched (a NUL character, or a number out of range). Remove it and try again.".into(),
            );
        }
        match e {
            DbError::NotFound(what) => AppError::NotFound(what.into()),
            DbError::Invalid { field, reason } => {
                AppError::Invalid(FieldErrors::one(field, reason))
            }
            e => {
                tracing::error!(error = %e, "database operation failed");
                AppError::Internal { request_id }
            }
        }
    }
}

#[cfg(feature = "ssr")]
impl AppError {
    /// The server's own failure outside the database (its state missing, a task lost).
    pub fn internal(what: impl std::fmt::Display) -> Self {
        tracing::error!(error = %what, "server function failed");
        AppError::Internal {
            request_id: request_id(),
        }
    }
}

/// The id the server gave this request (`x-request-id`), for messages a person can quote
/// in a report.
#[cfg(feature = "ssr")]
fn request_id() -> String {
    leptos::prelude::use_context::<axum::http::request::Parts>()
        .and_then(|p| {
            p.headers
                .get("x-request-id")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        })
        .unwrap_or_else(|| "-".into())
}
