//! HTTP: the only place the widget talks to a server. It calls the Bellhop server for
//! exactly two things the shopper asked for, order lookups and handoff (with the live
//! conversation that follows), fetches the flow, and sends the insights report of flows
//! that switch insights on.

use flow_runtime::wire::json::{FromJson, JsonValue, ToJson};
use flow_runtime::wire::{Availability, HandoffAccepted, NewHandoff};
use flow_runtime::{Flow, HandoffAnswer, HandoffRequest, Order, OrderAnswer};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Request, RequestInit, Response};

/// The flow: fetched, checked and compiled by the server (`?format=bhf`), and cached; when it
/// cannot be fetched or does not decode, the last good copy from the cache.
///
/// The compiled form keeps a JSON parser out of the wasm: the runtime's own decoder is a fraction
/// of serde_json's 25 KiB brotli (measured: see ARCHITECTURE.md, "Size").
pub async fn load_flow(url: &str) -> Result<Flow, JsValue> {
    match fetch_flow(url).await {
        Ok(bytes) => match Flow::from_bytes(&bytes) {
            Ok(flow) => {
                crate::storage::cache_flow(url, &bytes);
                Ok(flow)
            }
            Err(e) => cached(url).ok_or_else(|| JsValue::from_str(&format!("bellhop: {e}"))),
        },
        Err(e) => cached(url).ok_or(e),
    }
}

/// The flow from bytes fetched elsewhere (the loader fetches it with the panel), kept as
/// the last good copy; `None` when they are not a flow.
pub fn accept_flow(url: &str, bytes: &[u8]) -> Option<Flow> {
    let flow = Flow::from_bytes(bytes).ok()?;
    crate::storage::cache_flow(url, bytes);
    Some(flow)
}

fn cached(url: &str) -> Option<Flow> {
    Flow::from_bytes(&crate::storage::cached_flow(url)?).ok()
}

async fn fetch_flow(url: &str) -> Result<Vec<u8>, JsValue> {
    crate::js::fetch_compiled(url, "bhf").await
}

/// The Bellhop server's API, version 1.
#[derive(Clone, Debug)]
pub struct Api {
    base: String,
}

/// How a request ended: the status and the body's text, or no answer at all.
pub enum Reply {
    Answered(u16, String),
    /// The network failed (offline, server down, refused by CORS) or the server took longer
    /// than [`TIMEOUT_MS`].
    NoAnswer,
}

/// How long a request may take before the shopper is told it did not work: a shop's
/// slow order system must not leave them watching "Looking up your order…".
pub const TIMEOUT_MS: u32 = 10_000;

impl Api {
    pub fn new(base: &str) -> Api {
        Api {
            base: format!("{base}/api/v1"),
        }
    }

    /// POSTs a JSON text and reads the answer's text.
    pub async fn post(&self, path: &str, body: &str) -> Reply {
        match self.try_post(path, body).await {
            Ok(reply) => reply,
            Err(_) => Reply::NoAnswer,
        }
    }

    async fn try_post(&self, path: &str, body: &str) -> Result<Reply, JsValue> {
        let init = RequestInit::new();
        init.set_method("POST");
        init.set_body(&JsValue::from_str(body));
        init.set_signal(Some(&web_sys::AbortSignal::timeout_with_u32(TIMEOUT_MS)));
        let request = Request::new_with_str_and_init(&format!("{}{path}", self.base), &init)?;
        request.headers().set("content-type", "application/json")?;
        let window = web_sys::window().ok_or("no window")?;
        let response: Response = JsFuture::from(window.fetch_with_request(&request))
            .await?
            .dyn_into()?;
        let status = response.status();
        let text = match response.text() {
            Ok(p) => JsFuture::from(p).await.ok().and_then(|t| t.as_string()),
            Err(_) => None,
        };
        Ok(Reply::Answered(status, text.unwrap_or_default()))
    }

