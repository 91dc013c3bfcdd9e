//! `server` serves the app; `server load-demo` (re)loads the demo record; `server migrate`
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
        "migrate" => {
            server::database::connect_and_migrate().await?;
            println!("schema is up to date");
            Ok(())
        }
        other => Err(format!("unknown command “{other}”; use serve, load-demo or migrate").into()),
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
