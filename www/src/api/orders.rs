//! `POST /orders/lookup`: a shopper's order, by number and the email it was placed with,
//! from whichever shop system is connected ([`crate::orders::lookups`]).

use axum::Json;
use axum::extract::State;
use flow_runtime::wire::{OrderFound, OrderLookup};

use super::{ApiError, ApiJson, Client, email_field, text_field};
use crate::AppState;
use crate::clock::now_ms;
use crate::orders::lookups::Answer;
use crate::orders::normalize_number;

pub async fn look_up(
    State(state): State<AppState>,
    Client(client): Client,
    ApiJson(q): ApiJson<OrderLookup>,
) -> Result<Json<OrderFound>, ApiError> {
    let answer = answer(&state, &client, q).await;
    let outcome = match &answer {
        Ok(_) => "found",
        Err(e) => match e.code {
            "order_not_found" => "not_found",
            "rate_limited" => "rate_limited",
            flow_runtime::wire::ORDERS_UNAVAILABLE => "unavailable",
            _ => "refused",
        },
    };
    state.metrics.count("lookup", outcome);
    answer
}

async fn answer(
    state: &AppState,
    client: &str,
    q: OrderLookup,
) -> Result<Json<OrderFound>, ApiError> {
    text_field(
        "number",
        &q.number,
        1,
        flow_runtime::wire::limits::ORDER_NUMBER_CHARS,
    )?;
    email_field("email", &q.email)?;
    let now = now_ms();
    let limits = &state.limits;
    limits
        .lookup_by_client
        .check(client, now)
        .await
        .map_err(ApiError::rate_limited)?;
    match state.orders.look_up(&q.number, &q.email).await {
        // The right email is never refused, however many wrong ones came before: the limit
        // per order number counts failures only, so that nobody can lock a shopper out of
        // their own order.
        Answer::Found(order) => Ok(Json(OrderFound { order })),
        // The shop system is down, slow or throttling: final (the widget says so and offers
        // a person, rather than retrying into the same wall).
        Answer::Unavailable => Err(ApiError::new(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            flow_runtime::wire::ORDERS_UNAVAILABLE,
            "the shop's order system did not answer; try again later or ask for a person",
        )),
        Answer::NotFound => {
            // Past a few failures for one number a minute, from anywhere, the answer is
            // 429: guessing emails for a known number gets slow.
            limits
                .lookup_by_order
                .check(&normalize_number(&q.number), now)
                .await
                .map_err(ApiError::rate_limited)?;
            // The same answer for a missing order and a wrong email.
            Err(ApiError::new(
                axum::http::StatusCode::NOT_FOUND,
                "order_not_found",
                "no order matches this number and email",
            ))
        }
    }
}
