//! The widget's requests to the server: each [`Request`] of the engine becomes a job in the
//! outbox (or, for `Follow`/`Unfollow`, opens or closes the live conversation's stream), and
//! each answer goes back as one [`Input`] through a [`Sink`].
//!
//! This module knows nothing of the UI: the run loop hands it requests and a sink, so the
//! dependency goes one way (`run` → `io`).

use std::cell::RefCell;
use std::rc::Rc;

use flow_runtime::wire::json::{FromJson, ToJson};
use flow_runtime::wire::{
    AgentJoined, AgentMessage, EmailChange, NewMessage, NewRating, OrderLookup, event,
};
use flow_runtime::{AgentEvent, Input, Request};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{EventSource, MessageEvent};

use crate::api::{self, Api};
use crate::outbox::{Job, Kind, Outbox};

/// Where answers go: the engine (as inputs) and the panel's "waiting for the network" note.
pub trait Sink: Copy + 'static {
    fn answer(self, input: Input);
    /// Whether something the shopper asked for waits for the network.
    fn waiting(self, offline: bool);
}

/// The server, the requests waiting for it, and the live conversation followed.
pub struct Io {
    api: Api,
    /// The flow's name on the server (`demo.json`), sent with a handoff.
    flow: Option<String>,
    outbox: Rc<Outbox>,
    stream: RefCell<Option<Stream>>,
}

impl Io {
    pub fn new(base: &str, flow: Option<String>) -> Rc<Io> {
        Rc::new(Io {
            api: Api::new(base),
            flow,
            outbox: Outbox::load(),
            stream: RefCell::new(None),
        })
    }

    /// Performs one request of the engine.
    pub fn request(self: &Rc<Self>, request: Request, sink: impl Sink) {
        let job = |request, kind, path: String, body: String| Job {
            request,
            kind,
            path,
            body,
            tries: 0,
        };
        let job = match request {
            Request::LookUpOrder {
                request,
                number,
                email,
            } => job(
                request,
                Kind::Lookup,
                "/orders/lookup".into(),
                OrderLookup { number, email }.to_json(),
            ),
            // The idempotency key is made here, once: 128 random bits, so that it cannot
            // be guessed, and kept in the job, so that every retry sends the same bytes.
            Request::HandOff(h) => job(
                h.request,
                Kind::Handoff,
                "/handoffs".into(),
                api::handoff_body(h, crate::storage::random_hex(16), self.flow.clone()),
            ),
            Request::SendToAgent {
                request,
                token,
                key,
                text,
            } => job(
                request,
                Kind::Delivery,
                format!("/conversations/{token}/messages"),
                NewMessage { key, text }.to_json(),
            ),
            Request::SendEmail {
                request,
                token,
                email,
            } => job(
                request,
                Kind::Delivery,
                format!("/conversations/{token}/email"),
                EmailChange { email }.to_json(),
            ),
            Request::SendRating {
                request,
                token,
                score,
                comment,
            } => job(
                request,
                Kind::Delivery,
                format!("/conversations/{token}/rating"),
                NewRating { score, comment }.to_json(),
            ),
            Request::Follow { token, after } => {
                self.follow(&token, &after, sink);
                return;
            }
            Request::Unfollow => {
                self.stream.borrow_mut().take();
                return;
            }
        };
        self.outbox.push(job);
        self.pump(sink);
    }

    /// Sends every job not already on its way; answers go back to the sink.
    pub fn pump(self: &Rc<Self>, sink: impl Sink) {
        for job in self.outbox.take_ready() {
            let io = Rc::clone(self);
            wasm_bindgen_futures::spawn_local(async move {
                let reply = io.api.post(&job.path, &job.body).await;
                let input = match job.kind {
                    Kind::Lookup => api::order_answer(&reply).map(|answer| Input::OrderAnswered {
                        request: job.request,
                        answer,
                    }),
                    Kind::Handoff => {
                        api::handoff_answer(&reply).map(|answer| Input::HandoffAnswered {
                            request: job.request,
                            answer,
                        })
                    }
                    Kind::Delivery => api::delivered(&reply).map(|ok| Input::Delivered {
                        request: job.request,
                        ok,
                    }),
                };
                match input {
                    Some(input) => {
                        io.outbox.remove(job.request);
                        sink.waiting(!io.outbox.is_empty());
                        sink.answer(input);
                    }
                    None => {
                        let wait = io.outbox.failed(job.request);
                        // Online and still no answer after a second try (refused by CORS,
                        // the server down, the shop's system too slow): a lookup or a
                        // handoff is the shopper's question now, so the engine says what
                        // happened and what else they can do. Offline, it waits for the
                        // connection (the panel says so), as messages to a person always do.
                        if let Some(input) = gave_up(&job, crate::js::online()) {
                            io.outbox.remove(job.request);
                            sink.waiting(!io.outbox.is_empty());
                            sink.answer(input);
                            return;
                        }
                        sink.waiting(true);
                        let again = Rc::clone(&io);
                        io.outbox.retry_in(wait, Rc::new(move || again.pump(sink)));
                    }
                }
            });
        }
    }

