//! The eager stage's boundary with the loader, without wasm-bindgen: 22 plain imports
//! (module `bellhop`, written in `widget/loader/bellhop.js`) and exports that take numbers.
//! wasm-bindgen's glue module, its conversions and its closures were a third of this
//! stage's bytes on every page view (issue 32); what crosses here is text, bytes and
//! numbers, so the contract is small enough to write by hand and read in one sitting.
//!
//! - **Into the wasm**, the loader writes bytes into the inbox ([`inbox`] gives it room)
//!   and passes their length; `-1` means "none". An export takes its inbox first, before
//!   it calls an import that may refill it.
//! - **Out of the wasm**, an import gets a pointer and a length into this memory, which
//!   the loader reads at once.
//! - **The page's values** (a command's arguments, a cart, the tag's settings) stay in
//!   the loader, in a list it clears after each call; the wasm holds their places
//!   ([`Held`]) and reads them one field at a time, as [`browser::PageValue`] asks.
//!
//! The exports are unmangled on wasm32 only: natively (`cargo test --workspace` links this
//! crate as a shared library too) names like `open` and `signal` would shadow libc's.

use std::cell::RefCell;

#[cfg(target_arch = "wasm32")]
#[link(wasm_import_module = "bellhop")]
unsafe extern "C" {
    safe fn now() -> f64;
    fn get(key: *const u8, key_len: usize) -> i32;
    fn set(key: *const u8, key_len: usize, value: *const u8, value_len: usize);
    fn remove(key: *const u8, key_len: usize);
    safe fn keys() -> i32;
    fn random(bytes: *mut u8, len: usize);
    /// The page's text `which`: 0 `location.href`, 1 its path, 2 its hash, 3 `<html lang>`,
    /// 4 `navigator.language`.
    safe fn page(which: i32) -> i32;
    /// `innerWidth` (NaN: none).
    safe fn width() -> f64;
    safe fn coarse() -> i32;
    safe fn hidden() -> i32;
    /// Calls the export `tick` after `ms` milliseconds, instead of any earlier timer;
    /// negative: no timer.
    safe fn arm(ms: f64);
    /// The panel: fetched ahead (`now` 0), or started with the handover's bytes.
    fn panel(now: i32, handover: *const u8, len: usize);
    /// Appends `["open"]` to `window.Bellhop.q`, which the panel replays when it starts.
    safe fn queue_open();
    /// What an export answers (the launcher's description, a note, an error).
    fn put(text: *const u8, len: usize);
    safe fn field(value: u32, key: *const u8, key_len: usize) -> u32;
    /// The number (NaN: not a number).
    safe fn num(value: u32) -> f64;
    /// A string (`numbers` 1: or a number as JavaScript writes it) into the inbox.
    safe fn str(value: u32, numbers: i32) -> i32;
    safe fn truthy(value: u32) -> i32;
    /// An array's length (-1: not an array).
    safe fn len(value: u32) -> i32;
    safe fn item(value: u32, index: u32) -> u32;
    /// An object's own keys, separated by NUL, into the inbox.
    safe fn keys_of(value: u32) -> i32;
    /// A `Uint8Array`'s bytes into the inbox.
    safe fn bytes(value: u32) -> i32;
}

/// Native builds (`cargo check`, clippy) have no loader: every call reads as nothing.
#[cfg(not(target_arch = "wasm32"))]
#[allow(clippy::missing_safety_doc)]
mod native {
    pub fn now() -> f64 {
        0.0
    }
    pub unsafe fn get(_: *const u8, _: usize) -> i32 {
        -1
    }
    pub unsafe fn set(_: *const u8, _: usize, _: *const u8, _: usize) {}
    pub unsafe fn remove(_: *const u8, _: usize) {}
    pub fn keys() -> i32 {
        -1
    }
    pub unsafe fn random(_: *mut u8, _: usize) {}
    pub fn page(_: i32) -> i32 {
        -1
    }
    pub fn width() -> f64 {
        f64::NAN
    }
    pub fn coarse() -> i32 {
        0
    }
    pub fn hidden() -> i32 {
        0
    }
    pub fn arm(_: f64) {}
    pub unsafe fn panel(_: i32, _: *const u8, _: usize) {}
    pub fn queue_open() {}
    pub unsafe fn put(_: *const u8, _: usize) {}
    pub fn field(_: u32, _: *const u8, _: usize) -> u32 {
        0
    }
    pub fn num(_: u32) -> f64 {
        f64::NAN
    }
    pub fn str(_: u32, _: i32) -> i32 {
        -1
    }
    pub fn truthy(_: u32) -> i32 {
        0
    }
    pub fn len(_: u32) -> i32 {
        -1
    }
    pub fn item(_: u32, _: u32) -> u32 {
        0
    }
    pub fn keys_of(_: u32) -> i32 {
        -1
    }
    pub fn bytes(_: u32) -> i32 {
        -1
    }
}
#[cfg(not(target_arch = "wasm32"))]
use native::*;

