//! `flow`: the merchant's tool for flows.
//!
//! - `flow check FILE…`   every problem, located, with a fix (exit status 1 on errors)
//! - `flow build FILE -o OUT`  the compiled form browsers download
//! - `flow chat FILE`     talk to the flow in the terminal
//! - `flow test FILE TESTS…`  run conversation tests written in YAML
//! - `flow schema`        the JSON Schema of flow files, for editors
//! - `flow bench FILE…`   the FAQ matcher on a benchmark of real questions

mod bench;
mod chat;
mod load;
mod test;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "flow",
    version,
    about = "Check, build, chat with and test Bellhop flows"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Report every problem in flow files (JSON, YAML or TOML).
    Check {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Treat warnings as errors.
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Compile a flow into the binary form the widget downloads.
    Build {
        file: PathBuf,
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Talk to a flow in the terminal. Lines starting with `/` are events (`/help`).
    Chat {
        file: PathBuf,
        /// Orders the fake server knows (YAML or JSON list), for order lookups.
        #[arg(long)]
        orders: Option<PathBuf>,
    },
    /// Run conversation tests (YAML) against a flow.
    Test {
        file: PathBuf,
        #[arg(required = true)]
        tests: Vec<PathBuf>,
    },
    /// Print the JSON Schema of flow files.
    Schema,
    /// Measure the FAQ matcher on FAQ-benchmark files (JSON, or gzip JSON).
    Bench {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// One JSON object per file, one per line.
        #[arg(long)]
        json: bool,
        /// The language of the questions and phrasings (`en`, `es`, `fr`, `de`, `pt`,
        /// `it`…): it picks the stemmer, the chat abbreviations and the built-in synonyms.
        #[arg(long, default_value = "en")]
        language: String,
        /// Measure this flow's FAQ (entries, phrasings, synonyms, thresholds); the files
        /// then need only `validation` and `test` questions.
        #[arg(long)]
        flow: Option<PathBuf>,
        /// Also print every question and what it got (one JSON object per line).
        #[arg(long)]
        details: bool,
        /// Leave out the weights the compiler learned from the phrasings, to see what
        /// they add.
        #[arg(long)]
        untrained: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check {
            files,
            deny_warnings,
        } => check(&files, deny_warnings),
        Command::Build { file, output } => build(&file, &output),
        Command::Chat { file, orders } => chat::run(&file, orders.as_deref()),
        Command::Test { file, tests } => test::run(&file, &tests),
        Command::Bench {
            files,
            json,
            language,
            flow,
            details,
            untrained,
        } => bench::run(
            &files,
            &bench::Options {
                json,
                language: &language,
                flow: flow.as_deref(),
                details,
                untrained,
            },
        ),
        Command::Schema => {
            println!(
                "{}",
                serde_json::to_string_pretty(&flow_authoring::doc::schema()).unwrap_or_default()
            );
            Ok(true)
        }
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("flow: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn check(files: &[PathBuf], deny_warnings: bool) -> anyhow::Result<bool> {
    let mut ok = true;
    for file in files {
        let compiled = load::compile(file)?;
        let name = file.display().to_string();
        for d in &compiled.diagnostics {
            println!("{}\n", d.render(&name));
        }
        let (errors, warnings) = (compiled.errors(), compiled.warnings());
        if errors == 0 && warnings == 0 {
            println!("{name}: ok");
        } else {
            println!("{name}: {errors} error(s), {warnings} warning(s)");
        }
        ok &= errors == 0 && !(deny_warnings && warnings > 0);
    }
    Ok(ok)
}

fn build(file: &PathBuf, output: &PathBuf) -> anyhow::Result<bool> {
    let compiled = load::compile(file)?;
    let name = file.display().to_string();
    for d in &compiled.diagnostics {
        eprintln!("{}\n", d.render(&name));
    }
    let Some(flow) = compiled.flow else {
        eprintln!("{name}: not built ({} error(s))", compiled.errors());
        return Ok(false);
    };
    let bytes = flow.to_bytes();
    std::fs::write(output, &bytes)?;
    println!("{name} → {} ({} bytes)", output.display(), bytes.len());
    Ok(true)
}
