//! The widget's files under `/bellhop/`, as built by `cargo xtask dist`.
//!
//! `bellhop.js` (the loader, whose URL merchants paste) is revalidated on every page load;
//! everything else has a content hash in its name and is cached for a year. Brotli and
//! gzip variants are precompressed by `dist` and picked by `Accept-Encoding`. The files are
//! public and load from any storefront origin, hence `Access-Control-Allow-Origin: *`
//! (module scripts and `fetch` of the wasm need it cross-origin).
//!
//! A release binary (`cargo xtask release`) carries the files itself ([`embedded`]); a
//! `--widget-dir` (development) wins over them.

mod embedded;

use std::path::Path;

use axum::{
    Router,
    extract::Request,
    http::{HeaderValue, StatusCode, header},
    middleware::{self, Next},
    response::{IntoResponse, Response},
};
use tower_http::services::ServeDir;

/// Whether this binary carries the widget (`cargo xtask release`).
pub fn embedded_widget() -> bool {
    embedded::present()
}

pub fn service(dir: Option<&Path>) -> Router {
    let router = match dir {
        Some(dir) => Router::new()
            .fallback_service(ServeDir::new(dir).precompressed_br().precompressed_gzip()),
        None if embedded::present() => Router::new().fallback(embedded::serve),
        None => Router::new().fallback(|| async {
            (
                StatusCode::NOT_FOUND,
                "The widget is not built: run `cargo xtask dist`.",
            )
        }),
    };
    router.layer(middleware::from_fn(cache_headers))
}

async fn cache_headers(request: Request, next: Next) -> Response {
    let immutable = is_hashed(request.uri().path());
    let mut response = next.run(request).await;
    if response.status() == StatusCode::NOT_FOUND {
        // Every 404 says what it is (the file service's own has no body).
        return (
            StatusCode::NOT_FOUND,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "Bellhop has no file by that name. The script tag's address is /bellhop/bellhop.js; the other files are named by it.",
        )
            .into_response();
    }
    if response.status().is_success() || response.status() == StatusCode::NOT_MODIFIED {
        let headers = response.headers_mut();
        headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static(if immutable {
                "public, max-age=31536000, immutable"
            } else {
                "no-cache"
            }),
        );
        headers.insert(
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            HeaderValue::from_static("*"),
        );
    }
    response
}

/// Whether a file name carries a content hash: `name-0123456789abcdef.ext`.
fn is_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let stem = name.split('.').next().unwrap_or(name);
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    match stem.rsplit_once('-') {
        Some((_, hash)) => hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::is_hashed;

    #[test]
    fn hashed_names_are_recognised() {
        assert!(is_hashed("/bellhop-0123456789abcdef.js"));
        assert!(is_hashed("/bellhop-0123456789abcdef_bg.wasm"));
        assert!(!is_hashed("/bellhop.js"));
        assert!(!is_hashed("/bellhop-0123.js"));
        assert!(!is_hashed("/bellhop-0123456789abcdeg.js"));
    }
}
