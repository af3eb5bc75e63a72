//! Any bytes as a compiled flow (what a browser downloads): decoding fails cleanly, and a
//! flow that decodes can be run.
#![no_main]

use flow_runtime::{Conversation, Input, Output, Time};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The header of the current format, so that the bytes reach the decoder.
    let mut bytes = b"BHF".to_vec();
    bytes.push(flow_runtime::flow::FORMAT_VERSION);
    bytes.extend_from_slice(data);
    for candidate in [data, &bytes[..]] {
        if let Ok(flow) = flow_runtime::Flow::from_bytes(candidate) {
            let mut c = Conversation::new(flow, "fuzz", Time(1));
            for (i, input) in [Input::Opened, Input::Said("where is my order #12345".into()), Input::QuickReply(0), Input::Tick]
                .into_iter()
                .enumerate()
            {
                c.handle_input(input, Time(2 + i as u64 * 60_000));
                while let Output::Effect(_) = c.poll_output() {}
            }
        }
    }
});
