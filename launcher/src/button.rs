//! The launcher as the eager stage draws it: one button in its own shadow root, looking
//! exactly like the panel's (same place, size, colours and label), so that the swap when
//! the panel takes over is invisible. The panel removes this host when it mounts.

use flow_runtime::flow::Launch;
use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::HtmlElement;

/// The tag name of this stage's shadow host (the panel's is `bellhop-widget`).
pub const HOST_TAG: &str = "bellhop-launcher";

/// Puts the launcher on the page. `intent` runs when the shopper points at, focuses or
/// touches it (fetch the panel ahead); `open` on a click.
pub fn show(
    launch: &Launch,
    language: &str,
    intent: impl Fn() + 'static,
    open: impl Fn() + 'static,
) -> Result<(), JsValue> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("bellhop: no document")?;
    let (_, root) = browser::host::attach(HOST_TAG, browser::host::LAUNCHER_STYLE)?;
    let wrap: HtmlElement = document.create_element("div")?.unchecked_into();
    wrap.set_class_name(&browser::host::root_class(&launch.theme));
    wrap.set_attribute("lang", language)?;
    browser::host::apply_colours(&wrap, &launch.theme);

    let button: HtmlElement = document.create_element("button")?.unchecked_into();
    button.set_class_name("launcher");
    button.set_attribute("type", "button")?;
    button.set_attribute("data-testid", "launcher")?;
    button.set_attribute("aria-expanded", "false")?;
    button.set_attribute("aria-label", launch.label(language))?;
    button.set_title(&launch.theme.launcher_label);
    // Joined by hand: `format!` would link the formatting machinery into this wasm.
    let mut icon = String::from(
        "<svg viewBox=\"0 0 24 24\" width=\"28\" height=\"28\" aria-hidden=\"true\" \
         focusable=\"false\"><path fill=\"currentColor\" d=\"",
    );
    icon.push_str(browser::host::CHAT_ICON);
    icon.push_str("\"/></svg>");
    button.set_inner_html(&icon);
    let intent = Closure::<dyn Fn()>::new(intent);
    for name in ["pointerenter", "focus", "touchstart"] {
        button.add_event_listener_with_callback(name, intent.as_ref().unchecked_ref())?;
    }
    intent.forget();
    let open = Closure::<dyn Fn()>::new(open);
    button.add_event_listener_with_callback("click", open.as_ref().unchecked_ref())?;
    open.forget();

    wrap.append_child(&button)?;
    root.append_child(&wrap)?;
    Ok(())
}
