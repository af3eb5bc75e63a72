//! Bellhop's eager stage: what every page view of the store runs.
//!
//! Most shoppers never open the chat, so a page view costs only this: the launcher button
//! (plain DOM in a shadow root, no Leptos) and the flow's trigger rules, judged by
//! [`flow_runtime::Watcher`] on the [`flow_runtime::flow::Launch`] part of the flow (a few
//! hundred bytes). The panel (`widget`: the Leptos UI, the conversation engine, the FAQ) is
//! fetched and compiled when the shopper shows intent (pointer over or focus on the
//! launcher, a touch) or a trigger is ready on this page, and started when the shopper opens
//! the chat or a trigger fires; then this stage hands the page over and steps aside.
//!
//! The loader (`widget/loader/bellhop.js`) instantiates this wasm with its imports and
//! calls [`boot`] with the tag's settings and the launch table; this stage asks the loader
//! for the panel: ahead, to fetch and compile it, or now, to start it with the
//! [`flow_runtime::Handover`] bytes. No wasm-bindgen: see [`abi`].
//!
//! Module map: `lib` (the exports, the loop around the watcher) ──► `abi` (the loader's
//! imports; the page's values), `button` (what the launcher looks like; the loader draws
//! it); all use the `browser` crate (storage, page signals, `window.Bellhop`'s commands).

mod abi;
mod button;

/// The allocator: lol_alloc's free list (sorted by address, neighbours merged when freed)
/// instead of std's dlmalloc: 1.9 KiB brotli lighter on every page view (issue 32). The
/// eager stage allocates little (the launch table, the watcher's record, a signal's
/// strings) and frees as it goes, so a list of a few blocks is quick. lol_alloc's README
/// calls its pointer arithmetic's soundness "unclear" under strict provenance, because
/// memory grown by `memory.grow` has no original pointer: a question std's dlmalloc on
/// wasm shares (it too carves grown memory and merges neighbours). `tests/e2e/eager.spec.ts`
/// floods the stage and checks its memory stays flat.
// SAFETY: wasm32 without the atomics feature has one thread, which is what
// `AssumeSingleThreaded` requires.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };

use std::cell::{Cell, RefCell};

use abi::Held;
use browser::commands::Command;
use browser::{PageValue, signals, storage};
use flow_runtime::flow::Launch;
use flow_runtime::{Input, Need, Watch, Watched, Watcher};

/// The stage's state: the watcher and what the shopper did.
struct Stage {
    watcher: RefCell<Watcher>,
    handed_over: Cell<bool>,
    /// The shopper clicked since the panel last failed to start: a failure now is theirs to
    /// hear of (one a trigger met is not).
    clicked: Cell<bool>,
}

thread_local! {
    static STAGE: RefCell<Option<&'static Stage>> = const { RefCell::new(None) };
}

/// The stage, once [`boot`] made it (it lives as long as the page).
fn stage() -> Option<&'static Stage> {
    STAGE.with(|s| *s.borrow())
}

/// Starts the eager stage. The loader's values: the tag's settings (`flow`, `consent`) and
/// the launch table's bytes, which the loader fetched while this module compiled (none: it
/// could not, and the last good copy is used). Answers what the loader draws as the
/// launcher ([`button::spec`]) and returns 1, or answers why not and returns 0 (the loader
/// then shows the fallback link).
#[cfg_attr(target_arch = "wasm32", unsafe(no_mangle))]
pub extern "C" fn boot() -> i32 {
    browser::install(&abi::Loader);
    match start(Held(0), Held(1)) {
        Ok(button) => {
            abi::answer(&button);
            1
        }
        Err(why) => {
            abi::answer(why);
            0
        }
    }
}

fn start(config: Held, launch: Held) -> Result<String, &'static str> {
    let flow_url = config
        .field("flow")
        .string()
        .ok_or("bellhop: the script tag has no data-flow")?;
    let consent = config.field("consent").string();
    let launch = launch.bytes();
    storage::require_consent(consent.as_deref() == Some("required"));
    let launch = read_launch(&flow_url, launch)?;
    let visitor = storage::visitor_id();
    let watcher = Watcher::new(launch, storage::read_watched(), &visitor, browser::now());
    let stage: &'static Stage = Box::leak(Box::new(Stage {
        watcher: RefCell::new(watcher),
        handed_over: Cell::new(false),
        clicked: Cell::new(false),
    }));
    let language = {
        let mut w = stage.watcher.borrow_mut();
        w.handle_input(Input::PageView(signals::page()), browser::now());
        w.language()
    };
    let button = button::spec(stage.watcher.borrow().launch(), &language);
    STAGE.with(|s| *s.borrow_mut() = Some(stage));
    stage.drain();
    // Back through an email's link: the chat opens at once, and the panel takes it up.
    if signals::resume_token().is_some() {
        stage.open();
    }
    Ok(button)
}

/// A raw signal from the page, which the loader observes (see `browser::signals`): the
/// loader's values are its kind and `a`.
#[cfg_attr(target_arch = "wasm32", unsafe(no_mangle))]
pub extern "C" fn signal(b: f64, c: f64) {
    let Some(stage) = stage() else { return };
    let Some(kind) = Held(0).string() else { return };
    if let Some(input) = signals::input(&kind, &Held(1), b, c) {
        stage.input(input);
    }
}

