//! The settings the loader read from the merchant's `<script>` tag.

use wasm_bindgen::JsValue;

/// What the merchant's tag asked for. URLs are absolute: the loader resolved them against
/// the script's own `src`, so the widget works from any storefront origin.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// Where the flow document lives (`data-flow`).
    pub flow_url: String,
}

impl Config {
    /// Reads the plain object the loader passes to `boot`.
    pub fn from_js(value: &JsValue) -> Result<Config, JsValue> {
        let flow_url = js_sys::Reflect::get(value, &JsValue::from_str("flow"))?
            .as_string()
            .ok_or_else(|| JsValue::from_str("bellhop: the script tag has no data-flow"))?;
        Ok(Config { flow_url })
    }
}
