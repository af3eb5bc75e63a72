//! The widget's files inside the binary (see `www/build.rs`): served with the variant the
//! browser accepts (`.br`, `.gz`, or as is) and the type of their extension.

use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

include!(concat!(env!("OUT_DIR"), "/embedded.rs"));

/// Whether this binary carries the widget.
pub fn present() -> bool {
    FILES.iter().any(|(name, _)| *name == "bellhop.js")
}

fn file(name: &str) -> Option<&'static [u8]> {
    FILES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, bytes)| *bytes)
}

fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next().unwrap_or("") {
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "html" => "text/html; charset=utf-8",
        _ => "application/octet-stream",
    }
}

pub async fn serve(request: Request) -> Response {
    let name = request.uri().path().trim_start_matches('/');
    // Only the files themselves are addressable (never a `.br` by its own name).
    let Some(plain) = file(name).filter(|_| !name.ends_with(".br") && !name.ends_with(".gz"))
    else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let accepts = request
        .headers()
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let takes = |coding: &str| {
        accepts
            .split(',')
            .map(|c| c.trim())
            .any(|c| c == coding || c.starts_with(&format!("{coding};")) && !c.ends_with("q=0"))
    };
    let (bytes, encoding) = match (takes("br"), takes("gzip")) {
        (true, _) if file(&format!("{name}.br")).is_some() => {
            (file(&format!("{name}.br")).unwrap(), Some("br"))
        }
        (_, true) if file(&format!("{name}.gz")).is_some() => {
            (file(&format!("{name}.gz")).unwrap(), Some("gzip"))
        }
        _ => (plain, None),
    };
    let mut response = (
        [
            (header::CONTENT_TYPE, content_type(name)),
            (header::VARY, "accept-encoding"),
        ],
        bytes,
    )
        .into_response();
    if let Some(coding) = encoding {
        response
            .headers_mut()
            .insert(header::CONTENT_ENCODING, HeaderValue::from_static(coding));
    }
    response
}
