//! An answer's Markdown as the widget will show it: parsed by the same code the compiler
//! uses (`flow_runtime::compile::markdown`), rendered here as escaped HTML.

use flow_runtime::flow::{Block, Inline, TextPart};
use maud::{Markup, html};

pub fn render(text: &str) -> Markup {
    match flow_runtime::compile::markdown::parse(text) {
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
