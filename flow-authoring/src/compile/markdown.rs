//! The safe Markdown subset and `{{variable}}` templates, parsed at compile time.
//!
//! Supported: paragraphs (blank lines), line breaks, `- ` / `* ` and `1. ` lists,
//! `**bold**`, `*italic*` / `_italic_`, `[label](url)`, `\` escapes, and
//! `{{name}}` / `{{name|default}}`. Anything else is text: there is no raw HTML, and a
//! marker without its closing partner is shown as typed.

use flow_runtime::flow::{Block, Inline, TextPart};

/// Deepest nesting of bold/italic/links.
const MAX_DEPTH: usize = 8;

/// A problem in a text, with the character offset it refers to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextError {
    pub message: String,
    pub help: String,
}

/// Parses Markdown text into blocks. Link targets are returned for checking by the caller.
pub fn parse(text: &str) -> Result<Vec<Block>, TextError> {
    let mut blocks = Vec::new();
    let mut paragraph: Vec<&str> = Vec::new();
    let mut list: Option<(bool, Vec<Vec<Inline>>)> = None;
    let flush_paragraph =
        |paragraph: &mut Vec<&str>, blocks: &mut Vec<Block>| -> Result<(), TextError> {
            if !paragraph.is_empty() {
                let mut inlines = Vec::new();
                for (i, line) in paragraph.iter().enumerate() {
                    if i > 0 {
                        inlines.push(Inline::Break);
                    }
                    inlines.extend(inline(line, 0)?);
                }
                blocks.push(Block::Paragraph(inlines));
                paragraph.clear();
            }
            Ok(())
        };
    for raw in text.lines() {
        let line = raw.trim_end();
        let item = list_item(line);
        match item {
            Some((ordered, rest)) => {
                flush_paragraph(&mut paragraph, &mut blocks)?;
                match &mut list {
                    Some((o, items)) if *o == ordered => items.push(inline(rest, 0)?),
                    _ => {
                        if let Some((o, items)) = list.take() {
                            blocks.push(Block::List { ordered: o, items });
                        }
                        list = Some((ordered, vec![inline(rest, 0)?]));
                    }
                }
            }
            None if line.trim().is_empty() => {
                flush_paragraph(&mut paragraph, &mut blocks)?;
                if let Some((o, items)) = list.take() {
                    blocks.push(Block::List { ordered: o, items });
                }
            }
            None => {
                if let Some((o, items)) = list.take() {
                    blocks.push(Block::List { ordered: o, items });
                }
                paragraph.push(line.trim_start());
            }
        }
    }
    flush_paragraph(&mut paragraph, &mut blocks)?;
    if let Some((o, items)) = list.take() {
        blocks.push(Block::List { ordered: o, items });
    }
    Ok(blocks)
}

/// `- item`, `* item` → unordered; `1. item` → ordered.
fn list_item(line: &str) -> Option<(bool, &str)> {
    let t = line.trim_start();
    if let Some(rest) = t.strip_prefix("- ").or_else(|| t.strip_prefix("* ")) {
        return Some((false, rest));
    }
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    if digits > 0
        && digits <= 3
        && let Some(rest) = t[digits..].strip_prefix(". ")
    {
        return Some((true, rest));
    }
    None
}

