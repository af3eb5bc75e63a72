//! A compact JSON codec for the payloads in [`super`], for the browser: it writes what the
//! widget sends and reads what it is answered, with no JSON library in the wasm. Each
//! impl below mirrors its type's serde derive; `wire/tests.rs` holds them to it.
//!
//! Reading goes through [`JsonValue`]: natively (and in the tests) over [`Json`] from
//! [`parse`]; in the widget over the values the browser's `JSON.parse` made, so the wasm
//! carries no parser. Numbers are whole on the way in (every number the widget reads is a
//! count); [`parse`] cuts a fraction to its whole part, which no answer to the widget has.

use super::*;

/// A JSON value, as read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Json {
    Null,
    Bool(bool),
    Number(i64),
    String(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

impl Json {
    /// A field of an object (`Null` when absent or not an object).
    pub fn get(&self, key: &str) -> &Json {
        match self {
            Json::Object(fields) => fields
                .iter()
                .find(|(k, _)| k == key)
                .map_or(&Json::Null, |(_, v)| v),
            _ => &Json::Null,
        }
    }
}

/// A parsed JSON value to read payloads from: [`Json`] here, the browser's own parsed
/// values in the widget (so that the wasm needs no JSON parser).
pub trait JsonValue: Sized {
    /// A field of an object (null when absent or not an object).
    fn field(&self, key: &str) -> Self;
    fn string(&self) -> Option<String>;
    /// A whole number that fits (`None` for anything else).
    fn count(&self) -> Option<u32>;
    fn is_null(&self) -> bool;
    /// The elements of an array (`None` when it is not one).
    fn elements(&self) -> Option<Vec<Self>>;

    fn opt_string(&self) -> Option<Option<String>> {
        if self.is_null() {
            Some(None)
        } else {
            self.string().map(Some)
        }
    }
}

impl JsonValue for Json {
    fn field(&self, key: &str) -> Json {
        self.get(key).clone()
    }

    fn string(&self) -> Option<String> {
        match self {
            Json::String(s) => Some(s.clone()),
            _ => None,
        }
    }

    fn count(&self) -> Option<u32> {
        match self {
            Json::Number(n) => u32::try_from(*n).ok(),
            _ => None,
        }
    }

    fn is_null(&self) -> bool {
        *self == Json::Null
    }

    fn elements(&self) -> Option<Vec<Json>> {
        match self {
            Json::Array(items) => Some(items.clone()),
            _ => None,
        }
    }
}

/// Reads JSON text; `None` for anything that is not one JSON value.
pub fn parse(text: &str) -> Option<Json> {
    let mut p = Parser {
        s: text.as_bytes(),
        i: 0,
        depth: 0,
    };
    let v = p.value()?;
    p.ws();
    (p.i == p.s.len()).then_some(v)
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
    depth: u32,
}

/// Deeper than this is not an answer from our server.
const MAX_DEPTH: u32 = 64;

impl Parser<'_> {
    fn ws(&mut self) {
        while matches!(self.s.get(self.i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }

    fn eat(&mut self, b: u8) -> Option<()> {
        self.ws();
        (self.s.get(self.i) == Some(&b)).then(|| self.i += 1)
    }

    fn word(&mut self, w: &[u8], v: Json) -> Option<Json> {
        self.s[self.i..].starts_with(w).then(|| {
            self.i += w.len();
            v
        })
    }

    fn value(&mut self) -> Option<Json> {
        self.ws();
        match *self.s.get(self.i)? {
            b'n' => self.word(b"null", Json::Null),
            b't' => self.word(b"true", Json::Bool(true)),
            b'f' => self.word(b"false", Json::Bool(false)),
            b'"' => self.string().map(Json::String),
            b'[' => self.nested(|p| {
                let mut items = Vec::new();
                if p.eat(b']').is_some() {
                    return Some(Json::Array(items));
                }
                loop {
                    items.push(p.value()?);
                    if p.eat(b']').is_some() {
                        return Some(Json::Array(items));
                    }
                    p.eat(b',')?;
                }
            }),
            b'{' => self.nested(|p| {
                let mut fields = Vec::new();
                if p.eat(b'}').is_some() {
                    return Some(Json::Object(fields));
                }
                loop {
                    p.ws();
                    let key = p.string()?;
                    p.eat(b':')?;
                    fields.push((key, p.value()?));
                    if p.eat(b'}').is_some() {
                        return Some(Json::Object(fields));
                    }
                    p.eat(b',')?;
                }
            }),
            b'-' | b'0'..=b'9' => self.number(),
            _ => None,
        }
    }

    fn nested(&mut self, f: impl FnOnce(&mut Self) -> Option<Json>) -> Option<Json> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return None;
        }
        self.i += 1;
        let v = f(self);
        self.depth -= 1;
        v
    }

    fn number(&mut self) -> Option<Json> {
        let negative = self.s[self.i] == b'-';
        if negative {
            self.i += 1;
        }
        let start = self.i;
        let mut n: i64 = 0;
        while let Some(d @ b'0'..=b'9') = self.s.get(self.i) {
            n = n.saturating_mul(10).saturating_add(i64::from(d - b'0'));
            self.i += 1;
        }
        if self.i == start {
            return None;
        }
        // A fraction or an exponent: skipped (see the module's note).
        if self.s.get(self.i) == Some(&b'.') {
            self.i += 1;
            while matches!(self.s.get(self.i), Some(b'0'..=b'9')) {
                self.i += 1;
            }
        }
        if matches!(self.s.get(self.i), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.s.get(self.i), Some(b'+' | b'-')) {
                self.i += 1;
            }
            while matches!(self.s.get(self.i), Some(b'0'..=b'9')) {
                self.i += 1;
            }
        }
        Some(Json::Number(if negative { -n } else { n }))
    }

    fn string(&mut self) -> Option<String> {
        if self.s.get(self.i) != Some(&b'"') {
            return None;
        }
        self.i += 1;
        let mut out = Vec::new();
        loop {
            let b = *self.s.get(self.i)?;
            self.i += 1;
            match b {
                b'"' => return String::from_utf8(out).ok(),
                b'\\' => {
                    let e = *self.s.get(self.i)?;
                    self.i += 1;
                    let c = match e {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let hi = self.hex4()?;
                            if (0xD800..0xDC00).contains(&hi) {
                                // A surrogate pair: `\uD83D\uDE00`.
                                if self.s.get(self.i..self.i + 2)? != b"\\u" {
                                    return None;
                                }
                                self.i += 2;
                                let lo = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&lo) {
                                    return None;
                                }
                                char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))?
                            } else {
                                char::from_u32(hi)?
                            }
                        }
                        _ => return None,
                    };
                    let mut buf = [0; 4];
                    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                }
                0..0x20 => return None,
                _ => out.push(b),
            }
        }
    }

    fn hex4(&mut self) -> Option<u32> {
        let digits = self.s.get(self.i..self.i + 4)?;
        self.i += 4;
        digits
            .iter()
            .try_fold(0u32, |n, &d| Some(n * 16 + (d as char).to_digit(16)?))
    }
}

