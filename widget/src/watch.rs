//! The page's signals, turned into runtime inputs. Only observation happens here: which
//! signal starts which trigger, and whether it may, is the runtime's business.
//!
//! - page views, including single-page-app navigation (`history.pushState`, `popstate`);
//! - visibility (time on page counts only while the tab is visible);
//! - scroll depth, and activity (pointer, keys, scroll; at most one input a second);
//! - exit intent: on desktop the pointer leaves through the top edge and does not come
//!   back within a grace period; on phones, a fast scroll back up towards the address bar,
//!   or coming back to the tab after a short absence (each trigger says which counts);
//! - the cart, from `Bellhop('setCart', …)` or the Shopify adapter.

use std::cell::Cell;
use std::rc::Rc;

use flow_runtime::{Cart, Device, ExitSignal, Input, Page};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{Event, MouseEvent, Window};

use crate::chat::{Chat, now};
use crate::js;

/// How long the pointer may be out of the window before it counts as leaving.
const EXIT_GRACE_MS: i32 = 300;
/// A tab hidden at least this long, then shown again, counts as a return (phones).
const TAB_RETURN_MIN_MS: u64 = 3_000;
const TAB_RETURN_MAX_MS: u64 = 10 * 60_000;

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

/// `phone` under 600 px wide with a coarse pointer, `tablet` under 1024, else `desktop`.
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
    match (width, coarse) {
        (w, _) if w < 600.0 => Device::Phone,
        (w, true) if w < 1024.0 => Device::Tablet,
        _ => Device::Desktop,
    }
}

fn listen(target: &web_sys::EventTarget, name: &str, f: impl FnMut(Event) + 'static) {
    let closure = Closure::<dyn FnMut(Event)>::new(f);
    let options = web_sys::AddEventListenerOptions::new();
    options.set_passive(true);
    let _ = target.add_event_listener_with_callback_and_add_event_listener_options(
        name,
        closure.as_ref().unchecked_ref(),
        &options,
    );
    // The widget lives as long as the page.
    closure.forget();
}

/// Starts watching the page (whose first page view the caller has dispatched).
pub fn watch(chat: Chat) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Some(document) = window.document() else {
        return;
    };

    // Single-page-app navigation: wrap pushState/replaceState once, listen to popstate.
    let last_url = Rc::new(std::cell::RefCell::new(page().url));
    let on_navigate = {
        let last_url = last_url.clone();
        move |_: Event| {
            let p = page();
            if *last_url.borrow() != p.url {
                *last_url.borrow_mut() = p.url.clone();
                chat.dispatch(Input::PageView(p));
            }
        }
    };
    patch_history(&window);
    listen(&window, "popstate", on_navigate.clone());
    listen(&window, "bellhop:navigate", on_navigate);

    // Visibility, and returning to the tab (a phone's stand-in for exit intent).
    let hidden_at = Rc::new(Cell::new(None::<u64>));
    {
        let document2 = document.clone();
        let window2 = window.clone();
        listen(&document, "visibilitychange", move |_| {
            let visible = !document2.hidden();
            chat.dispatch(Input::Visibility(visible));
            if !visible {
                hidden_at.set(Some(now().0));
            } else if let Some(at) = hidden_at.take() {
                let away = now().0.saturating_sub(at);
                if device(&window2) != Device::Desktop
                    && (TAB_RETURN_MIN_MS..TAB_RETURN_MAX_MS).contains(&away)
                {
                    chat.dispatch(Input::ExitIntent(ExitSignal::TabReturn));
                }
            }
        });
    }

    // Activity, at most once a second.
    let last_activity = Rc::new(Cell::new(0u64));
    for name in ["pointermove", "keydown", "touchstart", "wheel"] {
        let last = last_activity.clone();
        listen(&document, name, move |_| {
            let t = now().0;
            if t.saturating_sub(last.get()) >= 1000 {
                last.set(t);
                chat.dispatch(Input::Activity);
            }
        });
    }

    // Scroll depth, activity, and a fast scroll up (phones).
    {
        let window2 = window.clone();
        let deepest = Rc::new(Cell::new(0u8));
        let run = Rc::new(Cell::new(UpwardRun::default()));
        let scroll_last_activity = last_activity.clone();
        listen(&window, "scroll", move |_| {
            let y = window2.scroll_y().unwrap_or(0.0);
            let view = window2
                .inner_height()
                .ok()
                .and_then(|h| h.as_f64())
                .unwrap_or(0.0);
            let total = window2
                .document()
                .and_then(|d| d.document_element())
                .map_or(1.0, |e| f64::from(e.scroll_height().max(1)));
            let percent = (((y + view) / total) * 100.0).clamp(0.0, 100.0) as u8;
            let t = now().0;
            if percent >= deepest.get().saturating_add(5) || (percent == 100 && deepest.get() < 100)
            {
                deepest.set(percent);
                chat.dispatch(Input::Scrolled(percent));
            } else if t.saturating_sub(scroll_last_activity.get()) >= 1000 {
                scroll_last_activity.set(t);
                chat.dispatch(Input::Activity);
            }
            // More than a screen up in one quick swipe, ending near the top: reaching for
            // the address bar or the tabs.
            let fast_up = run.get().next(y, t);
            run.set(fast_up);
            if device(&window2) != Device::Desktop && fast_up.is_exit(y, t, view) {
                chat.dispatch(Input::ExitIntent(ExitSignal::FastScrollUp));
                run.set(UpwardRun::default());
            }
        });
    }

    // Exit intent on desktop: out through the top, not back within the grace period.
    {
        let pending = Rc::new(Cell::new(None::<i32>));
        let window2 = window.clone();
        let pending2 = pending.clone();
        listen(&document, "mouseout", move |e| {
            let Some(e) = e.dyn_ref::<MouseEvent>() else {
                return;
            };
            if e.related_target().is_some() || e.client_y() > 0 || pending2.get().is_some() {
                return;
            }
            let pending3 = pending2.clone();
            let fire = Closure::once_into_js(move || {
                pending3.set(None);
                chat.dispatch(Input::ExitIntent(ExitSignal::PointerTop));
            });
            if let Ok(id) = window2.set_timeout_with_callback_and_timeout_and_arguments_0(
                fire.unchecked_ref(),
                EXIT_GRACE_MS,
            ) {
                pending2.set(Some(id));
            }
        });
        let window3 = window.clone();
        listen(&document, "mouseover", move |_| {
            if let Some(id) = pending.take() {
                window3.clear_timeout_with_handle(id);
            }
        });
    }

    // Shopify: the storefront's own cart endpoint, on load and when the shopper comes back.
    if chat.shell().config.shopify_cart {
        read_shopify_cart(chat);
        let document2 = document.clone();
        listen(&document, "visibilitychange", move |_| {
            if !document2.hidden() {
                read_shopify_cart(chat);
            }
        });
        let interval = Closure::<dyn FnMut()>::new(move || read_shopify_cart(chat));
        let _ = window.set_interval_with_callback_and_timeout_and_arguments_0(
            interval.as_ref().unchecked_ref(),
            20_000,
        );
        interval.forget();
    }
}