/// Parses inline Markdown.
fn inline(s: &str, depth: usize) -> Result<Vec<Inline>, TextError> {
    let mut out: Vec<Inline> = Vec::new();
    let mut text = String::new();
    let flush = |text: &mut String, out: &mut Vec<Inline>| {
        if !text.is_empty() {
            out.push(Inline::Text(std::mem::take(text)));
        }
    };
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        // Escapes.
        if c == '\\'
            && let Some(next) = rest[1..].chars().next()
            && "\\*_[](){}|`".contains(next)
        {
            text.push(next);
            rest = &rest[1 + next.len_utf8()..];
            continue;
        }
        if rest.starts_with("{{") {
            let Some(end) = rest.find("}}") else {
                return Err(TextError {
                    message: "`{{` is never closed".into(),
                    help: "write `{{name}}` or `{{name|default}}`, or `\\{{` for literal braces"
                        .into(),
                });
            };
            flush(&mut text, &mut out);
            let (name, default) = variable(&rest[2..end])?;
            out.push(Inline::Var { name, default });
            rest = &rest[end + 2..];
            continue;
        }
        if depth < MAX_DEPTH {
            if let Some(inner) = rest.strip_prefix("**")
                && let Some(end) = inner.find("**").filter(|&e| e > 0)
            {
                flush(&mut text, &mut out);
                out.push(Inline::Bold(inline(&inner[..end], depth + 1)?));
                rest = &inner[end + 2..];
                continue;
            }
            if c == '*' || c == '_' {
                let inner = &rest[1..];
                // A closing marker not preceded by a space; `_` only at word boundaries.
                let opens_word = !inner.starts_with(' ');
                let prev_alnum = text.chars().last().is_some_and(char::is_alphanumeric);
                if opens_word
                    && !(c == '_' && prev_alnum)
                    && let Some(end) = find_closing(inner, c)
                {
                    flush(&mut text, &mut out);
                    out.push(Inline::Italic(inline(&inner[..end], depth + 1)?));
                    rest = &inner[end + 1..];
                    continue;
                }
            }
            if c == '['
                && let Some((label, href, used)) = link(rest)
            {
                flush(&mut text, &mut out);
                let children = inline(label, depth + 1)?;
                out.push(Inline::Link {
                    href: template(href)?,
                    children,
                });
                rest = &rest[used..];
                continue;
            }
        }
        text.push(c);
        rest = &rest[c.len_utf8()..];
    }
    flush(&mut text, &mut out);
    Ok(out)
}

fn find_closing(s: &str, marker: char) -> Option<usize> {
    let mut prev: Option<char> = None;
    for (i, c) in s.char_indices() {
        if c == marker && i > 0 && prev.is_some_and(|p| p != ' ') {
            let next = s[i + c.len_utf8()..].chars().next();
            if marker == '_' && next.is_some_and(char::is_alphanumeric) {
                prev = Some(c);
                continue;
            }
            if marker == '*' && next == Some('*') {
                // `**` belongs to bold.
                prev = Some(c);
                continue;
            }
            return Some(i);
        }
        prev = Some(c);
    }
    None
}

/// `[label](target)` at the start of `s`: label, target, bytes used.
fn link(s: &str) -> Option<(&str, &str, usize)> {
    let close = s.find("](")?;
    let label = &s[1..close];
    if label.is_empty() || label.contains('\n') {
        return None;
    }
    let after = &s[close + 2..];
    let end = after.find(')')?;
    let href = after[..end].trim();
    (!href.is_empty() && !href.contains(' ')).then_some((label, href, close + 2 + end + 1))
}

/// Parses plain text with `{{variables}}` (labels, titles, URLs).
pub fn template(s: &str) -> Result<Vec<TextPart>, TextError> {
    let mut parts = Vec::new();
    let mut rest = s;
    let mut lit = String::new();
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("\\{{") {
            lit.push_str("{{");
            rest = after;
            continue;
        }
        if rest.starts_with("{{") {
            let Some(end) = rest.find("}}") else {
                return Err(TextError {
                    message: "`{{` is never closed".into(),
                    help: "write `{{name}}` or `{{name|default}}`".into(),
                });
            };
            if !lit.is_empty() {
                parts.push(TextPart::Lit(std::mem::take(&mut lit)));
            }
            let (name, default) = variable(&rest[2..end])?;
            parts.push(TextPart::Var { name, default });
            rest = &rest[end + 2..];
            continue;
        }
        let c = rest.chars().next().unwrap_or_default();
        lit.push(c);
        rest = &rest[c.len_utf8()..];
    }
    if !lit.is_empty() {
        parts.push(TextPart::Lit(lit));
    }
    Ok(parts)
}

/// `name` or `name|default` inside `{{ }}`.
fn variable(inside: &str) -> Result<(String, String), TextError> {
    let (name, default) = match inside.split_once('|') {
        Some((n, d)) => (n.trim(), d.trim().to_owned()),
        None => (inside.trim(), String::new()),
    };
    if !is_variable_name(name) {
        return Err(TextError {
            message: format!("`{{{{{inside}}}}}` is not a variable"),
            help: "variable names use letters, digits, `_` and `.` (`{{order.status}}`, `{{name|there}}`)".into(),
        });
    }
    Ok((name.to_owned(), default))
}

