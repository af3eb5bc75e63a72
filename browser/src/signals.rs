//! The page's raw signals, turned into engine inputs. Only observation happens here:
//! whether a signal means anything (a fast swipe up, a return to the tab, a pointer that
//! stayed out, how deep the shopper read) and which trigger it starts is the engine's
//! business, tested there on virtual time.
//!
//! - page views, including single-page-app navigation (`history.pushState`, `popstate`);
//! - visibility;
//! - every scroll position, and activity (pointer, keys; at most one input a second);
//! - the pointer leaving through the top edge, and coming back;
//! - the cart, from `Bellhop('setCart', …)` or the Shopify adapter.

use std::cell::Cell;
use std::rc::Rc;

use flow_runtime::{Cart, Device, Input, Page, Scroll};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{Event, MouseEvent, Window};

use crate::js::{self, now};

/// Where the signals go: the eager stage's watcher or the panel's engine.
pub trait Dispatch: Clone + 'static {
    fn dispatch(&self, input: Input);
}

impl<F: Fn(Input) + Clone + 'static> Dispatch for F {
    fn dispatch(&self, input: Input) {
        self(input)
    }
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

/// Starts watching the page (whose first page view the caller has dispatched). With
/// `shopify_cart`, the cart is read from the storefront's `/cart.js`.
pub fn watch(chat: impl Dispatch, shopify_cart: bool) {
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
        let chat = chat.clone();
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

    // Visibility (the engine measures how long the tab was away).
    {
        let document2 = document.clone();
        let chat = chat.clone();
        listen(&document, "visibilitychange", move |_| {
            chat.dispatch(Input::Visibility(!document2.hidden()));
        });
    }

    // Activity, at most once a second.
    let last_activity = Rc::new(Cell::new(0u64));
    for name in ["pointermove", "keydown", "touchstart", "wheel"] {
        let last = last_activity.clone();
        let chat = chat.clone();
        listen(&document, name, move |_| {
            let t = now().0;
            if t.saturating_sub(last.get()) >= 1000 {
                last.set(t);
                chat.dispatch(Input::Activity);
            }
        });
    }

    // Every scroll position: depth, activity and fast swipes are read from them.
    {
        let window2 = window.clone();
        let chat = chat.clone();
        listen(&window, "scroll", move |_| {
            let px = |v: Result<JsValue, JsValue>| {
                v.ok().and_then(|v| v.as_f64()).unwrap_or(0.0).max(0.0) as u32
            };
            let height = window2
                .document()
                .and_then(|d| d.document_element())
                .map_or(0, |e| e.scroll_height().max(0) as u32);
            chat.dispatch(Input::Scrolled(Scroll {
                top: window2.scroll_y().unwrap_or(0.0).max(0.0) as u32,
                viewport: px(window2.inner_height()),
                height,
            }));
        });
    }

    // The pointer out through the top edge, and back (the engine allows a grace period).
    {
        let out = Rc::new(Cell::new(false));
        let out2 = out.clone();
        let chat2 = chat.clone();
        listen(&document, "mouseout", move |e| {
            let Some(e) = e.dyn_ref::<MouseEvent>() else {
                return;
            };
            if e.related_target().is_none() && e.client_y() <= 0 && !out2.replace(true) {
                chat2.dispatch(Input::PointerLeft);
            }
        });
        let chat = chat.clone();
        listen(&document, "mouseover", move |_| {
            if out.replace(false) {
                chat.dispatch(Input::PointerBack);
            }
        });
    }

    // Shopify: the storefront's own cart endpoint, on load and when the shopper comes back.
    if shopify_cart {
        read_shopify_cart(chat.clone());
        let document2 = document.clone();
        let chat2 = chat.clone();
        listen(&document, "visibilitychange", move |_| {
            if !document2.hidden() {
                read_shopify_cart(chat2.clone());
            }
        });
        let interval = Closure::<dyn FnMut()>::new(move || read_shopify_cart(chat.clone()));
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

/// Shopify's `/cart.js`, read with the browser's promises (no futures machinery in the
/// eager stage's wasm): `item_count`, `total_price` in minor units, `currency`.
fn read_shopify_cart(chat: impl Dispatch) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let on_response = Closure::once_into_js(move |response: JsValue| -> JsValue {
        match response.dyn_into::<web_sys::Response>() {
            Ok(r) if r.ok() => r.json().map_or(JsValue::NULL, JsValue::from),
            _ => JsValue::NULL,
        }
    });
    let on_cart = Closure::once_into_js(move |cart: JsValue| {
        if cart.is_null() || cart.is_undefined() {
            return;
        }
        let value = js::get_f64(&cart, "total_price").unwrap_or(0.0) / 100.0;
        let items = js::get_f64(&cart, "item_count").unwrap_or(0.0);
        let described = js::object(&[
            ("items", js::num(items)),
            ("value", js::num(value)),
            ("currency", js::get(&cart, "currency")),
        ]);
        chat.dispatch(Input::CartChanged(cart_from_js(&described)));
    });
    let ignore = Closure::once_into_js(|_: JsValue| {});
    let fetched: JsValue = window.fetch_with_str("/cart.js").into();
    let json = then(&fetched, &[on_response]);
    then(&json, &[on_cart, ignore]);
}

/// `promise.then(...callbacks)`.
fn then(promise: &JsValue, callbacks: &[JsValue]) -> JsValue {
    let Ok(then) = js::get(promise, "then").dyn_into::<js_sys::Function>() else {
        return JsValue::UNDEFINED;
    };
    let args: js_sys::Array = callbacks.iter().collect();
    then.apply(promise, &args).unwrap_or(JsValue::UNDEFINED)
}
