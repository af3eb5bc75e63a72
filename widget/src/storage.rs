//! What the widget remembers in `localStorage`: the visitor id and the conversation's
//! snapshot, under `bellhop:` keys.
//!
//! Anything read back is untrusted: data that does not decode (corrupted, written by
//! another version, or by someone else) is removed and the widget starts afresh, without an
//! exception. With `data-consent="required"` nothing is written until the store's page
//! calls `Bellhop('consent', true)`; until then the state lives in memory only.

use std::cell::{Cell, RefCell};

use flow_runtime::State;

use crate::js;

pub const STATE_KEY: &str = "bellhop:state";
const VISITOR_KEY: &str = "bellhop:visitor";
/// Bumped when the stored encoding changes.
const FORMAT: &str = "1:";

pub struct Storage {
    allowed: Cell<bool>,
    /// Written once consent arrives.
    pending: RefCell<Option<String>>,
    visitor: RefCell<Option<String>>,
}

fn local() -> Option<web_sys::Storage> {
    // Throws in sandboxed frames and some privacy modes: then the widget simply forgets.
    web_sys::window()?.local_storage().ok().flatten()
}

impl Storage {
    pub fn new(consent_required: bool) -> Storage {
        Storage {
            allowed: Cell::new(!consent_required),
            pending: RefCell::new(None),
            visitor: RefCell::new(None),
        }
    }

    /// The shopper's random visitor id, kept across visits (when storage is allowed).
    pub fn visitor_id(&self) -> String {
        if let Some(v) = self.visitor.borrow().clone() {
            return v;
        }
        let stored = local()
            .and_then(|s| s.get_item(VISITOR_KEY).ok().flatten())
            .filter(|v| {
                v.len() >= 8 && v.len() <= 64 && v.bytes().all(|b| b.is_ascii_alphanumeric())
            });
        let id = stored.unwrap_or_else(new_id);
        if self.allowed.get() {
            if let Some(s) = local() {
                let _ = s.set_item(VISITOR_KEY, &id);
            }
        }
        *self.visitor.borrow_mut() = Some(id.clone());
        id
    }

    /// The saved conversation, if there is one that decodes.
    pub fn read_state(&self) -> Option<State> {
        let text = local()?.get_item(STATE_KEY).ok().flatten()?;
        let state = decode(&text);
        if state.is_none() {
            self.forget();
        }
        state
    }

    pub fn write_state(&self, state: &State) {
        let bytes = state.to_bytes();
        let text = format!("{FORMAT}{}", js::base64(&bytes));
        if self.allowed.get() {
            if let Some(s) = local() {
                // Full storage (quota) is not worth an exception in the store's page.
                let _ = s.set_item(STATE_KEY, &text);
            }
        } else {
            *self.pending.borrow_mut() = Some(text);
        }
    }

    /// `Bellhop('consent', …)`: start writing (and save what waited), or forget everything.
    pub fn consent(&self, given: bool) {
        self.allowed.set(given);
        if given {
            let visitor = self.visitor.borrow().clone();
            if let (Some(s), Some(v)) = (local(), visitor) {
                let _ = s.set_item(VISITOR_KEY, &v);
            }
            if let (Some(s), Some(text)) = (local(), self.pending.borrow_mut().take()) {
                let _ = s.set_item(STATE_KEY, &text);
            }
        } else {
            self.forget();
            if let Some(s) = local() {
                let _ = s.remove_item(VISITOR_KEY);
            }
        }
    }

    pub fn forget(&self) {
        if let Some(s) = local() {
            let _ = s.remove_item(STATE_KEY);
        }
    }
}

const FLOW_KEY: &str = "bellhop:flow";

/// The last compiled flow that loaded from `url`, kept so the widget still starts when the
/// flow cannot be fetched (offline, server down). It is the merchant's content, not the
/// shopper's data, but with consent required it is not written either.
pub fn cached_flow(url: &str) -> Option<Vec<u8>> {
    let text = local()?.get_item(FLOW_KEY).ok().flatten()?;
    let (stored_url, data) = text.strip_prefix(FORMAT)?.split_once('\n')?;
    (stored_url == url).then(|| js::unbase64(data)).flatten()
}

pub fn cache_flow(url: &str, bytes: &[u8], consent_required: bool) {
    if consent_required {
        return;
    }
    if let Some(s) = local() {
        let _ = s.set_item(FLOW_KEY, &format!("{FORMAT}{url}\n{}", js::base64(bytes)));
    }
}

/// Decodes a stored snapshot, or `None` for anything else.
pub fn decode(text: &str) -> Option<State> {
    let bytes = js::unbase64(text.strip_prefix(FORMAT)?)?;
    State::from_bytes(&bytes)
}

fn new_id() -> String {
    random_hex::<12>()
}

/// `N` random bytes from the browser's cryptographic generator, in hex.
pub fn random_hex<const N: usize>() -> String {
    let mut bytes = [0u8; N];
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .is_some_and(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok());
    if !filled {
        for b in &mut bytes {
            *b = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
