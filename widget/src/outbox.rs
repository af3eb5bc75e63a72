//! Requests to the server that must not be lost: kept in `localStorage` until answered.
//!
//! An order lookup, a handoff, a message to the agent, an email or a rating is written here
//! before it is sent, and removed only once the server has answered. Without an answer
//! (offline, server down, overloaded) it is retried with backoff and at once when the
//! browser says it is `online` again, also after a reload or on another page of the store.
//! The server makes every one of them idempotent (keys, tokens), so a retry after a lost
//! answer never does the thing twice.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;

use crate::js;

const KEY: &str = "bellhop:outbox";
/// Longest wait between two retries.
const MAX_BACKOFF_MS: i32 = 60_000;

/// What a request is, which decides how its answer is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Lookup,
    Handoff,
    Delivery,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Lookup => "lookup",
            Kind::Handoff => "handoff",
            Kind::Delivery => "delivery",
        }
    }

    fn parse(s: &str) -> Option<Kind> {
        Some(match s {
            "lookup" => Kind::Lookup,
            "handoff" => Kind::Handoff,
            "delivery" => Kind::Delivery,
            _ => return None,
        })
    }
}

/// One request waiting for its answer.
#[derive(Clone, Debug)]
pub struct Job {
    /// The engine's request id: the answer goes back under it.
    pub request: u64,
    pub kind: Kind,
    pub path: String,
    /// The JSON body, as text.
    pub body: String,
    /// Tries so far.
    pub tries: u32,
}

#[derive(Default)]
pub struct Outbox {
    jobs: RefCell<Vec<Job>>,
    /// Requests being sent right now.
    in_flight: RefCell<Vec<u64>>,
    timer: RefCell<Option<i32>>,
}

impl Outbox {
    /// Loads what a previous page left unsent.
    pub fn load() -> Rc<Outbox> {
        let outbox = Rc::new(Outbox::default());
        let stored = crate::storage::get(KEY).and_then(|text| js_sys::JSON::parse(&text).ok());
        if let Some(list) = stored {
            for j in js::items(&list) {
                let job = (|| {
                    Some(Job {
                        request: js::get_f64(&j, "request")? as u64,
                        kind: Kind::parse(&js::get_str(&j, "kind")?)?,
                        path: js::get_str(&j, "path")?,
                        body: js::get_str(&j, "body")?,
                        tries: 0,
                    })
                })();
                // Anything that does not read back is dropped, never thrown.
                outbox.jobs.borrow_mut().extend(job);
            }
        }
        outbox
    }

    pub fn push(&self, job: Job) {
        let mut jobs = self.jobs.borrow_mut();
        if !jobs.iter().any(|j| j.request == job.request) {
            jobs.push(job);
        }
        drop(jobs);
        self.save();
    }

    pub fn remove(&self, request: u64) {
        self.jobs.borrow_mut().retain(|j| j.request != request);
        self.in_flight.borrow_mut().retain(|r| *r != request);
        self.save();
    }

    /// Jobs not being sent right now (marked as in flight).
    pub fn take_ready(&self) -> Vec<Job> {
        let mut in_flight = self.in_flight.borrow_mut();
        let ready: Vec<Job> = self
            .jobs
            .borrow()
            .iter()
            .filter(|j| !in_flight.contains(&j.request))
            .cloned()
            .collect();
        in_flight.extend(ready.iter().map(|j| j.request));
        ready
    }

    /// A job got no answer: it stays, and may be sent again.
    pub fn failed(&self, request: u64) -> i32 {
        self.in_flight.borrow_mut().retain(|r| *r != request);
        let mut jobs = self.jobs.borrow_mut();
        let tries = jobs
            .iter_mut()
            .find(|j| j.request == request)
            .map_or(1, |j| {
                j.tries += 1;
                j.tries
            });
        (1000i32.saturating_mul(1 << tries.min(6))).min(MAX_BACKOFF_MS)
    }

    pub fn is_empty(&self) -> bool {
        self.jobs.borrow().is_empty()
    }

    /// Arms one retry timer (the earliest wins).
    pub fn retry_in(self: &Rc<Self>, ms: i32, pump: Rc<dyn Fn()>) {
        if self.timer.borrow().is_some() {
            return;
        }
        let Some(window) = web_sys::window() else {
            return;
        };
        let this = Rc::clone(self);
        let callback = Closure::once_into_js(move || {
            this.timer.borrow_mut().take();
            pump();
        });
        if let Ok(id) = window
            .set_timeout_with_callback_and_timeout_and_arguments_0(callback.unchecked_ref(), ms)
        {
            *self.timer.borrow_mut() = Some(id);
        }
    }

    /// Keeps the waiting jobs in storage (which waits for consent when the tag asks).
    fn save(&self) {
        let jobs = self.jobs.borrow();
        if jobs.is_empty() {
            crate::storage::remove(KEY);
            return;
        }
        let list = js::array(jobs.iter().map(|j| {
            js::object(&[
                ("request", js::num(j.request as f64)),
                ("kind", js::str(j.kind.name())),
                ("path", js::str(&j.path)),
                ("body", js::str(&j.body)),
            ])
        }));
        crate::storage::set(KEY, &js::stringify(&list));
    }
}