/// What the widget sends, as JSON text.
pub trait ToJson {
    fn write(&self, out: &mut String);

    fn to_json(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }
}

/// What the widget is answered, from parsed JSON. `None` when a required field is missing
/// or has the wrong type; unknown fields are ignored, as serde does.
pub trait FromJson: Sized {
    fn read<V: JsonValue>(v: &V) -> Option<Self>;

    /// From JSON text, with the parser here (the widget lets the browser parse).
    fn from_json(text: &str) -> Option<Self> {
        Self::read(&parse(text)?)
    }
}

impl ToJson for str {
    fn write(&self, out: &mut String) {
        out.push('"');
        for c in self.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                c if (c as u32) < 0x20 => {
                    const HEX: &[u8; 16] = b"0123456789abcdef";
                    out.push_str("\\u00");
                    out.push(HEX[(c as usize) >> 4] as char);
                    out.push(HEX[(c as usize) & 15] as char);
                }
                c => out.push(c),
            }
        }
        out.push('"');
    }
}

impl ToJson for String {
    fn write(&self, out: &mut String) {
        self.as_str().write(out);
    }
}

impl ToJson for bool {
    fn write(&self, out: &mut String) {
        out.push_str(if *self { "true" } else { "false" });
    }
}

macro_rules! integers {
    ($($t:ty),*) => {$(
        impl ToJson for $t {
            fn write(&self, out: &mut String) {
                use core::fmt::Write;
                let _ = write!(out, "{self}");
            }
        }
    )*};
}
integers!(u8, u32, u64);

