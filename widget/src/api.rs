//! HTTP: the only place the widget talks to a server. It calls the Bellhop server for
//! exactly two things the shopper asked for, order lookups and handoff (with the live
//! conversation that follows), and fetches the flow.

use flow_runtime::{Flow, HandoffAnswer, HandoffRequest, Order, OrderAnswer, OrderItem, Speaker};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Request, RequestInit, Response};

use crate::js;

/// The flow: fetched, checked and compiled by the server (`?format=bhf`), and cached; when it
/// cannot be fetched or does not decode, the last good copy from the cache.
///
/// The compiled form keeps a JSON parser out of the wasm: the runtime's own decoder is a fraction
/// of serde_json's 25 KiB brotli (see ../shared/notes/toolchain.md).
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

fn cached(url: &str) -> Option<Flow> {
    Flow::from_bytes(&crate::storage::cached_flow(url)?).ok()
}

async fn fetch_flow(url: &str) -> Result<Vec<u8>, JsValue> {
    let url = web_sys::Url::new(url)?;
    url.search_params().set("format", "bhf");
    let window = web_sys::window().ok_or("bellhop: no window")?;
    let response: Response = JsFuture::from(window.fetch_with_str(&url.href()))
        .await?
        .dyn_into()?;
    if !response.ok() {
        return Err(JsValue::from_str(&format!(
            "bellhop: the flow answered HTTP {}",
            response.status()
        )));
    }
    let buffer = JsFuture::from(response.array_buffer()?).await?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// The Bellhop server's API, version 1.
#[derive(Clone, Debug)]
pub struct Api {
    base: String,
}

/// How a request ended: the status and the JSON body, or no answer at all.
pub enum Reply {
    Answered(u16, JsValue),
    /// The network failed (offline, server down, CORS): worth retrying later.
    NoAnswer,
}

impl Api {
    pub fn new(base: &str) -> Api {
        Api {
            base: format!("{base}/api/v1"),
        }
    }

    /// POSTs a JSON text and reads the JSON answer.
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
        let request = Request::new_with_str_and_init(&format!("{}{path}", self.base), &init)?;
        request.headers().set("content-type", "application/json")?;
        let window = web_sys::window().ok_or("no window")?;
        let response: Response = JsFuture::from(window.fetch_with_request(&request))
            .await?
            .dyn_into()?;
        let status = response.status();
        let json = match response.json() {
            Ok(p) => JsFuture::from(p).await.unwrap_or(JsValue::NULL),
            Err(_) => JsValue::NULL,
        };
        Ok(Reply::Answered(status, json))
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

/// The body of an order lookup.
pub fn lookup_body(number: &str, email: &str) -> JsValue {
    js::object(&[("number", js::str(number)), ("email", js::str(email))])
}

/// The server's answer to an order lookup.
pub fn order_answer(reply: &Reply) -> Option<OrderAnswer> {
    match reply {
        Reply::NoAnswer => None,
        Reply::Answered(200, body) => {
            let o = js::get(body, "order");
            Some(OrderAnswer::Found(Order {
                number: js::get_str(&o, "number").unwrap_or_default(),
                status: js::get_str(&o, "status").unwrap_or_default(),
                items: js::items(&js::get(&o, "items"))
                    .iter()
                    .map(|i| OrderItem {
                        name: js::get_str(i, "name").unwrap_or_default(),
                        quantity: js::get_f64(i, "quantity").unwrap_or(1.0) as u32,
                    })
                    .collect(),
                carrier: js::get_str(&o, "carrier"),
                tracking_url: js::get_str(&o, "tracking_url"),
                estimated_delivery: js::get_str(&o, "estimated_delivery"),
            }))
        }
        Reply::Answered(404, _) => Some(OrderAnswer::NotFound),
        // Overloaded or rate limited now: try again later. Other errors are final.
        Reply::Answered(429 | 502..=504, _) => None,
        Reply::Answered(..) => Some(OrderAnswer::Error),
    }
}

/// The body of a handoff: the transcript and the context, for the person taking over.
pub fn handoff_body(h: &HandoffRequest, key: &str) -> JsValue {
    let c = &h.context;
    let transcript = js::array(h.transcript.iter().map(|line| {
        let from = match line.from {
            Speaker::Bot => "bot",
            Speaker::Shopper => "shopper",
            Speaker::Agent => "agent",
            Speaker::System => "system",
        };
        js::object(&[
            ("at", js::num(line.at.0 as f64)),
            ("from", js::str(from)),
            ("text", js::str(&line.text)),
        ])
    }));
    let faq = js::array(c.faq.iter().map(|(id, question, confidence)| {
        js::object(&[
            ("entry", js::str(id)),
            ("question", js::str(question)),
            ("confidence", js::num(f64::from(*confidence) / 1000.0)),
        ])
    }));
    let opt = |s: &Option<String>| s.as_deref().map_or(JsValue::NULL, js::str);
    let context = js::object(&[
        ("page_url", js::str(&c.page_url)),
        ("language", js::str(&c.language)),
        ("device", js::str(&c.device)),
        ("cart_items", js::num(f64::from(c.cart_items))),
        ("cart_value", js::str(&c.cart_value)),
        ("currency", js::str(&c.currency)),
        (
            "cart_lines",
            js::array(c.cart_lines.iter().map(|l| {
                js::object(&[
                    ("name", js::str(&l.name)),
                    ("quantity", js::num(f64::from(l.quantity))),
                ])
            })),
        ),
        ("faq", faq),
        ("trigger", opt(&c.trigger)),
        ("variant", opt(&c.variant)),
        ("frustrated", JsValue::from_bool(c.frustrated)),
        ("visits", js::num(f64::from(c.visits))),
        ("email", opt(&c.email)),
    ]);
    js::object(&[
        ("key", js::str(key)),
        ("transcript", transcript),
        ("context", context),
    ])
}

pub fn handoff_answer(reply: &Reply) -> Option<HandoffAnswer> {
    match reply {
        Reply::NoAnswer | Reply::Answered(429 | 502..=504, _) => None,
        Reply::Answered(200 | 201, body) => {
            let token = js::get_str(body, "token").unwrap_or_default();
            Some(match js::get_str(body, "status").as_deref() {
                Some("available") => HandoffAnswer::Available { token },
                _ => HandoffAnswer::Offline { token },
            })
        }
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
