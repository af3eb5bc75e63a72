//! What the shell tells the engine.

use serde::{Deserialize, Serialize};

use crate::codec::codec;

use crate::value::Num;

/// Something that happened. Each comes with the time it happened, as a separate argument
/// of [`super::Conversation::handle_input`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Input {
    // --- the shopper ---
    /// The shopper opened the chat panel (launcher, teaser, or `Bellhop('open')`).
    Opened,
    /// The shopper closed the chat panel.
    Closed,
    /// The shopper sent a message.
    Said(String),
    /// The shopper picked the quick reply at this position among those on screen.
    QuickReply(usize),
    /// The shopper pressed a button on a product card of a message.
    CardButton {
        message: u64,
        card: usize,
        button: usize,
    },
    /// The shopper answered the satisfaction question.
    Rated {
        score: u8,
        comment: Option<String>,
    },
    /// The shopper closed the proactive teaser without engaging.
    TeaserDismissed,
    /// The shopper answered "did this help?" after an FAQ answer.
    Helpful(bool),
    /// The shopper is typing in the composer (`true`) or stopped (`false`).
    Typing(bool),

    // --- the page ---
    /// A page (or single-page-app route) is shown. Sent on every page load and navigation.
    PageView(Page),
    /// The panel starts on a page the eager stage has been watching: carry on from there
    /// (instead of [`Input::PageView`]).
    TakeOver(Box<super::Handover>),
    /// The tab became visible (`true`) or hidden (`false`). Coming back to the tab after a
    /// short absence is a phone's exit intent: the engine measures the absence.
    Visibility(bool),
    /// The page scrolled (every scroll event): how deep the shopper has read, and, on
    /// phones, a fast swipe back up towards the address bar, are the engine's to judge.
    Scrolled(Scroll),
    /// Pointer or key activity (the shell sends it at most once a second).
    Activity,
    /// The pointer left the window through its top edge (towards the tabs or the address
    /// bar). Unless it comes back ([`Input::PointerBack`]) within a grace period, that is
    /// exit intent on a desktop.
    PointerLeft,
    /// The pointer is over the page again.
    PointerBack,
    /// The host page told us about its cart.
    CartChanged(Cart),
    /// `Bellhop('track', name)` from the host page.
    Custom(String),
    /// `Bellhop('preview', trigger, variant)`, in the console's preview only: the trigger's
    /// message (the named variant's, else the first) is shown as a teaser now, whatever its
    /// event, pages, conditions, caps and holdout say, and nothing is counted.
    Preview {
        trigger: String,
        variant: String,
    },
    /// `Bellhop('identify', {name: …, email: …})`: the store knows who the shopper is. Each
    /// pair becomes a variable (`{{name}}`); values are text.
    Identify(Vec<(String, String)>),
    /// Nothing happened, but time passed: sent when a [`super::Output::Timeout`] expires.
    Tick,

    // --- the server ---
    OrderAnswered {
        request: u64,
        answer: OrderAnswer,
    },
    HandoffAnswered {
        request: u64,
        answer: HandoffAnswer,
    },
    /// A request whose answer carries nothing but success (a message to the agent, an
    /// email for an offline handoff) completed or failed for good.
    Delivered {
        request: u64,
        ok: bool,
    },
    /// The live conversation's stream: an agent joined, wrote or closed.
    Agent(AgentEvent),
    /// The shopper came back through an email's link: the server opened conversation
    /// `token` for the link's resume token (`agent`: who joined; `closed`: it has ended).
    Resumed {
        token: String,
        agent: Option<String>,
        closed: bool,
    },
}

/// The page the shopper is on, and what the browser knows about them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page {
    pub url: String,
    pub path: String,
    /// The page's language (`<html lang>`) or the browser's.
    pub language: String,
    pub device: Device,
    /// Whether the tab is visible right now.
    pub visible: bool,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Device {
    Phone,
    Tablet,
    #[default]
    Desktop,
}

impl Device {
    /// The device a screen `width` CSS pixels wide is, with a `coarse` (touch) pointer or
    /// not: under 600 px a phone, whatever the pointer (a window that narrow is laid out
    /// and used as a phone); under 1024 px with a touch pointer a tablet; else a desktop.
    /// The one rule: the browser measures, this decides.
    pub fn of_screen(width: f64, coarse: bool) -> Device {
        if width < 600.0 {
            Device::Phone
        } else if coarse && width < 1024.0 {
            Device::Tablet
        } else {
            Device::Desktop
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Device::Phone => "phone",
            Device::Tablet => "tablet",
            Device::Desktop => "desktop",
        }
    }
}

/// Where the page is scrolled, in CSS pixels.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scroll {
    /// The page's offset at the top of the viewport (`scrollY`).
    pub top: u32,
    /// The viewport's height.
    pub viewport: u32,
    /// The page's full height (`scrollHeight`).
    pub height: u32,
}

impl Scroll {
    /// How much of the page has been on screen, in percent.
    pub fn depth(self) -> u8 {
        let seen = u64::from(self.top) + u64::from(self.viewport);
        (seen * 100 / u64::from(self.height.max(1))).min(100) as u8
    }
}

/// The cart as the host page describes it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cart {
    pub items: u32,
    pub value: Num,
    pub currency: String,
    /// The products, when the page names them (at most [`Cart::MAX_LINES`]).
    pub lines: Vec<CartLine>,
}

impl Cart {
    /// Lines kept of a cart: enough for a person to see what the shopper is buying.
    pub const MAX_LINES: usize = 20;
}

/// One product in the cart.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CartLine {
    pub name: String,
    pub quantity: u32,
}

