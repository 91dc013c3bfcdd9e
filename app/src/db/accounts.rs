//! Accounts, sessions and failed sign-ins. Passwords are hashed with Argon2id off the
//! async threads; session tokens are random, and only their SHA-256 is stored.

use super::{stored, DbError, Pool};
use crate::domain::account::{AccountSummary, Editor, Email, NewPassword, Role};
use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use sha2::{Digest, Sha256};
use sqlx::PgConnection;
use std::sync::OnceLock;

/// How long a session lasts without signing in again.
pub const SESSION_DAYS: i32 = 14;
/// A session unused this long ends (a forgotten browser on a shared computer).
pub const SESSION_IDLE_HOURS: i32 = 12;
/// Failed sign-ins allowed per (account, address) pair and per address within the window.
pub const MAX_FAILURES: i64 = 5;
pub const FAILURE_WINDOW_MINUTES: i32 = 15;

/// Argon2id costs about 19 MiB and tens of milliseconds of a core per hash. At most one
/// hash per core runs at once; a request that cannot get a turn within `HASH_WAIT` is told
/// to come back (503) instead of piling up threads and memory.
const HASH_WAIT: std::time::Duration = std::time::Duration::from_secs(2);

fn hashing_turns() -> &'static tokio::sync::Semaphore {
    static TURNS: OnceLock<tokio::sync::Semaphore> = OnceLock::new();
    TURNS.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        tokio::sync::Semaphore::new(cores)
    })
}

/// Runs one password hash or check off the async threads, when a core is free for it.
async fn with_hashing_turn<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, DbError> {
    let turn = tokio::time::timeout(HASH_WAIT, hashing_turns().acquire())
        .await
        .map_err(|_| DbError::Busy)?
        .map_err(|_| DbError::Busy)?;
    let out = tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| DbError::Corrupt(format!("password hashing stopped: {e}")));
    drop(turn);
    out
}

async fn hash(password: String) -> Result<String, DbError> {
    with_hashing_turn(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| DbError::Corrupt(format!("password hashing failed: {e}")))
    })
    .await?
}

