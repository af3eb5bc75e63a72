//! What the widget remembers in `localStorage`, under `bellhop:` keys: the visitor id, the
//! record both stages keep ([`flow_runtime::Watched`]: visits, trigger history, what the
//! eager stage must know of the conversation), the conversation's snapshot (the panel's
//! only; it holds, among the rest, where a live conversation's stream got to), the requests
//! waiting to be sent (the outbox), the last good flow and launch table. This module is the
//! only one that touches `localStorage`, so that one gate holds for every write, in both
//! stages.
//!
//! Anything read back is untrusted: data that does not decode (corrupted, written by
//! another version, or by someone else) is removed and the widget starts afresh, without an
//! exception. With `data-consent="required"` nothing is written until the store's page
//! calls `Bellhop('consent', true)`: writes wait in memory ([`set`]), are written when
//! consent comes, and are forgotten, with everything stored, when it is refused.

use std::cell::{Cell, RefCell};

use flow_runtime::{Saved, State, Watched};

use crate::{base64, platform};

pub const STATE_KEY: &str = "bellhop:state";
pub const WATCHED_KEY: &str = "bellhop:watched";
const VISITOR_KEY: &str = "bellhop:visitor";
/// Bumped when the stored encoding changes.
const FORMAT: &str = "1:";

thread_local! {
    /// Whether writing is allowed (no consent needed, or consent given).
    static ALLOWED: Cell<bool> = const { Cell::new(true) };
    /// Writes made before consent, in order: `(key, value)`, `None` to remove.
    static WAITING: RefCell<Vec<(String, Option<String>)>> = const { RefCell::new(Vec::new()) };
}

/// Whether the tag asks for consent before anything is stored. Called once at boot, before
/// anything is read or written.
pub fn require_consent(required: bool) {
    ALLOWED.with(|a| a.set(!required));
}

/// Whether writes reach `localStorage` now.
pub fn allowed() -> bool {
    ALLOWED.with(Cell::get)
}

/// Stores `value` under `key` (a `bellhop:` key), or keeps it in memory until consent.
/// A full storage (quota) is not worth an exception in the store's page: then it is lost.
pub fn set(key: &str, value: &str) {
    if allowed() {
        platform().storage_set(key, value);
    } else {
        wait(key, Some(value.to_owned()));
    }
}

/// Removes `key`, or remembers to once consent comes.
pub fn remove(key: &str) {
    if allowed() {
        platform().storage_remove(key);
    } else {
        wait(key, None);
    }
}

/// What is stored under `key`: a write waiting for consent first.
pub fn get(key: &str) -> Option<String> {
    let waiting = WAITING.with(|w| {
        w.borrow()
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    });
    match waiting {
        Some(value) => value,
        None => platform().storage_get(key),
    }
}

fn wait(key: &str, value: Option<String>) {
    WAITING.with(|w| {
        let mut w = w.borrow_mut();
        w.retain(|(k, _)| k != key);
        w.push((key.to_owned(), value));
    });
}

/// `Bellhop('consent', …)`: given, what waited is written and writes go through; refused,
/// what waited is dropped, everything Bellhop stored is removed, and nothing is written.
pub fn grant(given: bool) {
    ALLOWED.with(|a| a.set(given));
    let waiting = WAITING.with(|w| std::mem::take(&mut *w.borrow_mut()));
    let p = platform();
    if given {
        for (key, value) in waiting {
            match value {
                Some(v) => p.storage_set(&key, &v),
                None => p.storage_remove(&key),
            }
        }
    } else {
        for key in p.storage_keys() {
            if key.starts_with("bellhop:") {
                p.storage_remove(&key);
            }
        }
    }
}

/// The shopper's random visitor id, kept across visits (when storage is allowed).
pub fn visitor_id() -> String {
    let stored = get(VISITOR_KEY)
        .filter(|v| v.len() >= 8 && v.len() <= 64 && v.bytes().all(|b| b.is_ascii_alphanumeric()));
    let id = stored.unwrap_or_else(new_id);
    set(VISITOR_KEY, &id);
    id
}

/// The saved conversation, if there is one that decodes (anything else is removed).
pub fn read_state() -> Option<State> {
    let text = get(STATE_KEY)?;
    let state = decode(&text);
    if state.is_none() {
        remove(STATE_KEY);
    }
    state
}

/// Keeps what the engine saved ([`flow_runtime::Effect::Save`]): the conversation and the
/// shared record.
pub fn save(saved: &Saved) {
    set(
        STATE_KEY,
        &(FORMAT.to_owned() + &base64::encode(&saved.conversation)),
    );
    save_watched(&saved.watched);
}

/// The record both stages keep, if one decodes (anything else is removed).
pub fn read_watched() -> Option<Watched> {
    let text = get(WATCHED_KEY)?;
    let watched = text
        .strip_prefix(FORMAT)
        .and_then(base64::decode)
        .and_then(|b| Watched::from_bytes(&b));
    if watched.is_none() {
        remove(WATCHED_KEY);
    }
    watched
}

pub fn save_watched(bytes: &[u8]) {
    set(WATCHED_KEY, &(FORMAT.to_owned() + &base64::encode(bytes)));
}

const FLOW_KEY: &str = "bellhop:flow";
const LAUNCH_KEY: &str = "bellhop:launch";

/// The last compiled flow that loaded from `url`, kept so the widget still starts when the
/// flow cannot be fetched (offline, server down). It is the merchant's content, not the
/// shopper's data, but with consent required it is not written either.
pub fn cached_flow(url: &str) -> Option<Vec<u8>> {
    cached(FLOW_KEY, url)
}

pub fn cache_flow(url: &str, bytes: &[u8]) {
    cache(FLOW_KEY, url, bytes);
}

/// The same for the eager stage's part of the flow ([`flow_runtime::flow::Launch`]).
pub fn cached_launch(url: &str) -> Option<Vec<u8>> {
    cached(LAUNCH_KEY, url)
}

pub fn cache_launch(url: &str, bytes: &[u8]) {
    cache(LAUNCH_KEY, url, bytes);
}

fn cached(key: &str, url: &str) -> Option<Vec<u8>> {
    let text = get(key)?;
    let (stored_url, data) = text.strip_prefix(FORMAT)?.split_once('\n')?;
    (stored_url == url).then(|| base64::decode(data)).flatten()
}

fn cache(key: &str, url: &str, bytes: &[u8]) {
    let mut text = String::from(FORMAT);
    text.push_str(url);
    text.push('\n');
    text.push_str(&base64::encode(bytes));
    set(key, &text);
}

/// Decodes a stored snapshot, or `None` for anything else.
pub fn decode(text: &str) -> Option<State> {
    let bytes = base64::decode(text.strip_prefix(FORMAT)?)?;
    State::from_bytes(&bytes)
}

fn new_id() -> String {
    random_hex(12)
}

/// `N` random bytes from the browser's cryptographic generator, in hex.
pub fn random_hex(n: usize) -> String {
    let mut bytes = vec![0u8; n];
    platform().random(&mut bytes);
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(2 * n);
    for b in bytes {
        out.push(HEX[usize::from(b >> 4)] as char);
        out.push(HEX[usize::from(b & 15)] as char);
    }
    out
}