thread_local! {
    static INBOX: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Room for `len` bytes from the loader; they are the next [`take`]'s.
#[cfg_attr(target_arch = "wasm32", unsafe(no_mangle))]
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub extern "C" fn inbox(len: usize) -> *mut u8 {
    INBOX.with(|i| {
        let mut i = i.borrow_mut();
        i.clear();
        i.resize(len, 0);
        i.as_mut_ptr()
    })
}

/// The inbox's bytes, when `len` says there are some.
fn take(len: i32) -> Option<Vec<u8>> {
    let len = usize::try_from(len).ok()?;
    let mut bytes = INBOX.with(|i| std::mem::take(&mut *i.borrow_mut()));
    bytes.truncate(len);
    Some(bytes)
}

fn take_text(len: i32) -> Option<String> {
    String::from_utf8(take(len)?).ok()
}

/// Answers the loader's call with `text`.
pub fn answer(text: &str) {
    // SAFETY: the loader reads these bytes at once, before this memory can change.
    unsafe { put(text.as_ptr(), text.len()) }
}

/// Sets the one timer (`None`: none).
pub fn set_timer(ms: Option<f64>) {
    arm(ms.unwrap_or(-1.0));
}

/// Asks the loader for the panel: ahead (`None`), or now with the handover.
pub fn call_panel(handover: Option<&[u8]>) {
    let (now, bytes) = match handover {
        Some(b) => (1, b),
        None => (0, &[][..]),
    };
    // SAFETY: the loader copies the bytes before it returns.
    unsafe { panel(now, bytes.as_ptr(), bytes.len()) }
}

pub fn open_later() {
    queue_open();
}

/// A value the loader holds for the current call: the `n`th of its arguments, or one read
/// from them.
#[derive(Clone, Copy)]
pub struct Held(pub u32);

impl Held {
    /// The bytes of a `Uint8Array`.
    pub fn bytes(self) -> Option<Vec<u8>> {
        take(bytes(self.0))
    }
}

impl browser::PageValue for Held {
    fn field(&self, key: &str) -> Held {
        Held(field(self.0, key.as_ptr(), key.len()))
    }
    fn number(&self) -> Option<f64> {
        Some(num(self.0)).filter(|n| !n.is_nan())
    }
    fn string(&self) -> Option<String> {
        take_text(str(self.0, 0))
    }
    fn text(&self) -> Option<String> {
        take_text(str(self.0, 1))
    }
    fn truthy(&self) -> bool {
        truthy(self.0) != 0
    }
    fn length(&self) -> Option<u32> {
        u32::try_from(len(self.0)).ok()
    }
    fn item(&self, index: u32) -> Held {
        Held(item(self.0, index))
    }
    fn entries(&self) -> Vec<(String, Held)> {
        let Some(keys) = take_text(keys_of(self.0)) else {
            return Vec::new();
        };
        keys.split('\0')
            .filter(|k| !k.is_empty())
            .map(|k| (k.to_owned(), self.field(k)))
            .collect()
    }
}

/// The browser as the loader's imports give it, for the `browser` crate.
pub struct Loader;

impl browser::Platform for Loader {
    fn now(&self) -> f64 {
        now()
    }
    fn storage_get(&self, key: &str) -> Option<String> {
        // SAFETY: the loader reads the key at once.
        take_text(unsafe { get(key.as_ptr(), key.len()) })
    }
    fn storage_set(&self, key: &str, value: &str) {
        // SAFETY: the loader reads both at once.
        unsafe { set(key.as_ptr(), key.len(), value.as_ptr(), value.len()) }
    }
    fn storage_remove(&self, key: &str) {
        // SAFETY: the loader reads the key at once.
        unsafe { remove(key.as_ptr(), key.len()) }
    }
    fn storage_keys(&self) -> Vec<String> {
        take_text(keys())
            .map(|k| k.split('\n').map(str::to_owned).collect())
            .unwrap_or_default()
    }
    fn random(&self, bytes: &mut [u8]) {
        // SAFETY: the loader fills exactly these bytes and keeps no view of them.
        unsafe { random(bytes.as_mut_ptr(), bytes.len()) }
    }
    fn href(&self) -> String {
        take_text(page(0)).unwrap_or_default()
    }
    fn pathname(&self) -> String {
        take_text(page(1)).unwrap_or_default()
    }
    fn hash(&self) -> String {
        take_text(page(2)).unwrap_or_default()
    }
    fn lang_attribute(&self) -> Option<String> {
        take_text(page(3))
    }
    fn navigator_language(&self) -> Option<String> {
        take_text(page(4))
    }
    fn inner_width(&self) -> Option<f64> {
        Some(width()).filter(|w| !w.is_nan())
    }
    fn coarse_pointer(&self) -> bool {
        coarse() != 0
    }
    fn hidden(&self) -> bool {
        hidden() != 0
    }
}
