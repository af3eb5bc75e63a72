//! `flow test`: conversation tests written as data.

use std::path::{Path, PathBuf};

use flow_authoring::testing::{TestFile, run_case};

pub fn run(flow_path: &Path, tests: &[PathBuf]) -> anyhow::Result<bool> {
    let compiled = super::load::compile(flow_path)?;
    let name = flow_path.display().to_string();
    let Some(flow) = compiled.flow else {
        for d in &compiled.diagnostics {
            eprintln!("{}\n", d.render(&name));
        }
        eprintln!("{name} does not compile: fix it with `flow check` first");
        return Ok(false);
    };
    let (mut passed, mut failed) = (0, 0);
    for path in tests {
        let file: TestFile = super::load::read(path)?;
        for case in &file.tests {
            match run_case(&flow, &file.orders, case) {
                Ok(()) => {
                    passed += 1;
                    println!("ok      {} › {}", path.display(), case.name);
                }
                Err(report) => {
                    failed += 1;
                    println!("FAILED  {} › {}\n{report}", path.display(), case.name);
                }
            }
        }
    }
    println!("\n{passed} passed, {failed} failed");
    Ok(failed == 0)
}
