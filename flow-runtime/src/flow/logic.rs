//! Conditions, validation of answers, and assignments.

use serde::{Deserialize, Serialize};

use crate::codec::codec;

use crate::flow::TextPart;
pub use crate::pattern::{Pattern, PatternNode};
use crate::value::{Num, Value};

/// A yes/no question about the conversation and the page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Condition {
    Always,
    All(Vec<Condition>),
    Any(Vec<Condition>),
    Not(Box<Condition>),
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
    /// The cart's currency (`USD`).
    CartCurrency,
    /// The bot's name.
    BotName,
}

/// What a flow can read of its context, by name: what conditions test and `{{…}}` shows.
/// One table for the compiler (which checks names against it), the conversation engine and
/// the eager stage's watcher (which read the values).
pub static CONTEXT: [(&str, Subject); 12] = [
    ("page.url", Subject::PageUrl),
    ("page.path", Subject::PagePath),
    ("cart.items", Subject::CartItems),
    ("cart.value", Subject::CartValue),
    ("cart.currency", Subject::CartCurrency),
    ("visitor.visits", Subject::Visits),
    ("visitor.returning", Subject::Returning),
    ("language", Subject::Language),
    ("device", Subject::Device),
    ("variant", Subject::Variant),
    ("business_hours", Subject::BusinessHours),
    ("bot.name", Subject::BotName),
];

/// Names no flow variable may take: they belong to the context.
pub const RESERVED_PREFIXES: [&str; 3] = ["page.", "cart.", "visitor."];

impl Subject {
    /// The context subject `name` names (see [`CONTEXT`]); `None` for a flow variable.
    pub fn context(name: &str) -> Option<&'static Subject> {
        CONTEXT.iter().find(|(n, _)| *n == name).map(|(_, s)| s)
    }
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
    /// One of these (compared loosely, in the conversation's language); offered as quick
    /// replies too.
    Choice(Vec<Choice>),
}

/// One option of a question.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    /// What the variable keeps: the option in the flow's first language, so that
    /// conditions name it once whatever language the shopper reads.
    pub value: String,
    /// What shoppers see, per language, when it differs from `value`.
    pub labels: Vec<(String, String)>,
}

impl Choice {
    /// The same option in every language.
    pub fn same(value: &str) -> Choice {
        Choice {
            value: value.to_owned(),
            labels: Vec::new(),
        }
    }

    /// What a shopper reading `lang` sees.
    pub fn label(&self, lang: &str) -> &str {
        self.labels
            .iter()
            .find(|(l, _)| l == lang)
            .map_or(self.value.as_str(), |(_, label)| label.as_str())
    }
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

// The binary encoding (see `crate::codec`): fields in order, variants by tag.
codec!(enum Condition { 0 => Always, 1 => All(v0), 2 => Any(v0), 3 => Not(v0), 4 => Test(v0, v1) });
codec!(enum Subject { 0 => Var(v0), 1 => PageUrl, 2 => PagePath, 3 => CartItems, 4 => CartValue, 5 => Returning, 6 => Visits, 7 => Language, 8 => Device, 9 => Variant, 10 => BusinessHours, 11 => CartCurrency, 12 => BotName });
codec!(enum Compare { 0 => Eq(v0), 1 => Ne(v0), 2 => Gt(v0), 3 => Gte(v0), 4 => Lt(v0), 5 => Lte(v0), 6 => In(v0), 7 => Glob(v0), 8 => Matches(v0), 9 => Contains(v0), 10 => IsSet(v0) });
codec!(enum Expect { 0 => Text, 1 => Email, 2 => Phone, 3 => Pattern(v0), 4 => Number { min, max }, 5 => Choice(v0) });
codec!(struct Choice { value, labels });
codec!(struct Assign { var, value });
codec!(enum Operand { 0 => Value(v0), 1 => Template(v0) });
