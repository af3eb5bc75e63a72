//! A depth limit for decoding nested values.
//!
//! Conditions (`not` inside `any` inside …) and inline text (bold inside a link inside …)
//! nest. Decoding is recursive, so bytes made of nothing but "another level" would overflow
//! the stack — a crash in the browser. Every nested field is decoded through [`nested`],
//! which counts levels and refuses more than [`MAX_NESTING`]. The compiler never produces
//! anything that deep.

use std::cell::Cell;

use serde::de::{Deserialize, Deserializer, Error};

/// Deepest nesting a compiled flow may have.
pub const MAX_NESTING: u32 = 64;

thread_local! {
    static DEPTH: Cell<u32> = const { Cell::new(0) };
}

/// Decodes `T` one level deeper, or fails if that is too deep.
pub fn nested<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<T, D::Error> {
    let depth = DEPTH.with(Cell::get);
    if depth >= MAX_NESTING {
        return Err(D::Error::custom("nested too deeply"));
    }
    DEPTH.with(|c| c.set(depth + 1));
    let result = T::deserialize(d);
    DEPTH.with(|c| c.set(depth));
    result
}
