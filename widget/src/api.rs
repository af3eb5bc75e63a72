//! HTTP: the only place the widget talks to a server.

use flow_runtime::Flow;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::Response;

/// Fetches and decodes the flow document.
///
/// The JSON is parsed by the browser (`Response.json()`) and mapped onto the runtime's types
/// with `serde-wasm-bindgen`, which keeps a JSON parser out of the wasm (about 25 KiB
/// brotli, measured in ../shared/notes/toolchain.md).
pub async fn fetch_flow(url: &str) -> Result<Flow, JsValue> {
    let window = web_sys::window().ok_or("bellhop: no window")?;
    let response: Response = JsFuture::from(window.fetch_with_str(url))
        .await?
        .dyn_into()?;
    if !response.ok() {
        return Err(JsValue::from_str(&format!(
            "bellhop: the flow at {url} answered HTTP {}",
            response.status()
        )));
    }
    let json = JsFuture::from(response.json()?).await?;
    serde_wasm_bindgen::from_value(json).map_err(|e| JsValue::from_str(&e.to_string()))
}
