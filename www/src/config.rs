//! Server settings, from flags or environment variables (`www --help` lists them), and the
//! administrative commands (`www agent add`, `www orders import`).

use std::net::SocketAddr;
use std::path::PathBuf;

use flow_runtime::hours::BusinessHours;

use crate::secrets::Secret;

#[derive(Clone, Debug, clap::Parser)]
#[command(
    name = "www",
    about = "Bellhop's server: the API the widget calls, the agent inbox, the demo storefront"
)]
pub struct Config {
    /// Address to listen on.
    #[arg(
        long,
        env = "BELLHOP_ADDR",
        default_value = "127.0.0.1:8080",
        global = true
    )]
    pub addr: SocketAddr,

    /// Folder for the embedded SQLite database (created on first start).
    #[arg(long, env = "BELLHOP_DATA_DIR", default_value = "data", global = true)]
    pub data_dir: PathBuf,

    /// Use this database instead of SQLite in the data folder, e.g. `postgres://…`.
    #[arg(long, env = "DATABASE_URL", global = true)]
    pub database_url: Option<String>,

    /// Folder holding the built widget (`cargo xtask dist` prints it).
    #[arg(long, env = "BELLHOP_WIDGET_DIR")]
    pub widget_dir: Option<PathBuf>,

    /// Folder of flow documents served under `/flows/`; without it the built-in demo flow is
    /// served as `/flows/demo.json`.
    #[arg(long, env = "BELLHOP_FLOWS_DIR")]
    pub flows_dir: Option<PathBuf>,

    /// Storefront origins allowed to call the API from their pages, comma separated
    /// (`https://shop.example,https://www.shop.example`). Pages served by `www` itself
    /// always may.
    #[arg(long, env = "BELLHOP_ALLOWED_ORIGINS", value_delimiter = ',')]
    pub allowed_origins: Vec<String>,

    /// When a person answers handoffs live: `mon-fri 09:00-17:30, sat 10:00-14:00`,
    /// `always` or `never`. Outside them the shopper is told the team will email.
    #[arg(long, env = "BELLHOP_BUSINESS_HOURS", default_value = "always", value_parser = parse_hours)]
    pub business_hours: String,

    /// The store's time zone for business hours, as an offset from UTC (`+01:00`).
    #[arg(long, env = "BELLHOP_UTC_OFFSET", default_value = "0", value_parser = parse_offset, allow_hyphen_values = true)]
    pub utc_offset: i32,

    /// Where to POST conversation events (created, shopper message, closed) for a help desk.
    #[arg(long, env = "BELLHOP_WEBHOOK_URL")]
    pub webhook_url: Option<String>,

    /// The secret that signs webhook deliveries (HMAC-SHA256); required with a webhook URL.
    #[arg(long, env = "BELLHOP_WEBHOOK_SECRET", hide_env_values = true)]
    pub webhook_secret: Option<String>,

    /// Look orders up live in this Shopify store (`https://your-store.myshopify.com`), with
    /// a custom app's Admin API token (`read_orders`).
    #[arg(long, env = "BELLHOP_SHOPIFY_STORE", value_parser = parse_http_url)]
    pub shopify_store: Option<String>,

    /// The Shopify custom app's Admin API access token (`shpat_…`).
    #[arg(long, env = "BELLHOP_SHOPIFY_TOKEN", hide_env_values = true)]
    pub shopify_token: Option<Secret>,

    /// Look orders up live in this WooCommerce store (`https://shop.example`), with a REST
    /// API key that has Read access.
    #[arg(long, env = "BELLHOP_WOOCOMMERCE_URL", value_parser = parse_http_url)]
    pub woocommerce_url: Option<String>,

    /// The WooCommerce REST API consumer key (`ck_…`).
    #[arg(long, env = "BELLHOP_WOOCOMMERCE_KEY", hide_env_values = true)]
    pub woocommerce_key: Option<Secret>,

    /// The WooCommerce REST API consumer secret (`cs_…`).
    #[arg(long, env = "BELLHOP_WOOCOMMERCE_SECRET", hide_env_values = true)]
    pub woocommerce_secret: Option<Secret>,

    /// Look orders up live in your own service: `GET {url}?number=…&email=…`, signed like
    /// the webhooks, answering an `Order` or 404 (openapi.json, `lookUpOrder`'s callback).
    #[arg(long, env = "BELLHOP_ORDERS_URL", value_parser = parse_http_url)]
    pub orders_url: Option<String>,

    /// The secret that signs requests to your order service (HMAC-SHA256).
    #[arg(long, env = "BELLHOP_ORDERS_SECRET", hide_env_values = true)]
    pub orders_secret: Option<Secret>,

    /// How long a live lookup's answer is reused for the same order (0: never).
    #[arg(long, env = "BELLHOP_ORDERS_CACHE_SECONDS", default_value_t = 30)]
    pub orders_cache_seconds: u64,

    /// Send email through this SMTP server: `smtp://user:pass@mail.example:587` (STARTTLS),
    /// `smtps://user:pass@mail.example:465` (TLS), `smtp://127.0.0.1:2525` (a local relay).
    #[arg(long, env = "BELLHOP_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<Secret>,

    /// Who emails come from: `Fernhill Outfitters <help@fernhill.example>`.
    #[arg(long, env = "BELLHOP_MAIL_FROM")]
    pub mail_from: Option<String>,

    /// Where shoppers' replies to emails go (Reply-To): the team's shared address.
    #[arg(long, env = "BELLHOP_TEAM_EMAIL")]
    pub team_email: Option<String>,

    /// The address this server is reached at by its people (`https://help.shop.example`):
    /// the start of the inbox links in emails. Default: `http://` and `--addr`.
    #[arg(long, env = "BELLHOP_PUBLIC_URL", value_parser = parse_http_url)]
    pub public_url: Option<String>,

    /// Seconds a live handoff may wait for a person before the shopper is promised an email
    /// instead and the team is emailed (0: never).
    #[arg(long, env = "BELLHOP_UNANSWERED_SECONDS", default_value_t = 120)]
    pub unanswered_seconds: u64,

    /// Serve `/metrics` to requests with `Authorization: Bearer <this token>`.
    #[arg(long, env = "BELLHOP_METRICS_TOKEN", hide_env_values = true)]
    pub metrics_token: Option<Secret>,

    /// Serve `/metrics` (without a token) on this address of its own, such as a private
    /// network's `10.0.0.5:9090`.
    #[arg(long, env = "BELLHOP_METRICS_ADDR")]
    pub metrics_addr: Option<SocketAddr>,

    /// How log lines are written: `text` for people, `json` for a log collector (one JSON
    /// object per line: timestamp, level, target, message and fields).
    #[arg(long, env = "BELLHOP_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,

    /// Order lookups allowed per minute from one client address.
    #[arg(long, env = "BELLHOP_LOOKUPS_PER_MINUTE", default_value_t = 10)]
    pub lookups_per_minute: u32,

    /// Order lookups allowed per minute for one order number, from anywhere.
    #[arg(
        long,
        env = "BELLHOP_LOOKUPS_PER_ORDER_PER_MINUTE",
        default_value_t = 5
    )]
    pub lookups_per_order_per_minute: u32,

    /// Handoffs allowed per minute from one client address.
    #[arg(long, env = "BELLHOP_HANDOFFS_PER_MINUTE", default_value_t = 10)]
    pub handoffs_per_minute: u32,

    /// A live conversation's messages allowed per minute (twice as many per client
    /// address, which may be several shoppers; 0: no limit).
    #[arg(long, env = "BELLHOP_MESSAGES_PER_MINUTE", default_value_t = 30)]
    pub messages_per_minute: u32,

    /// Email changes and ratings allowed per minute and conversation (four times as many
    /// per client address; 0: no limit).
    #[arg(long, env = "BELLHOP_CHANGES_PER_MINUTE", default_value_t = 5)]
    pub changes_per_minute: u32,

    /// Insight reports (one per page view where the chat was used, from flows with insights
    /// on) accepted per client address per minute (0: no limit).
    #[arg(long, env = "BELLHOP_INSIGHTS_PER_MINUTE", default_value_t = 30)]
    pub insights_per_minute: u32,

    /// Days insights are kept (daily counts and questions).
    #[arg(long, env = "BELLHOP_INSIGHTS_DAYS", default_value_t = 90)]
    pub insights_days: u32,

    /// Behind this many reverse proxies of your own: take the client address from
    /// `X-Forwarded-For`, the entry that many from its end (`--trust-proxy` alone means 1).
    #[arg(
        long,
        env = "BELLHOP_TRUST_PROXY",
        num_args = 0..=1,
        default_value = "0",
        default_missing_value = "1",
        value_parser = parse_hops
    )]
    pub trust_proxy: u8,

    /// Mark the inbox's session cookie `Secure` (serve over HTTPS, or behind a TLS proxy).
    #[arg(long, env = "BELLHOP_SECURE_COOKIES")]
    pub secure_cookies: bool,

    /// Seconds a client may take to send a request's headers (and a keep-alive connection
    /// may stay idle) before the connection is closed.
    #[arg(long, env = "BELLHOP_HEADER_TIMEOUT", default_value_t = 10)]
    pub header_timeout: u64,

    /// Seconds a client may take to send a request's body.
    #[arg(long, env = "BELLHOP_BODY_TIMEOUT", default_value_t = 30)]
    pub body_timeout: u64,

    /// Connections open at once; more wait until one closes. Keep it under the process's
    /// file descriptor limit (`ulimit -n`) with room for the database.
    #[arg(long, env = "BELLHOP_MAX_CONNECTIONS", default_value_t = 1024)]
    pub max_connections: usize,

    /// Fill an empty database with the demo store's orders and a demo agent account.
    #[arg(long, env = "BELLHOP_DEMO")]
    pub demo: bool,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The log's format (`--log-format`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Clone, Debug, clap::Subcommand)]
