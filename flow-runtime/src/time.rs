//! Time as data. The engine never asks what time it is; the shell tells it.

use serde::{Deserialize, Serialize};

use crate::codec::codec;

/// A point in time: milliseconds since the Unix epoch, as the shell measured it
/// (`Date.now()` in the browser, a fixed value in tests).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Time(pub u64);

impl Time {
    /// This time plus `ms` milliseconds, saturating instead of overflowing.
    pub fn plus_millis(self, ms: u64) -> Time {
        Time(self.0.saturating_add(ms))
    }

    /// Milliseconds from `earlier` to `self`, or 0 if `earlier` is later (clocks do jump).
    pub fn millis_since(self, earlier: Time) -> u64 {
        self.0.saturating_sub(earlier.0)
    }
}

// The binary encoding (see `crate::codec`): fields in order, variants by tag.
codec!(newtype Time);