pub fn is_variable_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
}

/// Every link target in blocks (to check their schemes).
pub fn links(blocks: &[Block]) -> Vec<&[TextPart]> {
    fn walk<'a>(inlines: &'a [Inline], out: &mut Vec<&'a [TextPart]>) {
        for i in inlines {
            match i {
                Inline::Link { href, children } => {
                    out.push(href);
                    walk(children, out);
                }
                Inline::Bold(c) | Inline::Italic(c) => walk(c, out),
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    for b in blocks {
        match b {
            Block::Paragraph(i) => walk(i, &mut out),
            Block::List { items, .. } => items.iter().for_each(|i| walk(i, &mut out)),
        }
    }
    out
}

/// Every variable used in blocks without a default.
pub fn variables_without_default(blocks: &[Block]) -> Vec<String> {
    fn walk(inlines: &[Inline], out: &mut Vec<String>) {
        for i in inlines {
            match i {
                Inline::Var { name, default } if default.is_empty() => out.push(name.clone()),
                Inline::Link { href, children } => {
                    out.extend(href.iter().filter_map(|p| match p {
                        TextPart::Var { name, default } if default.is_empty() => Some(name.clone()),
                        _ => None,
                    }));
                    walk(children, out);
                }
                Inline::Bold(c) | Inline::Italic(c) => walk(c, out),
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    for b in blocks {
        match b {
            Block::Paragraph(i) => walk(i, &mut out),
            Block::List { items, .. } => items.iter().for_each(|i| walk(i, &mut out)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::*;

    #[test]
    fn markdown_subset() {
        let blocks = parse(
            "**Free** shipping over $75, *fast* and _cheap_.\nSee [our policy](https://x.example/p) or {{name|friend}}.\n\n- one\n- **two**\n1. first\n\nsnake_case_word stays, 2 * 3 * 4 too, and **unclosed",
        )
        .unwrap();
        expect![[r#"
            [
                Paragraph(
                    [
                        Bold(
                            [
                                Text(
                                    "Free",
                                ),
                            ],
                        ),
                        Text(
                            " shipping over $75, ",
                        ),
                        Italic(
                            [
                                Text(
                                    "fast",
                                ),
                            ],
                        ),
                        Text(
                            " and ",
                        ),
                        Italic(
                            [
                                Text(
                                    "cheap",
                                ),
                            ],
                        ),
                        Text(
                            ".",
                        ),
                        Break,
                        Text(
                            "See ",
                        ),
                        Link {
                            href: [
                                Lit(
                                    "https://x.example/p",
                                ),
                            ],
                            children: [
                                Text(
                                    "our policy",
                                ),
                            ],
                        },
                        Text(
                            " or ",
                        ),
                        Var {
                            name: "name",
                            default: "friend",
                        },
                        Text(
                            ".",
                        ),
                    ],
                ),
                List {
                    ordered: false,
                    items: [
                        [
                            Text(
                                "one",
                            ),
                        ],
                        [
                            Bold(
                                [
                                    Text(
                                        "two",
                                    ),
                                ],
                            ),
                        ],
                    ],
                },
                List {
                    ordered: true,
                    items: [
                        [
                            Text(
                                "first",
                            ),
                        ],
                    ],
                },
                Paragraph(
                    [
                        Text(
                            "snake_case_word stays, 2 * 3 * 4 too, and **unclosed",
                        ),
                    ],
                ),
            ]
        "#]]
        .assert_debug_eq(&blocks);
    }

    #[test]
    fn html_is_text() {
        assert_eq!(
            parse("<img src=x onerror=alert(1)>").unwrap(),
            vec![Block::Paragraph(vec![Inline::Text(
                "<img src=x onerror=alert(1)>".into()
            )])]
        );
    }

    #[test]
    fn template_errors() {
        assert!(template("Hi {{name").is_err());
        assert!(template("Hi {{na me}}").is_err());
        assert!(template("Hi {{1x}}").is_err());
        assert_eq!(
            template("a \\{{b}}").unwrap(),
            vec![TextPart::Lit("a {{b}}".into())]
        );
    }
}
