//! The bridge both ways, in headless Chromium (`cargo xtask test` runs it with the
//! widget's browser tests).

#![cfg(target_arch = "wasm32")]

use futures_util::stream::{self, StreamExt};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;
use wasm_streams::ReadableStream;

wasm_bindgen_test_configure!(run_in_browser);

fn chunks(items: &[Result<&str, &str>]) -> Vec<Result<JsValue, JsValue>> {
    items
        .iter()
        .map(|r| r.map(JsValue::from).map_err(JsValue::from))
        .collect()
}

#[wasm_bindgen_test]
async fn a_rust_stream_reaches_the_browser_and_comes_back_in_order() {
    let sent = chunks(&[Ok("one"), Ok("two"), Ok("three")]);
    let raw = ReadableStream::from_stream(stream::iter(sent.clone())).into_raw();
    assert!(!raw.locked());
    let got: Vec<_> = ReadableStream::from_raw(raw).into_stream().collect().await;
    assert_eq!(got, sent);
}

#[wasm_bindgen_test]
async fn an_error_item_errors_the_browser_stream() {
    let sent = chunks(&[Ok("one"), Err("broken")]);
    let raw = ReadableStream::from_stream(stream::iter(sent)).into_raw();
    let got: Vec<_> = ReadableStream::from_raw(raw).into_stream().collect().await;
    assert_eq!(got, chunks(&[Ok("one"), Err("broken")]));
}

#[wasm_bindgen_test]
async fn dropping_the_reader_early_cancels_the_stream() {
    let raw = ReadableStream::from_stream(stream::iter(chunks(&[Ok("a"), Ok("b")]))).into_raw();
    let mut reading = ReadableStream::from_raw(raw.clone()).into_stream();
    assert_eq!(reading.next().await, Some(Ok(JsValue::from("a"))));
    drop(reading);
    // A cancelled stream is released and reads as finished.
    let mut again = ReadableStream::from_raw(raw).into_stream();
    assert_eq!(again.next().await, None);
}
