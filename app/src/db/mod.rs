//! Postgres access (server only). One module per table family, each owning its SQL.

pub mod accounts;
pub mod actors;
pub mod citations;
pub mod events;
pub mod revisions;
pub mod sources;
pub mod timeline;

use crate::domain::citation::QuoteError;

pub type Pool = sqlx::PgPool;

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("citation refused: {0}")]
    Quote(#[from] QuoteError),
    #[error("invalid {field}: {reason}")]
    Invalid { field: &'static str, reason: String },
    #[error("the database holds a value this version cannot read: {0}")]
    Corrupt(String),
    #[error(transparent)]
    Sqlx(#[from] sqlx::Error),
}

/// Reads a stored word (kind, precision, role) back into its domain type.
pub(crate) fn stored<T: std::str::FromStr>(value: &str) -> Result<T, DbError> {
    value
        .parse()
        .map_err(|_| DbError::Corrupt(format!("unexpected stored value “{value}”")))
}
