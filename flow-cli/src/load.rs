//! Reading flow files in any of the accepted formats.

use std::path::Path;

use anyhow::Context;
use flow_authoring::compile::{Compiled, Diagnostic, compile_json, compile_value};

/// Compiles a flow file. JSON keeps line and column in diagnostics; YAML and TOML are
/// read into the same tree first, and their diagnostics carry the JSON pointer.
pub fn compile(path: &Path) -> anyhow::Result<Compiled> {
    let source =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("json")
        .to_ascii_lowercase();
    let value: serde_json::Value = match ext.as_str() {
        "yaml" | "yml" => match serde_yaml::from_str(&source) {
            Ok(v) => v,
            Err(e) => {
                return Ok(syntax_error(
                    format!("this is not valid YAML: {e}"),
                    e.location().map(|l| (l.line(), l.column())),
                ));
            }
        },
        "toml" => match toml::from_str(&source) {
            Ok(v) => v,
            Err(e) => {
                let at = e.span().map(|s| line_col(&source, s.start));
                return Ok(syntax_error(
                    format!("this is not valid TOML: {}", e.message()),
                    at,
                ));
            }
        },
        _ => return Ok(compile_json(&source)),
    };
    Ok(compile_value(&value))
}

fn syntax_error(message: String, at: Option<(usize, usize)>) -> Compiled {
    let mut d = Diagnostic::error("syntax", "", message);
    if let Some((line, column)) = at {
        d.line = Some(line as u32);
        d.column = Some(column as u32);
    }
    Compiled {
        flow: None,
        diagnostics: vec![d],
    }
}

fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let before = &source[..offset.min(source.len())];
    (
        before.matches('\n').count() + 1,
        before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1,
    )
}

/// Reads a YAML or JSON file into `T`. YAML is read as a tree first (so `- say: hi` maps onto
/// enums the way JSON does), then into `T`; errors name the path of the bad part.
pub fn read<T: serde::de::DeserializeOwned>(path: &Path) -> anyhow::Result<T> {
    let source =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let tree: serde_json::Value = serde_yaml::from_str(&source)
        .with_context(|| format!("{} is not valid YAML", path.display()))?;
    serde_path_to_error::deserialize(&tree).map_err(|e| {
        let at = e.path().to_string();
        anyhow::anyhow!("{}: at {at}: {}", path.display(), e.into_inner())
    })
}
