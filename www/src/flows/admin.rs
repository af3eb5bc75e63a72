//! `www flows list|import|export`: the console's versions from a terminal (scripts, backups,
//! `flow check` on an export).

use anyhow::Context;

use super::{is_flow_name, store};
use crate::FlowsCommand;
use crate::db::Db;

pub async fn run(db: &Db, command: FlowsCommand) -> anyhow::Result<()> {
    match command {
        FlowsCommand::List => {
            for f in store::list(db).await? {
                let live = f
                    .live
                    .map_or("never published".to_owned(), |n| format!("version {n}"));
                let draft = if f.changed {
                    "draft has changes"
                } else {
                    "draft as published"
                };
                println!("{}\t{live}\t{draft}", f.name);
            }
            Ok(())
        }
        FlowsCommand::Import { file, name } => {
            let source = std::fs::read_to_string(&file)
                .with_context(|| format!("cannot read {}", file.display()))?;
            let name = match name {
                Some(n) => n,
                None => file
                    .file_stem()
                    .and_then(|s| s.to_str())
                    .unwrap_or_default()
                    .to_owned(),
            };
            anyhow::ensure!(
                is_flow_name(&name),
                "`{name}` cannot name a flow: use lowercase letters, digits, - and _ (--name)"
            );
            let from = format!("{} (www flows import)", file.display());
            let outcome = import(db, &name, &source, &from).await?;
            println!("flow {name}: {outcome}");
            Ok(())
        }
        FlowsCommand::Export {
            name,
            version,
            draft,
        } => {
            let text = if draft {
                store::draft(db, &name)
                    .await?
                    .with_context(|| format!("there is no flow `{name}`"))?
                    .source
            } else {
                let number = match version {
                    Some(n) => n,
                    None => store::live_number(db, &name)
                        .await?
                        .with_context(|| format!("flow `{name}` was never published"))?,
                };
                store::version(db, &name, number)
                    .await?
                    .with_context(|| format!("flow `{name}` has no version {number}"))?
                    .source
            };
            println!("{text}");
            Ok(())
        }
    }
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Imported {
    /// It compiled: published as this version.
    Published(i64),
    /// It has errors: saved as the draft only; the live version is unchanged.
    Draft(Vec<String>),
}

impl std::fmt::Display for Imported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Imported::Published(n) => write!(f, "published as version {n}"),
            Imported::Draft(problems) => write!(
                f,
                "saved as the draft, not published; it has errors:\n  {}",
                problems.join("\n  ")
            ),
        }
    }
}

/// Makes `source` the draft of flow `name` (creating the flow) and publishes it when it
/// compiles; says what happened. Problems leave the draft saved and the live version alone.
pub async fn import(db: &Db, name: &str, source: &str, by: &str) -> anyhow::Result<Imported> {
    serde_json::from_str::<serde_json::Value>(source)
        .map_err(|e| anyhow::anyhow!("this is not a JSON document: {e}"))?;
    if !store::create(db, name, source, by).await? {
        store::replace_draft(db, name, source, by).await?;
    }
    match super::compile_async(name, source).await {
        Ok(_) => {
            let number = store::publish(db, name, source, by, "imported").await?;
            Ok(Imported::Published(number))
        }
        Err(problems) => Ok(Imported::Draft(problems)),
    }
}
