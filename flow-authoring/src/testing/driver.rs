//! The driver: a conversation on virtual time with a fake server, acted on by a script.

use std::fmt::Write as _;

use flow_runtime::flow::Flow;
use flow_runtime::value::Num;
use flow_runtime::{
    AgentEvent, ButtonView, Cart, Conversation, Device, Effect, HandoffAnswer, Input, Message,
    OrderAnswer, Output, Page, Request, Scroll, Time, View,
};

use super::START;
use super::script::{Act, FixtureOrder, HandoffReply, OrderReply, PageAct, TestCase, describe};

/// A conversation on virtual time, with everything the bot did written down.
pub struct Driver {
    pub(super) conversation: Conversation,
    pub(super) now: Time,
    pub(super) bot_name: String,
    /// Rendered lines of everything so far.
    pub transcript: Vec<String>,
    /// Effects since the last act (what an `expect` looks at).
    pub recent: Vec<Effect>,
    pub(super) offered: Vec<ButtonView>,
    pub(super) messages: Vec<Message>,
    pub(super) page: Page,
    pub(super) pending_order: Option<(u64, String, String)>,
    pub(super) pending_handoff: Option<u64>,
    pub(super) pending_delivery: Vec<u64>,
    /// Orders the fake server knows.
    pub orders: Vec<FixtureOrder>,
    /// The shopper's own open or close being acted out.
    pub(super) acting: Option<Input>,
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
                            super::render::labels(&self.offered)
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
                self.wait(flow_runtime::EXIT_GRACE_MS);
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

    /// The id of the next event on the fake server's live stream.
    fn next_event(&mut self) -> String {
        format!("agent-{}", self.transcript.len())
    }

    /// Sends one input now and records its effects.
    pub fn input(&mut self, input: Input) {
        self.conversation.handle_input(input, self.now);
        self.drain();
    }

    /// One transcript line for an effect (or none for bookkeeping effects).
    pub fn render(&self, effect: &Effect) -> Option<String> {
        super::render::line(
            effect,
            &self.conversation,
            &self.bot_name,
            self.acting.as_ref(),
        )
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
            // Nothing the fake server or the screen keeps (every kind named, so a new one
            // is a decision here, not silently dropped).
            Effect::View(
                View::ShowTeaser(_)
                | View::HideTeaser
                | View::OpenPanel
                | View::ClosePanel
                | View::Unread(_)
                | View::Composer(_)
                | View::Typing(_)
                | View::Csat(_)
                | View::Helpful(_)
                | View::HandoffStatus(_)
                | View::Language(_),
            )
            | Effect::Request(Request::Follow { .. } | Request::Unfollow)
            | Effect::Announce(_)
            | Effect::Save(_) => {}
        }
        if let Some(line) = self.render(&effect) {
            self.transcript.push(line);
        }
        self.recent.push(effect);
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
