//! Accepting connections: the socket side of [`crate::serve`].
//!
//! `axum::serve` reads a request's headers and body for as long as the client likes, so a
//! few hundred connections that send nothing (or a header a byte at a time) took every file
//! descriptor and `/healthz` stopped answering. This loop is axum's with limits:
//!
//! - a connection must send a request's headers within [`Limits::header`] (hyper's header
//!   read timeout, which also closes a keep-alive connection idle that long);
//! - a request body must arrive within [`Limits::body`] (else `408`-like errors from the
//!   extractors, and the connection closes);
//! - at most [`Limits::connections`] connections are open at once; past that, new ones wait
//!   in the kernel's backlog until one closes.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::ServiceExt;

/// How long clients may take, and how many may be connected.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub header: Duration,
    pub body: Duration,
    pub connections: usize,
}

/// Serves `app` on `listener` until `stop` resolves; then stops accepting and gives the
/// requests in flight `grace` to finish (event streams never end by themselves).
pub async fn run(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    stop: impl std::future::Future<Output = ()>,
    grace: Duration,
) -> std::io::Result<()> {
    let app = app.layer(tower_http::timeout::RequestBodyDeadlineLayer::new(
        limits.body,
    ));
    // Never more connections than descriptors: past the limit, `accept` fails and nobody
    // gets in, `/healthz` included. Room is kept for the database and the log.
    let cap = match descriptor_limit() {
        Some(n) => limits.connections.min(n.saturating_sub(64)).max(1),
        None => limits.connections.max(1),
    };
    if cap < limits.connections {
        tracing::info!(
            "at most {cap} connections: the process may open {} files",
            cap + 64
        );
    }
    let slots = Arc::new(Semaphore::new(cap));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    // HTTP/1.1 only: detecting HTTP/2 would read the first bytes with no timeout at all
    // (a connection that sends nothing would stay open). A TLS proxy in front speaks HTTP/2
    // to browsers.
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header);
    let builder = Arc::new(builder);
    tokio::pin!(stop);
    loop {
        // A free slot first: at the cap, connections wait in the backlog.
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => slot.map_err(std::io::Error::other)?,
            () = &mut stop => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of descriptors, or a connection reset before it was accepted:
                    // wait a moment rather than spin, and carry on.
                    tracing::warn!("accept: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut stop => break,
        };
        let _ = stream.set_nodelay(true);
        let service =
            app.clone()
                .map_request(move |request: hyper::Request<hyper::body::Incoming>| {
                    let mut request = request.map(axum::body::Body::new);
                    request.extensions_mut().insert(ConnectInfo(peer));
                    request
                });
        let connection =
            builder.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!("connection from {peer}: {e}");
            }
            drop(slot);
        });
    }
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(grace) => {
            tracing::info!("stopped (open event streams were closed)");
        }
    }
    Ok(())
}

/// The process's limit on open files (`ulimit -n`), where the system says it.
fn descriptor_limit() -> Option<usize> {
    let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    line.split_whitespace().nth(3)?.parse().ok()
}

/// How long a browser waits before it reconnects to an event stream this instance ended
/// because it is stopping (behind a load balancer: to another instance).
pub const RETRY_WHEN_STOPPING: Duration = Duration::from_secs(1);

/// Whether this instance is stopping (SIGTERM or Ctrl-C): then every live event stream ends
/// with a retry hint, and the browser's `EventSource` reconnects with `Last-Event-ID`,
/// missing nothing, instead of waiting for a connection cut off mid-stream.
#[derive(Clone, Default)]
pub struct Stopping(Arc<tokio::sync::watch::Sender<bool>>);

impl Stopping {
    pub fn stop(&self) {
        self.0.send_replace(true);
    }

    /// `events` until this instance stops, then one last event: `retry:` and a comment.
    pub fn ends<S>(
        &self,
        events: S,
    ) -> impl futures_util::Stream<
        Item = Result<axum::response::sse::Event, std::convert::Infallible>,
    > + Send
    + use<S>
    where
        S: futures_util::Stream<
                Item = Result<axum::response::sse::Event, std::convert::Infallible>,
            > + Send,
    {
        use futures_util::StreamExt;
        let mut stopping = self.0.subscribe();
        let stopped = async move {
            if stopping.wait_for(|s| *s).await.is_err() {
                std::future::pending::<()>().await;
            }
        };
        let last = futures_util::stream::once(async {
            Ok(axum::response::sse::Event::default()
                .retry(RETRY_WHEN_STOPPING)
                .comment("this server is stopping: reconnect"))
        });
        events.take_until(stopped).chain(last)
    }
}