    /// Follows live conversation `token` after event `after`, unless it is followed already.
    fn follow(self: &Rc<Self>, token: &str, after: &str, sink: impl Sink) {
        if self
            .stream
            .borrow()
            .as_ref()
            .is_some_and(|s| s.token == token)
        {
            return;
        }
        let stream = open_stream(self, token, after.to_owned(), 0, sink);
        *self.stream.borrow_mut() = stream;
    }
}

/// Tries a lookup or a handoff gets while the browser is online before the shopper is told.
const TRIES_ONLINE: u32 = 2;

/// The answer to give the engine when `job` has failed often enough (online only):
/// lookups and handoffs end in the engine's error path; deliveries keep waiting.
fn gave_up(job: &Job, online: bool) -> Option<Input> {
    if !online || job.tries + 1 < TRIES_ONLINE {
        return None;
    }
    match job.kind {
        Kind::Lookup => Some(Input::OrderAnswered {
            request: job.request,
            answer: flow_runtime::OrderAnswer::Error,
        }),
        Kind::Handoff => Some(Input::HandoffAnswered {
            request: job.request,
            answer: flow_runtime::HandoffAnswer::Error,
        }),
        Kind::Delivery => None,
    }
}

/// An open event stream of a live conversation, and the handlers that must live with it.
struct Stream {
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

fn open_stream(
    io: &Rc<Io>,
    token: &str,
    after: String,
    attempt: u32,
    sink: impl Sink,
) -> Option<Stream> {
    let url = io.api.events_url(token, &after);
    let source = EventSource::new(&url).ok()?;
    // Where this stream got to, should it have to be reopened by hand (the engine keeps the
    // same cursor in its state, for the next page).
    let cursor = Rc::new(RefCell::new(after));
    let mut handlers = Vec::new();
    for kind in event::SHOPPER {
        let cursor = Rc::clone(&cursor);
        let handler =
            Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                let data = event.data().as_string().unwrap_or_default();
                let id = event.last_event_id();
                let agent =
                    match kind {
                        event::JOINED => AgentJoined::read(&crate::js::Parsed::from_text(&data))
                            .map(|j| AgentEvent::Joined {
                                event: id.clone(),
                                name: j.name,
                            }),
                        event::MESSAGE => AgentMessage::read(&crate::js::Parsed::from_text(&data))
                            .map(|m| AgentEvent::Message {
                                // The stream's id; the message's own when a proxy dropped it.
                                event: if id.is_empty() { m.id } else { id.clone() },
                                name: m.name,
                                text: m.text,
                            }),
                        event::UNANSWERED => Some(AgentEvent::Unanswered { event: id.clone() }),
                        _ => Some(AgentEvent::Closed { event: id.clone() }),
                    };
                // An event that does not read is skipped (the cursor stays before it).
                let Some(agent) = agent else { return };
                if !agent.event().is_empty() {
                    *cursor.borrow_mut() = agent.event().to_owned();
                }
                sink.answer(Input::Agent(agent));
            });
        let _ = source.add_event_listener_with_callback(kind, handler.as_ref().unchecked_ref());
        handlers.push(handler);
    }
    // The browser reconnects by itself after a network error (resuming with Last-Event-ID),
    // but gives up for good on an HTTP error, such as a proxy's 502 while the server
    // restarts. Then reopen it ourselves, waiting 1 s, 2 s, 4 s … up to a minute.
    let closed = source.clone();
    let key = token.to_owned();
    let weak = Rc::downgrade(io);
    let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
        if closed.ready_state() != EventSource::CLOSED {
            return;
        }
        let wait = (1000i32 << attempt.min(6)).min(MAX_REOPEN_MS);
        let (key, weak, cursor) = (key.clone(), weak.clone(), Rc::clone(&cursor));
        let reopen = Closure::once_into_js(move || {
            let Some(io) = weak.upgrade() else { return };
            let current = io.stream.borrow().as_ref().map(|s| s.token == key);
            // Only while this conversation is still followed (not closed or replaced since).
            if current == Some(true) {
                let after = cursor.borrow().clone();
                let next = open_stream(&io, &key, after, attempt + 1, sink);
                *io.stream.borrow_mut() = next;
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
