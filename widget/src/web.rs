//! The panel's browser, as the shared `browser` crate asks for it: its [`browser::Platform`]
//! made of `web-sys` calls, and the page's values ([`Js`]) read through `Reflect`.

use wasm_bindgen::{JsCast, JsValue};

/// The browser through `web-sys`, given to the `browser` crate when the panel starts.
pub struct Web;

fn local() -> Option<web_sys::Storage> {
    // Throws in sandboxed frames and some privacy modes: then the widget simply forgets.
    web_sys::window()?.local_storage().ok().flatten()
}

impl browser::Platform for Web {
    fn now(&self) -> f64 {
        js_sys::Date::now()
    }
    fn storage_get(&self, key: &str) -> Option<String> {
        local()?.get_item(key).ok().flatten()
    }
    fn storage_set(&self, key: &str, value: &str) {
        if let Some(s) = local() {
            let _ = s.set_item(key, value);
        }
    }
    fn storage_remove(&self, key: &str) {
        if let Some(s) = local() {
            let _ = s.remove_item(key);
        }
    }
    fn storage_keys(&self) -> Vec<String> {
        let Some(s) = local() else {
            return Vec::new();
        };
        (0..s.length().unwrap_or(0))
            .filter_map(|i| s.key(i).ok().flatten())
            .collect()
    }
    fn random(&self, bytes: &mut [u8]) {
        let filled = web_sys::window()
            .and_then(|w| w.crypto().ok())
            .is_some_and(|c| c.get_random_values_with_u8_array(bytes).is_ok());
        if !filled {
            for b in bytes {
                *b = (js_sys::Math::random() * 256.0) as u8;
            }
        }
    }
    fn href(&self) -> String {
        location(|l| l.href())
    }
    fn pathname(&self) -> String {
        location(|l| l.pathname())
    }
    fn hash(&self) -> String {
        location(|l| l.hash())
    }
    fn lang_attribute(&self) -> Option<String> {
        web_sys::window()?
            .document()?
            .document_element()?
            .get_attribute("lang")
    }
    fn navigator_language(&self) -> Option<String> {
        web_sys::window()?.navigator().language()
    }
    fn inner_width(&self) -> Option<f64> {
        web_sys::window()?.inner_width().ok()?.as_f64()
    }
    fn coarse_pointer(&self) -> bool {
        web_sys::window()
            .and_then(|w| w.match_media("(pointer: coarse)").ok().flatten())
            .is_some_and(|m| m.matches())
    }
    fn hidden(&self) -> bool {
        web_sys::window()
            .and_then(|w| w.document())
            .is_some_and(|d| d.hidden())
    }
}

fn location(read: impl Fn(&web_sys::Location) -> Result<String, JsValue>) -> String {
    web_sys::window()
        .and_then(|w| read(&w.location()).ok())
        .unwrap_or_default()
}

/// A value the page passed, read through `Reflect`.
pub struct Js(pub JsValue);

impl browser::PageValue for Js {
    fn field(&self, key: &str) -> Js {
        Js(crate::js::get(&self.0, key))
    }
    fn number(&self) -> Option<f64> {
        self.0.as_f64()
    }
    fn string(&self) -> Option<String> {
        self.0.as_string()
    }
    fn text(&self) -> Option<String> {
        self.0.as_string().or_else(|| {
            self.0
                .dyn_ref::<js_sys::Number>()
                .and_then(|n| n.to_string_with_radix(10).ok())
                .map(String::from)
        })
    }
    fn truthy(&self) -> bool {
        self.0.is_truthy()
    }
    fn items(&self) -> Vec<Js> {
        crate::js::items(&self.0).into_iter().map(Js).collect()
    }
    fn entries(&self) -> Vec<(String, Js)> {
        let Some(object) = self.0.dyn_ref::<js_sys::Object>() else {
            return Vec::new();
        };
        js_sys::Object::entries(object)
            .iter()
            .filter_map(|entry| {
                let k = js_sys::Reflect::get_u32(&entry, 0).ok()?.as_string()?;
                Some((k, Js(js_sys::Reflect::get_u32(&entry, 1).ok()?)))
            })
            .collect()
    }
}