pub enum Command {
    /// Serve (the default).
    Serve,
    /// Accounts: agents (the inbox) and owners (the console too).
    #[command(subcommand)]
    Agent(AgentCommand),
    /// Owner accounts (the same as `agent add --owner`).
    #[command(subcommand)]
    Owner(OwnerCommand),
    /// Flows in the database: import a file as a new version, export one.
    #[command(subcommand)]
    Flows(FlowsCommand),
    /// The orders shoppers can look up.
    #[command(subcommand)]
    Orders(OrdersCommand),
    /// A consistent copy of the SQLite database into FILE while the server runs (SQLite's
    /// `VACUUM INTO`); with PostgreSQL use `pg_dump`.
    Backup {
        /// Where to write the copy (must not exist yet).
        file: PathBuf,
    },
}

#[derive(Clone, Debug, clap::Subcommand)]
pub enum AgentCommand {
    /// Create an account, or set a new password for an existing one. The password is read
    /// from `BELLHOP_AGENT_PASSWORD`, or else from the first line of standard input.
    Add {
        #[arg(long)]
        email: String,
        /// The name shoppers see ("Alex joined").
        #[arg(long)]
        name: String,
        /// An owner: the console too (flows and accounts), not only the inbox.
        #[arg(long)]
        owner: bool,
    },
    /// List accounts.
    List,
}

