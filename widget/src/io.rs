//! The widget's I/O: requests through the outbox, the live conversation's event stream,
//! and events for the store's page (analytics, `Bellhop('on', …)`).

use flow_runtime::{AgentEvent, Effect, HandoffStatus, Input, Prop};
use leptos::prelude::Set;
use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{EventSource, MessageEvent};

use crate::api;
use crate::chat::Chat;
use crate::js;
use crate::outbox::{Job, Kind};

/// Turns a request effect into a job in the outbox, and sends it.
pub fn perform(chat: Chat, effect: Effect) {
    let job = match effect {
        Effect::LookUpOrder {
            request,
            number,
            email,
        } => Job {
            request,
            kind: Kind::Lookup,
            path: "/orders/lookup".into(),
            body: js::stringify(&api::lookup_body(&number, &email)),
            tries: 0,
        },
        // The idempotency key is made here, once: 128 random bits, so that it cannot be
        // guessed, and kept in the job, so that every retry sends the same bytes.
        Effect::HandOff(h) => Job {
            request: h.request,
            kind: Kind::Handoff,
            path: "/handoffs".into(),
            body: js::stringify(&api::handoff_body(&h, &crate::storage::random_hex::<16>())),
            tries: 0,
        },
        Effect::SendToAgent {
            request,
            token,
            key,
            text,
        } => Job {
            request,
            kind: Kind::Delivery,
            path: format!("/conversations/{token}/messages"),
            body: js::stringify(&js::object(&[
                ("key", js::str(&key)),
                ("text", js::str(&text)),
            ])),
            tries: 0,
        },
        Effect::SendEmail {
            request,
            token,
            email,
        } => Job {
            request,
            kind: Kind::Delivery,
            path: format!("/conversations/{token}/email"),
            body: js::stringify(&js::object(&[("email", js::str(&email))])),
            tries: 0,
        },
        Effect::SendRating {
            request,
            token,
            score,
            comment,
        } => Job {
            request,
            kind: Kind::Delivery,
            path: format!("/conversations/{token}/rating"),
            body: js::stringify(&js::object(&[
                ("score", js::num(f64::from(score))),
                ("comment", comment.as_deref().map_or(JsValue::NULL, js::str)),
            ])),
            tries: 0,
        },
        _ => return,
    };
    chat.shell().outbox.push(job);
    pump(chat);
}

/// Sends every job not already on its way; answers go back to the engine.
pub fn pump(chat: Chat) {
    let shell = chat.shell();
    for job in shell.outbox.take_ready() {
        let shell = shell.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let reply = shell.api.post(&job.path, &job.body).await;
            let input = match job.kind {
                Kind::Lookup => api::order_answer(&reply).map(|answer| Input::OrderAnswered {
                    request: job.request,
                    answer,
                }),
                Kind::Handoff => api::handoff_answer(&reply).map(|answer| Input::HandoffAnswered {
                    request: job.request,
                    answer,
                }),
                Kind::Delivery => api::delivered(&reply).map(|ok| Input::Delivered {
                    request: job.request,
                    ok,
                }),
            };
            match input {
                Some(input) => {
                    shell.outbox.remove(job.request);
                    if shell.outbox.is_empty() {
                        chat.offline.set(false);
                    }
                    chat.dispatch(input);
                }
                None => {
                    chat.offline.set(true);
                    let wait = shell.outbox.failed(job.request);
                    shell
                        .outbox
                        .retry_in(wait, std::rc::Rc::new(move || pump(chat)));
                }
            }
        });
    }
}

/// An open event stream of a live conversation, and the handlers that must live with it.
pub struct Stream {
    token: String,
    source: EventSource,
    _handlers: Vec<Closure<dyn FnMut(MessageEvent)>>,
    _on_error: Closure<dyn FnMut(web_sys::Event)>,
}

/// Longest wait before reopening a stream the browser gave up on.
const MAX_REOPEN_MS: i32 = 60_000;

impl Drop for Stream {
    fn drop(&mut self) {
        self.source.close();
    }
}

/// Opens the live conversation's stream while a handoff is on, and closes it after.
pub fn follow_handoff(chat: Chat, status: Option<&HandoffStatus>) {
    let shell = chat.shell();
    let live = matches!(
        status,
        Some(HandoffStatus::Waiting | HandoffStatus::Joined { .. } | HandoffStatus::Offline)
    );
    let token = shell
        .conversation
        .borrow()
        .handoff_token()
        .map(str::to_owned);
    match (live, token) {
        (true, Some(token)) => {
            if shell
                .stream
                .borrow()
                .as_ref()
                .is_some_and(|s| s.token == token)
            {
                return;
            }
            let stream = open_stream(chat, &token, 0);
            *shell.stream.borrow_mut() = stream;
        }
        _ => {
            shell.stream.borrow_mut().take();
        }
    }
}

