//! Bellhop's server.
//!
//! [`app`] builds the whole HTTP surface as one axum `Router`, so tests can call it with
//! `oneshot` and no socket; [`serve`] binds it to an address. Routes live in small modules:
//! the demo [`storefront`], the widget's files ([`assets`]) and the [`flows`].

mod assets;
mod config;
pub mod db;
pub mod flows;
mod storefront;

use std::path::PathBuf;

use axum::{Router, extract::State, http::StatusCode, routing::get};
use tower_http::trace::TraceLayer;

pub use config::Config;
pub use db::Db;

/// Everything a request handler may need.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub widget_dir: Option<PathBuf>,
    pub flows: flows::Flows,
}

/// The whole HTTP surface.
pub fn app(state: AppState) -> Router {
    Router::new()
        .merge(storefront::routes())
        .nest_service("/bellhop", assets::service(state.widget_dir.as_deref()))
        .merge(flows::routes())
        .route("/healthz", get(healthz))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Ready when the database answers.
async fn healthz(State(state): State<AppState>) -> StatusCode {
    match state.db.ping().await {
        Ok(()) => StatusCode::NO_CONTENT,
        Err(e) => {
            tracing::error!("health check: {e}");
            StatusCode::SERVICE_UNAVAILABLE
        }
    }
}

/// Opens the database, binds `config.addr` and serves until Ctrl-C or SIGTERM.
pub async fn serve(config: Config) -> anyhow::Result<()> {
    let db = Db::open(&config).await?;
    match &config.widget_dir {
        Some(dir) if dir.join("bellhop.js").is_file() => {}
        Some(dir) => tracing::warn!("no bellhop.js in {}: run `cargo xtask dist`", dir.display()),
        None => tracing::warn!("no --widget-dir given: /bellhop/ serves nothing"),
    }
    let flows = flows::Flows::new(config.flows_dir.clone());
    flows.check_all().await;
    let state = AppState {
        db,
        widget_dir: config.widget_dir.clone(),
        flows,
    };
    let listener = tokio::net::TcpListener::bind(config.addr).await?;
    let addr = listener.local_addr()?;
    tracing::info!("Bellhop is serving on http://{addr}/");
    axum::serve(listener, app(state))
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