#[derive(Clone, Debug, clap::Subcommand)]
pub enum OwnerCommand {
    /// Create an owner, or make an existing account one (with this name and password).
    /// The password is read as for `agent add`.
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
    },
}

#[derive(Clone, Debug, clap::Subcommand)]
pub enum FlowsCommand {
    /// List the flows, their live version and whether the draft has unpublished changes.
    List,
    /// Import a flow document as the draft of flow NAME (by default the file's name) and
    /// publish it when it has no errors.
    Import {
        file: PathBuf,
        #[arg(long)]
        name: Option<String>,
    },
    /// Print a version (by default the live one) as JSON, or the draft with `--draft`.
    Export {
        name: String,
        #[arg(long)]
        version: Option<i64>,
        #[arg(long, conflicts_with = "version")]
        draft: bool,
    },
}

#[derive(Clone, Debug, clap::Subcommand)]
pub enum OrdersCommand {
    /// Import orders from a CSV file, one row per item (see README, "Importing orders").
    /// An order already present is replaced.
    Import { file: PathBuf },
}

/// `2`, or `true`/`false` as the flag's environment variable used to be.
fn parse_hops(text: &str) -> Result<u8, String> {
    match text.trim().to_ascii_lowercase().as_str() {
        "" | "false" | "no" | "off" => Ok(0),
        "true" | "yes" | "on" => Ok(1),
        n => n
            .parse::<u8>()
            .map_err(|_| format!("`{text}` is not a number of proxies (0 to 255)")),
    }
}

