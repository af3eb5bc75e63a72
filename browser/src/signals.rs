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
//!
//! The page itself (address, language, screen) is read through the stage's
//! [`crate::Platform`]; the values the page passes through the stage's [`PageValue`].

use flow_runtime::{Cart, Device, Input, Page, Scroll};

use crate::{PageValue, platform};

/// The input for signal `kind` from the loader (see the module's list); `None` for an
/// unknown kind.
pub fn input<V: PageValue>(kind: &str, a: &V, b: f64, c: f64) -> Option<Input> {
    let px = |v: f64| v.max(0.0) as u32;
    Some(match kind {
        "page" => Input::PageView(page()),
        "visible" => Input::Visibility(a.truthy()),
        "scroll" => Input::Scrolled(Scroll {
            top: px(a.number().unwrap_or(0.0)),
            viewport: px(b),
            height: px(c),
        }),
        "activity" => Input::Activity,
        "out" => Input::PointerLeft,
        "back" => Input::PointerBack,
        "cart" => Input::CartChanged(cart(a)),
        _ => return None,
    })
}

/// The page as the runtime needs it.
pub fn page() -> Page {
    let p = platform();
    Page {
        url: p.href(),
        path: p.pathname(),
        language: p
            .lang_attribute()
            .or_else(|| p.navigator_language())
            .unwrap_or_default(),
        device: device(),
        visible: !p.hidden(),
    }
}

/// The screen's width and whether its pointer is coarse (touch), as the runtime's
/// [`Device::of_screen`] classifies them.
fn device() -> Device {
    let p = platform();
    Device::of_screen(p.inner_width().unwrap_or(1280.0), p.coarse_pointer())
}

/// A cart as the store's page describes it: `{items, value, currency}` where `items` is a
/// count or a list of lines with `quantity` and a `name` (or `title`, or `sku`).
pub fn cart<V: PageValue>(v: &V) -> Cart {
    let items_value = v.field("items");
    let quantity = |line: &V| line.field("quantity").number().unwrap_or(1.0).max(0.0) as u32;
    let list = items_value.items();
    let items = match items_value.number() {
        Some(n) => n.max(0.0) as u32,
        None => list.iter().map(quantity).sum(),
    };
    let lines = list
        .iter()
        .filter_map(|line| {
            let name = ["name", "title", "sku"]
                .iter()
                .find_map(|k| line.field(k).string().filter(|s| !s.trim().is_empty()))?;
            Some(flow_runtime::CartLine {
                name,
                quantity: quantity(line),
            })
        })
        .take(Cart::MAX_LINES)
        .collect();
    let value = v
        .field("value")
        .number()
        .filter(|f| f.is_finite())
        .unwrap_or(0.0);
    Cart {
        items,
        value: flow_runtime::value::Num((value * 1000.0).round() as i64),
        currency: v
            .field("currency")
            .string()
            .unwrap_or_default()
            .chars()
            .take(8)
            .collect(),
        lines,
    }
}

/// `Bellhop('identify', {…})`: the fields as text (numbers as JavaScript writes them);
/// anything else is left out.
pub fn identity<V: PageValue>(v: &V) -> Vec<(String, String)> {
    v.entries()
        .into_iter()
        .filter_map(|(k, v)| Some((k, v.text()?)))
        .collect()
}

/// The resume token of an email's link back into a conversation (`#bellhop-resume=…` in
/// the page's address), if the shopper came through one.
pub fn resume_token() -> Option<String> {
    let hash = platform().hash();
    let token = hash.strip_prefix("#bellhop-resume=")?;
    let ok =
        !token.is_empty() && token.len() <= 128 && token.bytes().all(|b| b.is_ascii_hexdigit());
    ok.then(|| token.to_owned())
}
