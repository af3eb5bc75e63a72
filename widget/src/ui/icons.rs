//! Inline SVG icons (no emoji: headless browsers and some systems lack the fonts).
//!
//! One component draws them all from a path: each `view!` of its own would be another
//! type for Leptos to build, mount and update, and the widget is built for size.

use leptos::prelude::*;

/// What an icon shows.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Widget,
    Close,
    Send,
    Previous,
    Next,
    ThumbUp,
    ThumbDown,
    Star,
}

const THUMB: &str = "M2 21h4V9H2v12zm20-11a2 2 0 0 0-2-2h-6.3l1-4.6v-.3c0-.4-.2-.8-.4-1.1L13.2 1 6.6 7.6C6.2 8 6 8.5 6 9v10a2 2 0 0 0 2 2h9c.8 0 1.5-.5 1.8-1.2l3-7.1.2-.7v-2z";

impl Shape {
    /// The path, on a 24 × 24 grid.
    fn path(self) -> &'static str {
        match self {
            // The eager stage's launcher draws the same icon.
            Shape::Widget => browser::host::CHAT_ICON,
            Shape::Close => {
                "M6.4 5 5 6.4 10.6 12 5 17.6 6.4 19l5.6-5.6 5.6 5.6 1.4-1.4-5.6-5.6L19 6.4 17.6 5 12 10.6z"
            }
            Shape::Send => "M3 20.5 21 12 3 3.5 3 10l12 2-12 2z",
            Shape::Previous => "M15.4 7.4 14 6l-6 6 6 6 1.4-1.4-4.6-4.6z",
            Shape::Next => "M8.6 16.6 10 18l6-6-6-6-1.4 1.4 4.6 4.6z",
            Shape::ThumbUp | Shape::ThumbDown => THUMB,
            Shape::Star => {
                "M12 17.3 18.2 21l-1.6-7L22 9.2l-7.2-.6L12 2 9.2 8.6 2 9.2 7.5 14l-1.7 7z"
            }
        }
    }
}

/// A decorative icon (hidden from screen readers: its button carries the label).
#[component]
pub fn Icon(shape: Shape, #[prop(default = 20)] size: u32) -> impl IntoView {
    let transform = if shape == Shape::ThumbDown {
        "rotate(180 12 12)"
    } else {
        ""
    };
    view! {
        <svg viewBox="0 0 24 24" width=size height=size aria-hidden="true" focusable="false">
            <path fill="currentColor" transform=transform d=shape.path() />
        </svg>
    }
}
