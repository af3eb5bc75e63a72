//! A stage's place in the host page: a custom element with an open shadow root and a
//! constructed stylesheet. Both stages use it (the eager stage's `<bellhop-launcher>`, the
//! panel's `<bellhop-widget>`), so both resist page CSS the same way.
//!
//! The shadow root keeps the page's CSS out and ours in; it is open so that assistive
//! technology and test tools can reach inside. A custom tag name keeps page rules like
//! `div { display: none }` off it, and its few own styles are set through the CSSOM
//! (allowed by a strict Content-Security-Policy, unlike inline `style` attributes).

use flow_runtime::flow::{ColorMode, Position, Theme};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CssStyleSheet, HtmlElement, ShadowRoot, ShadowRootInit, ShadowRootMode};

/// Appends `<tag>` to `<body>` with an open shadow root that adopts `css`; returns both.
pub fn attach(tag: &str, css: &str) -> Result<(HtmlElement, ShadowRoot), JsValue> {
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

/// The classes of a stage's root element for the flow's theme: `root`, then `left` and
/// `dark`/`light` as the theme asks (the stylesheets key on them).
pub fn root_class(theme: &Theme) -> String {
    let mut class = String::from("root");
    if theme.position == Position::Left {
        class.push_str(" left");
    }
    match theme.mode {
        ColorMode::Dark => class.push_str(" dark"),
        ColorMode::Light => class.push_str(" light"),
        ColorMode::Auto => {}
    }
    class
}

/// The theme's colours, as CSS custom properties on `element`.
pub fn apply_colours(element: &HtmlElement, theme: &Theme) {
    let style = element.style();
    let _ = style.set_property("--bh-accent", &theme.accent);
    let _ = style.set_property("--bh-on-accent", &theme.on_accent);
}
