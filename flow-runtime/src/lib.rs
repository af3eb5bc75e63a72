//! Bellhop's brain: the flow a merchant writes and the conversation engine that runs it.
//!
//! This crate contains no networking code, touches no browser API and never reads a clock.
//! Like `quinn-proto` or `str0m` it is a pure state machine: the shell (the `widget` in a
//! browser, the `flow` command line in a terminal, a test) feeds it [`Input`]s, each with
//! the current [`Time`], and drains [`Output`]s with [`Conversation::poll_output`] until
//! [`Output::Timeout`]. The shell then performs the [`Effect`]s: it draws messages, makes
//! HTTP calls, writes storage. Answers to those calls come back as further inputs.
//!
//! Two reasons for this shape:
//! - every behaviour of the assistant can be tested natively, instantly and
//!   deterministically, with virtual time ("nudge after 30 s on the page" runs in
//!   microseconds);
//! - the same engine runs unchanged in the browser (wasm32), in the terminal and in tests.
//!
//! The pipeline: a merchant's [`doc::Document`] (JSON, YAML or TOML) is checked and
//! compiled ([`compile`], native only, feature `authoring`) into a [`Flow`], which is sent
//! to browsers in a compact binary form ([`Flow::to_bytes`]) and run by a [`Conversation`].

pub mod codec;
#[cfg(feature = "authoring")]
pub mod compile;
#[cfg(feature = "authoring")]
pub mod doc;
mod engine;
pub mod faq;
pub mod fields;
pub mod flow;
pub mod hours;
pub mod insights;
pub mod pattern;
#[cfg(feature = "authoring")]
pub mod testing;
pub mod text;
mod time;
pub mod value;
pub mod wire;

pub use engine::*;
pub use flow::Flow;
pub use time::Time;
