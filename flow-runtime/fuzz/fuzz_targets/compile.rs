//! Any text as a flow document: the loader reports problems, it never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(source) = std::str::from_utf8(data) {
        let compiled = flow_authoring::compile::compile_json(source);
        if let Some(flow) = compiled.flow {
            let bytes = flow.to_bytes();
            assert_eq!(flow_runtime::Flow::from_bytes(&bytes).as_ref(), Ok(&flow));
        }
    }
});
