//! Where the database comes from: `DATABASE_URL` when set; otherwise a project-local
//! PostgreSQL cluster under `.data/postgres`, created and started with the system's
//! initdb/pg_ctl on first use and reused (left running) afterwards.

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::PgPool;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum DatabaseError {
    #[error("no PostgreSQL binaries found (looked for initdb in /usr/lib/postgresql/*/bin and on PATH); install the `postgresql` package or set DATABASE_URL")]
    NoBinaries,
    #[error("`{command}` failed: {detail}")]
    Command { command: String, detail: String },
    #[error("could not connect to {url}: {source}")]
    Connect { url: String, source: sqlx::Error },
    #[error("migrations failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error(transparent)]
    Sqlx(#[from] sqlx::Error),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

pub const DEFAULT_PORT: u16 = 54329;
const DATABASE: &str = "sanctions";

/// Connects to `DATABASE_URL`, or to the local cluster (starting it if needed), and
/// brings the schema up to date. For commands (demo, generator): no time limits.
pub async fn connect_and_migrate() -> Result<PgPool, DatabaseError> {
    let url = database_url().await?;
    let pool = pool(&url, None).await?;
    sqlx::migrate!("../migrations").run(&pool).await?;
    Ok(pool)
}

/// How long a request waits for a connection, and how long one statement may run, while
/// serving: with the database down or stuck, requests fail fast (503) instead of hanging.
pub const ACQUIRE_TIMEOUT: Duration = Duration::from_millis(1_500);
pub const STATEMENT_TIMEOUT: Duration = Duration::from_secs(5);

/// The pool the server answers requests with: migrations first (unhurried, on their own
/// pool), then a pool whose connections give up quickly.
pub async fn connect_for_serving() -> Result<PgPool, DatabaseError> {
    serving_pool(&database_url().await?).await
}

/// `connect_for_serving` for a given database URL.
pub async fn serving_pool(url: &str) -> Result<PgPool, DatabaseError> {
    let url = url.to_owned();
    let migrating = pool(&url, None).await?;
    sqlx::migrate!("../migrations").run(&migrating).await?;
    migrating.close().await;
    pool(&url, Some(STATEMENT_TIMEOUT)).await
}

/// The migrations this build expects; `/readyz` compares them with the database's.
pub fn latest_migration() -> i64 {
    sqlx::migrate!("../migrations")
        .iter()
        .map(|m| m.version)
        .max()
        .unwrap_or(0)
}

async fn database_url() -> Result<String, DatabaseError> {
    match std::env::var("DATABASE_URL") {
        Ok(url) if !url.is_empty() => Ok(url),
        _ => {
            let dir = std::env::var("SANCTIONS_DATA_DIR")
                .map(PathBuf::from)
                .unwrap_or_else(|_| PathBuf::from(".data/postgres"));
            let port = std::env::var("SANCTIONS_PG_PORT")
                .ok()
                .and_then(|p| p.parse().ok())
                .unwrap_or(DEFAULT_PORT);
            LocalCluster::new(dir, port)?.ensure_running().await
        }
    }
}

async fn pool(url: &str, statement_timeout: Option<Duration>) -> Result<PgPool, DatabaseError> {
    // Every query here has optional filters written as `$n IS NULL OR ...`: a generic
    // plan cannot drop the unused branches, and Postgres switches prepared statements to
    // one after five runs. Custom plans keep the window queries on their indexes. JIT
    // compiling costs tens of milliseconds, more than any of these queries takes (a
    // 100,000-event "in force" list: 12 ms without, 100 ms with).
    let mut options = url
        .parse::<PgConnectOptions>()
        .map_err(|source| DatabaseError::Connect {
            url: redact(url),
            source,
        })?
        .options([("plan_cache_mode", "force_custom_plan"), ("jit", "off")]);
    let mut pool = PgPoolOptions::new().max_connections(16);
    if let Some(limit) = statement_timeout {
        options = options.options([("statement_timeout", format!("{}ms", limit.as_millis()))]);
        pool = pool.acquire_timeout(ACQUIRE_TIMEOUT);
    }
    pool.connect_with(options)
        .await
        .map_err(|source| DatabaseError::Connect {
            url: redact(url),
            source,
        })
}

/// The URL without its password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let creds = &url[scheme + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

pub struct LocalCluster {
    dir: PathBuf,
    port: u16,
    bin: PathBuf,
    /// PostgreSQL refuses to run as root; then every command runs as this system user.
    run_as: Option<String>,
}

impl LocalCluster {
    pub fn new(dir: PathBuf, port: u16) -> Result<Self, DatabaseError> {
        let dir = std::path::absolute(dir)?;
        let is_root = Command::new("id")
            .arg("-u")
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
            .unwrap_or(false);
        Ok(LocalCluster {
            dir,
            port,
            bin: find_bin_dir().ok_or(DatabaseError::NoBinaries)?,
            run_as: is_root.then(|| "postgres".to_owned()),
        })
    }

    fn run(&self, program: &str, args: &[&str]) -> Result<std::process::Output, DatabaseError> {
        let exe = self.bin.join(program);
        let mut cmd = match &self.run_as {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--"]).arg(&exe);
                c
            }
            None => Command::new(&exe),
        };
        let out = cmd.args(args).output()?;
        Ok(out)
    }

    fn check(&self, program: &str, args: &[&str]) -> Result<(), DatabaseError> {
        let out = self.run(program, args)?;
        if out.status.success() {
            Ok(())
        } else {
            Err(DatabaseError::Command {
                command: format!("{program} {}", args.join(" ")),
                detail: String::from_utf8_lossy(&out.stderr).trim().to_owned(),
            })
        }
    }

    /// Creates, starts and provisions the cluster as needed; returns its URL.
    pub async fn ensure_running(&self) -> Result<String, DatabaseError> {
        let dir = self.dir.to_string_lossy().into_owned();
        if !self.dir.join("PG_VERSION").exists() {
            std::fs::create_dir_all(&self.dir)?;
            if let Some(user) = &self.run_as {
                let parent = self.dir.parent().unwrap_or(Path::new("."));
                own(parent, user)?;
                own(&self.dir, user)?;
            }
            tracing::info!(%dir, "creating a local PostgreSQL cluster");
            self.check(
                "initdb",
                &[
                    "-D",
                    &dir,
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "-E",
                    "UTF8",
                    "--locale=C.UTF-8",
                ],
            )?;
        }
        let running = self
            .run("pg_ctl", &["-D", &dir, "status"])?
            .status
            .success();
        if !running {
            tracing::info!(%dir, port = self.port, "starting the local PostgreSQL cluster");
            let log = self.dir.join("server.log").to_string_lossy().into_owned();
            let opts = format!(
                "-c listen_addresses=127.0.0.1 -c port={} -c unix_socket_directories={dir}",
                self.port
            );
            self.check(
                "pg_ctl",
                &["-D", &dir, "-l", &log, "-o", &opts, "-w", "start"],
            )?;
        }
        let admin = format!("postgres://postgres@127.0.0.1:{}/postgres", self.port);
        let pool = PgPoolOptions::new()
            .max_connections(1)
            .connect(&admin)
            .await
            .map_err(|source| DatabaseError::Connect {
                url: admin.clone(),
                source,
            })?;
        let exists: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
                .bind(DATABASE)
                .fetch_one(&pool)
                .await?;
        if !exists {
            // Identifiers cannot be bound; DATABASE is a constant.
            sqlx::query(&format!(
                "CREATE DATABASE {DATABASE} ENCODING 'UTF8' TEMPLATE template0"
            ))
            .execute(&pool)
            .await?;
        }
        pool.close().await;
        Ok(format!(
            "postgres://postgres@127.0.0.1:{}/{DATABASE}",
            self.port
        ))
    }
}

impl LocalCluster {
    /// Stops the cluster (fast shutdown). `run` leaves it running for reuse; tests stop it.
    pub fn stop(&self) -> Result<(), DatabaseError> {
        let dir = self.dir.to_string_lossy().into_owned();
        self.check("pg_ctl", &["-D", &dir, "-m", "fast", "-w", "stop"])
    }
}

fn own(path: &Path, user: &str) -> Result<(), DatabaseError> {
    let status = Command::new("chown")
        .arg(format!("{user}:"))
        .arg(path)
        .status()?;
    if status.success() {
        Ok(())
    } else {
        Err(DatabaseError::Command {
            command: format!("chown {user}: {}", path.display()),
            detail: status.to_string(),
        })
    }
}

/// The newest `/usr/lib/postgresql/<version>/bin`, else the directory of `initdb` on PATH.
fn find_bin_dir() -> Option<PathBuf> {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let v = e.file_name().to_string_lossy().parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").exists().then_some((v, bin))
        })
        .collect();
    versions.sort();
    if let Some((_, bin)) = versions.pop() {
        return Some(bin);
    }
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .find(|p| p.join("initdb").exists() && p.join("pg_ctl").exists())
    })
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn passwords_never_reach_messages() {
        assert_eq!(
            redact("postgres://app:s3cret@db:5432/x"),
            "postgres://app:***@db:5432/x"
        );
        assert_eq!(redact("postgres://postgres@h/x"), "postgres://postgres@h/x");
    }
}
