//! Every length and count of the HTTP contract, once.
//!
//! Three parties read these: the engine cuts or drops what would break them before it
//! asks the shell to send anything (so a shopper's handoff from a page with a 3,000
//! character URL still arrives), the server refuses what breaks them (a request no widget
//! of ours would send), and `www/tests/api.rs` checks that `openapi.json` says the same
//! `maxLength` and `maxItems`. Lengths are in characters (Unicode scalar values), as
//! JSON Schema counts them.

/// An order number as typed.
pub const ORDER_NUMBER_CHARS: usize = 64;
/// An email address (RFC 5321's path limit).
pub const EMAIL_CHARS: usize = 254;
/// An idempotency key: at least 128 random bits in hex, at most this.
pub const KEY_MIN_CHARS: usize = 32;
pub const KEY_CHARS: usize = 128;
/// A conversation's token in a path.
pub const TOKEN_CHARS: usize = 128;

/// A shopper's message: the composer stops there, the engine cuts there.
pub const MESSAGE_CHARS: usize = 2_000;
/// A rating's comment: as long as the box the widget shows allows.
pub const COMMENT_CHARS: usize = 2_000;
/// A reply an agent writes in the inbox.
pub const AGENT_REPLY_CHARS: usize = 4_000;

/// A handoff's transcript: its most recent lines, each cut to this length.
pub const TRANSCRIPT_LINES: usize = 500;
pub const TRANSCRIPT_LINE_CHARS: usize = 8_000;

/// The handoff's context.
pub const PAGE_URL_CHARS: usize = 2_048;
pub const LANGUAGE_CHARS: usize = 35;
pub const DEVICE_CHARS: usize = 32;
pub const CART_VALUE_CHARS: usize = 32;
pub const CURRENCY_CHARS: usize = 8;
/// The cart's first lines, each name cut to this length.
pub const CART_LINES: usize = 20;
pub const CART_LINE_NAME_CHARS: usize = 120;
/// What the FAQ understood: the latest tries.
pub const FAQ_TRIES: usize = 50;
/// An FAQ entry's or a trigger's id, and a variant's name.
pub const NAME_CHARS: usize = 128;
/// An FAQ entry's question as the person taking over reads it.
pub const FAQ_QUESTION_CHARS: usize = 1_000;
/// A flow's name on the server (`demo.json`): 64 characters and `.json`.
pub const FLOW_FILE_CHARS: usize = 69;

/// An insights report (one page view).
pub const REPORT_QUESTIONS: usize = 20;
pub const REPORT_QUESTION_CHARS: usize = 300;
/// The entries that came closest to a reported question.
pub const REPORT_QUESTION_ENTRIES: usize = 3;
pub const REPORT_FAQ_ENTRIES: usize = 100;
pub const REPORT_TRIGGERS: usize = 50;
/// The names a report gives entries, triggers and variants.
pub const REPORT_NAME_CHARS: usize = 64;
/// One page view is one conversation: at most one handoff and one rating in it.
pub const REPORT_HANDOFFS: usize = 1;
pub const REPORT_RATINGS: usize = 1;
/// What one page view can do at most: answers per FAQ entry, events per trigger and
/// variant (a trigger fires once a page; a shop that navigates without reloading has a few
/// pages per page view), order lookups, products added to the cart.
pub const REPORT_FAQ_COUNT: u32 = 50;
pub const REPORT_TRIGGER_COUNT: u32 = 10;
pub const REPORT_ORDER_LOOKUPS: u32 = 20;
pub const REPORT_ADDED_TO_CART: u32 = 50;

/// `text` cut to at most `max` characters (on a character boundary).
pub fn cut(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((end, _)) => text[..end].to_owned(),
        None => text.to_owned(),
    }
}

/// `text` in at most `max` characters, ending with `…` when it had to be cut, for what
/// people read (a product's name), never for addresses.
pub fn shorten(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some(_) => {
            let mut out = cut(text, max.saturating_sub(1));
            out.push('…');
            out
        }
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn cut_counts_characters() {
        assert_eq!(super::cut("héllo", 2), "hé");
        assert_eq!(super::cut("hé", 5), "hé");
        assert_eq!(super::cut("", 0), "");
        assert_eq!(super::shorten("héllo", 3), "hé…");
        assert_eq!(super::shorten("hé", 3), "hé");
    }
}
