//! Bellhop's server.
//!
//! [`app`] builds the whole HTTP surface as one axum `Router`, so tests can call it with
//! `oneshot` and no socket; [`serve`] binds it to an address. Routes live in small modules:
//! the widget's [`api`], the agents' [`inbox`], the demo [`storefront`], the widget's files
//! ([`assets`]) and the [`flows`]. Only [`orders`], [`conversations`], [`agents`] and
//! [`webhooks`] know SQL.

pub mod agents;
pub mod api;
mod assets;
pub mod clock;
pub mod cluster;
mod config;
pub mod console;
pub mod conversations;
pub mod db;
pub mod flows;
pub mod inbox;
pub mod insights;
pub mod mail;
pub mod metrics;
pub mod orders;
pub mod secrets;
pub mod server;
pub mod staff;
mod storefront;
pub mod webhooks;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use axum::http::{HeaderValue, header};
use axum::{Router, extract::State, http::StatusCode, routing::get};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

pub use config::{AgentCommand, Command, Config, FlowsCommand, LogFormat, OrdersCommand};
pub use db::Db;

use api::limits::RateLimit;
use conversations::Conversations;
use flow_runtime::hours::BusinessHours;

/// Everything a request handler may need.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub widget_dir: Option<PathBuf>,
    pub flows: flows::Flows,
    pub conversations: Conversations,
    pub settings: Arc<Settings>,
    pub limits: Limits,
    /// Where the assistants are installed: the origins the API answers (CORS).
    pub origins: flows::origins::Origins,
    /// Order lookups, from the configured shop system or the imported orders.
    pub orders: orders::lookups::Lookups,
    /// Who of the team has the inbox open here.
    pub presence: staff::presence::Presence,
    /// This instance among others on one PostgreSQL (who is here on any of them).
    pub cluster: cluster::Cluster,
    /// Set when this instance stops: live streams end with a retry hint.
    pub stopping: server::Stopping,
    /// This instance's counters for `/metrics`.
    pub metrics: metrics::Metrics,
}

/// The settings handlers read (from [`Config`]).
#[derive(Clone, Debug)]
pub struct Settings {
    pub hours: BusinessHours,
    /// How many proxies of ours stand in front (0: none; trust no `X-Forwarded-For`).
    pub trust_proxy: u8,
    pub secure_cookies: bool,
    pub webhooks: bool,
    /// Whether emails are sent (`--smtp-url`).
    pub email: bool,
    /// The Bearer token of `/metrics` (`None`: served only on `--metrics-addr`).
    pub metrics_token: Option<secrets::Secret>,
    pub insights_days: u32,
}

#[derive(Clone)]
pub struct Limits {
    pub lookup_by_client: RateLimit,
    pub lookup_by_order: RateLimit,
    pub handoff_by_client: RateLimit,
    pub insights_by_client: RateLimit,
    pub logins: inbox::throttle::LoginThrottle,
    /// A live conversation's messages, email changes and ratings.
    pub messages: api::limits::PerConversation,
    pub emails: api::limits::PerConversation,
    pub ratings: api::limits::PerConversation,
    pub streams: api::limits::StreamCap,
}