async fn verify(password: String, phc: String) -> Result<bool, DbError> {
    with_hashing_turn(move || {
        PasswordHash::new(&phc)
            .map(|h| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &h)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
}

/// A hash of a random password, so that checking an unknown email costs what checking a
/// wrong password costs.
async fn decoy_hash() -> Result<String, DbError> {
    static DECOY: OnceLock<String> = OnceLock::new();
    if let Some(h) = DECOY.get() {
        return Ok(h.clone());
    }
    let h = hash(random_hex(16)).await?;
    Ok(DECOY.get_or_init(|| h).clone())
}

/// Creates an account; an existing email is refused.
pub async fn create(
    conn: &mut PgConnection,
    email: &Email,
    display_name: &str,
    password: &NewPassword,
    role: Role,
) -> Result<i64, DbError> {
    let phc = hash(password.expose().to_owned()).await?;
    let id = sqlx::query_scalar!(
        r#"INSERT INTO users (email, display_name, password_hash, role)
           VALUES ($1, $2, $3, $4) ON CONFLICT (email) DO NOTHING RETURNING id"#,
        email.as_str(),
        display_name.trim(),
        phc,
        role.as_str()
    )
    .fetch_optional(conn)
    .await?;
    id.ok_or(DbError::Invalid {
        field: "email",
        reason: format!("an account for {email} exists already"),
    })
}

/// The account with this email and password, if both match and it is not disabled.
/// Unknown emails cost the same time as wrong passwords.
pub async fn authenticate(
    pool: &Pool,
    email: &Email,
    password: &str,
) -> Result<Option<Editor>, DbError> {
    let row = sqlx::query!(
        r#"SELECT id, email, display_name, role, password_hash FROM users
           WHERE email = $1 AND disabled_at IS NULL"#,
        email.as_str()
    )
    .fetch_optional(pool)
    .await?;
    let phc = match &row {
        Some(r) => r.password_hash.clone(),
        None => decoy_hash().await?,
    };
    let ok = verify(password.to_owned(), phc).await?;
    match row {
        Some(r) if ok => Ok(Some(Editor {
            id: r.id,
            email: stored(&r.email)?,
            display_name: r.display_name,
            role: stored(&r.role)?,
        })),
        _ => Ok(None),
    }
}

fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    OsRng.fill_bytes(&mut buf);
    hex::encode(buf)
}

fn token_digest(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A new session: the token for the cookie and the CSRF token for its forms.
pub struct NewSession {
    pub token: String,
    pub csrf_token: String,
}

pub async fn start_session(pool: &Pool, user_id: i64) -> Result<NewSession, DbError> {
    let token = random_hex(32);
    let csrf_token = random_hex(32);
    sqlx::query!(
        r#"INSERT INTO sessions (token_sha256, user_id, csrf_token, expires_at)
           VALUES ($1, $2, $3, now() + make_interval(days => $4))"#,
        token_digest(&token),
        user_id,
        csrf_token,
        SESSION_DAYS
    )
    .execute(pool)
    .await?;
    Ok(NewSession { token, csrf_token })
}

/// The signed-in editor and the session's CSRF token, for a live session token. A session
/// idle for `SESSION_IDLE_HOURS` is over; use keeps it alive (noted at most once a minute,
/// so reads do not become a write each).
pub async fn session(pool: &Pool, token: &str) -> Result<Option<(Editor, String)>, DbError> {
    let row = sqlx::query!(
        r#"WITH live AS (
             SELECT u.id, u.email, u.display_name, u.role, s.csrf_token, s.last_seen_at
             FROM sessions s JOIN users u ON u.id = s.user_id
             WHERE s.token_sha256 = $1 AND s.expires_at > now()
               AND s.last_seen_at > now() - make_interval(hours => $2)
               AND u.disabled_at IS NULL
           ), touched AS (
             UPDATE sessions SET last_seen_at = now()
             WHERE token_sha256 = $1 AND last_seen_at < now() - interval '1 minute'
               AND EXISTS (SELECT 1 FROM live)
           )
           SELECT id AS "id!", email AS "email!", display_name AS "display_name!",
                  role AS "role!", csrf_token AS "csrf_token!" FROM live"#,
        token_digest(token),
        SESSION_IDLE_HOURS
    )
    .fetch_optional(pool)
    .await?;
    row.map(|r| {
        Ok((
            Editor {
                id: r.id,
                email: stored(&r.email)?,
                display_name: r.display_name,
                role: stored(&r.role)?,
            },
            r.csrf_token,
        ))
    })
    .transpose()
}

pub async fn end_session(pool: &Pool, token: &str) -> Result<(), DbError> {
    sqlx::query!(
        "DELETE FROM sessions WHERE token_sha256 = $1",
        token_digest(token)
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// The throttle's keys for one sign-in: the (account, address) pair and the address. A
/// stranger's guesses from elsewhere never lock out the right password from an address
/// that has not failed.
pub fn throttle_keys(email: &str, address: &str) -> Vec<String> {
    vec![
        format!("pair:{email}|{address}"),
        format!("address:{address}"),
    ]
}

/// A sign-in attempt, counted as a failure until it succeeds.
pub struct Attempt {
    ids: Vec<i64>,
}

pub enum Throttle {
    /// Go ahead and check the password.
    Go(Attempt),
    /// Too many failures: seconds to wait.
    Wait(i64),
}

/// Counts this attempt first, then decides: attempts racing each other all see the ones
/// recorded before them, so no more than `MAX_FAILURES` per key get through a window
/// however many arrive at once.
pub async fn begin_attempt(pool: &Pool, keys: &[String]) -> Result<Throttle, DbError> {
    let ids = sqlx::query_scalar!(
        "INSERT INTO sign_in_failures (key) SELECT * FROM UNNEST($1::text[]) RETURNING id",
        keys
    )
    .fetch_all(pool)
    .await?;
    let over = sqlx::query_scalar!(
        r#"SELECT EXISTS (
             SELECT 1 FROM sign_in_failures
             WHERE key = ANY($1) AND at > now() - make_interval(mins => $2)
             GROUP BY key HAVING count(*) > $3
           ) AS "over!""#,
        keys,
        FAILURE_WINDOW_MINUTES,
        MAX_FAILURES
    )
    .fetch_one(pool)
    .await?;
    let attempt = Attempt { ids };
    if !over {
        return Ok(Throttle::Go(attempt));
    }
    // A refused attempt was never judged: it does not lengthen the wait.
    forget(pool, &attempt).await?;
    Ok(Throttle::Wait(
        wait_before_sign_in(pool, keys).await?.max(1),
    ))
}

async fn forget(pool: &Pool, attempt: &Attempt) -> Result<(), DbError> {
    sqlx::query!(
        "DELETE FROM sign_in_failures WHERE id = ANY($1)",
        &attempt.ids
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// A successful sign-in is no failure, and forgives the pair's earlier failures (not the
/// address's: other accounts guessed from there still count).
pub async fn succeeded(pool: &Pool, attempt: Attempt, pair_key: &str) -> Result<(), DbError> {
    sqlx::query!(
        "DELETE FROM sign_in_failures WHERE id = ANY($1) OR key = $2",
        &attempt.ids,
        pair_key
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Seconds until another sign-in may be tried for any of these keys (0: now).
pub async fn wait_before_sign_in(pool: &Pool, keys: &[String]) -> Result<i64, DbError> {
    let wait = sqlx::query_scalar!(
        r#"SELECT COALESCE(max(ceil(extract(epoch FROM
                   (oldest + make_interval(mins => $2)) - now()))), 0)::bigint AS "wait!"
           FROM (
             SELECT key, min(at) AS oldest FROM (
               SELECT key, at, row_number() OVER (PARTITION BY key ORDER BY at DESC) AS n
               FROM sign_in_failures
               WHERE key = ANY($1) AND at > now() - make_interval(mins => $2)
             ) recent WHERE n <= $3 GROUP BY key HAVING count(*) >= $3
           ) blocked"#,
        keys,
        FAILURE_WINDOW_MINUTES,
        MAX_FAILURES
    )
    .fetch_one(pool)
    .await?;
    Ok(wait.max(0))
}

/// Deletes sessions that are over and failures too old to count; the server runs it now
/// and then, so neither table grows without end.
pub async fn purge_expired(pool: &Pool) -> Result<u64, DbError> {
    let sessions = sqlx::query!(
        r#"DELETE FROM sessions WHERE expires_at <= now()
              OR last_seen_at <= now() - make_interval(hours => $1)"#,
        SESSION_IDLE_HOURS
    )
    .execute(pool)
    .await?
    .rows_affected();
    let failures = sqlx::query!(
        "DELETE FROM sign_in_failures WHERE at <= now() - make_interval(mins => $1)",
        FAILURE_WINDOW_MINUTES
    )
    .execute(pool)
    .await?
    .rows_affected();
    Ok(sessions + failures)
}

/// Every account, admins first, for the admin page.
pub async fn list(pool: &Pool) -> Result<Vec<AccountSummary>, DbError> {
    sqlx::query!(
        r#"SELECT id, email, display_name, role, disabled_at IS NOT NULL AS "disabled!"
           FROM users ORDER BY role, email"#
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|u| {
        Ok(AccountSummary {
            id: u.id,
            email: u.email,
            display_name: u.display_name,
            role: stored(&u.role)?,
            disabled: u.disabled,
        })
    })
    .collect()
}

/// Changes an account's role and whether it may sign in. Disabling ends its sessions at
/// once. Returns false when there is no such account.
pub async fn change(pool: &Pool, id: i64, role: Role, disabled: bool) -> Result<bool, DbError> {
    let mut tx = pool.begin().await?;
    let changed = sqlx::query!(
        r#"UPDATE users SET role = $2,
                  disabled_at = CASE WHEN $3 THEN COALESCE(disabled_at, now()) END
           WHERE id = $1"#,
        id,
        role.as_str(),
        disabled
    )
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if disabled {
        sqlx::query!("DELETE FROM sessions WHERE user_id = $1", id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(changed)
}
