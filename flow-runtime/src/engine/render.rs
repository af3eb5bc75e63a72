//! From compiled content to what the shopper sees: languages picked, variables filled in
//! as text, links checked.

use super::effect::{BlockView, ButtonView, CardView, ImageView, Message, Span};
use crate::flow::{Block, Card, Image, Inline, Rich, Text, TextPart};
use crate::value::Value;

/// Looks up a variable's value by name.
pub(super) trait Vars {
    fn get(&self, name: &str) -> Option<Value>;

    /// How the shell should write the variable's value for the shopper (a date, money).
    fn format(&self, _name: &str) -> Option<super::effect::Format> {
        None
    }
}

/// Fills in a template. Values are inserted as text; an unset variable gives its default.
pub(super) fn text(parts: &[TextPart], vars: &dyn Vars) -> String {
    let mut out = String::new();
    for part in parts {
        match part {
            TextPart::Lit(s) => out.push_str(s),
            TextPart::Var { name, default } => match vars.get(name).filter(Value::is_set) {
                Some(v) => out.push_str(&v.to_text()),
                None => out.push_str(default),
            },
        }
    }
    out
}

pub(super) fn localized(t: &Text, lang: &str, vars: &dyn Vars) -> String {
    text(t.for_language(lang), vars)
}

pub(super) fn rich(r: &Rich, lang: &str, vars: &dyn Vars) -> Vec<BlockView> {
    r.for_language(lang)
        .iter()
        .map(|block| match block {
            Block::Paragraph(inlines) => BlockView::Paragraph(spans(inlines, vars)),
            Block::List { ordered, items } => BlockView::List {
                ordered: *ordered,
                items: items.iter().map(|i| spans(i, vars)).collect(),
            },
        })
        .collect()
}

fn spans(inlines: &[Inline], vars: &dyn Vars) -> Vec<Span> {
    let mut out = Vec::new();
    flatten(inlines, &Span::default(), vars, &mut out);
    out
}

/// Turns nested inlines into flat spans; nesting depth is bounded by the decoder.
fn flatten(inlines: &[Inline], style: &Span, vars: &dyn Vars, out: &mut Vec<Span>) {
    for inline in inlines {
        match inline {
            Inline::Text(s) => push(out, style, s),
            Inline::Var { name, default } => match vars.get(name).filter(Value::is_set) {
                Some(v) => match vars.format(name) {
                    // A value to format stands alone, so that the shell can rewrite it.
                    Some(format) => out.push(Span {
                        text: v.to_text(),
                        format: Some(format),
                        ..style.clone()
                    }),
                    None => push(out, style, &v.to_text()),
                },
                None => push(out, style, default),
            },
            Inline::Break => push(out, style, "\n"),
            Inline::Bold(children) => flatten(
                children,
                &Span {
                    bold: true,
                    ..style.clone()
                },
                vars,
                out,
            ),
            Inline::Italic(children) => flatten(
                children,
                &Span {
                    italic: true,
                    ..style.clone()
                },
                vars,
                out,
            ),
            Inline::Link { href, children } => {
                // A link whose target turns out unsafe once filled in is shown as plain text.
                let href = safe_link(&text(href, vars));
                flatten(
                    children,
                    &Span {
                        href,
                        ..style.clone()
                    },
                    vars,
                    out,
                );
            }
        }
    }
}

fn push(out: &mut Vec<Span>, style: &Span, text: &str) {
    if text.is_empty() {
        return;
    }
    if let Some(last) = out.last_mut()
        && last.format.is_none()
        && last.bold == style.bold
        && last.italic == style.italic
        && last.href == style.href
    {
        last.text.push_str(text);
        return;
    }
    out.push(Span {
        text: text.to_owned(),
        ..style.clone()
    });
}

pub(super) fn image(i: &Image, lang: &str, vars: &dyn Vars) -> Option<ImageView> {
    Some(ImageView {
        src: safe_image(&i.src)?,
        alt: localized(&i.alt, lang, vars),
    })
}

pub(super) fn card(
    c: &Card,
    lang: &str,
    vars: &dyn Vars,
    button: impl FnMut(&crate::flow::Button) -> ButtonView,
) -> CardView {
    CardView {
        image: c.image.as_ref().and_then(|i| image(i, lang, vars)),
        title: localized(&c.title, lang, vars),
        subtitle: c.subtitle.as_ref().map(|t| localized(t, lang, vars)),
        price: c.price.as_ref().map(|t| localized(t, lang, vars)),
        buttons: c.buttons.iter().map(button).collect(),
    }
}

/// The URL if a link to it is safe to show: `http(s)`, `mailto`, `tel`, or a path on the
/// store's own site. Tabs and newlines are removed first, as browsers do, so
/// `java\nscript:` cannot slip through.
pub fn safe_link(url: &str) -> Option<String> {
    let cleaned: String = url
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let cleaned = cleaned.trim_matches(|c: char| c <= ' ');
    let lower = cleaned.to_ascii_lowercase();
    let ok = ["https://", "http://", "mailto:", "tel:"]
        .iter()
        .any(|p| lower.starts_with(p))
        || (cleaned.starts_with('/') && !cleaned.starts_with("//") && !cleaned.starts_with("/\\"));
    (ok && !cleaned.is_empty()).then(|| cleaned.to_owned())
}

/// The URL if it may be an image source: `http(s)` or a path on the same site.
pub fn safe_image(url: &str) -> Option<String> {
    safe_link(url).filter(|u| {
        let lower = u.to_ascii_lowercase();
        lower.starts_with("https://") || lower.starts_with("http://") || u.starts_with('/')
    })
}

impl Message {
    /// The message as plain text (for transcripts): paragraphs on lines, cards by title.
    pub fn plain_text(&self) -> String {
        let mut out = String::new();
        let mut line = |s: String| {
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str(&s);
        };
        for block in &self.text {
            match block {
                BlockView::Paragraph(spans) => {
                    line(spans.iter().map(|s| s.text.as_str()).collect())
                }
                BlockView::List { items, .. } => {
                    for item in items {
                        line(format!(
                            "- {}",
                            item.iter().map(|s| s.text.as_str()).collect::<String>()
                        ));
                    }
                }
            }
        }
        for card in &self.cards {
            line(format!("[{}]", card.title));
        }
        if let Some(order) = &self.order {
            line(format!("[order {} · {}]", order.number, order.status));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_safe_links_survive() {
        for ok in [
            "https://x.example/a",
            "HTTP://x",
            "mailto:a@b.c",
            "tel:+1555",
            "/products/x",
            "  https://x ",
        ] {
            assert!(safe_link(ok).is_some(), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "java\tscript:alert(1)",
            "java\nscript:alert(1)",
            " \u{1}javascript:alert(1)",
            "data:text/html,<script>",
            "vbscript:x",
            "//evil.example",
            "/\\evil.example",
            "",
            "x",
        ] {
            assert_eq!(safe_link(bad), None, "{bad:?}");
        }
        assert_eq!(safe_image("mailto:a@b.c"), None);
        assert_eq!(safe_image("/img.png").as_deref(), Some("/img.png"));
    }
}
