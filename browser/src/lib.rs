//! The browser side that both stages of the widget share: the launcher's eager stage
//! (`launcher`) and the panel (`widget`). Each is its own wasm, so each links its own copy
//! of what it uses; the point is one source and one storage format, so that whichever
//! stage wrote the shopper's records, the other reads them.
//!
//! This crate makes no browser calls of its own: each stage gives it the few it needs as a
//! [`Platform`] (the panel through `web-sys`, the eager stage through the loader's plain
//! imports, which cost a fraction of wasm-bindgen's glue on every page view), and the
//! values a page passes as a [`PageValue`]. So every rule below is written once, and is
//! tested natively against a fake platform.
//!
//! - [`commands`]: what a call of `window.Bellhop(…)` means, for both stages;
//! - [`storage`]: `localStorage` under `bellhop:` keys, behind the one consent gate;
//! - [`signals`]: what the loader's raw signals, the page, a cart and an identity the page
//!   passes mean as runtime inputs; what they mean for the shopper is judged by `flow-runtime`;
//! - [`host`]: the launcher's stylesheet and icon, and the theme's classes;
//! - [`base64`]: binary records as `localStorage` text;
//! - [`value`]: [`PageValue`], and how much of one is read.

pub mod base64;
pub mod commands;
pub mod host;
pub mod signals;
pub mod storage;
pub mod value;

use std::cell::Cell;

pub use value::PageValue;

/// The browser calls the shared code needs, as each stage makes them. Each mirrors one call
/// of the web platform; none may throw (a failure reads as nothing).
pub trait Platform {
    /// `Date.now()`.
    fn now(&self) -> f64;
    /// `localStorage.getItem(key)`.
    fn storage_get(&self, key: &str) -> Option<String>;
    /// `localStorage.setItem(key, value)` (a full storage loses the write).
    fn storage_set(&self, key: &str, value: &str);
    /// `localStorage.removeItem(key)`.
    fn storage_remove(&self, key: &str);
    /// Every key in `localStorage`.
    fn storage_keys(&self) -> Vec<String>;
    /// `crypto.getRandomValues(bytes)`, or `Math.random()` where there is no such generator.
    fn random(&self, bytes: &mut [u8]);
    /// `location.href`.
    fn href(&self) -> String;
    /// `location.pathname`.
    fn pathname(&self) -> String;
    /// `location.hash`.
    fn hash(&self) -> String;
    /// The `lang` attribute of `<html>`, when it has one.
    fn lang_attribute(&self) -> Option<String>;
    /// `navigator.language`.
    fn navigator_language(&self) -> Option<String>;
    /// `innerWidth`.
    fn inner_width(&self) -> Option<f64>;
    /// `matchMedia("(pointer: coarse)").matches`.
    fn coarse_pointer(&self) -> bool;
    /// `document.hidden`.
    fn hidden(&self) -> bool;
}

thread_local! {
    static PLATFORM: Cell<Option<&'static dyn Platform>> = const { Cell::new(None) };
}

/// Gives this crate the stage's browser: called once, first thing, by each stage.
pub fn install(platform: &'static dyn Platform) {
    PLATFORM.with(|p| p.set(Some(platform)));
}

/// The stage's browser; before [`install`], one with nothing in it.
fn platform() -> &'static dyn Platform {
    PLATFORM.with(Cell::get).unwrap_or(&Nothing)
}

/// No browser at all (nothing stored, the epoch, an empty page).
struct Nothing;

impl Platform for Nothing {
    fn now(&self) -> f64 {
        0.0
    }
    fn storage_get(&self, _: &str) -> Option<String> {
        None
    }
    fn storage_set(&self, _: &str, _: &str) {}
    fn storage_remove(&self, _: &str) {}
    fn storage_keys(&self) -> Vec<String> {
        Vec::new()
    }
    fn random(&self, _: &mut [u8]) {}
    fn href(&self) -> String {
        String::new()
    }
    fn pathname(&self) -> String {
        String::new()
    }
    fn hash(&self) -> String {
        String::new()
    }
    fn lang_attribute(&self) -> Option<String> {
        None
    }
    fn navigator_language(&self) -> Option<String> {
        None
    }
    fn inner_width(&self) -> Option<f64> {
        None
    }
    fn coarse_pointer(&self) -> bool {
        false
    }
    fn hidden(&self) -> bool {
        false
    }
}

/// The browser's clock, as the runtime's [`Time`](flow_runtime::Time): the only place
/// either stage reads it.
pub fn now() -> flow_runtime::Time {
    flow_runtime::Time(platform().now() as u64)
}
