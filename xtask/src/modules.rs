//! The module graph of a crate, read from its source: which module names which (`use
//! crate::…`, `super::…` and paths written inline), for tidy's cycle check and for
//! `cargo xtask modules`, which prints it.
//!
//! Only what a reader would call a dependency counts: a module that names a sibling (or
//! something inside one) depends on that sibling. A child naming its parent's items, or a
//! parent its children's, is how modules nest, not a dependency between concerns. Test
//! code (`#[cfg(test)]` items and `tests` modules) is left out: tests may reach anywhere.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A module by its path from the crate root (`["engine", "effect"]`; the root is `[]`).
pub type ModPath = Vec<String>;

/// For each parent module, the dependencies between its children: `(from, to)` by name.
#[derive(Default, Debug)]
pub struct Graph {
    pub levels: BTreeMap<ModPath, BTreeSet<(String, String)>>,
    /// Every module that has a file, with the file (read by the tidy tests).
    #[cfg_attr(not(test), allow(dead_code))]
    pub files: BTreeMap<ModPath, PathBuf>,
}

/// Reads the crate whose sources are in `src` (`lib.rs` or `main.rs` at the top).
pub fn graph(src: &Path) -> Graph {
    let mut files = BTreeMap::new();
    collect(src, src, &mut files);
    let known: BTreeSet<ModPath> = files.keys().cloned().collect();
    let mut levels: BTreeMap<ModPath, BTreeSet<(String, String)>> = BTreeMap::new();
    for (module, file) in &files {
        let text = without_tests(&std::fs::read_to_string(file).unwrap_or_default());
        for target in named_paths(&text, module) {
            let target = deepest_module(&known, &target);
            if let Some((parent, from, to)) = sibling_edge(module, &target) {
                levels.entry(parent).or_default().insert((from, to));
            }
        }
    }
    Graph { levels, files }
}

/// The module path of each `.rs` file under `src` (`a/mod.rs` and `a.rs` are `a`).
fn collect(root: &Path, dir: &Path, out: &mut BTreeMap<ModPath, PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_dir() {
            // A `tests` folder holds a module's tests; `bin` holds other crates.
            if name != "tests" && name != "bin" {
                collect(root, &path, out);
            }
            continue;
        }
        let Some(stem) = name.strip_suffix(".rs") else {
            continue;
        };
        if stem == "tests" {
            continue;
        }
        let rel = path.parent().unwrap().strip_prefix(root).unwrap();
        let mut module: ModPath = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        if !matches!(stem, "mod" | "lib" | "main") || !module.is_empty() && stem != "mod" {
            module.push(stem.to_owned());
        }
        out.insert(module, path);
    }
}

