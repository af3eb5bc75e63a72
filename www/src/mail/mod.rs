//! Outgoing email over SMTP: what the shop's team and its shoppers are told when they are
//! not looking at the inbox or the widget.
//!
//! An email is a [`Letter`] queued in the database ([`outbox`]) in the same transaction as
//! what it tells of, then sent by the [`worker::Worker`] until the SMTP server accepts it,
//! retried with backoff like webhook deliveries, and listed with its outcome in the inbox's
//! delivery log. The texts are in [`compose`]: plain text and a simple HTML part, in the
//! conversation's language, no images and no tracking.
//!
//! Without `BELLHOP_SMTP_URL` nothing is queued and everything else works as before.

pub mod compose;
pub mod outbox;
pub mod worker;

/// What the server needs to write emails: where links point and who they come from.
#[derive(Clone, Debug)]
pub struct Outgoing {
    /// `https://help.shop.example`: the start of every link to the inbox (no trailing `/`).
    pub public_url: String,
    /// The domain of Message-IDs (the sender's).
    pub domain: String,
    /// How emails sign off: the sender's name (`Fernhill Outfitters`), else its domain.
    pub shop: String,
}

/// One email, written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Letter {
    /// `confirmation`, `team_offline`, …
    pub kind: &'static str,
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// What makes it this email and no other (`confirmation.12.ana@example.com`): the same
    /// key queues it once.
    pub key: String,
}