/// The server's answer to an order lookup.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum OrderAnswer {
    Found(Order),
    /// No such order for that email (the server does not say which part was wrong).
    NotFound,
    /// The server could not answer (network, overload, rate limit).
    Error,
}

/// What a shopper may know about their order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Order {
    pub number: String,
    /// `processing`, `shipped`, `delivered`, `cancelled` or `refunded`.
    pub status: String,
    pub items: Vec<OrderItem>,
    pub carrier: Option<String>,
    pub tracking_url: Option<String>,
    /// As the server formats it (`2026-11-25`).
    pub estimated_delivery: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderItem {
    pub name: String,
    pub quantity: u32,
}

/// An order record the server answered (`OrderFound`'s `order`), read straight into what
/// the conversation keeps: the same as reading [`crate::wire::OrderRecord`] and converting
/// it (a test holds them to it), with less code in the wasm (the dates the card does not
/// show are not read, the status not parsed twice).
impl crate::wire::json::FromJson for Order {
    fn read<V: crate::wire::json::JsonValue>(o: &V) -> Option<Order> {
        let line = |i: &V| {
            Some(OrderItem {
                name: i.field("name").string()?,
                quantity: i.field("quantity").count()?,
            })
        };
        let status = o.field("status").string()?;
        crate::wire::OrderStatus::parse(&status)?;
        Some(Order {
            number: o.field("number").string()?,
            status,
            items: o
                .field("items")
                .elements()?
                .iter()
                .map(line)
                .collect::<Option<_>>()?,
            carrier: o.field("carrier").opt_string()?,
            tracking_url: o.field("tracking_url").opt_string()?,
            estimated_delivery: o.field("estimated_delivery").opt_string()?,
        })
    }
}

/// The server's record, as the conversation keeps it (the dates the card does not show are
/// left out).
impl From<crate::wire::OrderRecord> for Order {
    fn from(o: crate::wire::OrderRecord) -> Order {
        Order {
            number: o.number,
            status: o.status.as_str().to_owned(),
            items: o
                .items
                .into_iter()
                .map(|i| OrderItem {
                    name: i.name,
                    quantity: i.quantity,
                })
                .collect(),
            carrier: o.carrier,
            tracking_url: o.tracking_url,
            estimated_delivery: o.estimated_delivery,
        }
    }
}

/// The server's answer to a handoff.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum HandoffAnswer {
    /// A person is available and will join; `token` grants access to the conversation.
    Available {
        token: String,
    },
    /// Nobody is available now; the team will answer by email.
    Offline {
        token: String,
    },
    Error,
}

/// An event of the live conversation. `event` is its id in the stream: the stream resumes
/// after the last one seen (empty when the shell has none).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AgentEvent {
    Joined {
        event: String,
        name: String,
    },
    /// A message seen twice (after a reconnect) is shown once.
    Message {
        event: String,
        name: String,
        text: String,
    },
    Closed {
        event: String,
    },
    /// Nobody took the live handoff in time: the team will answer by email.
    Unanswered {
        event: String,
    },
}

impl AgentEvent {
    /// Its id in the stream.
    pub fn event(&self) -> &str {
        match self {
            AgentEvent::Joined { event, .. }
            | AgentEvent::Message { event, .. }
            | AgentEvent::Closed { event }
            | AgentEvent::Unanswered { event } => event,
        }
    }
}

// The binary encoding (see `crate::codec`): fields in order, variants by tag.
codec!(struct Page { url, path, language, device, visible });
codec!(enum Device { 0 => Phone, 1 => Tablet, 2 => Desktop });
codec!(struct Cart { items, value, currency, lines });
codec!(struct CartLine { name, quantity });
codec!(struct Order { number, status, items, carrier, tracking_url, estimated_delivery });
codec!(struct OrderItem { name, quantity });

#[cfg(test)]
mod tests {
    use super::{Device, Order};
    use crate::wire::json::FromJson;
    use crate::wire::{OrderLine, OrderRecord, OrderStatus};

    #[test]
    fn an_order_reads_as_the_record_converted() {
        let records = [
            OrderRecord::default(),
            OrderRecord {
                number: "#10234".into(),
                status: OrderStatus::Shipped,
                placed_on: "2026-11-02".into(),
                items: vec![
                    OrderLine {
                        name: "Trail runner ✓ \"42\"".into(),
                        quantity: 2,
                    },
                    OrderLine {
                        name: String::new(),
                        quantity: 0,
                    },
                ],
                carrier: Some("DHL".into()),
                tracking_url: Some("https://dhl.example/t?n=1&x=<y>".into()),
                estimated_delivery: Some("2026-11-25".into()),
                delivered_on: None,
            },
        ];
        for record in records {
            let text = serde_json::to_string(&record).unwrap();
            assert_eq!(Order::from_json(&text), Some(Order::from(record)), "{text}");
        }
        assert_eq!(
            Order::from_json(r#"{"number":"1","status":"lost","items":[]}"#),
            None
        );
    }

    #[test]
    fn a_screen_is_a_phone_a_tablet_or_a_desktop() {
        for (width, coarse, device) in [
            (390.0, true, Device::Phone),
            // A desktop window made narrow is laid out, and used, as a phone.
            (500.0, false, Device::Phone),
            (599.0, true, Device::Phone),
            (600.0, true, Device::Tablet),
            (820.0, true, Device::Tablet),
            (1023.0, true, Device::Tablet),
            (1024.0, true, Device::Desktop),
            (820.0, false, Device::Desktop),
            (1440.0, false, Device::Desktop),
        ] {
            assert_eq!(
                Device::of_screen(width, coarse),
                device,
                "{width} px, coarse {coarse}"
            );
        }
    }
}
