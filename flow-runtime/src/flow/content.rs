//! What the assistant shows: text (localised, templated, a safe Markdown subset), images,
//! product cards and quick replies.

use serde::{Deserialize, Serialize};

use crate::codec::codec;

use super::StepIdx;

/// Plain text in one or more languages, each a template: literal runs and `{{variables}}`.
/// Used where Markdown makes no sense (button labels, alt text, card titles).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Text {
    /// `(language, parts)`; the first is used when the shopper's language is missing.
    pub variants: Vec<(String, Vec<TextPart>)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TextPart {
    Lit(String),
    /// `{{name}}` or `{{name|default}}`: the variable's value, inserted as text, never markup.
    Var {
        name: String,
        default: String,
    },
}

/// Rich text in one or more languages: Markdown parsed at compile time into blocks.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rich {
    pub variants: Vec<(String, Vec<Block>)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Block {
    Paragraph(Vec<Inline>),
    List {
        ordered: bool,
        items: Vec<Vec<Inline>>,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Inline {
    Text(String),
    Var {
        name: String,
        default: String,
    },
    Bold(Vec<Inline>),
    Italic(Vec<Inline>),
    /// A link; its target may contain variables and is checked again once they are filled in.
    Link {
        href: Vec<TextPart>,
        children: Vec<Inline>,
    },
    Break,
}

/// Everything one bot message can carry.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Content {
    pub text: Option<Rich>,
    pub image: Option<Image>,
    pub cards: Vec<Card>,
    pub quick_replies: Vec<QuickReply>,
    /// Show the card of the order found by the last order lookup.
    pub show_order: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Image {
    pub src: String,
    pub alt: Text,
}

/// A product card in a carousel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Card {
    pub image: Option<Image>,
    pub title: Text,
    pub subtitle: Option<Text>,
    pub price: Option<Text>,
    pub buttons: Vec<Button>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Button {
    pub label: Text,
    pub action: ButtonAction,
}

/// A quick reply: a button under a message; what it does stays in the engine.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuickReply {
    pub label: Text,
    pub action: ButtonAction,
}

/// What a button or a quick reply does.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ButtonAction {
    /// Continue at a step.
    Goto(StepIdx),
    /// Answer an FAQ entry (by index in [`super::Faq::entries`]).
    Faq(u32),
    /// Open a web page (http, https, mailto or tel; checked when compiled and, once its
    /// variables are filled in, when shown).
    Url(Vec<TextPart>),
    /// Hand the conversation to a person.
    Handoff,
    /// Add a product to the cart through the host page's API.
    AddToCart { sku: String, quantity: u32 },
}

impl Text {
    /// A text with one language and no variables.
    pub fn plain(lang: &str, s: &str) -> Text {
        Text {
            variants: vec![(lang.to_owned(), vec![TextPart::Lit(s.to_owned())])],
        }
    }

    /// The parts for `lang`, falling back to the first language.
    pub fn for_language(&self, lang: &str) -> &[TextPart] {
        pick(&self.variants, lang)
    }
}

impl Rich {
    pub fn for_language(&self, lang: &str) -> &[Block] {
        pick(&self.variants, lang)
    }
}

fn pick<'a, T>(variants: &'a [(String, Vec<T>)], lang: &str) -> &'a [T] {
    variants
        .iter()
        .find(|(l, _)| l == lang)
        .or_else(|| variants.first())
        .map(|(_, parts)| parts.as_slice())
        .unwrap_or(&[])
}

// The binary encoding (see `crate::codec`): fields in order, variants by tag.
codec!(struct Text { variants });
codec!(enum TextPart { 0 => Lit(v0), 1 => Var { name, default } });
codec!(struct Rich { variants });
codec!(enum Block { 0 => Paragraph(v0), 1 => List { ordered, items } });
codec!(enum Inline { 0 => Text(v0), 1 => Var { name, default }, 2 => Bold(v0), 3 => Italic(v0), 4 => Link { href, children }, 5 => Break });
codec!(struct Content { text, image, cards, quick_replies, show_order });
codec!(struct Image { src, alt });
codec!(struct Card { image, title, subtitle, price, buttons });
codec!(struct Button { label, action });
codec!(struct QuickReply { label, action });
codec!(enum ButtonAction { 0 => Goto(v0), 1 => Faq(v0), 2 => Url(v0), 3 => Handoff, 4 => AddToCart { sku, quantity } });