/// `window.Bellhop(command, a, b)` while only this stage runs (the loader's values): each
/// call is judged here (a cart, a custom event, an identity, consent, `open`); the loader
/// keeps it in the queue, which the panel replays in order when it starts. Nothing is open
/// yet, so `toggle` opens and `close` has nothing to do; subscriptions wait in the queue
/// for the panel, which announces.
#[cfg_attr(target_arch = "wasm32", unsafe(no_mangle))]
pub extern "C" fn command() {
    let Some(stage) = stage() else { return };
    let Some(command) = Held(0).string().and_then(|c| Command::named(&c)) else {
        return;
    };
    let (a, b) = (Held(1), Held(2));
    match command {
        Command::Open | Command::Toggle => stage.input(Input::Opened),
        Command::Consent => storage::grant(a.truthy()),
        Command::Close | Command::On | Command::Off => {}
        Command::SetCart | Command::Identify | Command::Track | Command::Preview => {
            if let Some(input) = command.input(&a, &b) {
                stage.input(input);
            }
        }
    }
}

/// Another tab wrote a key of `localStorage` (the loader's value): when it is the shared
/// record (a trigger shown, a conversation begun), judge by it.
#[cfg_attr(target_arch = "wasm32", unsafe(no_mangle))]
pub extern "C" fn stored() {
    let Some(stage) = stage() else { return };
    if Held(0).string().as_deref() != Some(storage::WATCHED_KEY) || stage.handed_over.get() {
        return;
    }
    if let Some(watched) = storage::read_watched() {
        stage.watcher.borrow_mut().adopt(Watched::clone(&watched));
        stage.drain();
    }
}

/// The timer the watcher asked for is due.
#[cfg_attr(target_arch = "wasm32", unsafe(no_mangle))]
pub extern "C" fn tick() {
    if let Some(stage) = stage() {
        stage.input(Input::Tick);
    }
}

/// The shopper points at, focuses or touches the launcher: fetch the panel ahead.
#[cfg_attr(target_arch = "wasm32", unsafe(no_mangle))]
pub extern "C" fn intent() {
    if let Some(stage) = stage() {
        stage.need(Need::Soon);
    }
}

/// The shopper clicks the launcher.
#[cfg_attr(target_arch = "wasm32", unsafe(no_mangle))]
pub extern "C" fn open() {
    if let Some(stage) = stage() {
        stage.open();
    }
}

/// The panel did not start (offline, the server down): watch on, so the next click or
/// trigger tries again rather than leaving the shopper with a button that does nothing.
#[cfg_attr(target_arch = "wasm32", unsafe(no_mangle))]
pub extern "C" fn resume() {
    if let Some(stage) = stage() {
        stage.handed_over.set(false);
        stage.watcher.borrow_mut().resume();
        stage.drain();
    }
}

/// The panel could not be loaded (offline on a first visit, the server out of reach):
/// answers what the launcher's note says, in the page's language, when the shopper's click
/// asked for it (nothing when a trigger did: nobody is waiting then). The loader draws the
/// note.
#[cfg_attr(target_arch = "wasm32", unsafe(no_mangle))]
pub extern "C" fn offline() {
    let Some(stage) = stage().filter(|s| s.clicked.replace(false)) else {
        return abi::answer("");
    };
    let w = stage.watcher.borrow();
    abi::answer(w.launch().offline_note(&w.language()));
}

/// The launch part of the flow, or the last good one when it could not be fetched.
fn read_launch(url: &str, fetched: Option<Vec<u8>>) -> Result<Launch, &'static str> {
    if let Some(bytes) = fetched {
        if let Some(launch) = Launch::from_bytes(&bytes) {
            storage::cache_launch(url, &bytes);
            return Ok(launch);
        }
    }
    storage::cached_launch(url)
        .and_then(|b| Launch::from_bytes(&b))
        .ok_or("bellhop: the flow's launch table did not load")
}

impl Stage {
    fn input(&self, input: Input) {
        if self.handed_over.get() {
            return;
        }
        self.watcher
            .borrow_mut()
            .handle_input(input, browser::now());
        self.drain();
    }

    /// The shopper opens the chat: the panel starts and opens at once.
    fn open(&self) {
        self.clicked.set(true);
        abi::open_later();
        self.input(Input::Opened);
    }

    fn need(&self, need: Need) {
        match need {
            Need::Soon => abi::call_panel(None),
            Need::Now => {
                if self.handed_over.replace(true) {
                    return;
                }
                abi::set_timer(None);
                let bytes = self.watcher.borrow().handover().to_bytes();
                abi::call_panel(Some(&bytes));
            }
        }
    }

    /// Performs what the watcher asked for, then sets its timer.
    fn drain(&self) {
        loop {
            let out = self.watcher.borrow_mut().poll_output();
            match out {
                Watch::Panel(need) => self.need(need),
                Watch::Save(bytes) => storage::save_watched(&bytes),
                Watch::Timeout(at) => {
                    let wait = at
                        .filter(|_| !self.handed_over.get())
                        // Beyond 2³¹ − 1 ms, browsers fire a timer at once.
                        .map(|at| {
                            at.0.saturating_sub(browser::now().0).min(i32::MAX as u64) as f64
                        });
                    abi::set_timer(wait);
                    return;
                }
            }
        }
    }
}
