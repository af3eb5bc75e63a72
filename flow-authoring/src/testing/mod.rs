//! Driving a conversation the way a shopper, a page, a server and an agent would, on
//! virtual time, and writing down what the bot does.
//!
//! Used by the engine's own tests (`check(flow, script, expect![…])`), by `flow test`
//! (conversation tests written as YAML) and by `flow chat` (the terminal). Four concerns,
//! one file each: the test format (`script`), the driver and its fake server (`driver`),
//! expectations (`check`) and the transcript (`render`).

mod check;
mod driver;
mod render;
mod script;

use flow_runtime::Time;

pub use driver::{Driver, run_case};
pub use render::{effect_kind, message_text, status_name};
pub use script::{
    Act, Expect, FixtureItem, FixtureOrder, HandoffReply, OrderReply, PageAct, TestCase, TestFile,
    describe, parse_act,
};

/// When virtual time starts: 2026-11-02 10:00 UTC, a Monday morning.
pub const START: Time = Time(1_793_613_600_000);
