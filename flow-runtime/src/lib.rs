//! Bellhop's brain: the flow a merchant writes and the conversation engine that runs it.
//!
//! This crate contains no networking code, touches no browser API and never reads a clock.
//! Like `quinn-proto` or `str0m` it is a pure state machine: the shell (the `widget` in a
//! browser, the `flow` command line in a terminal, a test) feeds it [`Input`]s, each
//! stamped with the current [`Time`], and drains [`Output`]s with
//! [`Conversation::poll_output`] until it returns [`Output::Timeout`] (or nothing). The
//! shell then performs the [`Effect`]s: it draws messages, makes HTTP calls, writes
//! storage. Answers to those calls come back as further inputs.
//!
//! Two reasons for this shape:
//! - every behaviour of the assistant can be tested natively, instantly and
//!   deterministically, with virtual time ("nudge after 30 s idle" runs in microseconds);
//! - the same engine runs unchanged in the browser (wasm32), in the terminal and in tests.

mod conversation;
mod flow;
mod time;

pub use conversation::{Conversation, Effect, Input, Output, QuickReplyView, Speaker};
pub use flow::{Action, Bot, Flow, QuickReply, Step, StepId, StepKind};
pub use time::Time;
