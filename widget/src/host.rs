//! The widget's place in the host page: one custom element with an open shadow root.
//!
//! The shadow root keeps the page's CSS out and ours in. It is open so that assistive
//! technology and test tools can reach inside. The host element has a custom tag name so
//! that page rules like `div { display: none }` do not hit it.

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CssStyleSheet, HtmlElement, ShadowRootInit, ShadowRootMode};

/// The widget's stylesheet, adopted by the shadow root (a constructed stylesheet, so a
/// strict Content-Security-Policy without `'unsafe-inline'` does not block it).
const STYLE: &str = include_str!("style.css");

/// The tag name of the shadow host in the page.
pub const HOST_TAG: &str = "bellhop-widget";

/// Creates the shadow host at the end of `<body>` and returns the element to mount into.
pub fn attach() -> Result<HtmlElement, JsValue> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("bellhop: no document")?;
    let body = document.body().ok_or("bellhop: the page has no body")?;
    let host = document.create_element(HOST_TAG)?;
    body.append_child(&host)?;
    let root = host.attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))?;
    let sheet = CssStyleSheet::new()?;
    sheet.replace_sync(STYLE)?;
    root.set_adopted_style_sheets(&js_sys::Array::of1(&sheet));
    let mount = document.create_element("div")?;
    mount.set_class_name("bellhop");
    root.append_child(&mount)?;
    Ok(mount.unchecked_into())
}
