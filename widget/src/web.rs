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

/// A value the page passed, read through `Reflect`, whose reads are the ones that catch:
/// a getter or a proxy's trap that throws reads as nothing, never as an exception through
/// the wasm into the page (`Array.isArray`, `instanceof` and `Object.entries` would throw
/// on a revoked proxy, so `Array.isArray` is called through `Reflect.apply`).
pub struct Js(pub JsValue);

/// `Array.isArray(v)`, through `Reflect.apply`, which catches.
fn is_array(v: &JsValue) -> bool {
    let is_array = js_sys::Reflect::get(&js_sys::Array::new().constructor(), &"isArray".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    is_array.is_some_and(|f| {
        js_sys::Reflect::apply(&f, &JsValue::UNDEFINED, &js_sys::Array::of1(v))
            .is_ok_and(|r| r.is_truthy())
    })
}

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
            let n = js_sys::Number::from(self.0.as_f64()?);
            n.to_string_with_radix(10).ok().map(String::from)
        })
    }
    fn truthy(&self) -> bool {
        self.0.is_truthy()
    }
    fn length(&self) -> Option<u32> {
        if !is_array(&self.0) {
            return None;
        }
        let length = js_sys::Reflect::get(&self.0, &"length".into()).ok()?;
        Some(length.as_f64().unwrap_or(0.0).max(0.0) as u32)
    }
    fn item(&self, index: u32) -> Js {
        Js(js_sys::Reflect::get_u32(&self.0, index).unwrap_or_default())
    }
    fn entries(&self) -> Vec<(String, Js)> {
        if !self.0.is_object() {
            return Vec::new();
        }
        let keys = js_sys::Reflect::own_keys(&self.0).unwrap_or_default();
        keys.iter()
            .filter_map(|k| Some((k.as_string()?, Js(js_sys::Reflect::get(&self.0, &k).ok()?))))
            .collect()
    }
}
