//! The launcher as the eager stage shows it: one button in its own shadow root, looking
//! exactly like the panel's (same place, size, colours and label), so that the swap when
//! the panel takes over is invisible. The panel removes this host when it mounts.
//!
//! This stage decides what the button says and how it looks (from the launch table and
//! the shared stylesheet and icon of `browser::host`); the loader draws it (issue 32: the
//! dozen DOM calls cost less as loader lines than as wasm-bindgen glue on every page view).

use flow_runtime::flow::Launch;

/// What the loader draws, one field a line: the root's classes, the language, the
/// accessible name, the tooltip, the accent and on-accent colours, the icon's path.
pub fn spec(launch: &Launch, language: &str) -> String {
    let fields = [
        browser::host::root_class(&launch.theme),
        language.to_owned(),
        launch.label(language).to_owned(),
        launch.theme.launcher_label.clone(),
        launch.theme.accent.clone(),
        launch.theme.on_accent.clone(),
        browser::host::CHAT_ICON.to_owned(),
    ];
    // Joined by hand: `format!` would link the formatting machinery into this wasm; a line
    // break cannot occur in a field (labels and colours are single-line by the compiler).
    let mut out = String::new();
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.extend(field.chars().map(|c| if c == '\n' { ' ' } else { c }));
    }
    out
}
