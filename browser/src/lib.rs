//! The browser side that both stages of the widget share: the launcher's eager stage
//! (`launcher`) and the panel (`widget`). Each is its own wasm, so each links its own copy
//! of what it uses; the point is one source and one storage format, so that whichever
//! stage wrote the shopper's records, the other reads them.
//!
//! - [`commands`]: what a call of `window.Bellhop(…)` means, for both stages;
//! - [`storage`]: `localStorage` under `bellhop:` keys, behind the one consent gate;
//! - [`signals`]: what the loader's raw signals, a cart and an identity the page passes
//!   mean as runtime inputs; what they mean for the shopper is judged by `flow-runtime`;
//! - [`host`]: a stage's shadow host in the page, and the theme's classes and colours;
//! - [`js`]: small helpers (objects through `Reflect`, base64, the clock).

pub mod commands;
pub mod host;
pub mod js;
pub mod signals;
pub mod storage;
