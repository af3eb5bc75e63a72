//! Small helpers for talking to JavaScript without a JSON library in the wasm: objects are
//! built and read through `Reflect`, and the browser's own `JSON` does the text.

use wasm_bindgen::{JsCast, JsValue};

/// `{k1: v1, k2: v2}`.
pub fn object(fields: &[(&str, JsValue)]) -> JsValue {
    let o = js_sys::Object::new();
    for (k, v) in fields {
        let _ = js_sys::Reflect::set(&o, &JsValue::from_str(k), v);
    }
    o.into()
}

pub fn str(s: &str) -> JsValue {
    JsValue::from_str(s)
}

pub fn num(n: f64) -> JsValue {
    JsValue::from_f64(n)
}

pub fn array(items: impl IntoIterator<Item = JsValue>) -> JsValue {
    items.into_iter().collect::<js_sys::Array>().into()
}

pub fn get(v: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(v, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

pub fn get_str(v: &JsValue, key: &str) -> Option<String> {
    get(v, key).as_string()
}

pub fn get_f64(v: &JsValue, key: &str) -> Option<f64> {
    get(v, key).as_f64()
}

/// The elements of an array-like value (empty if it is none).
pub fn items(v: &JsValue) -> Vec<JsValue> {
    v.dyn_ref::<js_sys::Array>()
        .map(|a| a.iter().collect())
        .unwrap_or_default()
}

pub fn stringify(v: &JsValue) -> String {
    js_sys::JSON::stringify(v)
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_default()
}

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// `performance.now()`: milliseconds, for Performance measures.
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    pub fn performance_now() -> f64;
    #[wasm_bindgen(js_namespace = performance, js_name = measure, catch)]
    fn performance_measure(name: &str, options: &JsValue) -> Result<JsValue, JsValue>;
}

/// Records the time from `start` (`performance_now()`) to now as a Performance measure
/// named `name`, seen by `cargo xtask bench` and the browser's profiler.
pub fn measure_since(name: &str, start: f64) {
    let end = performance_now();
    let _ = performance_measure(name, &object(&[("start", num(start)), ("end", num(end))]));
}

/// The locale to write dates and amounts in for a conversation in `lang`: the page's own
/// (`es-MX`) when it is that language, else the language itself.
pub fn locale(lang: &str) -> String {
    let page = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
        .and_then(|e| e.get_attribute("lang"))
        .unwrap_or_default();
    let base = |tag: &str| {
        tag.split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase()
    };
    if !page.is_empty() && base(&page) == base(lang) {
        page
    } else {
        lang.to_owned()
    }
}

/// A formatter of the browser's `Intl` (`DateTimeFormat`, `NumberFormat`) for `locale`,
/// or for the browser's own locale when it does not know that one. `None` when the options
/// are refused (an unknown currency): constructors that throw come back as errors here,
/// never into the page.
fn intl(kind: &str, locale: &str, options: &JsValue) -> Option<JsValue> {
    let ctor = js_sys::Reflect::get(&js_sys::global(), &str("Intl"))
        .and_then(|intl| js_sys::Reflect::get(&intl, &str(kind)))
        .ok()?
        .dyn_into::<js_sys::Function>()
        .ok()?;
    let args = |l: JsValue| [l, options.clone()].into_iter().collect::<js_sys::Array>();
    js_sys::Reflect::construct(&ctor, &args(str(locale)))
        .or_else(|_| js_sys::Reflect::construct(&ctor, &args(JsValue::UNDEFINED)))
        .ok()
}

/// Calls a formatter's `format` with `value`.
fn format_with(formatter: &JsValue, value: &JsValue) -> Option<String> {
    get(formatter, "format")
        .dyn_ref::<js_sys::Function>()?
        .call1(formatter, value)
        .ok()?
        .as_string()
}

/// `2026-12-04` as the shopper's locale writes a date ("Dec 4, 2026", "4 dic 2026"), or
/// as it is when it is not such a date.
pub fn date(text: &str, locale: &str) -> String {
    let ymd = text.get(..10).unwrap_or(text);
    let date = js_sys::Date::new(&JsValue::from_str(&format!("{ymd}T00:00:00Z")));
    if date.get_time().is_nan() {
        return text.to_owned();
    }
    let options = object(&[("dateStyle", str("medium")), ("timeZone", str("UTC"))]);
    intl("DateTimeFormat", locale, &options)
        .and_then(|f| format_with(&f, &date))
        .unwrap_or_else(|| text.to_owned())
}

/// An amount in `currency` as the shopper's locale writes it ("$258.00", "258,00 €"), or
/// the amount and the code when the browser does not know the currency.
pub fn money(amount: &str, currency: &str, locale: &str) -> String {
    let options = object(&[("style", str("currency")), ("currency", str(currency))]);
    // The runtime's own number parser: the standard library's float parser is kilobytes.
    flow_runtime::value::Num::parse(amount)
        .map(|n| n.0 as f64 / flow_runtime::value::Num::SCALE as f64)
        .and_then(|n| format_with(&intl("NumberFormat", locale, &options)?, &num(n)))
        .unwrap_or_else(|| format!("{amount} {currency}"))
}

/// JSON the browser parsed, read by the runtime's wire payloads
/// ([`flow_runtime::wire::json::FromJson`]): no JSON parser in the wasm.
pub struct Parsed(JsValue);

impl Parsed {
    /// `JSON.parse(text)`; null for anything that is not JSON.
    pub fn from_text(text: &str) -> Parsed {
        Parsed(js_sys::JSON::parse(text).unwrap_or(JsValue::NULL))
    }
}

impl flow_runtime::wire::json::JsonValue for Parsed {
    fn field(&self, key: &str) -> Parsed {
        Parsed(if self.0.is_object() {
            get(&self.0, key)
        } else {
            JsValue::NULL
        })
    }

    fn string(&self) -> Option<String> {
        self.0.as_string()
    }

    fn count(&self) -> Option<u32> {
        self.0
            .as_f64()
            .filter(|f| f.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(f))
            .map(|f| f as u32)
    }

    fn is_null(&self) -> bool {
        self.0.is_null() || self.0.is_undefined()
    }

    fn elements(&self) -> Option<Vec<Parsed>> {
        self.0
            .dyn_ref::<js_sys::Array>()
            .map(|a| a.iter().map(Parsed).collect())
    }
}

/// Whether the browser believes it is online (`navigator.onLine`; `true` when unknown).
pub fn online() -> bool {
    web_sys::window().is_none_or(|w| w.navigator().on_line())
}

/// `src` (an image of the flow) as an absolute address, resolved against the flow's own:
/// a path like `/store/img/fern.svg` is on the Bellhop server that served the flow, not on
/// the store whose page the widget is in.
pub fn asset(src: &str, flow_url: &str) -> String {
    match web_sys::Url::new_with_base(src, flow_url) {
        Ok(url) => url.href(),
        Err(_) => src.to_owned(),
    }
}

/// The compiled form (`format`: `bhf` for the flow, `bhl` for its launch part) of the flow
/// document at `url`, as the Bellhop server serves it.
pub async fn fetch_compiled(url: &str, format: &str) -> Result<Vec<u8>, JsValue> {
    use wasm_bindgen_futures::JsFuture;
    let url = web_sys::Url::new(url)?;
    url.search_params().set("format", format);
    let window = web_sys::window().ok_or("bellhop: no window")?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str(&url.href()))
        .await?
        .dyn_into()?;
    if !response.ok() {
        return Err(JsValue::from_str(&format!(
            "bellhop: the flow answered HTTP {}",
            response.status()
        )));
    }
    let buffer = JsFuture::from(response.array_buffer()?).await?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}
