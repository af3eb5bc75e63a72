//! Driving a conversation the way a shopper, a page, a server and an agent would, on
//! virtual time, and writing down what the bot does.
//!
//! Used by the engine's own tests (`check(flow, script, expect![…])`), by `flow test`
//! (conversation tests written as YAML) and by `flow chat` (the terminal).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Deserialize;

use crate::engine::{
    AgentEvent, Announcement, BlockView, ButtonView, Cart, Composer, Conversation, Device, Effect,
    HandoffAnswer, HandoffStatus, Input, Message, Order, OrderAnswer, OrderItem, Output, Page,
    Request, Scroll, Speaker, Status, View,
};
use crate::flow::Flow;
use crate::time::Time;
use crate::value::Num;

/// When virtual time starts: 2026-11-02 10:00 UTC, a Monday morning.
pub const START: Time = Time(1_793_613_600_000);

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
    fn to_order(&self, number: &str) -> Order {
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

/// A conversation on virtual time, with everything the bot did written down.
pub struct Driver {
    conversation: Conversation,
    now: Time,
    bot_name: String,
    /// Rendered lines of everything so far.
    pub transcript: Vec<String>,
    /// Effects since the last act (what an `expect` looks at).
    pub recent: Vec<Effect>,
    offered: Vec<ButtonView>,
    messages: Vec<Message>,
    page: Page,
    pending_order: Option<(u64, String, String)>,
    pending_handoff: Option<u64>,
    pending_delivery: Vec<u64>,
    /// Orders the fake server knows.
    pub orders: Vec<FixtureOrder>,
    /// The shopper's own open or close being acted out.
    acting: Option<Input>,
}

impl Driver {
    /// A new visitor on the store's home page, at [`START`].
    pub fn new(flow: Flow) -> Driver {
        let bot_name = flow.bot.name.clone();
        let conversation = Conversation::new(flow, "visitor-1", START);
        let mut driver = Driver {
            conversation,
            now: START,
            bot_name,
            transcript: Vec::new(),
            recent: Vec::new(),
            offered: Vec::new(),
            messages: Vec::new(),
            page: Page {
                url: "https://shop.example/".into(),
                path: "/".into(),
                language: "en".into(),
                device: Device::Desktop,
                visible: true,
            },
            pending_order: None,
            pending_handoff: None,
            pending_delivery: Vec::new(),
            orders: Vec::new(),
            acting: None,
        };
        driver.input(Input::PageView(driver.page.clone()));
        driver.recent.clear();
        driver
    }

    pub fn conversation(&self) -> &Conversation {
        &self.conversation
    }

    pub fn now(&self) -> Time {
        self.now
    }

    /// Performs one act. Expectations return their failures as `Err`.
    pub fn act(&mut self, act: &Act) -> Result<(), String> {
        if let Act::Expect(e) = act {
            return self.check(e);
        }
        self.recent.clear();
        self.transcript.push(format!("> {}", describe(act)));
        // The panel opening because the shopper opened it goes without saying.
        self.acting = match act {
            Act::Open => Some(Input::Opened),
            Act::Close => Some(Input::Closed),
            _ => None,
        };
        match act {
            Act::Open => self.input(Input::Opened),
            Act::Close => self.input(Input::Closed),
            Act::Say(text) => self.input(Input::Said(text.clone())),
            Act::Pick(label) => {
                let index = label
                    .parse::<usize>()
                    .ok()
                    .filter(|n| *n >= 1 && !self.offered.iter().any(|o| &o.label == label))
                    .map(|n| n - 1)
                    .or_else(|| self.offered.iter().position(|o| &o.label == label))
                    .ok_or_else(|| {
                        format!(
                            "no quick reply `{label}` on screen (offered: {})",
                            labels(&self.offered)
                        )
                    })?;
                self.input(Input::QuickReply(index));
            }
            Act::Card { card, button } => {
                let message = self
                    .messages
                    .iter()
                    .rev()
                    .find(|m| !m.cards.is_empty())
                    .ok_or("no message with cards")?;
                let c = card
                    .checked_sub(1)
                    .and_then(|i| message.cards.get(i))
                    .ok_or(format!("no card {card}"))?;
                let b = c
                    .buttons
                    .iter()
                    .position(|b| &b.label == button)
                    .ok_or(format!("card {card} has no button `{button}`"))?;
                let id = message.id;
                self.input(Input::CardButton {
                    message: id,
                    card: card - 1,
                    button: b,
                });
            }
            Act::Rate { score, comment } => self.input(Input::Rated {
                score: *score,
                comment: comment.clone(),
            }),
            Act::Dismiss => self.input(Input::TeaserDismissed),
            Act::Helpful(yes) => self.input(Input::Helpful(*yes)),
            Act::Typing(on) => self.input(Input::Typing(*on)),
            Act::Page(p) => {
                let (path, language, device) = match p {
                    PageAct::Path(path) => (path.clone(), None, None),
                    PageAct::Full {
                        path,
                        language,
                        device,
                    } => (path.clone(), language.clone(), device.clone()),
                };
                self.page.url = format!("https://shop.example{path}");
                self.page.path = path;
                if let Some(l) = language {
                    self.page.language = l;
                }
                self.page.device = match device.as_deref() {
                    Some("phone") => Device::Phone,
                    Some("tablet") => Device::Tablet,
                    Some(_) => Device::Desktop,
                    None => self.page.device,
                };
                self.page.visible = true;
                self.input(Input::PageView(self.page.clone()));
            }
            Act::Hidden => self.input(Input::Visibility(false)),
            Act::Visible => self.input(Input::Visibility(true)),
            // A page 10,000 px high: `scroll 40` brings its 4,000th pixel into view.
            Act::Scroll(p) => self.input(Input::Scrolled(Scroll {
                top: u32::from(*p) * 100,
                viewport: 0,
                height: 10_000,
            })),
            Act::Activity => self.input(Input::Activity),
            // The raw signals a browser reports for each way of leaving; the engine judges.
            Act::ExitIntent => {
                self.input(Input::PointerLeft);
                self.wait(crate::engine::EXIT_GRACE_MS);
            }
            Act::FastScrollUp => {
                // Read at 3,000 px, then two quick flicks to the top of a tall page.
                for (i, top) in [3_000, 1_500, 100].into_iter().enumerate() {
                    if i > 0 {
                        self.wait(100);
                    }
                    self.input(Input::Scrolled(Scroll {
                        top,
                        viewport: 800,
                        height: 100_000,
                    }));
                }
            }
            Act::TabReturn => {
                self.input(Input::Visibility(false));
                self.wait(5_000);
                self.input(Input::Visibility(true));
            }
            Act::Cart {
                items,
                value,
                currency,
            } => self.input(Input::CartChanged(Cart {
                items: *items,
                value: Num((value * 1000.0).round() as i64),
                currency: currency.clone().unwrap_or_else(|| "USD".into()),
                lines: Vec::new(),
            })),
            Act::Event(name) => self.input(Input::Custom(name.clone())),
            Act::Wait(seconds) => self.wait((seconds.max(0.0) * 1000.0) as u64),
            Act::Order(reply) => {
                let (request, number, email) = self
                    .pending_order
                    .take()
                    .ok_or("no order lookup is waiting for an answer")?;
                let answer = match reply {
                    OrderReply::Word(w) if w == "not_found" => OrderAnswer::NotFound,
                    OrderReply::Word(w) if w == "error" => OrderAnswer::Error,
                    OrderReply::Word(w) if w == "fixture" => self.fixture(&number, &email),
                    OrderReply::Word(w) => {
                        return Err(format!(
                            "`order: {w}`: use not_found, error, fixture or an order"
                        ));
                    }
                    OrderReply::Found(o) => OrderAnswer::Found(o.to_order(&number)),
                };
                self.input(Input::OrderAnswered { request, answer });
            }
            Act::Handoff(reply) => {
                let request = self
                    .pending_handoff
                    .take()
                    .ok_or("no handoff is waiting for an answer")?;
                let answer = match reply {
                    HandoffReply::Available => HandoffAnswer::Available {
                        token: "token-1".into(),
                    },
                    HandoffReply::Offline => HandoffAnswer::Offline {
                        token: "token-1".into(),
                    },
                    HandoffReply::Error => HandoffAnswer::Error,
                };
                self.input(Input::HandoffAnswered { request, answer });
            }
            Act::Delivered(ok) => {
                let request = self
                    .pending_delivery
                    .pop()
                    .ok_or("nothing is waiting to be delivered")?;
                self.input(Input::Delivered { request, ok: *ok });
            }
            Act::AgentJoins(name) => {
                let event = self.next_event();
                self.input(Input::Agent(AgentEvent::Joined {
                    event,
                    name: name.clone(),
                }))
            }
            Act::AgentSays { name, text } => {
                let event = self.next_event();
                self.input(Input::Agent(AgentEvent::Message {
                    event,
                    name: name.clone(),
                    text: text.clone(),
                }));
            }
            Act::AgentCloses => {
                let event = self.next_event();
                self.input(Input::Agent(AgentEvent::Closed { event }))
            }
            Act::Reload => {
                let json = serde_json::to_string(self.conversation.snapshot())
                    .map_err(|e| e.to_string())?;
                let state = serde_json::from_str(&json)
                    .map_err(|e| format!("the snapshot does not read back: {e}"))?;
                let flow = self.conversation.flow().clone();
                self.conversation = Conversation::restore(flow, state, self.now);
                self.drain();
                self.input(Input::PageView(self.page.clone()));
            }
            Act::Expect(_) => {}
        }
        Ok(())
    }

    fn fixture(&self, number: &str, email: &str) -> OrderAnswer {
        let wanted = number.trim_start_matches('#');
        match self
            .orders
            .iter()
            .find(|o| o.number.trim_start_matches('#') == wanted)
        {
            Some(o) if o.email.eq_ignore_ascii_case(email) => {
                OrderAnswer::Found(o.to_order(number))
            }
            _ => OrderAnswer::NotFound,
        }
    }

    /// Lets `ms` pass, delivering ticks at every timer on the way.
    pub fn wait(&mut self, ms: u64) {
        let target = self.now.plus_millis(ms);
        for _ in 0..100_000 {
            let Output::Timeout(Some(at)) = self.drain() else {
                break;
            };
            if at > target {
                break;
            }
            self.now = self.now.max(at);
            self.conversation.handle_input(Input::Tick, self.now);
        }
        self.now = target;
    }

    /// Sends one input now and records its effects.
    /// The id of the next event on the fake server's live stream.
    fn next_event(&mut self) -> String {
        format!("agent-{}", self.transcript.len())
    }

    pub fn input(&mut self, input: Input) {
        self.conversation.handle_input(input, self.now);
        self.drain();
    }

    /// Drains the conversation, recording effects; returns the final timeout.
    fn drain(&mut self) -> Output {
        loop {
            match self.conversation.poll_output() {
                Output::Effect(effect) => self.record(effect),
                timeout => return timeout,
            }
        }
    }

    fn record(&mut self, effect: Effect) {
        match &effect {
            Effect::View(View::Reset) => self.messages.clear(),
            Effect::View(View::ShowMessage(m)) => self.messages.push(m.clone()),
            Effect::View(View::SetQuickReplies(q)) => self.offered = q.clone(),
            Effect::Request(Request::LookUpOrder {
                request,
                number,
                email,
            }) => self.pending_order = Some((*request, number.clone(), email.clone())),
            Effect::Request(Request::HandOff(h)) => self.pending_handoff = Some(h.request),
            Effect::Request(Request::SendEmail { request, .. })
            | Effect::Request(Request::SendToAgent { request, .. })
            | Effect::Request(Request::SendRating { request, .. }) => {
                self.pending_delivery.push(*request)
            }
            _ => {}
        }
        if let Some(line) = self.render(&effect) {
            self.transcript.push(line);
        }
        self.recent.push(effect);
    }

    /// One transcript line for an effect (or none for bookkeeping effects).
    pub fn render(&self, effect: &Effect) -> Option<String> {
        Some(match effect {
            Effect::View(View::ShowMessage(m)) => render_message(m, &self.bot_name),
            Effect::View(View::SetQuickReplies(q)) if q.is_empty() => return None,
            Effect::View(View::SetQuickReplies(q)) => format!(
                "  [{}]",
                q.iter()
                    .map(|b| b.label.as_str())
                    .collect::<Vec<_>>()
                    .join("] [")
            ),
            Effect::View(View::ShowTeaser(m)) => format!("  teaser: {}", message_text(m)),
            Effect::View(View::HideTeaser) => "  (teaser hidden)".into(),
            Effect::View(View::OpenPanel) if self.acting == Some(Input::Opened) => return None,
            Effect::View(View::ClosePanel) if self.acting == Some(Input::Closed) => return None,
            Effect::View(View::OpenPanel) => "  (panel opens)".into(),
            Effect::View(View::ClosePanel) => "  (panel closes)".into(),
            Effect::View(View::Composer(Composer::Waiting { reason })) => {
                format!("  (composer waits: {reason})")
            }
            Effect::View(View::Helpful(true)) => "  (did this help? yes / no)".to_owned(),
            Effect::View(View::Helpful(false)) => return None,
            Effect::View(View::Csat(Some(c))) => format!(
                "  (rating asked: {}{})",
                c.choices()
                    .iter()
                    .map(|choice| {
                        let label = self
                            .conversation
                            .flow()
                            .phrase(choice.phrase(), self.conversation.language());
                        format!(
                            "{}={}",
                            label.replace("{n}", &choice.score.to_string()),
                            choice.score
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(", "),
                if c.comment { " with comment" } else { "" }
            ),
            Effect::View(View::HandoffStatus(Some(status))) => format!(
                "  (handoff: {})",
                match status {
                    HandoffStatus::Connecting => "connecting".to_owned(),
                    HandoffStatus::Waiting => "a person will join".to_owned(),
                    HandoffStatus::Joined { name } => format!("{name} joined"),
                    HandoffStatus::Offline => "offline, reply by email".to_owned(),
                    HandoffStatus::Closed => "closed".to_owned(),
                }
            ),
            Effect::Request(Request::LookUpOrder { number, email, .. }) => {
                format!("  → look up order {number} for {email}")
            }
            Effect::Request(Request::HandOff(h)) => format!(
                "  → hand off ({}): {} lines of transcript{}{}",
                h.context.reason.as_str(),
                h.transcript.len(),
                if h.context.frustrated {
                    ", frustrated"
                } else {
                    ""
                },
                h.context
                    .trigger
                    .as_ref()
                    .map(|t| format!(
                        ", from trigger {t}/{}",
                        h.context.variant.clone().unwrap_or_default()
                    ))
                    .unwrap_or_default()
            ),
            Effect::Request(Request::SendToAgent { text, .. }) => {
                format!("  → to the agent: {text}")
            }
            Effect::Request(Request::SendEmail { email, .. }) => {
                format!("  → email for the team: {email}")
            }
            Effect::Request(Request::SendRating { score, comment, .. }) => format!(
                "  → rating {score}{}",
                comment
                    .as_ref()
                    .map(|c| format!(": {c}"))
                    .unwrap_or_default()
            ),
            Effect::Announce(Announcement::AddToCart { sku, quantity, .. }) => {
                format!("  → add to cart: {sku} × {quantity}")
            }
            Effect::Announce(Announcement::Track(t)) => {
                // Every event carries the conversation's id; transcripts leave it out.
                let props: Vec<String> = t
                    .props
                    .iter()
                    .filter(|(k, _)| k != "conversation")
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect();
                format!(
                    "  · {}{}",
                    t.name,
                    if props.is_empty() {
                        String::new()
                    } else {
                        format!(" {}", props.join(" "))
                    }
                )
            }
            _ => return None,
        })
    }

    fn check(&self, e: &Expect) -> Result<(), String> {
        let said: Vec<String> = self
            .recent
            .iter()
            .filter_map(|f| match f {
                Effect::View(View::ShowMessage(m)) if m.from != Speaker::Shopper => {
                    Some(message_text(m))
                }
                _ => None,
            })
            .collect();
        let mut failures = Vec::new();
        if let Some(s) = &e.says
            && !said.iter().any(|m| m.contains(s.as_str()))
        {
            failures.push(format!(
                "expected the bot to say something containing {s:?}; it said {said:?}"
            ));
        }
        if let Some(s) = &e.says_exactly
            && !said.iter().any(|m| m == s)
        {
            failures.push(format!(
                "expected the bot to say exactly {s:?}; it said {said:?}"
            ));
        }
        if let Some(s) = &e.not_says
            && said.iter().any(|m| m.contains(s.as_str()))
        {
            failures.push(format!(
                "expected the bot not to say {s:?}; it said {said:?}"
            ));
        }
        if let Some(q) = &e.quick_replies {
            let now: Vec<&str> = self.offered.iter().map(|b| b.label.as_str()).collect();
            if now != q.iter().map(String::as_str).collect::<Vec<_>>() {
                failures.push(format!("expected quick replies {q:?}; on screen: {now:?}"));
            }
        }
        let teasers: Vec<String> = self
            .recent
            .iter()
            .filter_map(|f| {
                if let Effect::View(View::ShowTeaser(m)) = f {
                    Some(message_text(m))
                } else {
                    None
                }
            })
            .collect();
        if let Some(t) = &e.teaser
            && !teasers.iter().any(|m| m.contains(t.as_str()))
        {
            failures.push(format!(
                "expected a teaser containing {t:?}; teasers: {teasers:?}"
            ));
        }
        if e.no_teaser == Some(true) && !teasers.is_empty() {
            failures.push(format!("expected no teaser; shown: {teasers:?}"));
        }
        let kinds: Vec<&str> = self.recent.iter().map(effect_kind).collect();
        if let Some(k) = &e.effect
            && !kinds.contains(&k.as_str())
        {
            failures.push(format!("expected a `{k}` effect; got {kinds:?}"));
        }
        if let Some(k) = &e.no_effect
            && kinds.contains(&k.as_str())
        {
            failures.push(format!("expected no `{k}` effect; got one"));
        }
        if let Some(t) = &e.track {
            let names: Vec<&str> = self
                .recent
                .iter()
                .filter_map(|f| {
                    if let Effect::Announce(Announcement::Track(t)) = f {
                        Some(t.name.as_str())
                    } else {
                        None
                    }
                })
                .collect();
            if !names.contains(&t.as_str()) {
                failures.push(format!("expected the analytics event `{t}`; got {names:?}"));
            }
        }
        for (name, want) in &e.vars {
            let got = self.conversation.var(name).map(|v| v.to_text());
            if got.as_deref() != Some(want.as_str()) {
                failures.push(format!("expected {name} = {want:?}; it is {got:?}"));
            }
        }
        if let Some(s) = &e.status {
            let got = status_name(self.conversation.status());
            if got != s {
                failures.push(format!("expected status {s}; it is {got}"));
            }
        }
        if let Some(titles) = &e.cards {
            let got: Vec<String> = self
                .messages
                .iter()
                .rev()
                .find(|m| !m.cards.is_empty())
                .map(|m| m.cards.iter().map(|c| c.title.clone()).collect())
                .unwrap_or_default();
            if &got != titles {
                failures.push(format!("expected cards {titles:?}; shown: {got:?}"));
            }
        }
        if failures.is_empty() {
            Ok(())
        } else {
            Err(failures.join("\n"))
        }
    }
}

/// Runs one test case; on failure, the transcript up to the failure and what was expected.
pub fn run_case(flow: &Flow, orders: &[FixtureOrder], case: &TestCase) -> Result<(), String> {
    let mut driver = Driver::new(flow.clone());
    driver.orders = orders.to_vec();
    for (i, act) in case.steps.iter().enumerate() {
        if let Err(why) = driver.act(act) {
            let mut out = String::new();
            for line in &driver.transcript {
                let _ = writeln!(out, "    {line}");
            }
            let _ = writeln!(out, "    ✗ step {} ({}):", i + 1, describe(act));
            for line in why.lines() {
                let _ = writeln!(out, "      {line}");
            }
            return Err(out);
        }
    }
    Ok(())
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

fn labels(b: &[ButtonView]) -> String {
    b.iter()
        .map(|b| format!("`{}`", b.label))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The message as one line of plain text.
pub fn message_text(m: &Message) -> String {
    let mut parts = Vec::new();
    for block in &m.text {
        match block {
            BlockView::Paragraph(spans) => {
                parts.push(spans.iter().map(|s| s.text.as_str()).collect::<String>())
            }
            BlockView::List { ordered, items } => {
                for (i, item) in items.iter().enumerate() {
                    let text: String = item.iter().map(|s| s.text.as_str()).collect();
                    parts.push(if *ordered {
                        format!("{}. {text}", i + 1)
                    } else {
                        format!("- {text}")
                    });
                }
            }
        }
    }
    parts.join(" / ").replace('\n', " / ")
}

fn render_message(m: &Message, bot: &str) -> String {
    let who = match m.from {
        Speaker::Bot => bot.to_owned(),
        Speaker::Shopper => "shopper".into(),
        Speaker::Agent => m.author.clone().unwrap_or_else(|| "agent".into()),
        Speaker::System => "·".into(),
    };
    let mut line = format!("  {who}: {}", message_text(m));
    if let Some(i) = &m.image {
        line.push_str(&format!(" [image: {}]", i.alt));
    }
    for c in &m.cards {
        let buttons: Vec<&str> = c.buttons.iter().map(|b| b.label.as_str()).collect();
        line.push_str(&format!(
            "\n    [card] {}{} {{{}}}",
            c.title,
            c.price
                .as_ref()
                .map(|p| format!(" — {p}"))
                .unwrap_or_default(),
            buttons.join(" | ")
        ));
    }
    if let Some(o) = &m.order {
        line.push_str(&format!("\n    [order {} · {}]", o.number, o.status));
    }
    line
}

/// A short name for an effect's kind, as `expect: {effect: …}` names it.
pub fn effect_kind(e: &Effect) -> &'static str {
    match e {
        Effect::View(View::Reset) => "reset",
        Effect::View(View::ShowMessage(_)) => "show_message",
        Effect::View(View::SetQuickReplies(_)) => "quick_replies",
        Effect::View(View::ShowTeaser(_)) => "teaser",
        Effect::View(View::HideTeaser) => "hide_teaser",
        Effect::View(View::OpenPanel) => "open_panel",
        Effect::View(View::ClosePanel) => "close_panel",
        Effect::View(View::Unread(_)) => "unread",
        Effect::View(View::Composer(_)) => "composer",
        Effect::View(View::Typing(_)) => "typing",
        Effect::View(View::Csat(_)) => "csat",
        Effect::View(View::Helpful(_)) => "helpful",
        Effect::View(View::HandoffStatus(_)) => "handoff_status",
        Effect::Request(Request::LookUpOrder { .. }) => "look_up_order",
        Effect::Request(Request::HandOff(_)) => "hand_off",
        Effect::Request(Request::SendToAgent { .. }) => "send_to_agent",
        Effect::Request(Request::SendEmail { .. }) => "send_email",
        Effect::Request(Request::SendRating { .. }) => "send_rating",
        Effect::Announce(Announcement::AddToCart { .. }) => "add_to_cart",
        Effect::Announce(Announcement::Track(_)) => "track",
        Effect::View(View::Language(_)) => "language",
        Effect::Request(Request::Follow { .. }) => "follow",
        Effect::Request(Request::Unfollow) => "unfollow",
        Effect::Save(_) => "save",
    }
}

pub fn status_name(s: Status) -> &'static str {
    match s {
        Status::New => "new",
        Status::Engaged => "engaged",
        Status::WaitingOnCustomer => "waiting_on_customer",
        Status::WaitingOnAgent => "waiting_on_agent",
        Status::Completed => "completed",
    }
}
