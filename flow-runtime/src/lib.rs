//! Bellhop's brain: the conversation engine that runs a compiled flow.
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
//! What it runs is a [`Flow`], compiled from the merchant's document by the
//! `flow-authoring` crate (native only) and sent to browsers in a compact binary form
//! ([`Flow::to_bytes`]). What it says to the server is the HTTP contract, [`wire`].
//!
//! The exports below are the whole interface: every other crate uses these names only.

#![warn(unreachable_pub)]

pub mod codec;
mod engine;
pub mod faq;
pub mod fields;
pub mod flow;
pub mod hours;
pub mod insights;
pub mod pattern;
pub mod text;
mod time;
pub mod value;
pub mod wire;

pub use flow::Flow;
pub use time::Time;

// Running a conversation.
pub use engine::{Conversation, Input, MAX_STEPS_PER_INPUT, Output};
// What the page, the shopper and the server tell the engine.
pub use engine::{
    AgentEvent, Cart, CartLine, Device, HandoffAnswer, Order, OrderAnswer, OrderItem, Page, Scroll,
};
// What the engine asks of its shell: views to draw, requests to send, announcements for the
// store's page, and state to save.
pub use engine::{
    Announcement, BlockView, ButtonView, CardView, Composer, CsatView, Effect, Format,
    HandoffRequest, HandoffStatus, ImageView, InputHint, Message, Prop, QuickReplyView,
    RatingChoice, RatingIcon, Request, Saved, Span, Speaker, Track, View,
};
// The conversation as saved between pages.
pub use engine::{
    Action, Chat, Cursor, Offered, OfferedFor, SNAPSHOT_VERSION, Session, State, Status,
    TriggerHistory, Visitor,
};
// The eager stage: the trigger watcher and what it hands the panel.
pub use engine::{
    ChatSummary, Cue, EXIT_GRACE_MS, ExitSignal, Handover, Need, PREFETCH_LEAD_MS, PageWatch,
    TAB_RETURN_MS, Watch, Watched, Watcher,
};
// Rules the compiler and the server apply as the engine does.
pub use engine::{DEFAULT_HUMAN_PHRASES, find_email, find_phone, glob, safe_image, safe_link};
pub use fields::MAX_MESSAGE_CHARS;
