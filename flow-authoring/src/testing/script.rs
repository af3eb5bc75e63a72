//! The conversation-test format: acts and expectations, as `flow test` reads them from
//! YAML and as `flow chat` and the engine's tests write them one per line (`say hi`,
//! `pick Shipping`, `wait 30`).

use std::collections::BTreeMap;

use serde::Deserialize;

use flow_runtime::{Order, OrderItem};

/// One thing that happens in a conversation test, or an expectation about what the bot did
/// since the last thing that happened.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Act {
    Open,
    Close,
    Say(String),
    /// Pick the quick reply with this label (or its 1-based position).
    Pick(String),
    /// Press a button (by label) on a card (1-based) of the latest message with cards.
    Card {
        card: usize,
        button: String,
    },
    Rate {
        score: u8,
        #[serde(default)]
        comment: Option<String>,
    },
    Dismiss,
    /// Answer "did this help?" (`helpful yes` or `helpful no`).
    Helpful(bool),
    Typing(bool),
    Page(PageAct),
    Hidden,
    Visible,
    Scroll(u8),
    Activity,
    ExitIntent,
    FastScrollUp,
    TabReturn,
    Cart {
        items: u32,
        value: f64,
        #[serde(default)]
        currency: Option<String>,
    },
    Event(String),
    /// Let this many seconds pass (timers fire on the way).
    Wait(f64),
    Order(OrderReply),
    Handoff(HandoffReply),
    Delivered(bool),
    AgentJoins(String),
    AgentSays {
        name: String,
        text: String,
    },
    AgentCloses,
    /// Save the state as JSON, load it again (as after a page load) and show the same page.
    Reload,
    Expect(Box<Expect>),
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum PageAct {
    Path(String),
    Full {
        path: String,
        #[serde(default)]
        language: Option<String>,
        #[serde(default)]
        device: Option<String>,
    },
}

/// The server's answer to the pending order lookup.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum OrderReply {
    /// `not_found`, `error`, or `fixture` (answer from the fixture orders).
    Word(String),
    Found(FixtureOrder),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HandoffReply {
    Available,
    Offline,
    Error,
}

/// An order as fixtures and tests describe it.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FixtureOrder {
    #[serde(default)]
    pub number: String,
    #[serde(default)]
    pub email: String,
    pub status: String,
    #[serde(default)]
    pub items: Vec<FixtureItem>,
    #[serde(default)]
    pub carrier: Option<String>,
    #[serde(default)]
    pub tracking_url: Option<String>,
    #[serde(default)]
    pub estimated_delivery: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FixtureItem {
    pub name: String,
    #[serde(default = "one")]
    pub quantity: u32,
}

fn one() -> u32 {
    1
}

impl FixtureOrder {
    /// The order as the server would answer it for `number`.
    pub(super) fn to_order(&self, number: &str) -> Order {
        Order {
            number: if self.number.is_empty() {
                number.to_owned()
            } else {
                self.number.clone()
            },
            status: self.status.clone(),
            items: self
                .items
                .iter()
                .map(|i| OrderItem {
                    name: i.name.clone(),
                    quantity: i.quantity,
                })
                .collect(),
            carrier: self.carrier.clone(),
            tracking_url: self.tracking_url.clone(),
            estimated_delivery: self.estimated_delivery.clone(),
        }
    }
}

/// What must have happened since the last act. Every field given must hold.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// A message from the bot (or agent, or a system note) contains this text.
    #[serde(default)]
    pub says: Option<String>,
    /// A message reads exactly this.
    #[serde(default)]
    pub says_exactly: Option<String>,
    /// No message contains this text.
    #[serde(default)]
    pub not_says: Option<String>,
    /// Exactly these quick replies are on screen now.
    #[serde(default)]
    pub quick_replies: Option<Vec<String>>,
    /// A teaser was shown containing this text.
    #[serde(default)]
    pub teaser: Option<String>,
    /// No teaser was shown.
    #[serde(default)]
    pub no_teaser: Option<bool>,
    /// An effect of this kind was emitted (`look_up_order`, `hand_off`, `add_to_cart`…).
    #[serde(default)]
    pub effect: Option<String>,
    #[serde(default)]
    pub no_effect: Option<String>,
    /// An analytics event with this name was emitted.
    #[serde(default)]
    pub track: Option<String>,
    /// Variables have these values (compared as text).
    #[serde(default)]
    pub vars: BTreeMap<String, String>,
    /// `new`, `engaged`, `waiting_on_customer`, `waiting_on_agent`, `completed`.
    #[serde(default)]
    pub status: Option<String>,
    /// Titles of the cards in the latest message with cards.
    #[serde(default)]
    pub cards: Option<Vec<String>>,
}

