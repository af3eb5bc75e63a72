//! What both stages' launchers share, so that the swap when the panel takes over is
//! invisible: the stylesheet, the icon and the theme's classes. Each stage's host is a
//! custom element with an open shadow root and a constructed stylesheet (the loader draws
//! the eager stage's `<bellhop-launcher>`, `widget::host` the panel's `<bellhop-widget>`).

use flow_runtime::flow::{ColorMode, Position, Theme};

// The launcher's rules are `launcher.css` beside this file, the one copy for both stages:
// `cargo xtask dist` puts it into the loader, which draws the eager stage's launcher, and
// the panel's stylesheet begins with it (`widget/build.rs`), so the button looks the same
// before and after the panel takes over. Written compact (one rule a line, no comments):
// the loader adopts the file as it is.

/// The chat icon on the launcher, on a 24 × 24 grid: the same in both stages.
pub const CHAT_ICON: &str =
    "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z";

/// The classes of a stage's root element for the flow's theme: `root`, then `left` and
/// `dark`/`light` as the theme asks (the stylesheets key on them).
pub fn root_class(theme: &Theme) -> String {
    let mut class = String::from("root");
    if theme.position == Position::Left {
        class.push_str(" left");
    }
    match theme.mode {
        ColorMode::Dark => class.push_str(" dark"),
        ColorMode::Light => class.push_str(" light"),
        ColorMode::Auto => {}
    }
    class
}
