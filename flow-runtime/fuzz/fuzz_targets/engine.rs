//! Any sequence of shopper, page and server events against the demo store's flow.
#![no_main]

use flow_runtime::{AgentEvent, Cart, Conversation, HandoffAnswer, Input, OrderAnswer, Output, Page, Time};
use libfuzzer_sys::fuzz_target;

static DEMO: &str = include_str!("../../../www/flows/demo.json");

fuzz_target!(|data: &[u8]| {
    thread_local! {
        static FLOW: flow_runtime::Flow = flow_authoring::compile::compile_json(DEMO).flow.expect("the demo flow compiles");
    }
    let flow = FLOW.with(Clone::clone);
    let mut c = Conversation::new(flow, "fuzz", Time(1_000));
    let mut now = Time(1_000);
    let mut chunks = data.chunks(4);
    while let Some(chunk) = chunks.next() {
        let (op, a, b) = (chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0));
        now = now.plus_millis(u64::from(b) * 1_000);
        let text = || String::from_utf8_lossy(chunks.clone().next().unwrap_or(&[])).into_owned();
        let input = match op % 20 {
            0 => Input::Opened,
            1 => Input::Closed,
            2 => Input::Said(text()),
            3 => Input::QuickReply(usize::from(a % 8)),
            4 => Input::CardButton { message: u64::from(a), card: usize::from(b % 4), button: usize::from(a % 3) },
            5 => Input::Rated { score: a % 7, comment: Some(text()) },
            6 => Input::TeaserDismissed,
            7 => Input::Typing(a % 2 == 0),
            8 => Input::PageView(Page { path: ["/", "/checkout", "/products/x"][usize::from(a % 3)].into(), visible: true, ..Page::default() }),
            9 => Input::Visibility(a % 2 == 0),
            10 => Input::Scrolled(flow_runtime::Scroll { top: u32::from(a) * 40, viewport: u32::from(b) * 8, height: u32::from(a ^ b) * 64 }),
            11 => if a % 2 == 0 { Input::PointerLeft } else { Input::PointerBack },
            12 => Input::CartChanged(Cart { items: u32::from(a), value: flow_runtime::value::Num(i64::from(b) * 1000), currency: "USD".into(), lines: vec![flow_runtime::CartLine { name: text(), quantity: u32::from(b) }] }),
            13 => Input::Custom(text()),
            14 => Input::Tick,
            15 => Input::OrderAnswered { request: u64::from(a), answer: [OrderAnswer::NotFound, OrderAnswer::Error][usize::from(b % 2)].clone() },
            16 => Input::HandoffAnswered { request: u64::from(a), answer: if b % 2 == 0 { HandoffAnswer::Available { token: "t".into() } } else { HandoffAnswer::Offline { token: "t".into() } } },
            17 => Input::Delivered { request: u64::from(a), ok: b % 2 == 0 },
            18 => Input::Agent(AgentEvent::Message { event: a.to_string(), name: "A".into(), text: text() }),
            _ => Input::Agent(if a % 2 == 0 { AgentEvent::Joined { event: String::new(), name: "A".into() } } else { AgentEvent::Closed { event: b.to_string() } }),
        };
        c.handle_input(input, now);
        let mut n = 0;
        while let Output::Effect(_) = c.poll_output() {
            n += 1;
            assert!(n < 10_000);
        }
    }
});