/// A conversation test file: named scripts.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TestFile {
    /// Orders the fake server knows (for `order: fixture`).
    #[serde(default)]
    pub orders: Vec<FixtureOrder>,
    pub tests: Vec<TestCase>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TestCase {
    pub name: String,
    pub steps: Vec<Act>,
}

/// The text form of an act, as `flow chat` and the engine's tests write it.
pub fn describe(act: &Act) -> String {
    match act {
        Act::Open => "open".into(),
        Act::Close => "close".into(),
        Act::Say(t) => format!("say {t}"),
        Act::Pick(l) => format!("pick {l}"),
        Act::Card { card, button } => format!("card {card} {button}"),
        Act::Rate { score, comment } => format!(
            "rate {score}{}",
            comment
                .as_ref()
                .map(|c| format!(" {c}"))
                .unwrap_or_default()
        ),
        Act::Dismiss => "dismiss".into(),
        Act::Helpful(yes) => format!("helpful {}", if *yes { "yes" } else { "no" }),
        Act::Typing(on) => format!("typing {}", if *on { "on" } else { "off" }),
        Act::Page(PageAct::Path(p)) => format!("page {p}"),
        Act::Page(PageAct::Full { path, language, .. }) => {
            format!("page {path} {}", language.clone().unwrap_or_default())
                .trim()
                .to_owned()
        }
        Act::Hidden => "hidden".into(),
        Act::Visible => "visible".into(),
        Act::Scroll(p) => format!("scroll {p}"),
        Act::Activity => "activity".into(),
        Act::ExitIntent => "exit".into(),
        Act::FastScrollUp => "exit scroll_up".into(),
        Act::TabReturn => "exit tab_return".into(),
        Act::Cart { items, value, .. } => format!("cart {items} {value}"),
        Act::Event(n) => format!("event {n}"),
        Act::Wait(s) => format!("wait {s}"),
        Act::Order(OrderReply::Word(w)) => format!("order {w}"),
        Act::Order(OrderReply::Found(o)) => format!("order {}", o.status),
        Act::Handoff(r) => format!("handoff {}", format!("{r:?}").to_lowercase()),
        Act::Delivered(ok) => format!("delivered {}", if *ok { "ok" } else { "fail" }),
        Act::AgentJoins(n) => format!("agent joins {n}"),
        Act::AgentSays { name, text } => format!("agent says {name}: {text}"),
        Act::AgentCloses => "agent closes".into(),
        Act::Reload => "reload".into(),
        Act::Expect(_) => "expect".into(),
    }
}

