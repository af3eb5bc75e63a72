//! The browser side that both stages of the widget share: the launcher's eager stage
//! (`launcher`) and the panel (`widget`). Each is its own wasm, so each links its own copy
//! of what it uses; the point is one source and one storage format, so that whichever
//! stage wrote the shopper's records, the other reads them.
//!
//! - [`storage`]: `localStorage` under `bellhop:` keys, behind the one consent gate;
//! - [`signals`]: the page's raw signals (page views, visibility, scroll, pointer, cart) as
//!   runtime inputs; what they mean is judged by `flow-runtime`;
//! - [`js`]: small helpers (objects through `Reflect`, base64, the clock).

pub mod js;
pub mod signals;
pub mod storage;
