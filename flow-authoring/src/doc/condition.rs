//! Conditions as merchants write them.
//!
//! ```json
//! { "cart.items": { "gte": 1 }, "page.path": { "glob": "/checkout*" } }   // all must hold
//! { "any": [ { "language": "es" }, { "visitor.returning": true } ] }
//! { "not": { "business_hours": true } }
//! ```
//!
//! Keys are subjects (a variable name, or `page.url`, `page.path`, `cart.items`,
//! `cart.value`, `visitor.returning`, `visitor.visits`, `language`, `device`, `variant`,
//! `business_hours`) or `all` / `any` / `not`. A test is a value (equality) or an object of
//! operators: `eq`, `ne`, `gt`, `gte`, `lt`, `lte`, `in`, `glob`, `matches`, `contains`,
//! `set`. The compiler reads them (with located errors), so here they stay JSON.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::Deserialize;

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(transparent)]
pub struct ConditionDoc(pub serde_json::Value);

impl JsonSchema for ConditionDoc {
    fn schema_name() -> Cow<'static, str> {
        "Condition".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "All keys must hold. Keys: a variable name, page.url, page.path, cart.items, cart.value, visitor.returning, visitor.visits, language, device, variant, business_hours, or all/any/not. Values: a literal (equality) or an object of operators (eq, ne, gt, gte, lt, lte, in, glob, matches, contains, set).",
            "type": "object",
            "properties": {
                "all": { "type": "array", "items": { "$ref": "#/$defs/Condition" } },
                "any": { "type": "array", "items": { "$ref": "#/$defs/Condition" } },
                "not": { "$ref": "#/$defs/Condition" }
            },
            "additionalProperties": {
                "anyOf": [
                    { "type": ["string", "number", "boolean"] },
                    {
                        "type": "object",
                        "additionalProperties": false,
                        "properties": {
                            "eq": { "type": ["string", "number", "boolean"] },
                            "ne": { "type": ["string", "number", "boolean"] },
                            "gt": { "type": "number" },
                            "gte": { "type": "number" },
                            "lt": { "type": "number" },
                            "lte": { "type": "number" },
                            "in": { "type": "array", "items": { "type": ["string", "number", "boolean"] } },
                            "glob": { "type": "string" },
                            "matches": { "type": "string" },
                            "contains": { "type": "string" },
                            "set": { "type": "boolean" }
                        }
                    }
                ]
            }
        })
    }
}
