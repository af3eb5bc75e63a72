//! The page's raw signals, turned into engine inputs. Only observation happens, and it
//! happens once, in the loader (`widget/loader/bellhop.js`): it listens to the page and
//! hands each signal to whichever stage runs, through the stage's exported `signal`
//! function, which reads it here with [`input`]. Event listeners written in JavaScript
//! cost a fraction of the same listeners in wasm and its glue, and neither stage then
//! carries them. Whether a signal means anything (a fast swipe up, a return to the tab, a
//! pointer that stayed out, how deep the shopper read) is the engine's business, tested
//! there on virtual time.
//!
//! - `page`: a page view, also single-page-app navigation (`history.pushState`, `popstate`);
//! - `visible` (`a`: whether the tab is visible);
//! - `scroll` (`a`: the scroll top, `b`: the viewport's height, `c`: the page's), and
//!   `activity` (pointer, keys; at most one a second);
//! - `out` and `back`: the pointer left through the top edge, and came back;
//! - `cart` (`a`: the cart as `setCart` takes it), from the Shopify adapter.

use flow_runtime::{Cart, Device, Input, Page, Scroll};
use wasm_bindgen::JsValue;
use web_sys::Window;

use crate::js;

/// The input for signal `kind` from the loader (see the module's list); `None` for an
/// unknown kind.
pub fn input(kind: &str, a: &JsValue, b: f64, c: f64) -> Option<Input> {
    let px = |v: f64| v.max(0.0) as u32;
    Some(match kind {
        "page" => Input::PageView(page()),
        "visible" => Input::Visibility(a.is_truthy()),
        "scroll" => Input::Scrolled(Scroll {
            top: px(a.as_f64().unwrap_or(0.0)),
            viewport: px(b),
            height: px(c),
        }),
        "activity" => Input::Activity,
        "out" => Input::PointerLeft,
        "back" => Input::PointerBack,
        "cart" => Input::CartChanged(cart_from_js(a)),
        _ => return None,
    })
}

/// The page as the runtime needs it.
pub fn page() -> Page {
    let Some(window) = web_sys::window() else {
        return Page::default();
    };
    let location = window.location();
    let document = window.document();
    let language = document
        .as_ref()
        .and_then(|d| d.document_element())
        .and_then(|e| e.get_attribute("lang"))
        .or_else(|| window.navigator().language())
        .unwrap_or_default();
    let visible = document.as_ref().is_none_or(|d| !d.hidden());
    Page {
        url: location.href().unwrap_or_default(),
        path: location.pathname().unwrap_or_default(),
        language,
        device: device(&window),
        visible,
    }
}

/// The screen's width and whether its pointer is coarse (touch), as the runtime's
/// [`Device::of_screen`] classifies them.
pub fn device(window: &Window) -> Device {
    let width = window
        .inner_width()
        .ok()
        .and_then(|w| w.as_f64())
        .unwrap_or(1280.0);
    let coarse = window
        .match_media("(pointer: coarse)")
        .ok()
        .flatten()
        .is_some_and(|m| m.matches());
    Device::of_screen(width, coarse)
}

/// A cart as the store's page describes it: `{items, value, currency}` where `items` is a
/// count or a list of lines with `quantity` and a `name` (or `title`, or `sku`).
pub fn cart_from_js(v: &JsValue) -> Cart {
    let items_value = js::get(v, "items");
    let quantity = |line: &JsValue| js::get_f64(line, "quantity").unwrap_or(1.0).max(0.0) as u32;
    let list = js::items(&items_value);
    let items = match items_value.as_f64() {
        Some(n) => n.max(0.0) as u32,
        None => list.iter().map(quantity).sum(),
    };
    let lines = list
        .iter()
        .filter_map(|line| {
            let name = ["name", "title", "sku"]
                .iter()
                .find_map(|k| js::get_str(line, k).filter(|s| !s.trim().is_empty()))?;
            Some(flow_runtime::CartLine {
                name,
                quantity: quantity(line),
            })
        })
        .take(Cart::MAX_LINES)
        .collect();
    let value = js::get_f64(v, "value")
        .filter(|f| f.is_finite())
        .unwrap_or(0.0);
    Cart {
        items,
        value: flow_runtime::value::Num((value * 1000.0).round() as i64),
        currency: js::get_str(v, "currency")
            .unwrap_or_default()
            .chars()
            .take(8)
            .collect(),
        lines,
    }
}

/// `Bellhop('identify', {…})`: the fields as text (numbers as JavaScript writes them);
/// anything else is left out.
pub fn identity_from_js(v: &JsValue) -> Vec<(String, String)> {
    use wasm_bindgen::JsCast;
    let Some(object) = v.dyn_ref::<js_sys::Object>() else {
        return Vec::new();
    };
    js_sys::Object::entries(object)
        .iter()
        .filter_map(|entry| {
            let k = js_sys::Reflect::get_u32(&entry, 0).ok()?.as_string()?;
            let v = js_sys::Reflect::get_u32(&entry, 1).ok()?;
            let v = v.as_string().or_else(|| {
                v.dyn_ref::<js_sys::Number>()
                    .and_then(|n| n.to_string_with_radix(10).ok())
                    .map(String::from)
            })?;
            Some((k, v))
        })
        .collect()
}

/// The resume token of an email's link back into a conversation (`#bellhop-resume=…` in
/// the page's address), if the shopper came through one.
pub fn resume_token() -> Option<String> {
    let hash = web_sys::window()?.location().hash().ok()?;
    let token = hash.strip_prefix("#bellhop-resume=")?;
    let ok =
        !token.is_empty() && token.len() <= 128 && token.bytes().all(|b| b.is_ascii_hexdigit());
    ok.then(|| token.to_owned())
}

/// Takes the resume token out of the address (it was used; a bookmark or a shared link
/// must not carry it), keeping the page where it is.
pub fn forget_resume_token() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let location = window.location();
    let clean = format!(
        "{}{}",
        location.pathname().unwrap_or_default(),
        location.search().unwrap_or_default()
    );
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&clean));
    }
}
