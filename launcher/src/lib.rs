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
//! The loader (`widget/loader/bellhop.js`) calls [`boot`] with the tag's settings and a
//! function that fetches and starts the panel: `panel("soon")` to fetch and compile it,
//! `panel("now", handover)` to start it with the [`flow_runtime::Handover`] bytes.
//!
//! Module map: `lib` (boot, the loop around the watcher, `window.Bellhop`) ──► `button`
//! (what the launcher looks like; the loader draws it); both use the `browser` crate (storage, page signals).

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
use std::rc::Rc;

use browser::commands::{self, Command};
use browser::{js, signals, storage};
use flow_runtime::flow::Launch;
use flow_runtime::{Input, Need, Watch, Watched, Watcher};
use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

/// The stage's state: the watcher, the loader's `panel` function and the timer.
struct Stage {
    watcher: RefCell<Watcher>,
    panel: js_sys::Function,
    timer: Cell<Option<i32>>,
    /// The one function every timer calls: made once, since a closure made per timer and
    /// then cleared before it ran is never freed (a flood of signals leaked one each).
    tick: RefCell<Option<Closure<dyn Fn()>>>,
    handed_over: Cell<bool>,
    /// The shopper clicked since the panel last failed to start: a failure now is theirs to
    /// hear of (one a trigger met is not).
    clicked: Cell<bool>,
}

#[derive(Clone)]
struct Handle(Rc<Stage>);

thread_local! {
    static STAGE: RefCell<Option<Handle>> = const { RefCell::new(None) };
}

/// A raw signal from the page, which the loader observes (see `browser::signals`).
#[wasm_bindgen]
pub fn signal(kind: &str, a: JsValue, b: f64, c: f64) {
    let stage = STAGE.with(|s| s.borrow().clone());
    if let (Some(stage), Some(input)) = (stage, signals::input(kind, &a, b, c)) {
        stage.input(input);
    }
}

/// The panel did not start (offline, the server down): watch on, so the next click or
/// trigger tries again rather than leaving the shopper with a button that does nothing.
#[wasm_bindgen]
pub fn resume() {
    if let Some(stage) = STAGE.with(|s| s.borrow().clone()) {
        stage.0.handed_over.set(false);
        stage.0.watcher.borrow_mut().resume();
        stage.drain();
    }
}

/// The panel could not be loaded (offline on a first visit, the server out of reach): what
/// the launcher's note says, in the page's language, when the shopper's click asked for it
/// (empty when a trigger did: nobody is waiting then). The loader draws the note: a few DOM
/// calls cost less there than as wasm-bindgen glue here.
#[wasm_bindgen]
pub fn offline() -> String {
    let Some(stage) = STAGE.with(|s| s.borrow().clone()) else {
        return String::new();
    };
    if !stage.0.clicked.replace(false) {
        return String::new();
    }
    let w = stage.0.watcher.borrow();
    w.launch().offline_note(&w.language()).to_owned()
}

/// Starts the eager stage with the flow's launch part, which the loader fetched while this
/// module compiled (`None`: it could not; the last good copy is used). Synchronous: no
/// futures machinery in this wasm. Returns what the loader draws as the launcher
/// ([`button::spec`]), which calls [`intent`] and [`open`]. Errors go back to the loader,
/// which shows the fallback link.
#[wasm_bindgen]
pub fn boot(
    config: JsValue,
    panel: js_sys::Function,
    launch: Option<Vec<u8>>,
) -> Result<String, JsValue> {
    let flow_url =
        js::get_str(&config, "flow").ok_or("bellhop: the script tag has no data-flow")?;
    storage::require_consent(js::get_str(&config, "consent").as_deref() == Some("required"));
    let launch = read_launch(&flow_url, launch)?;
    let visitor = storage::visitor_id();
    let watcher = Watcher::new(launch, storage::read_watched(), &visitor, js::now());
    let stage = Handle(Rc::new(Stage {
        watcher: RefCell::new(watcher),
        panel,
        timer: Cell::new(None),
        tick: RefCell::new(None),
        handed_over: Cell::new(false),
        clicked: Cell::new(false),
    }));
    let page = signals::page();
    let language = {
        let mut w = stage.0.watcher.borrow_mut();
        w.handle_input(Input::PageView(page), js::now());
        w.language()
    };
    let button = button::spec(stage.0.watcher.borrow().launch(), &language);
    install_api(&stage);
    STAGE.with(|s| *s.borrow_mut() = Some(stage.clone()));
    stage.drain();
    follow_other_tabs(&stage);
    // Back through an email's link: the chat opens at once, and the panel takes it up.
    if browser::signals::resume_token().is_some() {
        stage.open();
    }
    Ok(button)
}

/// The shopper points at, focuses or touches the launcher: fetch the panel ahead.
#[wasm_bindgen]
pub fn intent() {
    if let Some(stage) = STAGE.with(|s| s.borrow().clone()) {
        stage.need(Need::Soon);
    }
}

/// The shopper clicks the launcher.
#[wasm_bindgen]
pub fn open() {
    if let Some(stage) = STAGE.with(|s| s.borrow().clone()) {
        stage.open();
    }
}

/// The launch part of the flow, or the last good one when it could not be fetched.
fn read_launch(url: &str, fetched: Option<Vec<u8>>) -> Result<Launch, JsValue> {
    if let Some(bytes) = fetched {
        if let Some(launch) = Launch::from_bytes(&bytes) {
            storage::cache_launch(url, &bytes);
            return Ok(launch);
        }
    }
    storage::cached_launch(url)
        .and_then(|b| Launch::from_bytes(&b))
        .ok_or_else(|| "bellhop: the flow's launch table did not load".into())
}

