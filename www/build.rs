//! Embeds the built widget when `BELLHOP_EMBED_WIDGET` names its folder (what
//! `cargo xtask release` does), so that the binary alone serves the store's script tag;
//! otherwise embeds nothing and `--widget-dir` serves it (development).

use std::fmt::Write;
use std::path::{Path, PathBuf};

fn main() {
    println!("cargo:rerun-if-env-changed=BELLHOP_EMBED_WIDGET");
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("embedded.rs");
    let mut code = String::from(
        "/// The widget's files (name, bytes), embedded at build time.\npub static FILES: &[(&str, &[u8])] = &[\n",
    );
    if let Ok(dir) = std::env::var("BELLHOP_EMBED_WIDGET") {
        let dir = Path::new(&dir);
        println!("cargo:rerun-if-changed={}", dir.display());
        let mut names: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("BELLHOP_EMBED_WIDGET={}: {e}", dir.display()))
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.is_file())
            .collect();
        names.sort();
        assert!(
            names.iter().any(|p| p.ends_with("bellhop.js")),
            "BELLHOP_EMBED_WIDGET={} has no bellhop.js: run `cargo xtask dist`",
            dir.display()
        );
        for path in names {
            let name = path.file_name().unwrap().to_string_lossy();
            let abs = path.canonicalize().unwrap();
            let _ = writeln!(
                code,
                "    ({name:?}, include_bytes!({:?})),",
                abs.display().to_string()
            );
        }
    }
    code.push_str("];\n");
    std::fs::write(out, code).unwrap();
}
