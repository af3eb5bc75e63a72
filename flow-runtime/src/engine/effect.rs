//! What the engine asks the shell to do, and the views it shows.

use serde::{Deserialize, Serialize};

use crate::codec::codec;

use super::input::Order;
use crate::flow::CsatScale;
use crate::time::Time;

/// One thing for the shell to do, drained with [`super::Conversation::poll_output`]. Four
/// kinds, so that a shell handles each in one place and every match is exhaustive: what
/// the shopper sees, what to ask the server, what to tell the store's page, what to keep.
/// Each carries all the shell needs: it never reads the engine back.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Effect {
    View(View),
    /// Ask the server; each request is answered by one input (or none, for `Follow` and
    /// `Unfollow`, whose stream brings [`super::Input::Agent`]s).
    Request(Request),
    /// Tell the store's page.
    Announce(Announcement),
    /// The state changed: keep these bytes (see [`Saved`]).
    Save(Saved),
}

/// What to keep after a change, in two records: the conversation (only the panel reads
/// it: [`super::State::from_bytes`], then [`super::Conversation::restore`] on the next
/// page), and the [`super::Watched`] record both stages read and write.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Saved {
    pub conversation: Vec<u8>,
    pub watched: Vec<u8>,
}

/// A change to what the shopper sees.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum View {
    /// Forget every message shown (a restored conversation is shown again from the start).
    Reset,
    /// Add a message to the conversation.
    ShowMessage(Message),
    /// Offer these quick replies under the last message (an empty list removes them).
    SetQuickReplies(Vec<QuickReplyView>),
    /// Show a proactive teaser next to the launcher (the panel is closed).
    ShowTeaser(Message),
    HideTeaser,
    OpenPanel,
    ClosePanel,
    /// Messages the shopper has not seen (the launcher's badge).
    Unread(u32),
    /// What the composer allows now.
    Composer(Composer),
    /// Show or hide the "…" indicator.
    Typing(bool),
    /// Ask for a rating (`None` removes the question): one button per
    /// [`CsatView::choices`], then, with `comment`, a box for a few words.
    Csat(Option<CsatView>),
    /// The state of the handoff, for the banner (`None` removes it).
    HandoffStatus(Option<HandoffStatus>),
    /// Ask "did this help?" under the FAQ answer just given (`false` removes it); the
    /// answer comes back as [`super::Input::Helpful`].
    Helpful(bool),
    /// The conversation's language (one of the flow's): labels follow it.
    Language(String),
}

/// A request to the server.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Request {
    /// Look up an order; answer with [`super::Input::OrderAnswered`].
    LookUpOrder {
        request: u64,
        number: String,
        email: String,
    },
    /// Hand the conversation to a person; answer with [`super::Input::HandoffAnswered`].
    HandOff(HandoffRequest),
    /// Send the shopper's message to the agent; answer with [`super::Input::Delivered`].
    SendToAgent {
        request: u64,
        token: String,
        key: String,
        text: String,
    },
    /// Give an offline handoff the shopper's email; answer with [`super::Input::Delivered`].
    SendEmail {
        request: u64,
        token: String,
        email: String,
    },
    /// Record the shopper's rating (and comment) on the handoff conversation; answer with
    /// [`super::Input::Delivered`].
    SendRating {
        request: u64,
        token: String,
        score: u8,
        comment: Option<String>,
    },
    /// Follow the live conversation's events after event `after` (empty: from the start),
    /// as [`super::Input::Agent`]s; replaces any stream followed before.
    Follow { token: String, after: String },
    /// Stop following the live conversation.
    Unfollow,
}

/// Something for the store's page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Announcement {
    /// An analytics event.
    Track(Track),
    /// Add a product to the cart through the host page's API.
    AddToCart {
        sku: String,
        quantity: u32,
        /// The conversation's id, as on every analytics event.
        conversation: String,
    },
}

/// Who said a message (on the wire, a [`crate::wire::Speaker`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Speaker {
    Bot,
    Shopper,
    /// A person from the store's team.
    Agent,
    /// A note about the conversation itself ("Alex joined").
    System,
}

impl From<Speaker> for crate::wire::Speaker {
    fn from(s: Speaker) -> crate::wire::Speaker {
        match s {
            Speaker::Bot => crate::wire::Speaker::Bot,
            Speaker::Shopper => crate::wire::Speaker::Shopper,
            Speaker::Agent => crate::wire::Speaker::Agent,
            Speaker::System => crate::wire::Speaker::System,
        }
    }
}

/// A message as shown: rendered, variables filled in, links checked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub id: u64,
    pub at: Time,
    pub from: Speaker,
    /// The agent's name for agent messages.
    pub author: Option<String>,
    pub text: Vec<BlockView>,
    pub image: Option<ImageView>,
    pub cards: Vec<CardView>,
    pub order: Option<Order>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum BlockView {
    Paragraph(Vec<Span>),
    List {
        ordered: bool,
        items: Vec<Vec<Span>>,
    },
}

/// A run of text with one style. Line breaks are `\n` inside `text`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub text: String,
    pub bold: bool,
    pub italic: bool,
    /// A link target, already checked to be http(s), mailto or tel.
    pub href: Option<String>,
    /// A value for the shell to write in the shopper's locale; `text` is the value as the
    /// flow has it (`2026-12-04`, `258`), shown as is where it cannot be formatted.
    pub format: Option<Format>,
}

