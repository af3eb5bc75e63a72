//! `window.Bellhop(command, …)`: the store page's handle, read once for both stages.
//!
//! The loader defines `Bellhop` as a queue (`Bellhop.q`), so calls made before a stage runs
//! are kept; it hands each call to the eager stage, which judges it as it comes, and the
//! panel replays the queue in order when it starts. Which commands exist and what the
//! engine hears from them is here; what a stage does with the rest is the stage's (the
//! launcher has no panel to close, so its `toggle` opens; only the panel announces events,
//! so only it keeps `on` subscriptions). Unknown commands and bad arguments read as
//! nothing: nothing here may throw into the store's page.

use flow_runtime::Input;

use crate::PageValue;
use crate::signals::{cart, identity};

/// The commands of `window.Bellhop`, by name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Command {
    Open,
    Close,
    Toggle,
    /// `setCart({items, value, currency})`.
    SetCart,
    /// `identify({email, name, …})`.
    Identify,
    /// `track(name)`: a custom event for triggers.
    Track,
    /// `preview(trigger, variant)`: the console fires a trigger by hand.
    Preview,
    /// `consent(true | false)`: the one storage gate.
    Consent,
    /// `on(event, callback)`: `"*"` for every event.
    On,
    /// `off(event[, callback])`.
    Off,
}

/// Longest custom event name kept (`track`).
const EVENT_CHARS: usize = 64;

impl Command {
    /// The command `name` names.
    pub fn named(name: &str) -> Option<Command> {
        Some(match name {
            "open" => Command::Open,
            "close" => Command::Close,
            "toggle" => Command::Toggle,
            "setCart" => Command::SetCart,
            "identify" => Command::Identify,
            "track" => Command::Track,
            "preview" => Command::Preview,
            "consent" => Command::Consent,
            "on" => Command::On,
            "off" => Command::Off,
            _ => return None,
        })
    }

    /// What the engine hears from this command called with `a` and `b`, in either stage.
    pub fn input<V: PageValue>(self, a: &V, b: &V) -> Option<Input> {
        Some(match self {
            Command::SetCart => Input::CartChanged(cart(a)),
            Command::Identify => Input::Identify(identity(a)),
            Command::Track => Input::Custom(a.string()?.chars().take(EVENT_CHARS).collect()),
            Command::Preview => Input::Preview {
                trigger: a.string()?,
                variant: b.string().unwrap_or_default(),
            },
            Command::Open
            | Command::Close
            | Command::Toggle
            | Command::Consent
            | Command::On
            | Command::Off => return None,
        })
    }
}
