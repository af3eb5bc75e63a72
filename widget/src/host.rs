//! The widget's place in the host page: `<bellhop-widget>`, an open shadow root with a
//! constructed stylesheet, as the loader makes the eager stage's launcher. If the
//! page replaces its body (some storefronts re-render it), the host is put back.

use std::cell::RefCell;

use flow_runtime::flow::Theme;
use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{
    CssStyleSheet, HtmlElement, MutationObserver, MutationObserverInit, ShadowRoot, ShadowRootInit,
    ShadowRootMode,
};

/// The widget's stylesheet, adopted by the shadow root (a constructed stylesheet, so a
/// strict Content-Security-Policy without `'unsafe-inline'` does not block it).
/// Minified from `src/style.css` by `build.rs`.
const STYLE: &str = include_str!(concat!(env!("OUT_DIR"), "/style.css"));

/// The tag name of the shadow host in the page.
pub const HOST_TAG: &str = "bellhop-widget";

thread_local! {
    static ROOT: RefCell<Option<ShadowRoot>> = const { RefCell::new(None) };
}

/// Creates the shadow host at the end of `<body>` and returns the element to mount into.
pub fn attach() -> Result<HtmlElement, JsValue> {
    let (host, root) = attach_shadow(HOST_TAG, STYLE)?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("bellhop: no document")?;
    let mount: HtmlElement = document.create_element("div")?.unchecked_into();
    mount.set_class_name("bellhop");
    root.append_child(&mount)?;
    ROOT.with(|r| *r.borrow_mut() = Some(root));
    keep_attached(host);
    Ok(mount)
}

/// Takes the eager stage's launcher (`bellhop-launcher`) off the page: the panel's own
/// launcher, in the same place and looking the same, replaces it.
pub fn remove_eager_launcher() {
    let eager = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector("bellhop-launcher").ok().flatten());
    if let Some(eager) = eager {
        eager.remove();
    }
}

/// The theme's colours, as CSS custom properties on the widget's root element.
pub fn apply_theme(mount: &HtmlElement, theme: &Theme) {
    let style = mount.style();
    let _ = style.set_property("--bh-accent", &theme.accent);
    let _ = style.set_property("--bh-on-accent", &theme.on_accent);
}

/// The first element in the widget matching `selector`.
pub fn query(selector: &str) -> Option<HtmlElement> {
    ROOT.with(|r| {
        r.borrow()
            .as_ref()?
            .query_selector(selector)
            .ok()
            .flatten()?
            .dyn_into()
            .ok()
    })
}

/// The last element in the widget matching `selector`.
pub fn query_last(selector: &str) -> Option<HtmlElement> {
    ROOT.with(|r| {
        let all = r.borrow().as_ref()?.query_selector_all(selector).ok()?;
        all.get(all.length().checked_sub(1)?)?.dyn_into().ok()
    })
}

/// Puts the host back if the page removes it (a re-rendered or replaced `<body>`).
fn keep_attached(host: HtmlElement) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(html) = document.document_element() else {
        return;
    };
    let callback = Closure::<dyn FnMut()>::new(move || {
        if !host.is_connected() {
            if let Some(body) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.body())
            {
                let _ = body.append_child(&host);
            }
        }
    });
    if let Ok(observer) = MutationObserver::new(callback.as_ref().unchecked_ref()) {
        let options = MutationObserverInit::new();
        options.set_child_list(true);
        options.set_subtree(true);
        let _ = observer.observe_with_options(&html, &options);
    }
    callback.forget();
}

/// Appends `<tag>` to `<body>` with an open shadow root that adopts `css`; returns both.
///
/// The shadow root keeps the page's CSS out and ours in; it is open so that assistive
/// technology and test tools can reach inside. A custom tag name keeps page rules like
/// `div { display: none }` off it, and its few own styles are set through the CSSOM
/// (allowed by a strict Content-Security-Policy, unlike inline `style` attributes).
fn attach_shadow(tag: &str, css: &str) -> Result<(HtmlElement, ShadowRoot), JsValue> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("bellhop: no document")?;
    let body = document.body().ok_or("bellhop: the page has no body")?;
    let host: HtmlElement = document.create_element(tag)?.unchecked_into();
    // Against page CSS that targets every element: the host itself takes no space.
    let style = host.style();
    for (property, value) in [("all", "initial"), ("display", "contents")] {
        style.set_property_with_priority(property, value, "important")?;
    }
    body.append_child(&host)?;
    let root = host.attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))?;
    let sheet = CssStyleSheet::new()?;
    sheet.replace_sync(css)?;
    root.set_adopted_style_sheets(&js_sys::Array::of1(&sheet));
    Ok((host, root))
}
