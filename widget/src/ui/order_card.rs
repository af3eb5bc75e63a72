use flow_runtime::Order;
use flow_runtime::flow::Phrase;
use leptos::prelude::*;

use crate::run::Widget;

/// An order as the shopper may see it: status, items, carrier and tracking link.
#[component]
pub fn OrderCard(chat: Widget, order: Order) -> impl IntoView {
    let status_phrase = match order.status.as_str() {
        "processing" => Some(Phrase::StatusProcessing),
        "shipped" => Some(Phrase::StatusShipped),
        "delivered" => Some(Phrase::StatusDelivered),
        "cancelled" => Some(Phrase::StatusCancelled),
        "refunded" => Some(Phrase::StatusRefunded),
        _ => None,
    };
    let raw_status = order.status.clone();
    let status = status_phrase.map_or_else(|| raw_status.clone(), |p| chat.t(p));
    let status_class = format!(
        "status {}",
        if status_phrase.is_some() {
            order.status.as_str()
        } else {
            "other"
        }
    );
    // Server data is checked like flow data: only safe links become links.
    let tracking = order
        .tracking_url
        .as_deref()
        .and_then(flow_runtime::safe_link);
    let locale = crate::js::locale(&chat.lang.get_untracked());
    let expected = order
        .estimated_delivery
        .as_deref()
        .map(|d| crate::js::date(d, &locale));
    let items = order
        .items
        .into_iter()
        .map(|i| view! { <li>{format!("{} × {}", i.quantity, i.name)}</li> })
        .collect_view();
    view! {
        <div class="order" data-testid="order-card">
            <p class="order-head">
                <span>{chat.t(Phrase::Order)} " " {order.number.clone()}</span>
                <span class=status_class>{status}</span>
            </p>
            <ul class="order-items">{items}</ul>
            {expected.map(|d| view! { <p class="order-expected">{chat.t(Phrase::Expected).replace("{date}", &d)}</p> })}
            {order.carrier.map(|c| view! { <p class="order-carrier">{c}</p> })}
            {tracking.map(|href| view! {
                <a class="order-track" href=href.clone() target=super::link_target(Some(&href)).0 rel=super::link_target(Some(&href)).1>{chat.t(Phrase::TrackParcel)}</a>
            })}
        </div>
    }
}
