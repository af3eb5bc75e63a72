//! The "Handoff and orders" page's order panel: which shop system answers lookups, how it
//! is doing (last success, last problem in words a merchant can act on), and a trial lookup
//! an owner can make there.

use maud::{Markup, html};

use super::*;
use crate::clock::{duration_words, iso_minute};
use crate::orders::ShopperOrder;
use crate::orders::lookups::Health;

/// An owner's trial lookup (`POST /console/flows/{name}/orders/try`, [`super::edit`])
/// and what came of it.
pub struct Tried {
    pub number: String,
    pub outcome: Result<Option<ShopperOrder>, String>,
}

/// The panel, for the flow `name`'s handoff page.
pub fn panel(
    name: &str,
    csrf: &str,
    health: &Health,
    tried: Option<&Tried>,
    email: bool,
) -> Markup {
    let now = now_ms();
    let ago = |at: i64| format!("{} ago ({})", duration_words(now - at), iso_minute(at));
    html! {
        section.orders aria-labelledby="email-title" {
            h2 #email-title { "Email" }
            @if email {
                p { "On: offline handoffs are confirmed to shoppers, replies reach shoppers who left, and the team is alerted (the inbox's delivery log lists every email)." }
            } @else {
                p { "Off: no SMTP server is configured, so shoppers who leave an email are answered from your own mail program. See the README's “Email”." }
            }
        }
        section.orders aria-labelledby="orders-title" {
            h2 #orders-title { "Where orders come from" }
            p { strong { (health.source) } " — " (health.place) }
            @if health.source == "Imported orders" {
                p.hint { "No shop system is connected: lookups read the orders imported with " code { "www orders import" } ". To read Shopify, WooCommerce or your own service live, see the README's “Order sources”." }
            }
            dl.health {
                dt { "Last answered" }
                dd { @match health.last_success { Some(at) => (ago(at)), None => "not since the server started" } }
                dt { "Last problem" }
                dd {
                    @match &health.last_error {
                        Some((at, words)) => { span.problem { (words) } " — " (ago(*at)) }
                        None => "none",
                    }
                }
                @if let Some(rest) = health.resting {
                    dt { "Paused" }
                    dd { "Lookups are answered “can’t check orders right now” for another " (rest.as_secs().max(1)) " s, then tried again." }
                }
                dt { "Calls" }
                dd { (health.calls) " since the server started, " (health.failures) " failed" }
            }
            form.try-lookup method="post" action={"/console/flows/" (name) "/orders/try"} {
                input type="hidden" name="csrf" value=(csrf);
                h3 { "Try a lookup" }
                div.field {
                    label for="try-number" { "Order number" }
                    input #try-number type="text" name="number" required maxlength="64" autocomplete="off";
                }
                div.field {
                    label for="try-email" { "Email it was placed with" }
                    input #try-email type="email" name="email" required maxlength="254" autocomplete="off";
                }
                button.secondary type="submit" { "Look it up" }
            }
            @if let Some(t) = tried {
                div.tried role="status" {
                    @match &t.outcome {
                        Ok(Some(o)) => {
                            p { "Found order " strong { (o.number) } ": " (o.status.as_str()) ", placed " (o.placed_on) "." }
                            @if let Some(c) = &o.carrier { p { "Carrier: " (c) } }
                            @if let Some(u) = &o.tracking_url { p { "Tracking: " a href=(u) rel="noopener noreferrer" target="_blank" { (u) } } }
                            ul { @for i in &o.items { li { (i.quantity) " × " (i.name) } } }
                        }
                        Ok(None) => p { "No order " (t.number) " for that email: a shopper would be told the same." },
                        Err(words) => p.problem { (words) },
                    }
                }
            }
        }
    }
}