/// Makes `history.pushState` and `replaceState` announce themselves as `bellhop:navigate`
/// (wrapped from wasm, so no `eval` and nothing a strict CSP blocks). Errors the originals
/// throw are passed on unchanged.
fn patch_history(window: &Window) {
    let Ok(history) = window.history() else {
        return;
    };
    for name in ["pushState", "replaceState"] {
        let Ok(original) = js_sys::Reflect::get(&history, &JsValue::from_str(name)) else {
            continue;
        };
        let Ok(original) = original.dyn_into::<js_sys::Function>() else {
            continue;
        };
        if js::get(&original, "__bellhop").is_truthy() {
            continue;
        }
        let (h, w) = (history.clone(), window.clone());
        let wrapper =
            Closure::<dyn FnMut(JsValue, JsValue, JsValue) -> Result<JsValue, JsValue>>::new(
                move |a, b, c| {
                    let result = original.call3(&h, &a, &b, &c);
                    if let Ok(event) = Event::new("bellhop:navigate") {
                        let _ = w.dispatch_event(&event);
                    }
                    result
                },
            );
        let _ = js_sys::Reflect::set(
            wrapper.as_ref(),
            &JsValue::from_str("__bellhop"),
            &JsValue::TRUE,
        );
        let _ = js_sys::Reflect::set(&history, &JsValue::from_str(name), wrapper.as_ref());
        wrapper.forget();
    }
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

fn read_shopify_cart(chat: Chat) {
    wasm_bindgen_futures::spawn_local(async move {
        let Some(window) = web_sys::window() else {
            return;
        };
        let Ok(response) =
            wasm_bindgen_futures::JsFuture::from(window.fetch_with_str("/cart.js")).await
        else {
            return;
        };
        let Ok(response) = response.dyn_into::<web_sys::Response>() else {
            return;
        };
        if !response.ok() {
            return;
        }
        let Ok(json) = response.json() else { return };
        let Ok(cart) = wasm_bindgen_futures::JsFuture::from(json).await else {
            return;
        };
        // Shopify: item_count, total_price in minor units, currency.
        let value = js::get_f64(&cart, "total_price").unwrap_or(0.0) / 100.0;
        let items = js::get_f64(&cart, "item_count").unwrap_or(0.0);
        let described = js::object(&[
            ("items", js::num(items)),
            ("value", js::num(value)),
            ("currency", js::get(&cart, "currency")),
        ]);
        chat.dispatch(Input::CartChanged(cart_from_js(&described)));
    });
}

/// The current run of upward scrolling: where and when it began, and the last position.
#[derive(Clone, Copy, Default)]
struct UpwardRun {
    from_y: f64,
    from_t: u64,
    last_y: f64,
    last_t: u64,
    upward: bool,
}

impl UpwardRun {
    /// A scroll event moves to `y` at `t`: the run goes on while events keep coming upward
    /// less than 300 ms apart, and starts afresh otherwise. A new run starts where the page
    /// was and *when this event came*: the previous scroll event may be long ago (the
    /// shopper stopped to read), and its time says nothing about the swipe's speed.
    fn next(self, y: f64, t: u64) -> UpwardRun {
        let up = y < self.last_y;
        let goes_on = up && self.upward && t.saturating_sub(self.last_t) < 300;
        let (from_y, from_t) = match (goes_on, up) {
            (true, _) => (self.from_y, self.from_t),
            (false, true) => (self.last_y, t),
            (false, false) => (y, t),
        };
        UpwardRun {
            from_y,
            from_t,
            last_y: y,
            last_t: t,
            upward: up,
        }
    }

    /// More than a screen up within a second, ending within the first screen.
    fn is_exit(self, y: f64, t: u64, view: f64) -> bool {
        self.upward && self.from_y - y > view && t.saturating_sub(self.from_t) < 1000 && y < view
    }
}