impl AppState {
    /// Fails when the configuration names an order source incompletely.
    pub fn new(db: Db, config: &Config) -> anyhow::Result<AppState> {
        let webhooks = config.webhook_url.is_some();
        let outgoing = config.outgoing().map_err(anyhow::Error::msg)?;
        let limits = Limits {
            lookup_by_client: RateLimit::per_minute(config.lookups_per_minute)
                .for_deployment(&db, "lookup_by_client"),
            lookup_by_order: RateLimit::per_minute(config.lookups_per_order_per_minute)
                .for_deployment(&db, "lookup_by_order"),
            handoff_by_client: RateLimit::per_minute(config.handoffs_per_minute)
                .for_deployment(&db, "handoff_by_client"),
            insights_by_client: RateLimit::per_minute(config.insights_per_minute)
                .for_deployment(&db, "insights_by_client"),
            logins: inbox::throttle::LoginThrottle::default().for_deployment(&db),
            // A person types a few messages a minute; a script types thousands.
            messages: api::limits::PerConversation::per_minute(
                config.messages_per_minute,
                config.messages_per_minute.saturating_mul(2),
            )
            .for_deployment(&db, "messages"),
            emails: api::limits::PerConversation::per_minute(
                config.changes_per_minute,
                config.changes_per_minute.saturating_mul(4),
            )
            .for_deployment(&db, "emails"),
            ratings: api::limits::PerConversation::per_minute(
                config.changes_per_minute,
                config.changes_per_minute.saturating_mul(4),
            )
            .for_deployment(&db, "ratings"),
            // A few tabs per conversation; a shared office address has several shoppers.
            streams: api::limits::StreamCap::new(4, 40),
        };
        Ok(AppState {
            orders: orders::lookups_for(&db, config)?,
            presence: staff::presence::Presence::default(),
            cluster: cluster::Cluster::new(db.clone()),
            metrics: metrics::Metrics::default(),
            stopping: server::Stopping::default(),
            conversations: Conversations::new(db.clone(), webhooks, outgoing.clone()),
            widget_dir: config.widget_dir.clone(),
            flows: flows::Flows::new(db.clone(), config.flows_dir.clone()),
            origins: flows::origins::Origins::new(db.clone(), &config.allowed_origins),
            settings: Arc::new(Settings {
                hours: config.hours(),
                trust_proxy: config.trust_proxy,
                secure_cookies: config.secure_cookies,
                webhooks,
                email: outgoing.is_some(),
                metrics_token: config.metrics_token.clone(),
                insights_days: config.insights_days,
            }),
            db,
            limits,
        })
    }
}

/// The whole HTTP surface.
pub fn app(state: AppState) -> Router {
    Router::new()
        .merge(storefront::routes())
        .nest_service("/bellhop", assets::service(state.widget_dir.as_deref()))
        .merge(flows::routes())
        .merge(api::router(&state))
        .merge(inbox::routes())
        .merge(console::routes())
        .route("/healthz", get(healthz))
        .route("/readyz", get(healthz))
        .route("/metrics", get(metrics::metrics))
        // The inbox's and the console's tab icon (browsers also ask for /favicon.ico).
        .route("/bellhop-icon.svg", get(icon))
        .route("/favicon.ico", get(icon))
        .fallback(not_found_page)
        // On every response: browsers take content types as they are (no sniffing a JSON
        // error or a flow into a script), and send no full URL to other sites.
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            metrics::track,
        ))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

async fn icon() -> impl axum::response::IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        include_str!("icon.svg"),
    )
}

