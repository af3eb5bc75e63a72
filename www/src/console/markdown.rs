//! An answer's Markdown as the widget will show it: parsed by the same code the compiler
//! uses (`flow_authoring::compile::markdown`), rendered here as escaped HTML.

use flow_runtime::flow::{Block, Inline, TextPart};
use maud::{Markup, html};

pub fn render(text: &str) -> Markup {
    match flow_authoring::compile::markdown::parse(text) {
        Ok(blocks) => html! {
            @for block in &blocks {
                @match block {
                    Block::Paragraph(inlines) => p { (inline(inlines)) },
                    Block::List { ordered: true, items } => ol { @for item in items { li { (inline(item)) } } },
                    Block::List { ordered: false, items } => ul { @for item in items { li { (inline(item)) } } },
                }
            }
        },
        Err(_) => html! { p.hint { "(The text has a problem; see above.)" } },
    }
}

fn inline(parts: &[Inline]) -> Markup {
    html! {
        @for part in parts {
            @match part {
                Inline::Text(t) => (t),
                Inline::Var { name, .. } => code { "{{" (name) "}}" },
                Inline::Bold(inner) => strong { (inline(inner)) },
                Inline::Italic(inner) => em { (inline(inner)) },
                Inline::Link { href, children } => {
                    @let target: String = href.iter().map(|p| match p {
                        TextPart::Lit(s) => s.clone(),
                        TextPart::Var { name, .. } => format!("{{{{{name}}}}}"),
                    }).collect();
                    // Not a live link in the console: the shopper's widget checks the target.
                    span.link title=(target) { (inline(children)) }
                }
                Inline::Break => br;
            }
        }
    }
}

/// An answer's Markdown as plain text, for the FAQ table's one-line summaries: what the
/// shopper reads, without the `**` and `[…](…)` of the source.
pub fn plain(text: &str) -> String {
    fn words(parts: &[Inline], out: &mut String) {
        for part in parts {
            match part {
                Inline::Text(t) => out.push_str(t),
                Inline::Var { name, .. } => {
                    out.push_str("{{");
                    out.push_str(name);
                    out.push_str("}}");
                }
                Inline::Bold(inner) | Inline::Italic(inner) => words(inner, out),
                Inline::Link { children, .. } => words(children, out),
                Inline::Break => out.push(' '),
            }
        }
    }
    let Ok(blocks) = flow_authoring::compile::markdown::parse(text) else {
        return text.to_owned();
    };
    let mut out = String::new();
    for block in &blocks {
        if !out.is_empty() {
            out.push(' ');
        }
        match block {
            Block::Paragraph(inlines) => words(inlines, &mut out),
            Block::List { items, .. } => {
                for item in items {
                    words(item, &mut out);
                    out.push_str("; ");
                }
            }
        }
    }
    out.trim_end_matches("; ").to_owned()
}

#[cfg(test)]
mod plain_tests {
    #[test]
    fn markdown_becomes_what_the_shopper_reads() {
        assert_eq!(
            super::plain("You have **30 days**. See [returns](/returns).\n\n- one\n- two"),
            "You have 30 days. See returns. one; two"
        );
    }
}