/// How a value in a message is written for the shopper's locale.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Format {
    /// A calendar date, `YYYY-MM-DD`: "Dec 4, 2026", "4 dic 2026".
    Date,
    /// An amount in this ISO 4217 currency: "$258.00", "258,00 €".
    Money(String),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageView {
    pub src: String,
    pub alt: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardView {
    pub image: Option<ImageView>,
    pub title: String,
    pub subtitle: Option<String>,
    pub price: Option<String>,
    pub buttons: Vec<ButtonView>,
}

/// A button or quick reply. With `href` it is a link; the widget still reports the click.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ButtonView {
    pub label: String,
    pub href: Option<String>,
}

pub type QuickReplyView = ButtonView;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Composer {
    /// The shopper may type; `hint` suits the on-screen keyboard to the expected answer.
    Ready { hint: InputHint },
    /// Waiting for the server; the reason is shown.
    Waiting { reason: String },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum InputHint {
    Text,
    Email,
    Phone,
    Number,
}

/// The satisfaction question being asked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CsatView {
    pub scale: CsatScale,
    pub comment: bool,
}

impl CsatView {
    /// The answers offered, in order: choosing one sends [`super::Input::Rated`] with its
    /// score. Thumbs up is 2 and down 1, so that a higher score is better, as with stars.
    pub fn choices(self) -> &'static [RatingChoice] {
        use RatingIcon::{Star, ThumbDown, ThumbUp};
        const fn c(score: u8, icon: RatingIcon) -> RatingChoice {
            RatingChoice { score, icon }
        }
        const THUMBS: [RatingChoice; 2] = [c(2, ThumbUp), c(1, ThumbDown)];
        const STARS: [RatingChoice; 5] =
            [c(1, Star), c(2, Star), c(3, Star), c(4, Star), c(5, Star)];
        match self.scale {
            CsatScale::Thumbs => &THUMBS,
            CsatScale::Five => &STARS,
        }
    }
}

/// One answer to the satisfaction question.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatingChoice {
    pub score: u8,
    pub icon: RatingIcon,
}

impl RatingChoice {
    /// Its label for screen readers ("Good", "4 stars"): this phrase, `{n}` the score.
    pub fn phrase(self) -> crate::flow::Phrase {
        use crate::flow::Phrase;
        match self.icon {
            RatingIcon::ThumbUp => Phrase::ThumbsUp,
            RatingIcon::ThumbDown => Phrase::ThumbsDown,
            RatingIcon::Star => Phrase::Stars,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RatingIcon {
    ThumbUp,
    ThumbDown,
    /// One of a row of stars: the chosen one and those before it are filled.
    Star,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum HandoffStatus {
    /// Asked the server; waiting for its answer.
    Connecting,
    /// A person will join soon.
    Waiting,
    /// A person is in the conversation.
    Joined { name: String },
    /// Nobody is available; the team will reply by email.
    Offline,
    /// The person closed the conversation.
    Closed,
}

/// Everything the server and the agent need to take over.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandoffRequest {
    /// The request's id. The shell gives the HTTP request its idempotency key (random, so
    /// that it cannot be guessed) and sends the same bytes on every retry.
    pub request: u64,
    pub transcript: Vec<crate::wire::TranscriptLine>,
    pub context: crate::wire::HandoffContext,
}

/// An analytics event: a name (`faq_answered`) and its properties, every one of which
/// carries `conversation` (the conversation's id). The shopper's words appear only as an
/// FAQ event's `question`, with emails, order numbers and phone numbers taken out.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Track {
    pub name: String,
    pub props: Vec<(String, Prop)>,
}

/// The value of an analytics property: text, a number, or a list of either.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Prop {
    Text(String),
    Number(crate::value::Num),
    List(Vec<Prop>),
}

impl Prop {
    pub fn text(s: impl Into<String>) -> Prop {
        Prop::Text(s.into())
    }

    pub fn int(n: i64) -> Prop {
        Prop::Number(crate::value::Num::from_int(n))
    }

    /// A confidence per mille as a number from 0 to 1.
    pub fn confidence(per_mille: u16) -> Prop {
        Prop::Number(crate::value::Num(i64::from(per_mille)))
    }
}

impl core::fmt::Display for Prop {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Prop::Text(t) => f.write_str(t),
            Prop::Number(n) => write!(f, "{n}"),
            Prop::List(items) => {
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    write!(f, "{item}")?;
                }
                Ok(())
            }
        }
    }
}

// The binary encoding (see `crate::codec`): fields in order, variants by tag.
codec!(enum Speaker { 0 => Bot, 1 => Shopper, 2 => Agent, 3 => System });
codec!(struct Message { id, at, from, author, text, image, cards, order });
codec!(enum BlockView { 0 => Paragraph(v0), 1 => List { ordered, items } });
codec!(struct Span { text, bold, italic, href, format });
codec!(enum Format { 0 => Date, 1 => Money(v0) });
codec!(struct ImageView { src, alt });
codec!(struct CardView { image, title, subtitle, price, buttons });
codec!(struct ButtonView { label, href });
codec!(enum Composer { 0 => Ready { hint }, 1 => Waiting { reason } });
codec!(enum InputHint { 0 => Text, 1 => Email, 2 => Phone, 3 => Number });
codec!(struct CsatView { scale, comment });
codec!(enum HandoffStatus { 0 => Connecting, 1 => Waiting, 2 => Joined { name }, 3 => Offline, 4 => Closed });
