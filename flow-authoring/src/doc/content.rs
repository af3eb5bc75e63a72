//! Texts, values and message content as merchants write them, with shorthands:
//! `"text": "Hi"` or `"text": {"en": "Hi", "es": "Hola"}`, `"answer": "…"` or `{…}`,
//! `"image": "/a.png"` or `{"src": …, "alt": …}`.
//!
//! The shorthands have hand-written `Deserialize` impls that hand objects to a derived
//! struct, so a mistake inside the object gets serde's precise message ("unknown field
//! `quick_reply`") instead of untagged enums' "data did not match any variant".

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor, value::MapAccessDeserializer};

/// Text in one language (a string) or several (`{"en": …, "es": …}`). May use Markdown
/// where the field says so, and `{{variable}}` / `{{variable|default}}` anywhere.
#[derive(Clone, Debug, PartialEq)]
pub enum TextDoc {
    Same(String),
    ByLanguage(BTreeMap<String, String>),
}

impl<'de> Deserialize<'de> for TextDoc {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = TextDoc;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string, or an object of strings by language code")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<TextDoc, E> {
                Ok(TextDoc::Same(s.to_owned()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<TextDoc, A::Error> {
                BTreeMap::deserialize(MapAccessDeserializer::new(map)).map(TextDoc::ByLanguage)
            }
        }
        d.deserialize_any(V)
    }
}

impl JsonSchema for TextDoc {
    fn schema_name() -> Cow<'static, str> {
        "Text".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A string, or an object of strings by language code ({\"en\": \"Hi\", \"es\": \"Hola\"}). `{{variable}}` and `{{variable|default}}` are filled in as text.",
            "anyOf": [
                { "type": "string" },
                { "type": "object", "additionalProperties": { "type": "string" }, "propertyNames": { "pattern": "^[a-z]{2}(-[A-Za-z0-9]+)?$" } }
            ]
        })
    }
}

/// A literal value: text, number or yes/no.
#[derive(Clone, Debug, PartialEq)]
pub enum ValueDoc {
    Text(String),
    Number(f64),
    Bool(bool),
}

impl<'de> Deserialize<'de> for ValueDoc {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = ValueDoc;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string, a number or true/false")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<ValueDoc, E> {
                Ok(ValueDoc::Text(s.to_owned()))
            }
            fn visit_bool<E: de::Error>(self, b: bool) -> Result<ValueDoc, E> {
                Ok(ValueDoc::Bool(b))
            }
            fn visit_f64<E: de::Error>(self, n: f64) -> Result<ValueDoc, E> {
                Ok(ValueDoc::Number(n))
            }
            fn visit_i64<E: de::Error>(self, n: i64) -> Result<ValueDoc, E> {
                Ok(ValueDoc::Number(n as f64))
            }
            fn visit_u64<E: de::Error>(self, n: u64) -> Result<ValueDoc, E> {
                Ok(ValueDoc::Number(n as f64))
            }
        }
        d.deserialize_any(V)
    }
}

impl JsonSchema for ValueDoc {
    fn schema_name() -> Cow<'static, str> {
        "Value".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": ["string", "number", "boolean"] })
    }
}

/// What one bot message can carry. As a plain string it is just the text.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Content")]
pub struct ContentDoc {
    /// The message, in a safe Markdown subset: **bold**, *italic*, [links](https://…),
    /// line breaks, and lists (`- item`, `1. item`).
    #[serde(default)]
    pub text: Option<TextDoc>,
    #[serde(default)]
    pub image: Option<ImageDoc>,
    /// Product cards, shown as a carousel.
    #[serde(default)]
    pub cards: Vec<CardDoc>,
    /// Buttons under the message (at most 10).
    #[serde(default)]
    pub quick_replies: Vec<ButtonDoc>,
    /// Show the card of the order found by the last order lookup.
    #[serde(default)]
    pub show_order: bool,
}

/// An FAQ answer: a string (its text) or full message content.
#[derive(Clone, Debug, PartialEq)]
pub struct AnswerDoc(pub ContentDoc);

impl<'de> Deserialize<'de> for AnswerDoc {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = AnswerDoc;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "a string (the answer's text) or an object with text, quick_replies, cards…",
                )
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<AnswerDoc, E> {
                Ok(AnswerDoc(ContentDoc {
                    text: Some(TextDoc::Same(s.to_owned())),
                    ..ContentDoc::default()
                }))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<AnswerDoc, A::Error> {
                ContentDoc::deserialize(MapAccessDeserializer::new(map)).map(AnswerDoc)
            }
        }
        d.deserialize_any(V)
    }
}

