//! The engine's behaviour as transcripts: a script of what happens (one act per line, in
//! the text form of [`flow_authoring::testing::parse_act`]) and everything the bot did, checked
//! with `expect-test` (refresh with `UPDATE_EXPECT=1 cargo test -p flow-runtime`).

mod conversation;
mod digressions;
mod exit;
mod server;
mod snapshot;
mod triggers;
mod watcher;

use expect_test::Expect;

use flow_authoring::compile::compile_json;
use flow_authoring::testing::{Driver, parse_act};
use flow_runtime::flow::Flow;

/// Compiles a test flow; it must have no errors.
pub fn flow(json: &str) -> Flow {
    let compiled = compile_json(json);
    match compiled.flow {
        Some(flow) => flow,
        None => panic!(
            "the test flow does not compile:\n{:#?}",
            compiled.diagnostics
        ),
    }
}

/// Runs `script` against `flow` and compares the transcript.
pub fn check(flow_json: &str, script: &str, expect: Expect) {
    let mut driver = Driver::new(flow(flow_json));
    run(&mut driver, script);
    expect.assert_eq(&(driver.transcript.join("\n") + "\n"));
}

pub fn run(driver: &mut Driver, script: &str) {
    for line in script
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        let act = parse_act(line).unwrap_or_else(|e| panic!("bad test line {line:?}: {e}"));
        driver
            .act(&act)
            .unwrap_or_else(|e| panic!("{line}: {e}\n{}", driver.transcript.join("\n")));
    }
}