    pub fn events_url(&self, token: &str, after: &str) -> String {
        let mut url = format!("{}/conversations/{token}/events", self.base);
        if !after.is_empty() {
            url.push_str("?after=");
            url.push_str(
                &js_sys::encode_uri_component(after)
                    .as_string()
                    .unwrap_or_default(),
            );
        }
        url
    }
}

/// Sends an insights report (`POST {api}/api/v1/insights`) with `navigator.sendBeacon`,
/// which the browser delivers even as the page goes. A string goes as `text/plain`: no
/// CORS preflight, which a beacon cannot make.
pub fn beacon(api: &str, body: &str) {
    if let Some(w) = web_sys::window() {
        let url = format!("{}/api/v1/insights", api.trim_end_matches('/'));
        let _ = w.navigator().send_beacon_with_opt_str(&url, Some(body));
    }
}

/// The conversation an email's link opened, as the engine takes it up.
pub fn resumed(reply: &Reply) -> Option<flow_runtime::Input> {
    let Reply::Answered(200, body) = reply else {
        return None;
    };
    let r = crate::js::Parsed::from_text(body);
    Some(flow_runtime::Input::Resumed {
        token: r.field("token").string()?,
        agent: r.field("agent").opt_string()?,
        closed: r.field("status").string()? == "closed",
    })
}

/// The server's answer to an order lookup.
pub fn order_answer(reply: &Reply) -> Option<OrderAnswer> {
    match reply {
        Reply::NoAnswer => None,
        Reply::Answered(200, body) => Some(
            // `OrderFound`: `{"order": {…}}`.
            match Order::read(&crate::js::Parsed::from_text(body).field("order")) {
                Some(order) => OrderAnswer::Found(order),
                // Not what the API promises (a proxy's page, another version): say so calmly.
                None => OrderAnswer::Error,
            },
        ),
        Reply::Answered(404, _) => Some(OrderAnswer::NotFound),
        // The shop's order system did not answer (the server waited for it already): say so
        // now, and offer a person.
        Reply::Answered(503, body) if body.contains(flow_runtime::wire::ORDERS_UNAVAILABLE) => {
            Some(OrderAnswer::Error)
        }
        // Overloaded, rate limited or behind a failing proxy: worth another try (the outbox
        // gives up after a couple, see `io`). Other errors are final.
        Reply::Answered(429 | 502..=504, _) => None,
        Reply::Answered(..) => Some(OrderAnswer::Error),
    }
}

/// The body of a handoff: the transcript and the context, for the person taking over,
/// under the idempotency key the outbox keeps for every retry.
/// `flow` names the flow on the server, whose business hours decide the answer.
pub fn handoff_body(h: HandoffRequest, key: String, flow: Option<String>) -> String {
    NewHandoff {
        key,
        transcript: h.transcript,
        context: h.context,
        flow,
    }
    .to_json()
}

pub fn handoff_answer(reply: &Reply) -> Option<HandoffAnswer> {
    match reply {
        Reply::NoAnswer | Reply::Answered(429 | 502..=504, _) => None,
        Reply::Answered(200 | 201, body) => Some(
            match HandoffAccepted::read(&crate::js::Parsed::from_text(body)) {
                Some(HandoffAccepted {
                    token,
                    status: Availability::Available,
                }) => HandoffAnswer::Available { token },
                Some(HandoffAccepted {
                    token,
                    status: Availability::Offline,
                }) => HandoffAnswer::Offline { token },
                None => HandoffAnswer::Error,
            },
        ),
        Reply::Answered(..) => Some(HandoffAnswer::Error),
    }
}

/// Whether a delivery (message, email, rating) went through (`Some(true)`), failed for
/// good (`Some(false)`), or should be tried again (`None`).
pub fn delivered(reply: &Reply) -> Option<bool> {
    match reply {
        Reply::NoAnswer | Reply::Answered(429 | 502..=504, _) => None,
        Reply::Answered(s, _) => Some((200..300).contains(s)),
    }
}