/// Checks `--business-hours` as it is read, so that a mistake stops the server at start
/// with the compiler's explanation (the compiler's rules: [`Config::hours`]).
fn parse_hours(text: &str) -> Result<String, String> {
    flow_authoring::compile::hours_from_line(text, 0).map(|_| text.to_owned())
}

/// An absolute http(s) URL, without a trailing slash (a shop system's or a service's).
pub fn parse_http_url(text: &str) -> Result<String, String> {
    let url = reqwest::Url::parse(text.trim()).map_err(|e| format!("not a URL: {e}"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err("not an http(s) URL with a host".into());
    }
    Ok(text.trim().trim_end_matches('/').to_owned())
}

/// Parses `+01:00`, `-05:30` or `0` as minutes east of UTC.
pub fn parse_offset(text: &str) -> Result<i32, String> {
    let text = text.trim();
    if text == "0" || text.eq_ignore_ascii_case("z") || text.eq_ignore_ascii_case("utc") {
        return Ok(0);
    }
    let bad = || format!("`{text}` is not a UTC offset like +01:00 or -05:30");
    let (sign, rest) = match text.as_bytes().first() {
        Some(b'+') => (1, &text[1..]),
        Some(b'-') => (-1, &text[1..]),
        _ => return Err(bad()),
    };
    let (h, m) = rest.split_once(':').unwrap_or((rest, "0"));
    let (h, m): (i32, i32) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    if h > 14 || m > 59 {
        return Err(bad());
    }
    Ok(sign * (h * 60 + m))
}

impl Config {
    /// Settings for tests: defaults, and no files around.
    pub fn for_tests() -> Config {
        use clap::Parser;
        Config::parse_from(["www"])
    }

    /// What emails need, when email is on (`--smtp-url`); `Err` when the mail settings are
    /// incomplete or wrong.
    pub fn outgoing(&self) -> Result<Option<crate::mail::Outgoing>, String> {
        let Some(_) = &self.smtp_url else {
            return Ok(None);
        };
        let from = self
            .mail_from
            .as_deref()
            .ok_or("--smtp-url needs --mail-from (BELLHOP_MAIL_FROM), such as `Fernhill <help@shop.example>`")?;
        let mailbox: lettre::message::Mailbox = from
            .parse()
            .map_err(|_| format!("BELLHOP_MAIL_FROM `{from}` is not an address such as `Fernhill <help@shop.example>`"))?;
        let domain = mailbox.email.domain().to_owned();
        Ok(Some(crate::mail::Outgoing {
            public_url: self
                .public_url
                .clone()
                .unwrap_or_else(|| format!("http://{}", self.addr)),
            shop: mailbox.name.clone().unwrap_or_else(|| domain.clone()),
            domain,
        }))
    }

    /// The server's business hours (for flows without their own), lowered by the flow
    /// compiler's rules at the fixed `--utc-offset`.
    pub fn hours(&self) -> BusinessHours {
        flow_authoring::compile::hours_from_line(&self.business_hours, self.utc_offset)
            .expect("--business-hours and --utc-offset are checked as they are read")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_and_hours_are_checked_as_they_are_read() {
        assert_eq!(parse_offset("-05:30"), Ok(-330));
        assert_eq!(parse_offset("+01:00"), Ok(60));
        assert_eq!(parse_offset("0"), Ok(0));
        assert!(parse_offset("CET").is_err());
        assert!(parse_offset("+15:00").is_err());
        assert!(parse_hours("mon-fri 09:00-17:30").is_ok());
        let e = parse_hours("mon-fri 9-17").unwrap_err();
        assert!(e.contains("`9-17` is not an opening interval"), "{e}");
        use clap::Parser;
        let c = Config::parse_from([
            "www",
            "--business-hours",
            "mon 09:00-10:00",
            "--utc-offset",
            "-05:00",
        ]);
        // Monday 2026-11-23 14:30 UTC is 09:30 in UTC-5.
        assert!(c.hours().is_open(flow_runtime::Time(1_795_444_200_000)));
        assert!(Config::try_parse_from(["www", "--business-hours", "weekdays"]).is_err());
    }
}
