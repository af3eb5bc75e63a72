//! The launcher as the eager stage draws it: one button in its own shadow root, looking
//! exactly like the panel's (same place, size, colours and label), so that the swap when
//! the panel takes over is invisible. The panel removes this host when it mounts.

use flow_runtime::flow::Launch;
use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::HtmlElement;

/// The tag name of this stage's shadow host (the panel's is `bellhop-widget`).
pub const HOST_TAG: &str = "bellhop-launcher";

/// The launcher's rules, the same as the panel's stylesheet gives its launcher.
const STYLE: &str = ":host{all:initial}\
.root{--bh-focus:#1a5fb4}.root.dark{--bh-focus:#8ab4f8}\
@media (prefers-color-scheme:dark){.root:not(.light){--bh-focus:#8ab4f8}}\
button{position:fixed;inset-inline-end:20px;bottom:20px;z-index:2147483000;width:56px;height:56px;\
border-radius:50%;border:0;padding:0;display:grid;place-items:center;cursor:pointer;\
background:var(--bh-accent);color:var(--bh-on-accent);box-shadow:0 4px 14px rgba(0,0,0,.25)}\
.left button{inset-inline-end:auto;inset-inline-start:20px}\
button:focus-visible{outline:3px solid var(--bh-focus);outline-offset:2px}";

/// The chat icon of the panel's launcher (`Shape::Widget`).
const ICON: &str = "<svg viewBox=\"0 0 24 24\" width=\"28\" height=\"28\" aria-hidden=\"true\" \
focusable=\"false\"><path fill=\"currentColor\" d=\"M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 \
4v-4H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z\"/></svg>";

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
    let (_, root) = browser::host::attach(HOST_TAG, STYLE)?;
    let wrap: HtmlElement = document.create_element("div")?.unchecked_into();
    wrap.set_class_name(&browser::host::root_class(&launch.theme));
    wrap.set_attribute("lang", language)?;
    browser::host::apply_colours(&wrap, &launch.theme);

    let button: HtmlElement = document.create_element("button")?.unchecked_into();
    button.set_attribute("type", "button")?;
    button.set_attribute("data-testid", "launcher")?;
    button.set_attribute("aria-expanded", "false")?;
    button.set_attribute("aria-label", launch.label(language))?;
    button.set_title(&launch.theme.launcher_label);
    button.set_inner_html(ICON);
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
