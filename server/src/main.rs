//! `server` serves the app; `server load-demo` (re)loads the demo record;
//! `server generate [N] [SEED]` adds N synthetic events (default 100,000); `server migrate`
//! only brings the schema up to date.

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
        "migrate" => {
            server::database::connect_and_migrate().await?;
            println!("schema is up to date");
            Ok(())
        }
        other => Err(format!(
            "unknown command “{other}”; use serve, load-demo, generate or migrate"
        )
        .into()),
    }
}

async fn serve() -> Result<(), Box<dyn std::error::Error>> {
    let conf = get_configuration(None)?;
    let addr = conf.leptos_options.site_addr;
    let pool = server::database::connect_and_migrate().await?;
    if std::env::var("SANCTIONS_NO_DEMO").is_err() {
        if let Some(loaded) = server::demo::load_if_empty(&pool).await? {
            tracing::info!(events = loaded.events, "empty database: demo record loaded");
        }
    }
    let app = server::app(server::state(pool, conf.leptos_options));
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    tracing::info!("listening on http://{addr}");
    axum::serve(listener, app.into_make_service())
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}
