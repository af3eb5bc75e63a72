//! `POST /insights`: what one page view of the panel saw.

use serde::{Deserialize, Serialize};

use super::{HandoffReason, named};

/// `POST /insights`: what one page view of the panel saw, sent once (by `sendBeacon` as the
/// page goes) when the flow's merchant switched insights on. Counts, and the text of the
/// questions the FAQ missed or was unsure about (emails and numbers taken out): no visitor
/// id, no order numbers, no emails, nothing else the shopper typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InsightsBatch {
    /// 128 random bits in hex: the server stores a batch once and refuses it again.
    pub id: String,
    /// The flow by its name on the server (`demo.json`) and the compiled flow's fingerprint
    /// (16 hex digits), by which the server finds the published version it came from.
    pub flow: String,
    pub fingerprint: String,
    /// A random id the browser keeps for one day only, for unique counts (`None` where
    /// nothing may be stored).
    #[serde(default)]
    pub visitor_day: Option<String>,
    /// 1 when the shopper asked, chose or typed something in the chat on this page.
    #[serde(default)]
    pub conversations: u32,
    #[serde(default)]
    pub faq: Vec<FaqTally>,
    #[serde(default)]
    pub questions: Vec<AskedQuestion>,
    #[serde(default)]
    pub triggers: Vec<TriggerTally>,
    #[serde(default)]
    pub added_to_cart: u32,
    #[serde(default)]
    pub order_lookups: u32,
    /// Handoffs asked for, by what led to them (at most one a page view).
    #[serde(default)]
    pub handoffs: Vec<HandoffCount>,
    #[serde(default)]
    pub ratings: Vec<RatingTally>,
}

/// How often one FAQ entry was answered, offered first in "did you mean", came closest
/// to a missed question, or was said not to help.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FaqTally {
    pub entry: String,
    #[serde(default)]
    pub answered: u32,
    #[serde(default)]
    pub unsure: u32,
    #[serde(default)]
    pub missed: u32,
    /// Answers the shopper said did not help.
    #[serde(default)]
    pub unhelpful: u32,
}

/// A question the FAQ was unsure about (`unsure`), missed (`missed`), or answered with an
/// answer the shopper said did not help (`unhelpful`, with the entry answered), and the
/// entries that came closest, best first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AskedQuestion {
    pub kind: QuestionKind,
    pub text: String,
    #[serde(default)]
    pub entries: Vec<String>,
    /// The language it was asked in (a code of the flow's languages; empty from widgets
    /// older than this field).
    #[serde(default)]
    pub language: String,
}

/// One variant of one trigger on this page.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TriggerTally {
    pub trigger: String,
    pub variant: String,
    #[serde(default)]
    pub shown: u32,
    #[serde(default)]
    pub dismissed: u32,
    #[serde(default)]
    pub converted: u32,
    /// Would have been shown, but the shopper is in the holdout.
    #[serde(default)]
    pub held_out: u32,
}

/// Handoffs for one reason.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandoffCount {
    pub name: HandoffReason,
    pub count: u32,
}

/// A rating: `score` out of `scale` (2 for thumbs, 5 for stars).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatingTally {
    pub score: u8,
    pub scale: u8,
}

named! {
    /// What the FAQ did with a question an insights report carries.
    QuestionKind {
        /// Nothing came close enough: the fallback was shown.
        Missed = "missed",
        /// "Did you mean": the shopper was asked back.
        Unsure = "unsure",
        /// Answered, and the shopper said the answer did not help.
        Unhelpful = "unhelpful",
    }
}

impl Default for QuestionKind {
    fn default() -> QuestionKind {
        QuestionKind::Missed
    }
}
