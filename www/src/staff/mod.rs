//! What the store's people (owners and agents) use, shared by the inbox and the console:
//! who they are (`session`: the cookie, the role, the same-origin rule), the forms they
//! post (`form`: CSRF-checked extractors, the only way a handler receives one), one page
//! layout and one problem page (`page`), who has the inbox open (`presence`), and the
//! headers of their private pages.

pub mod form;
pub mod page;
pub mod presence;
pub mod session;

use axum::Router;
use axum::http::{HeaderValue, header};
use tower_http::set_header::SetResponseHeaderLayer;

use crate::AppState;

pub use form::{OwnerForm, StaffForm};
pub use page::{Area, Problem, layout};
pub use session::{AgentSession, DEVICE_COOKIE, Owner, SESSION_COOKIE};

/// The headers of pages behind a login (the inbox, the console): their own content
/// policy, never stored by a cache, and no URL sent to other sites.
pub fn private_pages(router: Router<AppState>, csp: &'static str) -> Router<AppState> {
    router
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(csp),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
}
