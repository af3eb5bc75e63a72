//! HTTP: the only place the widget talks to a server.

use flow_runtime::Flow;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::Response;

/// Fetches the flow, checked and compiled by the server (`?format=bhf`), and decodes it.
///
/// The compiled form keeps a JSON parser out of the wasm: postcard's decoder is a fraction
/// of serde_json's 25 KiB brotli (see ../shared/notes/toolchain.md).
pub async fn fetch_flow(url: &str) -> Result<Flow, JsValue> {
    let url = web_sys::Url::new(url)?;
    url.search_params().set("format", "bhf");
    let window = web_sys::window().ok_or("bellhop: no window")?;
    let response: Response = JsFuture::from(window.fetch_with_str(&url.href()))
        .await?
        .dyn_into()?;
    if !response.ok() {
        return Err(JsValue::from_str(&format!(
            "bellhop: the flow answered HTTP {}",
            response.status()
        )));
    }
    let buffer = JsFuture::from(response.array_buffer()?).await?;
    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
    Flow::from_bytes(&bytes).map_err(|e| JsValue::from_str(&format!("bellhop: {e}")))
}