/// The text with comments and test code removed: each `#[cfg(test)]` item (a `mod` with
/// its braces, or up to the next `;`) wherever it is.
fn without_tests(text: &str) -> String {
    let mut code = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("#[cfg(test)]") {
        code.push_str(&rest[..at]);
        rest = &rest[at + "#[cfg(test)]".len()..];
        rest = &rest[item_end(rest)..];
    }
    code.push_str(rest);
    code.lines()
        .map(|l| match l.find("//") {
            Some(at) if !l[..at].contains('"') => &l[..at],
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Where the item at the start of `text` ends: after its closing brace (braces in string and
/// character literals and in comments do not count), or after a `;` that comes first.
fn item_end(text: &str) -> usize {
    let bytes = text.as_bytes();
    let (mut depth, mut i) = (0usize, 0usize);
    while i < bytes.len() {
        match bytes[i] {
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            // A character literal (`'{'`, `'\''`), not a lifetime (`'a`).
            b'\'' if bytes.get(i + 2) == Some(&b'\'') => i += 2,
            b'\'' if bytes.get(i + 1) == Some(&b'\\') => {
                i += 2;
                while i < bytes.len() && bytes[i] != b'\'' {
                    i += 1;
                }
            }
            b';' if depth == 0 => return i + 1,
            b'{' => depth += 1,
            b'}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    bytes.len()
}

/// Every path the code names through `crate::` or `super::`, made absolute from `module`.
/// Groups (`use crate::{a::B, c::{D, E}}`) are expanded.
pub fn named_paths(text: &str, module: &ModPath) -> Vec<ModPath> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let rest = &bytes[i..];
        let starts_word = i == 0 || !is_ident(bytes[i - 1]) && bytes[i - 1] != b':';
        if starts_word && (rest.starts_with(b"crate::") || rest.starts_with(b"super::")) {
            let mut base: ModPath = Vec::new();
            let mut j = i;
            if rest.starts_with(b"crate::") {
                j += "crate::".len();
            } else {
                // `super::super::x` climbs once per `super`.
                base = module.clone();
                while bytes[j..].starts_with(b"super::") {
                    base.pop();
                    j += "super::".len();
                }
            }
            j = path_tail(text, j, base, &mut out);
            i = j.max(i + 1);
        } else {
            i += 1;
        }
    }
    out
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Reads `a::b::{c, d::e}` from `at`, pushing each full path onto `out`; returns where it
/// ended.
fn path_tail(text: &str, mut at: usize, mut path: ModPath, out: &mut Vec<ModPath>) -> usize {
    let bytes = text.as_bytes();
    loop {
        while at < bytes.len() && bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        if at < bytes.len() && bytes[at] == b'{' {
            at += 1;
            loop {
                while at < bytes.len() && (bytes[at].is_ascii_whitespace() || bytes[at] == b',') {
                    at += 1;
                }
                if at >= bytes.len() || bytes[at] == b'}' {
                    return at + 1;
                }
                let before = at;
                at = path_tail(text, at, path.clone(), out);
                if at == before {
                    at += 1;
                }
            }
        }
        let start = at;
        while at < bytes.len() && is_ident(bytes[at]) {
            at += 1;
        }
        if at == start {
            // `*` or `self`: the path so far.
            if at < bytes.len() && bytes[at] == b'*' {
                at += 1;
            }
            out.push(path);
            return at;
        }
        let segment = &text[start..at];
        if segment != "self" {
            path.push(segment.to_owned());
        }
        if bytes[at..].starts_with(b"::") {
            at += 2;
        } else {
            out.push(path);
            return at;
        }
    }
}

/// The longest prefix of `path` that is a module with a file (items inside it are the
/// module's; a module declared inline counts as its file's).
fn deepest_module(known: &BTreeSet<ModPath>, path: &ModPath) -> ModPath {
    (0..=path.len())
        .rev()
        .map(|n| path[..n].to_vec())
        .find(|p| known.contains(p))
        .unwrap_or_default()
}

/// The dependency `from` → `to` as an edge between two siblings under their closest common
/// parent; `None` within one module or between a module and its own ancestors.
fn sibling_edge(from: &ModPath, to: &ModPath) -> Option<(ModPath, String, String)> {
    let common = from.iter().zip(to).take_while(|(a, b)| a == b).count();
    if common == from.len() || common == to.len() {
        return None;
    }
    Some((
        from[..common].to_vec(),
        from[common].clone(),
        to[common].clone(),
    ))
}

/// Every cycle among siblings: the modules of each strongly connected group (more than
/// one), with the parent they share.
pub fn cycles(graph: &Graph) -> Vec<(ModPath, Vec<String>)> {
    let mut out = Vec::new();
    for (parent, edges) in &graph.levels {
        for group in strongly_connected(edges) {
            if group.len() > 1 {
                out.push((parent.clone(), group));
            }
        }
    }
    out
}

/// Tarjan's algorithm over named nodes.
fn strongly_connected(edges: &BTreeSet<(String, String)>) -> Vec<Vec<String>> {
    let nodes: BTreeSet<&String> = edges.iter().flat_map(|(a, b)| [a, b]).collect();
    let index_of: BTreeMap<&String, usize> =
        nodes.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let names: Vec<&String> = nodes.into_iter().collect();
    let mut next = vec![Vec::new(); names.len()];
    for (a, b) in edges {
        next[index_of[a]].push(index_of[b]);
    }
    struct Tarjan<'a> {
        next: &'a [Vec<usize>],
        index: Vec<Option<usize>>,
        low: Vec<usize>,
        on_stack: Vec<bool>,
        stack: Vec<usize>,
        counter: usize,
        groups: Vec<Vec<usize>>,
    }
    impl Tarjan<'_> {
        fn visit(&mut self, v: usize) {
            self.index[v] = Some(self.counter);
            self.low[v] = self.counter;
            self.counter += 1;
            self.stack.push(v);
            self.on_stack[v] = true;
            for &w in &self.next[v] {
                match self.index[w] {
                    None => {
                        self.visit(w);
                        self.low[v] = self.low[v].min(self.low[w]);
                    }
                    Some(i) if self.on_stack[w] => self.low[v] = self.low[v].min(i),
                    Some(_) => {}
                }
            }
            if Some(self.low[v]) == self.index[v] {
                let mut group = Vec::new();
                while let Some(w) = self.stack.pop() {
                    self.on_stack[w] = false;
                    group.push(w);
                    if w == v {
                        break;
                    }
                }
                self.groups.push(group);
            }
        }
    }
    let mut t = Tarjan {
        next: &next,
        index: vec![None; names.len()],
        low: vec![0; names.len()],
        on_stack: vec![false; names.len()],
        stack: Vec::new(),
        counter: 0,
        groups: Vec::new(),
    };
    for v in 0..names.len() {
        if t.index[v].is_none() {
            t.visit(v);
        }
    }
    t.groups
        .into_iter()
        .map(|g| {
            let mut g: Vec<String> = g.into_iter().map(|i| names[i].clone()).collect();
            g.sort();
            g
        })
        .collect()
}

/// The crates of the workspace with a `src` folder, by folder name.
pub fn workspace_crates(root: &Path) -> Vec<(String, PathBuf)> {
    let mut out: Vec<(String, PathBuf)> = std::fs::read_dir(root)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("Cargo.toml").exists() && p.join("src").is_dir())
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                p.join("src"),
            )
        })
        .collect();
    out.sort();
    out
}