fn open_stream(chat: Chat, token: &str, attempt: u32) -> Option<Stream> {
    // Resume after the last event this shopper saw, also across page loads.
    let after = crate::storage::last_event(token).unwrap_or_default();
    let url = chat.shell().api.events_url(token, &after);
    let source = EventSource::new(&url).ok()?;
    let mut handlers = Vec::new();
    for kind in ["joined", "message", "closed"] {
        let key = token.to_owned();
        let handler = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let id = event.last_event_id();
            if !id.is_empty() {
                crate::storage::remember_last_event(&key, &id);
            }
            let data = event
                .data()
                .as_string()
                .and_then(|t| js_sys::JSON::parse(&t).ok())
                .unwrap_or(JsValue::NULL);
            let name = js::get_str(&data, "name").unwrap_or_default();
            let agent = match kind {
                "joined" => AgentEvent::Joined { name },
                "message" => AgentEvent::Message {
                    id: if id.is_empty() {
                        js::get_str(&data, "id").unwrap_or_default()
                    } else {
                        id
                    },
                    name,
                    text: js::get_str(&data, "text").unwrap_or_default(),
                },
                _ => AgentEvent::Closed,
            };
            chat.dispatch(Input::Agent(agent));
        });
        let _ = source.add_event_listener_with_callback(kind, handler.as_ref().unchecked_ref());
        handlers.push(handler);
    }
    // The browser reconnects by itself after a network error (resuming with Last-Event-ID),
    // but gives up for good on an HTTP error, such as a proxy's 502 while the server
    // restarts. Then reopen it ourselves, waiting 1 s, 2 s, 4 s … up to a minute.
    let closed = source.clone();
    let key = token.to_owned();
    let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
        if closed.ready_state() != EventSource::CLOSED {
            return;
        }
        let wait = (1000i32 << attempt.min(6)).min(MAX_REOPEN_MS);
        let key = key.clone();
        let reopen = Closure::once_into_js(move || {
            let shell = chat.shell();
            let current = shell.stream.borrow().as_ref().map(|s| s.token == key);
            // Only while this conversation is still followed (not closed or replaced since).
            if current == Some(true) {
                let next = open_stream(chat, &key, attempt + 1);
                *shell.stream.borrow_mut() = next;
            }
        });
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(
                reopen.unchecked_ref(),
                wait,
            );
        }
    });
    let _ = source.add_event_listener_with_callback("error", on_error.as_ref().unchecked_ref());
    Some(Stream {
        token: token.to_owned(),
        source,
        _handlers: handlers,
        _on_error: on_error,
    })
}

/// Tells the store's page: a `bellhop:NAME` event on `window`, a `dataLayer` entry when the
/// page has one (Google Tag Manager's convention), and `Bellhop('on', NAME, …)` callbacks.
/// Numbers arrive as numbers and lists as arrays. The shopper's words are only an FAQ
/// event's `question` (the engine already took out emails and order numbers), and not
/// even that with `data-analytics-text="off"`.
pub fn announce(chat: &Chat, name: &str, props: &[(String, Prop)]) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let text = chat.shell().config.analytics_text;
    let fields: Vec<(&str, JsValue)> = props
        .iter()
        .filter(|(k, _)| text || k != "question")
        .map(|(k, v)| (k.as_str(), prop(v)))
        .collect();
    let detail = js::object(&fields);
    let init = web_sys::CustomEventInit::new();
    init.set_detail(&detail);
    if let Ok(event) =
        web_sys::CustomEvent::new_with_event_init_dict(&format!("bellhop:{name}"), &init)
    {
        let _ = window.dispatch_event(&event);
    }
    let data_layer = js_sys::Reflect::get(&window, &JsValue::from_str("dataLayer"))
        .unwrap_or(JsValue::UNDEFINED);
    if let Some(layer) = data_layer.dyn_ref::<js_sys::Array>() {
        let entry = js::object(&fields);
        let _ = js_sys::Reflect::set(
            &entry,
            &JsValue::from_str("event"),
            &JsValue::from_str(&format!("bellhop.{name}")),
        );
        layer.push(&entry);
    }
    let listeners: Vec<js_sys::Function> = chat
        .shell()
        .listeners
        .borrow()
        .iter()
        .filter(|(n, _)| n == name || n == "*")
        .map(|(_, f)| f.clone())
        .collect();
    for f in listeners {
        // A throwing callback is the page's problem, not ours: it must not stop the widget.
        let _ = f.call2(&JsValue::NULL, &JsValue::from_str(name), &detail);
    }
}

/// An analytics value as JavaScript: a string, a number or an array.
fn prop(v: &Prop) -> JsValue {
    match v {
        Prop::Text(t) => js::str(t),
        Prop::Number(n) => js::num(n.0 as f64 / flow_runtime::value::Num::SCALE as f64),
        Prop::List(items) => js::array(items.iter().map(prop)),
    }
}
