//! Conditions, validation of answers, and assignments.

use serde::{Deserialize, Serialize};

use crate::flow::TextPart;
pub use crate::pattern::{Pattern, PatternNode};
use crate::value::{Num, Value};

/// A yes/no question about the conversation and the page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Condition {
    Always,
    All(#[serde(deserialize_with = "super::nesting::nested")] Vec<Condition>),
    Any(#[serde(deserialize_with = "super::nesting::nested")] Vec<Condition>),
    Not(#[serde(deserialize_with = "super::nesting::nested")] Box<Condition>),
    Test(Subject, Compare),
}

/// What a condition looks at.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Subject {
    /// A flow variable (set by `ask`, `set`, an order lookup…).
    Var(String),
    /// The full URL of the current page.
    PageUrl,
    /// The path of the current page (`/products/trail-runner`).
    PagePath,
    /// Number of items in the cart.
    CartItems,
    /// Value of the cart, in the store's currency.
    CartValue,
    /// Whether the shopper visited before.
    Returning,
    /// How many visits this is (1 on the first).
    Visits,
    /// The conversation's language.
    Language,
    /// `phone`, `tablet` or `desktop`.
    Device,
    /// The A/B variant of the trigger that started the conversation (`""` if none).
    Variant,
    /// Whether the store's business hours say a person is available now.
    BusinessHours,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Compare {
    Eq(Value),
    Ne(Value),
    Gt(Num),
    Gte(Num),
    Lt(Num),
    Lte(Num),
    In(Vec<Value>),
    /// A glob: `*` stands for any run of characters (`/products/*`).
    Glob(String),
    /// A pattern (a small regular-expression language, see [`Pattern`]).
    Matches(Pattern),
    /// Case-insensitive substring.
    Contains(String),
    /// Whether the subject has a non-empty value.
    IsSet(bool),
}

/// What an `ask` step accepts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Expect {
    /// Anything non-empty.
    Text,
    Email,
    /// 7 to 15 digits, with the usual separators and an optional leading `+`.
    Phone,
    /// The whole answer (or a part of it) matches the pattern; the match is kept.
    Pattern(Pattern),
    /// A number within optional bounds.
    Number {
        min: Option<Num>,
        max: Option<Num>,
    },
    /// One of these (compared case-insensitively); offered as quick replies too.
    Choice(Vec<String>),
}

/// `var = value`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Assign {
    pub var: String,
    pub value: Operand,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Operand {
    Value(Value),
    /// Text with `{{variables}}` filled in when the step runs.
    Template(Vec<TextPart>),
}
