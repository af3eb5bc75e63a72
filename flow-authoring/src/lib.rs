//! What writes Bellhop flows, as opposed to what runs them (`flow-runtime`).
//!
//! A merchant's [`doc::Document`] (JSON, YAML or TOML, or the console's forms) is checked
//! and compiled by [`compile`] into a [`flow_runtime::Flow`], which browsers receive in its
//! binary form and run. [`testing`] drives a compiled flow on virtual time, as `flow test`,
//! `flow chat` and the engine's own tests do.
//!
//! This crate is native only: the widget and the launcher depend on `flow-runtime` alone,
//! so no compiler, schema or JSON library can reach the browser (a dependency fact that
//! `xtask`'s tidy checks).

#![warn(unreachable_pub)]

pub mod compile;
pub mod doc;
pub mod testing;