/// Reads an act in its text form (`say hi`, `pick Shipping`, `wait 30`, `order not_found`…).
pub fn parse_act(line: &str) -> Result<Act, String> {
    let line = line.trim();
    let (word, rest) = line
        .split_once(' ')
        .map_or((line, ""), |(w, r)| (w, r.trim()));
    let num = |s: &str| {
        s.parse::<f64>()
            .map_err(|_| format!("`{s}` is not a number"))
    };
    Ok(match word {
        "open" => Act::Open,
        "close" => Act::Close,
        "say" => Act::Say(rest.to_owned()),
        "pick" => Act::Pick(rest.to_owned()),
        "card" => {
            let (n, button) = rest.split_once(' ').ok_or("write `card N BUTTON`")?;
            Act::Card {
                card: n.parse().map_err(|_| "write `card N BUTTON`")?,
                button: button.to_owned(),
            }
        }
        "rate" => {
            let (n, comment) = rest
                .split_once(' ')
                .map_or((rest, None), |(n, c)| (n, Some(c.to_owned())));
            Act::Rate {
                score: n.parse().map_err(|_| "write `rate N [comment]`")?,
                comment,
            }
        }
        "dismiss" => Act::Dismiss,
        "helpful" => match rest {
            "yes" => Act::Helpful(true),
            "no" => Act::Helpful(false),
            _ => return Err("write `helpful yes` or `helpful no`".into()),
        },
        "typing" => Act::Typing(rest == "on"),
        "page" => {
            let mut parts = rest.split_whitespace();
            let path = parts.next().unwrap_or("/").to_owned();
            let language = parts.next().map(str::to_owned);
            let device = parts.next().map(str::to_owned);
            Act::Page(PageAct::Full {
                path,
                language,
                device,
            })
        }
        "hidden" => Act::Hidden,
        "visible" => Act::Visible,
        "scroll" => Act::Scroll(num(rest)? as u8),
        "activity" => Act::Activity,
        "exit" | "exit_intent" => match rest {
            "" => Act::ExitIntent,
            "scroll_up" => Act::FastScrollUp,
            "tab_return" => Act::TabReturn,
            other => {
                return Err(format!(
                    "`exit {other}`: use exit, exit scroll_up or exit tab_return"
                ));
            }
        },
        "cart" => {
            let (items, value) = rest.split_once(' ').ok_or("write `cart ITEMS VALUE`")?;
            Act::Cart {
                items: num(items)? as u32,
                value: num(value)?,
                currency: None,
            }
        }
        "event" => Act::Event(rest.to_owned()),
        // `trigger exit_intent` and friends: the page signal behind a trigger event.
        "trigger" => match rest
            .split_once(' ')
            .map_or((rest, ""), |(a, b)| (a, b.trim()))
        {
            ("exit_intent", "") => Act::ExitIntent,
            ("exit_intent", "scroll_up") => Act::FastScrollUp,
            ("exit_intent", "tab_return") => Act::TabReturn,
            ("scroll_depth", p) => Act::Scroll(num(p)? as u8),
            ("time_on_page" | "idle", s) => Act::Wait(num(s)?),
            ("page_view", p) => Act::Page(PageAct::Path(if p.is_empty() {
                "/".into()
            } else {
                p.to_owned()
            })),
            ("cart_changed", v) => Act::Cart {
                items: 1,
                value: if v.is_empty() { 50.0 } else { num(v)? },
                currency: None,
            },
            (name, _) => Act::Event(name.to_owned()),
        },
        "wait" => Act::Wait(num(rest)?),
        "order" => Act::Order(OrderReply::Word(if rest.is_empty() {
            "fixture".into()
        } else {
            rest.to_owned()
        })),
        "handoff" => Act::Handoff(match rest {
            "available" => HandoffReply::Available,
            "offline" => HandoffReply::Offline,
            "error" => HandoffReply::Error,
            _ => return Err("write `handoff available|offline|error`".into()),
        }),
        "delivered" => Act::Delivered(rest != "fail"),
        "agent" => {
            let (verb, rest) = rest.split_once(' ').map_or((rest, ""), |(v, r)| (v, r));
            match verb {
                "joins" => Act::AgentJoins(rest.to_owned()),
                "says" => {
                    let (name, text) = rest
                        .split_once(':')
                        .ok_or("write `agent says NAME: TEXT`")?;
                    Act::AgentSays {
                        name: name.trim().to_owned(),
                        text: text.trim().to_owned(),
                    }
                }
                "closes" => Act::AgentCloses,
                _ => {
                    return Err(
                        "write `agent joins NAME`, `agent says NAME: TEXT` or `agent closes`"
                            .into(),
                    );
                }
            }
        }
        "reload" => Act::Reload,
        other => return Err(format!("unknown act `{other}`")),
    })
}