impl JsonSchema for AnswerDoc {
    fn schema_name() -> Cow<'static, str> {
        "Answer".into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let content = generator.subschema_for::<ContentDoc>();
        let text = generator.subschema_for::<TextDoc>();
        json_schema!({ "anyOf": [text, content] })
    }
}

/// An image: its URL (a string), or `{"src": …, "alt": …}`.
#[derive(Clone, Debug, PartialEq)]
pub struct ImageDoc {
    /// `https://…` or a path on the store (`/images/x.png`).
    pub src: String,
    /// What the image shows, for screen readers (empty for decoration).
    pub alt: Option<TextDoc>,
}

impl JsonSchema for ImageDoc {
    fn schema_name() -> Cow<'static, str> {
        "Image".into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let text = generator.subschema_for::<TextDoc>();
        json_schema!({
            "description": "An image URL (https://… or a path on the store), or {\"src\": …, \"alt\": …}.",
            "anyOf": [
                { "type": "string" },
                { "type": "object", "required": ["src"], "additionalProperties": false,
                  "properties": { "src": { "type": "string" }, "alt": text } }
            ]
        })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ImageFields {
    src: String,
    #[serde(default)]
    alt: Option<TextDoc>,
}

impl<'de> Deserialize<'de> for ImageDoc {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = ImageDoc;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an image URL, or an object with src and alt")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<ImageDoc, E> {
                Ok(ImageDoc {
                    src: s.to_owned(),
                    alt: None,
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<ImageDoc, A::Error> {
                let f = ImageFields::deserialize(MapAccessDeserializer::new(map))?;
                Ok(ImageDoc {
                    src: f.src,
                    alt: f.alt,
                })
            }
        }
        d.deserialize_any(V)
    }
}

/// A product card.
#[derive(Clone, Debug, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Card")]
pub struct CardDoc {
    #[serde(default)]
    pub image: Option<ImageDoc>,
    pub title: TextDoc,
    #[serde(default)]
    pub subtitle: Option<TextDoc>,
    /// As it should read (`$129.00`).
    #[serde(default)]
    pub price: Option<TextDoc>,
    #[serde(default)]
    pub buttons: Vec<ButtonDoc>,
}

/// A quick reply or card button: a label and exactly one action.
#[derive(Clone, Debug, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Button")]
pub struct ButtonDoc {
    pub label: TextDoc,
    /// Continue at this step.
    #[serde(default)]
    pub goto: Option<String>,
    /// Answer this FAQ entry.
    #[serde(default)]
    pub faq: Option<String>,
    /// Open this page (http, https, mailto, tel, or a path on the store).
    #[serde(default)]
    pub url: Option<String>,
    /// Hand the conversation to a person.
    #[serde(default)]
    pub handoff: Option<bool>,
    /// Add a product to the cart through the store page's API (card buttons only).
    #[serde(default)]
    pub add_to_cart: Option<AddToCartDoc>,
}

#[derive(Clone, Debug, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "AddToCart")]
pub struct AddToCartDoc {
    pub sku: String,
    #[serde(default = "one")]
    pub quantity: u32,
}

fn one() -> u32 {
    1
}

/// Phrasings of an FAQ question: a list (in the flow's first language) or lists by
/// language.
#[derive(Clone, Debug, PartialEq)]
pub enum PhrasingsDoc {
    Same(Vec<String>),
    ByLanguage(BTreeMap<String, Vec<String>>),
}

impl Default for PhrasingsDoc {
    fn default() -> Self {
        PhrasingsDoc::Same(Vec::new())
    }
}

impl<'de> Deserialize<'de> for PhrasingsDoc {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = PhrasingsDoc;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of strings, or an object of lists by language code")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<PhrasingsDoc, A::Error> {
                Vec::deserialize(de::value::SeqAccessDeserializer::new(seq)).map(PhrasingsDoc::Same)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<PhrasingsDoc, A::Error> {
                BTreeMap::deserialize(MapAccessDeserializer::new(map)).map(PhrasingsDoc::ByLanguage)
            }
        }
        d.deserialize_any(V)
    }
}

impl JsonSchema for PhrasingsDoc {
    fn schema_name() -> Cow<'static, str> {
        "Phrasings".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "anyOf": [
                { "type": "array", "items": { "type": "string" } },
                { "type": "object", "additionalProperties": { "type": "array", "items": { "type": "string" } } }
            ]
        })
    }
}
