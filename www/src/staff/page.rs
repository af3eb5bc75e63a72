//! One page layout and one problem page for both staff areas (maud escapes every value it
//! interpolates): the inbox and the console differ in their name, stylesheet, script and
//! links, nothing else.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use maud::{DOCTYPE, Markup, html};

use crate::agents::{Role, Session};

/// Which staff area a page belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Area {
    Inbox,
    Console,
}

impl Area {
    fn name(self) -> &'static str {
        match self {
            Area::Inbox => "Bellhop inbox",
            Area::Console => "Bellhop console",
        }
    }

    fn home(self) -> &'static str {
        match self {
            Area::Inbox => "/inbox",
            Area::Console => "/console",
        }
    }

    /// Its navigation for `session`: `(address, label)`.
    fn links(self, session: &Session) -> Vec<(&'static str, &'static str)> {
        match self {
            Area::Inbox => {
                let mut links = vec![
                    ("/inbox", "Queue"),
                    ("/inbox/webhooks", "Webhook deliveries"),
                ];
                if session.agent.role == Role::Owner {
                    links.push(("/console", "Console"));
                }
                links
            }
            Area::Console => vec![
                ("/console", "Flows"),
                ("/console/accounts", "Accounts"),
                ("/inbox", "Inbox"),
            ],
        }
    }
}

/// A whole page of `area`: its head, the header with the navigation (for `session`) and
/// the logout form, and `body` as the main content.
pub fn layout(area: Area, title: &str, session: Option<&Session>, body: Markup) -> String {
    let folder = area.home();
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · " (area.name()) }
                link rel="stylesheet" href={(folder) (folder) ".css"};
                link rel="icon" href="/bellhop-icon.svg" type="image/svg+xml";
                script defer src={(folder) (folder) ".js"} {}
            }
            body {
                header.top {
                    a.brand href=(folder) { (area.name()) }
                    @if let Some(s) = session {
                        nav aria-label=(area.name()) {
                            @for (href, label) in area.links(s) {
                                a href=(href) { (label) }
                            }
                            span.me { (s.agent.name) }
                            form method="post" action="/inbox/logout" {
                                input type="hidden" name="csrf" value=(s.csrf);
                                button.link type="submit" { "Log out" }
                            }
                        }
                    }
                }
                main { (body) }
            }
        }
    }
    .into_string()
}

/// A page that says what went wrong, with its status: the one error page of both areas.
pub struct Problem {
    area: Area,
    status: StatusCode,
    title: String,
    text: String,
}

impl Problem {
    pub fn new(
        area: Area,
        status: StatusCode,
        title: impl Into<String>,
        text: impl Into<String>,
    ) -> Problem {
        Problem {
            area,
            status,
            title: title.into(),
            text: text.into(),
        }
    }

    /// The database failed (`e` goes to the log, not to the page).
    pub fn unavailable(area: Area, e: impl std::fmt::Display) -> Problem {
        tracing::error!("{}: {e}", area.name());
        Problem::new(
            area,
            StatusCode::SERVICE_UNAVAILABLE,
            "Unavailable",
            "The server cannot reach its database. Try again in a moment.",
        )
    }

    pub fn not_found(area: Area, what: impl Into<String>) -> Problem {
        Problem::new(area, StatusCode::NOT_FOUND, "Not found", what)
    }

    /// The page alone (for a 200 that explains something).
    pub fn page(&self) -> String {
        let back = self.area.home();
        layout(
            self.area,
            &self.title,
            None,
            html! {
                h1 { (self.title) }
                p.problem role="alert" { (self.text) }
                p { a href=(back) { "Back to the " (self.area.name().trim_start_matches("Bellhop ")) } }
            },
        )
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        (self.status, Html(self.page())).into_response()
    }
}
