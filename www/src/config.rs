//! Server settings, from flags or environment variables (`www --help` lists them).

use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Clone, Debug, clap::Parser)]
#[command(
    name = "www",
    about = "Bellhop's server: storefront demo, widget files, flows and API"
)]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "BELLHOP_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,

    /// Folder for the embedded SQLite database (created on first start).
    #[arg(long, env = "BELLHOP_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,

    /// Use this database instead of SQLite in the data folder, e.g. `postgres://…`.
    #[arg(long, env = "DATABASE_URL")]
    pub database_url: Option<String>,

    /// Folder holding the built widget (`cargo xtask dist` prints it).
    #[arg(long, env = "BELLHOP_WIDGET_DIR")]
    pub widget_dir: Option<PathBuf>,

    /// Folder of flow documents served under `/flows/`; without it the built-in demo flow is
    /// served as `/flows/demo.json`.
    #[arg(long, env = "BELLHOP_FLOWS_DIR")]
    pub flows_dir: Option<PathBuf>,
}