/// Every 404 has a body: a page for people (under `/api/v1`, the API's JSON instead).
async fn not_found_page() -> (StatusCode, axum::response::Html<&'static str>) {
    (
        StatusCode::NOT_FOUND,
        axum::response::Html(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Not found · Bellhop</title></head><body><main><h1>Not found</h1><p>There is no page at this address. The agent inbox is at <a href=\"/inbox\">/inbox</a>, the merchant console at <a href=\"/console\">/console</a>.</p></main></body></html>",
        ),
    )
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

/// Runs the command the configuration names (serving by default).
pub async fn run(config: Config) -> anyhow::Result<()> {
    let command = match config.command.clone() {
        Some(Command::Owner(config::OwnerCommand::Add { email, name })) => {
            Some(Command::Agent(AgentCommand::Add {
                email,
                name,
                owner: true,
            }))
        }
        command => command,
    };
    match command {
        None | Some(Command::Serve) => serve(config).await,
        Some(Command::Owner(_)) => unreachable!("made an `agent add --owner` above"),
        Some(Command::Agent(AgentCommand::Add { email, name, owner })) => {
            let db = Db::open(&config).await?;
            let password = match std::env::var("BELLHOP_AGENT_PASSWORD") {
                Ok(p) => p,
                Err(_) => {
                    eprintln!("Password for {email} (then Enter):");
                    let mut line = String::new();
                    std::io::stdin().read_line(&mut line)?;
                    line.trim_end_matches(['\r', '\n']).to_owned()
                }
            };
            let role = owner.then_some(agents::Role::Owner);
            let agent = agents::add_with_role(&db, &email, &name, &password, role).await?;
            match agent.role {
                agents::Role::Owner => println!(
                    "owner {} <{}> can log in at /console (and /inbox)",
                    agent.name, agent.email
                ),
                agents::Role::Agent => println!(
                    "agent {} <{}> can log in at /inbox",
                    agent.name, agent.email
                ),
            }
            Ok(())
        }
        Some(Command::Agent(AgentCommand::List)) => {
            let db = Db::open(&config).await?;
            for a in agents::list(&db).await? {
                println!("{}\t{}\t{}", a.email, a.name, a.role.as_str());
            }
            Ok(())
        }
        Some(Command::Flows(command)) => {
            let db = Db::open(&config).await?;
            flows::admin::run(&db, command).await
        }
        Some(Command::Backup { file }) => {
            let db = Db::open(&config).await?;
            db.backup(&file).await?;
            println!("backed up the database to {}", file.display());
            Ok(())
        }
        Some(Command::Orders(OrdersCommand::Import { file })) => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("cannot read {}", file.display()))?;
            let parsed = orders::import::parse(&text).map_err(|problems| {
                anyhow::anyhow!(
                    "{} has problems; nothing was imported:\n  {}",
                    file.display(),
                    problems.join("\n  ")
                )
            })?;
            let db = Db::open(&config).await?;
            for order in &parsed {
                orders::upsert(&db, order).await?;
            }
            println!("imported {} orders from {}", parsed.len(), file.display());
            Ok(())
        }
    }
}

/// Fills an empty store with the demo's orders and agent.
pub async fn seed_demo(db: &Db) -> anyhow::Result<()> {
    // Several instances may start at once on one PostgreSQL: they take turns, and the
    // later ones find the demo there.
    db.exclusively(SEED_LOCK, seed_demo_now(db)).await
}

/// The advisory lock's key for seeding ("bellhop!" as a number).
const SEED_LOCK: i64 = 0x62656c6c686f7021;

async fn seed_demo_now(db: &Db) -> anyhow::Result<()> {
    if orders::count(db).await? == 0 {
        for order in orders::demo::orders(clock::now_ms()) {
            orders::upsert(db, &order).await?;
        }
    }
    let accounts = agents::list(db).await?;
    if accounts.is_empty() {
        agents::add(
            db,
            orders::demo::AGENT_EMAIL,
            orders::demo::AGENT_NAME,
            orders::demo::AGENT_PASSWORD,
        )
        .await?;
    }
    if !accounts.iter().any(|a| a.role == agents::Role::Owner) {
        agents::add_with_role(
            db,
            orders::demo::OWNER_EMAIL,
            orders::demo::OWNER_NAME,
            orders::demo::OWNER_PASSWORD,
            Some(agents::Role::Owner),
        )
        .await?;
    }
    Ok(())
}

