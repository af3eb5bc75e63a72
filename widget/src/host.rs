//! The widget's place in the host page: `<bellhop-widget>`, made by `browser::host` (an
//! open shadow root with a constructed stylesheet, as the eager stage's launcher). If the
//! page replaces its body (some storefronts re-render it), the host is put back.

use std::cell::RefCell;

use flow_runtime::flow::Theme;
use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{HtmlElement, MutationObserver, MutationObserverInit, ShadowRoot};

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
    let (host, root) = browser::host::attach(HOST_TAG, STYLE)?;
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
    browser::host::apply_colours(mount, theme);
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
