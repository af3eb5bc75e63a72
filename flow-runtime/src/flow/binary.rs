//! The compact binary form of a [`Flow`] that browsers download.
//!
//! Why not JSON: decoding JSON in the wasm needs either a JSON parser (`serde_json` costs
//! about 25 KiB brotli) or per-field glue through `serde-wasm-bindgen`. The codec of
//! `crate::codec` is a fraction of that, and the file is smaller too.
//!
//! Layout: the 4-byte magic `BHF` + format version, then the encoding of `Flow`.
//! A file from another format version is refused with a clear error rather than misread.

use super::Flow;

const MAGIC: &[u8; 3] = b"BHF";
/// Bump when the compiled types change incompatibly.
pub const FORMAT_VERSION: u8 = 5;

/// Why bytes could not be read as a flow.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// Not a compiled Bellhop flow at all (a JSON file, an HTML error page…).
    NotAFlow,
    /// A flow compiled for another version of Bellhop.
    Version { found: u8, expected: u8 },
    /// Truncated or corrupted.
    Corrupt,
}

impl core::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            DecodeError::NotAFlow => f.write_str("not a compiled Bellhop flow"),
            DecodeError::Version { found, expected } => {
                write!(
                    f,
                    "flow format {found}, this Bellhop reads format {expected}: rebuild the flow"
                )
            }
            DecodeError::Corrupt => f.write_str("the compiled flow is truncated or corrupted"),
        }
    }
}

impl std::error::Error for DecodeError {}

impl Flow {
    /// Encodes the flow for the browser.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(4096);
        out.extend_from_slice(MAGIC);
        out.push(FORMAT_VERSION);
        crate::codec::Encode::encode(self, &mut out);
        out
    }

    /// Decodes a flow made by [`Flow::to_bytes`]. Never panics, whatever the bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Flow, DecodeError> {
        let Some((head, body)) = bytes.split_first_chunk::<4>() else {
            return Err(DecodeError::NotAFlow);
        };
        if &head[..3] != MAGIC {
            return Err(DecodeError::NotAFlow);
        }
        if head[3] != FORMAT_VERSION {
            return Err(DecodeError::Version {
                found: head[3],
                expected: FORMAT_VERSION,
            });
        }
        crate::codec::from_bytes(body).ok_or(DecodeError::Corrupt)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Condition, Inline};

    /// Regression: bytes that are nothing but "one level deeper" must not overflow the stack.
    #[test]
    fn hostile_nesting_is_refused_not_a_crash() {
        // Condition::Not is variant 3, Condition::Always variant 0.
        let mut bytes = vec![3u8; 200_000];
        bytes.push(0);
        assert!(crate::codec::from_bytes::<Condition>(&bytes).is_none());
        let mut ok = vec![3u8; 10];
        ok.push(0);
        assert!(crate::codec::from_bytes::<Condition>(&ok).is_some());
        // Inline::Bold is variant 2 with a one-element list: [2, 1, 2, 1, …].
        let mut bytes: Vec<u8> = std::iter::repeat([2u8, 1u8])
            .take(100_000)
            .flatten()
            .collect();
        bytes.extend([0, 0]);
        assert!(crate::codec::from_bytes::<Inline>(&bytes).is_none());
    }
}