impl<T: ToJson> ToJson for Option<T> {
    fn write(&self, out: &mut String) {
        match self {
            Some(v) => v.write(out),
            None => out.push_str("null"),
        }
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn write(&self, out: &mut String) {
        out.push('[');
        for (i, v) in self.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            v.write(out);
        }
        out.push(']');
    }
}

/// Writes `{"a":…,"b":…}` from `(name, value)` pairs.
macro_rules! object {
    ($out:expr, $($name:literal => $value:expr),* $(,)?) => {{
        let out: &mut String = $out;
        out.push('{');
        let mut _first = true;
        $(
            if !_first {
                out.push(',');
            }
            _first = false;
            out.push('"');
            out.push_str($name);
            out.push_str("\":");
            ToJson::write($value, out);
        )*
        out.push('}');
    }};
}

impl ToJson for Confidence {
    fn write(&self, out: &mut String) {
        // `0.83`, `1.0`, `0.0`: as serde_json writes the same f64.
        match self.0.min(1000) {
            1000 => out.push_str("1.0"),
            0 => out.push_str("0.0"),
            n => {
                out.push_str("0.");
                let digits = [n / 100, n / 10 % 10, n % 10];
                let len = if digits[2] != 0 {
                    3
                } else if digits[1] != 0 {
                    2
                } else {
                    1
                };
                for d in &digits[..len] {
                    out.push(char::from(b'0' + *d as u8));
                }
            }
        }
    }
}

impl ToJson for TranscriptLine {
    fn write(&self, out: &mut String) {
        object!(out, "at" => &self.at, "from" => &self.from, "text" => &self.text);
    }
}

impl ToJson for CartLine {
    fn write(&self, out: &mut String) {
        object!(out, "name" => &self.name, "quantity" => &self.quantity);
    }
}

impl ToJson for FaqTry {
    fn write(&self, out: &mut String) {
        object!(out,
            "entry" => &self.entry,
            "question" => &self.question,
            "confidence" => &self.confidence,
        );
    }
}

impl ToJson for HandoffContext {
    fn write(&self, out: &mut String) {
        object!(out,
            "page_url" => &self.page_url,
            "language" => &self.language,
            "device" => &self.device,
            "cart_items" => &self.cart_items,
            "cart_value" => &self.cart_value,
            "currency" => &self.currency,
            "cart_lines" => &self.cart_lines,
            "faq" => &self.faq,
            "trigger" => &self.trigger,
            "variant" => &self.variant,
            "frustrated" => &self.frustrated,
            "reason" => &self.reason,
            "visits" => &self.visits,
            "email" => &self.email,
        );
    }
}

impl ToJson for NewHandoff {
    fn write(&self, out: &mut String) {
        object!(out,
            "key" => &self.key,
            "transcript" => &self.transcript,
            "context" => &self.context,
            "flow" => &self.flow,
        );
    }
}

impl ToJson for OrderLookup {
    fn write(&self, out: &mut String) {
        object!(out, "number" => &self.number, "email" => &self.email);
    }
}

impl ToJson for NewMessage {
    fn write(&self, out: &mut String) {
        object!(out, "key" => &self.key, "text" => &self.text);
    }
}

impl ToJson for EmailChange {
    fn write(&self, out: &mut String) {
        object!(out, "email" => &self.email);
    }
}

impl ToJson for ResumeRequest {
    fn write(&self, out: &mut String) {
        object!(out, "resume" => &self.resume);
    }
}

impl ToJson for NewRating {
    fn write(&self, out: &mut String) {
        object!(out, "score" => &self.score, "comment" => &self.comment);
    }
}

