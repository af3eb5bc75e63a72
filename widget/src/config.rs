//! The settings the loader read from the merchant's `<script>` tag.

use wasm_bindgen::JsValue;

use crate::js;

/// What the merchant's tag asked for. URLs are absolute: the loader resolved them against
/// the script's own `src`, so the widget works from any storefront origin.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// Where the flow document lives (`data-flow`).
    pub flow_url: String,
    /// The Bellhop server's API (`data-api`, default: the script's own origin).
    pub api: String,
    /// `data-consent="required"`: write nothing to storage until `Bellhop('consent', true)`.
    pub consent_required: bool,
    /// Whether analytics events carry the shopper's question (`data-analytics-text="off"`
    /// leaves it out).
    pub analytics_text: bool,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            flow_url: String::new(),
            api: String::new(),
            consent_required: false,
            analytics_text: true,
        }
    }
}

impl Config {
    /// The flow's name on the Bellhop server: the last part of its URL's path
    /// (`…/flows/demo.json?v=2` → `demo.json`), when it is a JSON file.
    pub fn flow_name(&self) -> Option<String> {
        // By bytes: `split`'s pattern machinery costs the wasm half a kilobyte.
        let url = self.flow_url.as_bytes();
        let end = url
            .iter()
            .position(|&b| b == b'?' || b == b'#')
            .unwrap_or(url.len());
        let start = url[..end]
            .iter()
            .rposition(|&b| b == b'/')
            .map_or(0, |i| i + 1);
        let name = &self.flow_url[start..end];
        name.ends_with(".json").then(|| name.to_owned())
    }

    /// Reads the plain object the loader passes to `boot`.
    pub fn from_js(value: &JsValue) -> Result<Config, JsValue> {
        let flow_url = js::get_str(value, "flow")
            .ok_or_else(|| JsValue::from_str("bellhop: the script tag has no data-flow"))?;
        let api = js::get_str(value, "api").unwrap_or_default();
        Ok(Config {
            flow_url,
            api: api.trim_end_matches('/').to_owned(),
            consent_required: js::get_str(value, "consent").as_deref() == Some("required"),
            analytics_text: js::get_str(value, "analyticsText").as_deref() != Some("off"),
        })
    }
}
