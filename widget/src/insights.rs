//! Insights, for flows that switch them on (`"insights": true`): the engine's announcements
//! of this page view are counted ([`flow_runtime::insights::Tally`]) and sent once, with
//! `navigator.sendBeacon`, when the page is first hidden or left. Nothing is sent when the
//! panel was not used, when the tag requires consent that was not given, or by flows
//! without insights: then this module never adds a listener.

use std::cell::RefCell;
use std::rc::Rc;

use flow_runtime::insights::Tally;
use flow_runtime::wire::json::ToJson;
use wasm_bindgen::prelude::*;

use browser::storage;

/// The browser's id for today: `YYYY-MM-DD:<32 hex digits>`, made afresh each day.
const DAY_KEY: &str = "bellhop:day";

/// The counts of this page view, whether they went, and what the report names: the flow
/// (by its name on the server) and the compiled flow's fingerprint (its version).
pub struct Insights {
    tally: RefCell<Tally>,
    sent: std::cell::Cell<bool>,
    api: String,
    flow: Option<String>,
    fingerprint: u64,
}

impl Insights {
    pub fn new(api: &str, flow: Option<String>, fingerprint: u64) -> Insights {
        Insights {
            tally: RefCell::default(),
            sent: std::cell::Cell::new(false),
            api: api.to_owned(),
            flow,
            fingerprint,
        }
    }

    pub fn record(&self, announcement: &flow_runtime::Announcement) {
        if !self.sent.get() {
            self.tally.borrow_mut().record(announcement);
        }
    }
}

/// Sends the page view's report when the page is first hidden or left.
pub fn listen(insights: Rc<Insights>) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let on_leave = insights.clone();
    let left = Closure::<dyn Fn()>::new(move || send(&on_leave));
    let _ = window.add_event_listener_with_callback("pagehide", left.as_ref().unchecked_ref());
    left.forget();
    let hidden = Closure::<dyn Fn()>::new(move || {
        if web_sys::window()
            .and_then(|w| w.document())
            .is_some_and(|d| d.hidden())
        {
            send(&insights);
        }
    });
    if let Some(d) = window.document() {
        let _ =
            d.add_event_listener_with_callback("visibilitychange", hidden.as_ref().unchecked_ref());
    }
    hidden.forget();
}

fn send(insights: &Insights) {
    // Consent, where the tag asks for it, before anything leaves; once per page view.
    if insights.sent.get() || !storage::allowed() {
        return;
    }
    let Some(flow) = insights.flow.clone() else {
        return;
    };
    let batch = insights.tally.borrow_mut().take(
        storage::random_hex(16),
        flow,
        insights.fingerprint,
        Some(day_id()),
    );
    let Some(batch) = batch else {
        return;
    };
    insights.sent.set(true);
    crate::api::beacon(&insights.api, &batch.to_json());
}

/// A random id for this browser and today only.
fn day_id() -> String {
    let now = browser::now().0 as f64;
    let today: String = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(now))
        .to_iso_string()
        .as_string()
        .unwrap_or_default()
        .chars()
        .take(10)
        .collect();
    if let Some(kept) = storage::get(DAY_KEY) {
        if let Some((day, id)) = kept.split_once(':') {
            if day == today && id.len() == 32 {
                return id.to_owned();
            }
        }
    }
    let id = storage::random_hex(16);
    storage::set(DAY_KEY, &format!("{today}:{id}"));
    id
}
