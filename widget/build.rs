//! Minifies the panel's stylesheet into `$OUT_DIR/style.css` for `host.rs` to include: the
//! launcher's rules both stages share (`browser/src/launcher.css`), then `src/style.css`.
//! The files keep their comments for people; the wasm carries only the rules.
//!
//! Deliberately small: comments go, runs of white space become one space, the space next
//! to `{`, `}`, `;` and `,` and after a `:` goes, and so does the `;` before a `}`. Nothing
//! else is touched, so selectors (`.a :focus` differs from `.a:focus`) and values
//! (`calc(1px + 2px)`) keep their meaning; no string in the stylesheets holds a `: `.

use std::path::Path;

fn main() {
    println!("cargo::rerun-if-changed=src/style.css");
    println!("cargo::rerun-if-changed=../browser/src/launcher.css");
    let shared = std::fs::read_to_string("../browser/src/launcher.css").expect("launcher.css");
    let css = shared + &std::fs::read_to_string("src/style.css").expect("src/style.css");
    let out = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("style.css");
    std::fs::write(out, minify(&css)).expect("write the minified stylesheet");
}

fn minify(css: &str) -> String {
    let mut text = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        text.push_str(&rest[..start]);
        rest = rest[start + 2..]
            .find("*/")
            .map_or("", |end| &rest[start + 2 + end + 2..]);
    }
    text.push_str(rest);
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut out = String::with_capacity(text.len());
    for word in words {
        let glue = matches!(out.chars().last(), None | Some('{' | '}' | ';' | ',' | ':'))
            || word.starts_with(['{', '}', ';', ',']);
        if !glue {
            out.push(' ');
        }
        if word.starts_with('}') && out.ends_with(';') {
            out.pop();
        }
        out.push_str(word);
    }
    out
}
