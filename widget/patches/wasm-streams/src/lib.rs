//! A `ReadableStream` bridge between Rust streams and the browser's streams, the part of
//! `wasm-streams` 0.5 that Leptos' `server_fn` uses. See README.md for why it exists.

use std::cell::RefCell;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use futures_util::future::FutureExt;
use futures_util::stream::{Stream, StreamExt};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// The raw browser types.
pub mod sys {
    pub use web_sys::{
        ReadableStream, ReadableStreamDefaultController, ReadableStreamDefaultReader,
        ReadableStreamReadResult,
    };
}

/// A browser `ReadableStream`.
pub struct ReadableStream {
    raw: sys::ReadableStream,
}

type Source = Pin<Box<dyn Stream<Item = Result<JsValue, JsValue>>>>;

impl ReadableStream {
    /// Wraps a stream the browser made.
    pub fn from_raw(raw: sys::ReadableStream) -> Self {
        Self { raw }
    }

    /// A browser stream whose chunks come from `stream`, pulled when the browser asks for
    /// them; an `Err` item errors the browser stream.
    pub fn from_stream<St>(stream: St) -> Self
    where
        St: Stream<Item = Result<JsValue, JsValue>> + 'static,
    {
        let source: Rc<RefCell<Option<Source>>> = Rc::new(RefCell::new(Some(Box::pin(stream))));
        let pull = {
            let source = source.clone();
            Closure::<dyn FnMut(sys::ReadableStreamDefaultController) -> js_sys::Promise>::new(
                move |controller: sys::ReadableStreamDefaultController| {
                    let source = source.clone();
                    wasm_bindgen_futures::future_to_promise(async move {
                        let taken = source.borrow_mut().take();
                        let Some(mut stream) = taken else {
                            return Ok(JsValue::UNDEFINED);
                        };
                        match stream.next().await {
                            Some(Ok(chunk)) => {
                                controller.enqueue_with_chunk(&chunk)?;
                                *source.borrow_mut() = Some(stream);
                            }
                            Some(Err(e)) => controller.error_with_e(&e),
                            None => controller.close()?,
                        }
                        Ok(JsValue::UNDEFINED)
                    })
                },
            )
        };
        let cancel = Closure::<dyn FnMut(JsValue)>::new(move |_| {
            source.borrow_mut().take();
        });
        let underlying = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&underlying, &"pull".into(), pull.as_ref());
        let _ = js_sys::Reflect::set(&underlying, &"cancel".into(), cancel.as_ref());
        // The browser holds the source for the stream's life; the closures live as long.
        pull.forget();
        cancel.forget();
        let raw = sys::ReadableStream::new_with_underlying_source(&underlying)
            .unwrap_or_else(|_| sys::ReadableStream::new().expect_throw("ReadableStream"));
        Self { raw }
    }

    /// The browser stream.
    pub fn as_raw(&self) -> &sys::ReadableStream {
        &self.raw
    }

    /// The browser stream.
    pub fn into_raw(self) -> sys::ReadableStream {
        self.raw
    }

    /// The chunks as a Rust stream; the browser stream is cancelled when it is dropped
    /// before the end.
    pub fn into_stream(self) -> IntoStream {
        let reader = self
            .raw
            .get_reader()
            .dyn_into::<sys::ReadableStreamDefaultReader>()
            .ok();
        IntoStream {
            reader,
            pending: None,
        }
    }
}

/// [`ReadableStream::into_stream`].
pub struct IntoStream {
    reader: Option<sys::ReadableStreamDefaultReader>,
    pending: Option<JsFuture>,
}

impl Stream for IntoStream {
    type Item = Result<JsValue, JsValue>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        let Some(reader) = &this.reader else {
            return Poll::Ready(None);
        };
        let read = this
            .pending
            .get_or_insert_with(|| JsFuture::from(reader.read()));
        let Poll::Ready(result) = read.poll_unpin(cx) else {
            return Poll::Pending;
        };
        this.pending = None;
        Poll::Ready(match result {
            Ok(value) => {
                let result: sys::ReadableStreamReadResult = value.unchecked_into();
                if result.get_done().unwrap_or_default() {
                    this.release();
                    None
                } else {
                    Some(Ok(result.get_value()))
                }
            }
            Err(e) => {
                this.release();
                Some(Err(e))
            }
        })
    }
}

impl IntoStream {
    /// Lets go of the browser stream, so that it can be read again.
    fn release(&mut self) {
        if let Some(reader) = self.reader.take() {
            reader.release_lock();
        }
    }
}

impl Drop for IntoStream {
    fn drop(&mut self) {
        if let Some(reader) = &self.reader {
            let _ = reader.cancel();
        }
        self.release();
    }
}
