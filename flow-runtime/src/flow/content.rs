//! What the assistant shows: text (localised, templated, a safe Markdown subset), images,
//! product cards and quick replies.

use serde::{Deserialize, Serialize};

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
    Bold(#[serde(deserialize_with = "super::nesting::nested")] Vec<Inline>),
    Italic(#[serde(deserialize_with = "super::nesting::nested")] Vec<Inline>),
    /// A link; its target may contain variables and is checked again once they are filled in.
    Link {
        href: Vec<TextPart>,
        #[serde(deserialize_with = "super::nesting::nested")]
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
