//! Postgres access (server only). One module per table family, each owning its SQL.

/// A checked query (`query_as!` with `as Type`, else `query!`) that selects events by a
/// reader's [`EventFilter`](crate::domain::EventFilter). The filter's fields are bound as
/// `$1`..`$8`, in the order the SQL function `event_matches` takes them (migration
/// `in_force_filter`), so the query says `event_matches(e, $1, $2, $3, $4, $5, $6, $7, $8)`,
/// with NULL for a field it ignores; its own parameters follow from `$9`.
macro_rules! query_filtered {
    (@bind $($mac:ident)::+, [$($out:path)?], $filter:expr, $sql:tt $(, $arg:expr)*) => {{
        let f: &$crate::domain::EventFilter = $filter;
        $($mac)::+!(
            $($out,)?
            $sql,
            f.q.as_deref(),
            f.kind.map($crate::domain::EventKind::as_str),
            f.actor.as_deref(),
            f.authority.as_deref(),
            f.target.as_deref(),
            f.from,
            f.to,
            f.in_force
            $(, $arg)*
        )
    }};
    (as $out:path, $filter:expr, $sql:tt $(, $arg:expr)* $(,)?) => {
        query_filtered!(@bind sqlx::query_as, [$out], $filter, $sql $(, $arg)*)
    };
    ($filter:expr, $sql:tt $(, $arg:expr)* $(,)?) => {
        query_filtered!(@bind sqlx::query, [], $filter, $sql $(, $arg)*)
    };
}

pub mod accounts;
pub mod actors;
pub mod as_recorded;
pub mod changes;
pub mod citations;
pub mod events;
pub mod exports;
pub mod feeds;
pub mod in_force;
pub mod lifecycle;
pub mod pending;
pub mod revisions;
pub mod sitemap;
pub mod sources;
pub mod target_status;
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
    #[error("the server is busy; try again in a moment")]
    Busy,
    #[error(transparent)]
    Sqlx(#[from] sqlx::Error),
}

impl DbError {
    /// The database refused a value the request carried (class 22, data exception: a NUL
    /// character in text, a number out of range, ...): the caller's to correct, a 400.
    pub fn is_bad_value(&self) -> bool {
        matches!(self, DbError::Sqlx(sqlx::Error::Database(db))
            if db.code().is_some_and(|c| c.starts_with("22")))
    }

    /// The database cannot be reached or is too slow right now (as opposed to a query
    /// that is wrong): the request should be answered 503, to be retried.
    pub fn is_unavailable(&self) -> bool {
        match self {
            DbError::Busy => true,
            DbError::Sqlx(e) => is_unavailable(e),
            _ => false,
        }
    }
}

/// Connection trouble, a pool that could not hand out a connection in time, or a
/// statement cancelled by its timeout.
pub fn is_unavailable(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => true,
        sqlx::Error::Tls(_) | sqlx::Error::WorkerCrashed => true,
        // 57014 query_canceled (statement_timeout); class 08 connection exceptions;
        // 57P01-57P03 admin shutdown, crash shutdown, cannot connect now; 53300 too many
        // connections.
        sqlx::Error::Database(db) => db.code().is_some_and(|c| {
            c == "57014" || c.starts_with("08") || c.starts_with("57P") || c == "53300"
        }),
        _ => false,
    }
}

/// Reads a stored word (kind, precision, role) back into its domain type.
pub(crate) fn stored<T: std::str::FromStr>(value: &str) -> Result<T, DbError> {
    value
        .parse()
        .map_err(|_| DbError::Corrupt(format!("unexpected stored value “{value}”")))
}
