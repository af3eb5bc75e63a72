//! The engine's own words, by index into the compiled flow's phrase table.

use serde::{Deserialize, Serialize};

/// Something the engine says on its own (not from a step). The compiler fills
/// [`super::Flow::phrases`] with these, in this order, for each language of the flow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Phrase {
    OfferHuman,
    OfferHumanYes,
    OfferHumanNo,
    Declined,
    Lost,
    Updated,
    DidYouMean,
    NoneOfThese,
    Connecting,
    LookingUp,
    Sending,
    Joined,
    Closed,
    NotDelivered,
    Fallback,
    RetryText,
    RetryEmail,
    RetryPhone,
    RetryNumber,
    RetryChoice,
    RetryPattern,
}

impl Phrase {
    /// Every phrase, in table order.
    pub const ALL: [Phrase; 21] = [
        Phrase::OfferHuman,
        Phrase::OfferHumanYes,
        Phrase::OfferHumanNo,
        Phrase::Declined,
        Phrase::Lost,
        Phrase::Updated,
        Phrase::DidYouMean,
        Phrase::NoneOfThese,
        Phrase::Connecting,
        Phrase::LookingUp,
        Phrase::Sending,
        Phrase::Joined,
        Phrase::Closed,
        Phrase::NotDelivered,
        Phrase::Fallback,
        Phrase::RetryText,
        Phrase::RetryEmail,
        Phrase::RetryPhone,
        Phrase::RetryNumber,
        Phrase::RetryChoice,
        Phrase::RetryPattern,
    ];
}
