//! The shape of each crate: no module depends on itself in a circle, `wire` is a leaf, and
//! library roots export explicit lists.

use crate::modules::{cycles, graph, workspace_crates};
use crate::util::project_root;

/// A cycle between modules makes neither readable alone; `cargo xtask modules` prints the
/// graph.
#[test]
fn no_module_cycles() {
    let mut found = Vec::new();
    for (name, src) in workspace_crates(&project_root()) {
        for (parent, group) in cycles(&graph(&src)) {
            found.push(format!(
                "{name}: under `{}`: {}",
                parent.join("::"),
                group.join(" ↔ ")
            ));
        }
    }
    assert!(found.is_empty(), "module cycles:\n{}", found.join("\n"));
}

/// The HTTP contract names nothing else of its crate: the engine converts to it, never the
/// other way round.
#[test]
fn wire_is_a_leaf() {
    let g = graph(&project_root().join("flow-runtime/src"));
    let out: Vec<&(String, String)> = g
        .levels
        .get(&Vec::new())
        .into_iter()
        .flatten()
        .filter(|(from, _)| from == "wire")
        .collect();
    assert!(out.is_empty(), "wire depends on {out:?}");
    assert!(
        g.files.contains_key(&vec!["wire".to_owned()]),
        "flow-runtime has a wire module"
    );
}

/// A crate's interface is what its root lists: `pub use a::*` would export whatever `a`
/// grows.
#[test]
fn library_roots_export_explicit_lists() {
    for (name, src) in workspace_crates(&project_root()) {
        let Ok(root) = std::fs::read_to_string(src.join("lib.rs")) else {
            continue;
        };
        for line in super::code(&root).lines() {
            let line = line.trim();
            assert!(
                !(line.starts_with("pub use") && line.contains("::*")),
                "{name}/src/lib.rs re-exports a glob: `{line}`"
            );
        }
    }
}
