//! A stage's place in the host page: a custom element with an open shadow root and a
//! constructed stylesheet. Both stages use it (the eager stage's `<bellhop-launcher>`, the
//! panel's `<bellhop-widget>`), so both resist page CSS the same way.
//!
//! The shadow root keeps the page's CSS out and ours in; it is open so that assistive
//! technology and test tools can reach inside. A custom tag name keeps page rules like
//! `div { display: none }` off it, and its few own styles are set through the CSSOM
//! (allowed by a strict Content-Security-Policy, unlike inline `style` attributes).

use flow_runtime::flow::{ColorMode, Position, Theme};

/// The launcher's rules (`launcher.css`), the one copy for both stages: the eager stage's
/// shadow root adopts them, and the panel's stylesheet begins with them (`widget/build.rs`),
/// so the button looks the same before and after the panel takes over. Written compact
/// (one rule a line, no comments): the eager stage adopts the file as it is.
pub const LAUNCHER_STYLE: &str = include_str!("launcher.css");

/// The chat icon on the launcher, on a 24 × 24 grid: the same in both stages.
pub const CHAT_ICON: &str =
    "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z";
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