/// `cargo xtask modules`: each crate's module graph, one line per module that depends on
/// siblings, then any cycles.
pub fn run() -> anyhow::Result<()> {
    let root = crate::util::project_root();
    let mut cyclic = 0;
    for (name, src) in workspace_crates(&root) {
        let g = graph(&src);
        println!("{name}");
        for (parent, edges) in &g.levels {
            let mut by_from: BTreeMap<&String, Vec<&String>> = BTreeMap::new();
            for (a, b) in edges {
                by_from.entry(a).or_default().push(b);
            }
            for (from, to) in by_from {
                let prefix: String = parent.iter().map(|p| format!("{p}::")).collect();
                let to: Vec<&str> = to.iter().map(|s| s.as_str()).collect();
                println!("  {prefix}{from} → {}", to.join(", "));
            }
        }
        for (parent, group) in cycles(&g) {
            cyclic += 1;
            println!(
                "  CYCLE under `{}`: {}",
                parent.join("::"),
                group.join(" ↔ ")
            );
        }
    }
    println!("{cyclic} cycle(s)");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(path: &str) -> ModPath {
        path.split("::")
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect()
    }

    #[test]
    fn paths_are_read_through_groups_and_supers() {
        let text = "use crate::{wire::{Confidence, limits::cut}, engine::Input};\n\
                    fn f() { super::super::faq::words(x); let y = crate::time::Time(1); }\n\
                    use super::Effect; // crate::comment::ignored";
        let got = named_paths(&without_tests(text), &m("engine::effect"));
        assert_eq!(
            got,
            vec![
                m("wire::Confidence"),
                m("wire::limits::cut"),
                m("engine::Input"),
                m("faq::words"),
                m("time::Time"),
                m("engine::Effect"),
            ]
        );
    }

    #[test]
    fn test_items_are_left_out_wherever_they_are() {
        let text = "use crate::a::X;\n#[cfg(test)]\nmod tests {\n    use crate::b::Y;\n    fn f() { let s = \"}\"; let c = '{'; }\n}\n#[cfg(test)]\nuse crate::c::Z;\nfn g() { crate::d::w(); }\n";
        let got = named_paths(&without_tests(text), &m("x"));
        assert_eq!(got, vec![m("a::X"), m("d::w")]);
    }

    #[test]
    fn only_siblings_make_edges() {
        assert_eq!(
            sibling_edge(&m("engine::effect"), &m("wire::limits")),
            Some((m(""), "engine".into(), "wire".into()))
        );
        assert_eq!(
            sibling_edge(&m("engine::effect"), &m("engine::input")),
            Some((m("engine"), "effect".into(), "input".into()))
        );
        assert_eq!(sibling_edge(&m("engine::effect"), &m("engine")), None);
        assert_eq!(sibling_edge(&m("engine"), &m("engine::effect")), None);
    }

    #[test]
    fn cycles_are_found_and_chains_are_not() {
        let edges: BTreeSet<(String, String)> = [("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")]
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        let mut groups = strongly_connected(&edges);
        groups.retain(|g| g.len() > 1);
        assert_eq!(groups, vec![vec!["a".to_string(), "b".into(), "c".into()]]);
    }
}
