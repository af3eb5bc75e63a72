//! `www`: serves the demo storefront, the widget's files, flows and the API.

use clap::Parser;
use tracing_subscriber::EnvFilter;
use www::Config;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .init();
    let config = Config::parse();
    www::run(config).await
}
