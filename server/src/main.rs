//! `server` serves the app; `server load-demo` (re)loads the demo record;
//! `server generate [N] [SEED]` adds N synthetic events (default 100,000);
//! `server create-admin EMAIL NAME` creates an admin account; `server migrate` only brings
//! the schema up to date.

use leptos::prelude::get_configuration;
use std::process::ExitCode;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info")),
        )
        .init();
    let command = std::env::args().nth(1).unwrap_or_else(|| "serve".into());
    match run(&command).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: &str) -> Result<(), Box<dyn std::error::Error>> {
    match command {
        "serve" => serve().await,
        "load-demo" => {
            let pool = server::database::connect_and_migrate().await?;
            let loaded = server::demo::load(&pool).await?;
            println!(
                "demo record loaded: {} sources, {} events, {} citations",
                loaded.sources, loaded.events, loaded.citations
            );
            Ok(())
        }
        "generate" => {
            let n = match std::env::args().nth(2) {
                Some(n) => n
                    .parse()
                    .map_err(|_| format!("“{n}” is not a number of events"))?,
                None => 100_000,
            };
            let seed = std::env::args()
                .nth(3)
                .map(|s| s.parse::<u64>())
                .transpose()
                .map_err(|_| "the seed must be a whole number")?
                .unwrap_or(1);
            let pool = server::database::connect_and_migrate().await?;
            let started = std::time::Instant::now();
            server::synthetic::generate(&pool, n, seed).await?;
            println!("{n} synthetic events written in {:.1?}", started.elapsed());
            Ok(())
        }
        "create-admin" => {
            let mut args = std::env::args().skip(2);
            let (Some(email), Some(name)) = (args.next(), args.next()) else {
                return Err("usage: server create-admin EMAIL \"DISPLAY NAME\" (password from ADMIN_PASSWORD or standard input)".into());
            };
            let password = match std::env::var("ADMIN_PASSWORD") {
                Ok(p) => p,
                Err(_) => {
                    eprintln!("password (at least 12 characters):");
                    let mut line = String::new();
                    std::io::stdin().read_line(&mut line)?;
                    line.trim_end_matches(['\r', '\n']).to_owned()
                }
            };
            let email: app::domain::account::Email = email.parse()?;
            let password: app::domain::account::NewPassword = password.parse()?;
            let pool = server::database::connect_and_migrate().await?;
            let mut conn = pool.acquire().await?;
            app::db::accounts::create(
                &mut conn,
                &email,
                &name,
                &password,
                app::domain::account::Role::Admin,
            )
            .await?;
            println!("admin account {email} created");
            Ok(())
        }
        "migrate" => {
            server::database::connect_and_migrate().await?;
            println!("schema is up to date");
            Ok(())
        }
        other => Err(format!(
            "unknown command “{other}”; use serve, load-demo, generate, create-admin or migrate"
        )
        .into()),
    }
}

async fn serve() -> Result<(), Box<dyn std::error::Error>> {
    let conf = get_configuration(None)?;
    let addr = conf.leptos_options.site_addr;
    let pool = server::database::connect_for_serving().await?;
    let start_up = server::demo::StartUp::from_env();
    if let Some(loaded) = start_up.prepare(&pool).await? {
        tracing::info!(events = loaded.events, "empty database: demo record loaded");
    }
    if start_up.editor {
        tracing::info!(
            email = server::demo::DEMO_EDITOR_EMAIL,
            "demo mode: demo editor account ready"
        );
    }
    tokio::spawn(purge_expired_now_and_then(pool.clone()));
    let site = server::site(server::state(pool.clone(), conf.leptos_options));
    site.page_cache.follow_changes(pool);
    let app = site.router;
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    tracing::info!("listening on http://{addr}");
    // The peer address feeds the per-address sign-in throttle.
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    tracing::info!("stopped: requests in flight were answered");
    Ok(())
}

/// Ctrl-C or SIGTERM: stop accepting, let requests in flight finish.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down");
}

/// Ended sessions and stale failed sign-ins go, so the tables stay small.
async fn purge_expired_now_and_then(pool: sqlx::PgPool) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(600));
    loop {
        every.tick().await;
        match app::db::accounts::purge_expired(&pool).await {
            Ok(n) if n > 0 => tracing::info!(rows = n, "purged ended sessions and old failures"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "purging ended sessions failed; will retry"),
        }
    }
}