/// Opens the database, binds `config.addr` and serves until Ctrl-C or SIGTERM.
pub async fn serve(config: Config) -> anyhow::Result<()> {
    let db = Db::open(&config).await?;
    match &config.widget_dir {
        Some(dir) if dir.join("bellhop.js").is_file() => {}
        Some(dir) => tracing::warn!("no bellhop.js in {}: run `cargo xtask dist`", dir.display()),
        None if assets::embedded_widget() => {
            tracing::info!("serving the widget built into this binary")
        }
        None => tracing::warn!(
            "no --widget-dir given and no widget built in: /bellhop/ serves nothing (cargo xtask release builds one that carries it)"
        ),
    }
    if config.demo {
        seed_demo(&db).await?;
    }
    let state = AppState::new(db.clone(), &config)?;
    state.flows.import_all().await?;
    match (&config.webhook_url, &config.webhook_secret) {
        (Some(url), Some(secret)) => {
            let worker = webhooks::Worker::new(db.clone(), url.clone(), secret.clone());
            tokio::spawn(worker.run(state.conversations.subscribe(), Duration::from_secs(5)));
        }
        (Some(_), None) => anyhow::bail!(
            "--webhook-url needs --webhook-secret (BELLHOP_WEBHOOK_SECRET) to sign deliveries"
        ),
        _ => {}
    }
    if let Some(url) = &config.smtp_url {
        let worker = mail::worker::Worker::new(
            db.clone(),
            url,
            config.mail_from.as_deref().unwrap_or_default(),
            config.team_email.as_deref(),
        )
        .map_err(anyhow::Error::msg)?;
        tokio::spawn(worker.run(state.conversations.subscribe(), Duration::from_secs(5)));
    }
    if let Some(addr) = config.metrics_addr {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .with_context(|| format!("cannot listen on {addr} for metrics"))?;
        let metrics_state = state.clone();
        let private = Router::new().route(
            "/metrics",
            get(move || {
                let state = metrics_state.clone();
                async move { metrics::exposition(&state).await }
            }),
        );
        tokio::spawn(async move {
            if let Err(e) = axum::serve(listener, private).await {
                tracing::error!("metrics listener: {e}");
            }
        });
    }
    // Live handoffs nobody takes in time become email promises.
    if config.unanswered_seconds > 0 {
        let conversations = state.conversations.clone();
        let after = i64::try_from(config.unanswered_seconds).unwrap_or(i64::MAX / 2) * 1000;
        tokio::spawn(async move {
            let mut every = tokio::time::interval(Duration::from_secs(10));
            loop {
                every.tick().await;
                if let Err(e) = conversations.sweep_unanswered(after, clock::now_ms()).await {
                    tracing::error!("unanswered handoffs: {e}");
                }
            }
        });
    }
    // Old insights and idle rate-limit counts go, once an hour in the whole deployment.
    {
        let db = db.clone();
        let cluster = state.cluster.clone();
        let days = config.insights_days;
        tokio::spawn(async move {
            let mut every = tokio::time::interval(Duration::from_secs(60));
            loop {
                every.tick().await;
                match cluster.once_per("prune", clock::HOUR_MS).await {
                    Ok(true) => {
                        let now = clock::now_ms();
                        if let Err(e) = insights::prune(&db, days, now).await {
                            tracing::error!("pruning insights: {e}");
                        }
                        let limits = api::limits::prune(&db, now).await;
                        let logins = inbox::throttle::prune(&db, now).await;
                        if let Some(e) = limits.err().or(logins.err()) {
                            tracing::error!("pruning counts: {e}");
                        }
                    }
                    Ok(false) => {}
                    Err(e) => tracing::error!("pruning: {e}"),
                }
            }
        });
    }
    // Several instances on one PostgreSQL: events and who is here reach them all.
    if db.backend() == db::Backend::Postgres {
        tokio::spawn(state.cluster.clone().listen(state.conversations.clone()));
        let (presence, streams) = (state.presence.clone(), state.limits.streams.clone());
        let changed = [presence.changed.clone(), streams.changed.clone()];
        tokio::spawn(
            state
                .cluster
                .clone()
                .heartbeat(move || (presence.here(), streams.followed()), changed),
        );
    }
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .with_context(|| format!("cannot listen on {}", config.addr))?;
    let addr = listener.local_addr()?;
    tracing::info!("Bellhop is serving on http://{addr}/ (inbox: http://{addr}/inbox)");
    let limits = server::Limits {
        header: Duration::from_secs(config.header_timeout),
        body: Duration::from_secs(config.body_timeout),
        connections: config.max_connections,
    };
    // On SIGTERM, live streams end with a retry hint (their browsers reconnect, to another
    // instance behind a load balancer, missing nothing); requests in flight get a moment.
    let stopping = state.stopping.clone();
    let cluster = state.cluster.clone();
    let stop = async move {
        shutdown_signal().await;
        tracing::info!("stopping: ending event streams with a retry hint");
        stopping.stop();
        cluster.leave().await;
    };
    server::run(listener, app(state), limits, stop, Duration::from_secs(2)).await?;
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