impl Handle {
    fn input(&self, input: Input) {
        if self.0.handed_over.get() {
            return;
        }
        self.0.watcher.borrow_mut().handle_input(input, js::now());
        self.drain();
    }

    /// The shopper opens the chat: the panel starts and opens at once.
    fn open(&self) {
        self.0.clicked.set(true);
        queue_call(&[JsValue::from_str("open")]);
        self.input(Input::Opened);
    }

    fn need(&self, need: Need) {
        match need {
            Need::Soon => {
                let _ = self
                    .0
                    .panel
                    .call1(&JsValue::NULL, &JsValue::from_str("soon"));
            }
            Need::Now => {
                if self.0.handed_over.replace(true) {
                    return;
                }
                if let Some(id) = self.0.timer.take() {
                    if let Some(w) = web_sys::window() {
                        w.clear_timeout_with_handle(id);
                    }
                }
                let bytes = self.0.watcher.borrow().handover().to_bytes();
                let handover = js_sys::Uint8Array::from(&bytes[..]);
                let _ = self
                    .0
                    .panel
                    .call2(&JsValue::NULL, &JsValue::from_str("now"), &handover);
            }
        }
    }

    /// Performs what the watcher asked for, then sets its timer.
    fn drain(&self) {
        loop {
            let out = self.0.watcher.borrow_mut().poll_output();
            match out {
                Watch::Panel(need) => self.need(need),
                Watch::Save(bytes) => storage::save_watched(&bytes),
                Watch::Timeout(at) => {
                    self.arm(at);
                    return;
                }
            }
        }
    }

    fn arm(&self, at: Option<flow_runtime::Time>) {
        let Some(window) = web_sys::window() else {
            return;
        };
        if let Some(id) = self.0.timer.take() {
            window.clear_timeout_with_handle(id);
        }
        let Some(at) = at.filter(|_| !self.0.handed_over.get()) else {
            return;
        };
        let wait = at.0.saturating_sub(js::now().0).min(i32::MAX as u64) as i32;
        let mut tick = self.0.tick.borrow_mut();
        let tick = tick.get_or_insert_with(|| {
            let stage = Rc::downgrade(&self.0);
            Closure::new(move || {
                if let Some(stage) = stage.upgrade() {
                    stage.timer.set(None);
                    Handle(stage).input(Input::Tick);
                }
            })
        });
        if let Ok(id) = window.set_timeout_with_callback_and_timeout_and_arguments_0(
            tick.as_ref().unchecked_ref(),
            wait,
        ) {
            self.0.timer.set(Some(id));
        }
    }
}

/// Appends a call to `window.Bellhop.q`, the queue the panel replays when it starts.
fn queue_call(args: &[JsValue]) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let queue = js::get(&js::get(&window, "Bellhop"), "q");
    if let Some(queue) = queue.dyn_ref::<js_sys::Array>() {
        // A page calling in a loop must not grow the queue without end.
        if queue.length() < 500 {
            queue.push(&args.iter().collect::<js_sys::Array>());
        }
    }
}

/// `window.Bellhop(command, …)` while only this stage runs: each call is judged here (a
/// cart, a custom event, an identity, consent, `open`) and kept in the queue, which the
/// panel replays in order when it starts, so nothing a page calls is lost.
fn install_api(stage: &Handle) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let key = JsValue::from_str("Bellhop");
    let queued = commands::queued();
    let stage2 = stage.clone();
    let api = Closure::<dyn Fn(JsValue, JsValue, JsValue)>::new(
        move |command: JsValue, a: JsValue, b: JsValue| {
            queue_call(&[command.clone(), a.clone(), b.clone()]);
            call(&stage2, &command, &a, &b);
        },
    );
    let function: &js_sys::Function = api.as_ref().unchecked_ref();
    let queue: js_sys::Array = queued.iter().collect();
    let _ = js_sys::Reflect::set(function, &JsValue::from_str("q"), &queue);
    let _ = js_sys::Reflect::set(function, &JsValue::from_str("l"), &JsValue::TRUE);
    let _ = js_sys::Reflect::set(&window, &key, function);
    api.forget();
    for q in &queued {
        call(
            stage,
            &commands::arg(q, 0),
            &commands::arg(q, 1),
            &commands::arg(q, 2),
        );
    }
}

/// What a call means before the panel runs: nothing is open, so `toggle` opens and `close`
/// has nothing to do; subscriptions wait in the queue for the panel, which announces.
fn call(stage: &Handle, command: &JsValue, a: &JsValue, b: &JsValue) {
    let Some(command) = Command::named(command) else {
        return;
    };
    match command {
        Command::Open | Command::Toggle => stage.input(Input::Opened),
        Command::Consent => storage::grant(a.is_truthy()),
        Command::Close | Command::On | Command::Off => {}
        Command::SetCart | Command::Identify | Command::Track | Command::Preview => {
            if let Some(input) = command.input(a, b) {
                stage.input(input);
            }
        }
    }
}

/// Another tab wrote the shared record (a trigger shown, a conversation begun): judge by it.
fn follow_other_tabs(stage: &Handle) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let stage = stage.clone();
    let on_storage =
        Closure::<dyn FnMut(web_sys::StorageEvent)>::new(move |e: web_sys::StorageEvent| {
            if e.key().as_deref() != Some(storage::WATCHED_KEY) || stage.0.handed_over.get() {
                return;
            }
            if let Some(watched) = storage::read_watched() {
                stage.0.watcher.borrow_mut().adopt(Watched::clone(&watched));
                stage.drain();
            }
        });
    let _ = window.add_event_listener_with_callback("storage", on_storage.as_ref().unchecked_ref());
    on_storage.forget();
}