impl ToJson for InsightsBatch {
    fn write(&self, out: &mut String) {
        object!(out,
            "id" => &self.id,
            "flow" => &self.flow,
            "fingerprint" => &self.fingerprint,
            "visitor_day" => &self.visitor_day,
            "conversations" => &self.conversations,
            "faq" => &self.faq,
            "questions" => &self.questions,
            "triggers" => &self.triggers,
            "added_to_cart" => &self.added_to_cart,
            "order_lookups" => &self.order_lookups,
            "handoffs" => &self.handoffs,
            "ratings" => &self.ratings,
        );
    }
}

impl ToJson for FaqTally {
    fn write(&self, out: &mut String) {
        object!(out, "entry" => &self.entry, "answered" => &self.answered, "unsure" => &self.unsure, "missed" => &self.missed, "unhelpful" => &self.unhelpful);
    }
}

impl ToJson for AskedQuestion {
    fn write(&self, out: &mut String) {
        object!(out, "kind" => &self.kind, "text" => &self.text, "entries" => &self.entries, "language" => &self.language);
    }
}

impl ToJson for TriggerTally {
    fn write(&self, out: &mut String) {
        object!(out,
            "trigger" => &self.trigger,
            "variant" => &self.variant,
            "shown" => &self.shown,
            "dismissed" => &self.dismissed,
            "converted" => &self.converted,
            "held_out" => &self.held_out,
        );
    }
}

impl ToJson for HandoffCount {
    fn write(&self, out: &mut String) {
        object!(out, "name" => &self.name, "count" => &self.count);
    }
}

macro_rules! named {
    ($($t:ty),*) => {$(
        impl ToJson for $t {
            fn write(&self, out: &mut String) {
                self.as_str().write(out);
            }
        }
    )*};
}
named!(HandoffReason, QuestionKind, OrderStatus, Speaker);

impl ToJson for RatingTally {
    fn write(&self, out: &mut String) {
        object!(out, "score" => &self.score, "scale" => &self.scale);
    }
}

impl FromJson for OrderLine {
    fn read<V: JsonValue>(v: &V) -> Option<OrderLine> {
        Some(OrderLine {
            name: v.field("name").string()?,
            quantity: v.field("quantity").count()?,
        })
    }
}

impl FromJson for OrderRecord {
    fn read<V: JsonValue>(v: &V) -> Option<OrderRecord> {
        let items = v.field("items").elements()?;
        Some(OrderRecord {
            number: v.field("number").string()?,
            status: OrderStatus::parse(&v.field("status").string()?)?,
            placed_on: v.field("placed_on").string()?,
            items: items.iter().map(OrderLine::read).collect::<Option<_>>()?,
            carrier: v.field("carrier").opt_string()?,
            tracking_url: v.field("tracking_url").opt_string()?,
            estimated_delivery: v.field("estimated_delivery").opt_string()?,
            delivered_on: v.field("delivered_on").opt_string()?,
        })
    }
}

impl FromJson for OrderFound {
    fn read<V: JsonValue>(v: &V) -> Option<OrderFound> {
        Some(OrderFound {
            order: OrderRecord::read(&v.field("order"))?,
        })
    }
}

impl FromJson for HandoffAccepted {
    fn read<V: JsonValue>(v: &V) -> Option<HandoffAccepted> {
        Some(HandoffAccepted {
            token: v.field("token").string()?,
            status: match v.field("status").string()?.as_str() {
                "available" => Availability::Available,
                "offline" => Availability::Offline,
                _ => return None,
            },
        })
    }
}

impl FromJson for AgentJoined {
    fn read<V: JsonValue>(v: &V) -> Option<AgentJoined> {
        Some(AgentJoined {
            name: v.field("name").string()?,
        })
    }
}

impl FromJson for AgentMessage {
    fn read<V: JsonValue>(v: &V) -> Option<AgentMessage> {
        Some(AgentMessage {
            // The stream's own id is the cursor; this one is a fallback a proxy may drop.
            id: v.field("id").string().unwrap_or_default(),
            name: v.field("name").string()?,
            text: v.field("text").string()?,
        })
    }
}

impl FromJson for ErrorBody {
    fn read<V: JsonValue>(v: &V) -> Option<ErrorBody> {
        let e = v.field("error");
        Some(ErrorBody {
            error: ErrorDetail {
                code: e.field("code").string()?,
                message: e.field("message").string()?,
            },
        })
    }
}
