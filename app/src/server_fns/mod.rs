//! Every server function, grouped by what it serves. Each runs on the server (its body
//! and `#[cfg(feature = "ssr")]` helpers sit beside it) and is called from pages in the
//! browser and during server rendering alike. All answer `Result<T, AppError>`: refused
//! input a form shows field by field is an `Ok` outcome (`EventOutcome::Invalid`, ...),
//! everything else that stops a call is an [`AppError`] with its HTTP status.
//!
//! URLs are fixed (`/api/{endpoint}`): browser tests, forms without JavaScript and
//! `server/tests` post to them.

pub mod accounts;
pub mod actors;
pub mod error;
pub mod events;
pub mod history;
pub mod record;
pub mod review;
pub mod session;
pub mod sources;

pub use error::AppError;
#[cfg(feature = "ssr")]
pub use session::gate;
