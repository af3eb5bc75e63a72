//! The part of a flow that every page view needs: the launcher's look and words, and the
//! trigger table. The eager stage of the widget downloads only this (a few hundred bytes
//! for the demo) and loads the rest of the flow with the panel, when the shopper shows
//! intent or a trigger is about to speak.
//!
//! Layout: the 4-byte magic `BHL` + format version, then the encoding of [`Launch`].

use serde::{Deserialize, Serialize};

use super::{Flow, Phrase, Theme, Trigger};
use crate::codec::codec;
use crate::hours::BusinessHours;
use crate::value::Value;

const MAGIC: &[u8; 3] = b"BHL";
/// Bump when [`Launch`] changes incompatibly.
pub const LAUNCH_VERSION: u8 = 2;

/// What the eager stage knows of a flow.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Launch {
    /// The bot's name, for the launcher's tooltip and `bot.name` in conditions.
    pub name: String,
    pub theme: Theme,
    pub business_hours: Option<BusinessHours>,
    /// The flow's languages, the default first.
    pub languages: Vec<String>,
    /// The launcher's label per language: `(language, "Open chat")`.
    pub labels: Vec<(String, String)>,
    /// What the launcher says per language when a click cannot load the chat (offline on a
    /// first visit): `(language, "You're offline — …")`.
    pub offline_notes: Vec<(String, String)>,
    pub seed: u64,
    pub triggers: Vec<Trigger>,
    /// Variables that exist before anything is asked (conditions may test them).
    pub variables: Vec<(String, Value)>,
    /// The whole flow's fingerprint: the panel's flow must be the same one.
    pub fingerprint: u64,
}

impl Flow {
    /// The part of this flow the eager stage needs.
    pub fn launch(&self) -> Launch {
        Launch {
            name: self.bot.name.clone(),
            theme: self.bot.theme.clone(),
            business_hours: self.bot.business_hours.clone(),
            languages: self.languages.clone(),
            labels: self
                .languages
                .iter()
                .map(|l| (l.clone(), self.phrase(Phrase::OpenChat, l).to_owned()))
                .collect(),
            offline_notes: self
                .languages
                .iter()
                .map(|l| {
                    (
                        l.clone(),
                        self.phrase(Phrase::FirstTimeOffline, l).to_owned(),
                    )
                })
                .collect(),
            seed: self.seed,
            triggers: self.triggers.clone(),
            variables: self.variables.clone(),
            fingerprint: self.fingerprint,
        }
    }
}

impl Launch {
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(512);
        out.extend_from_slice(MAGIC);
        out.push(LAUNCH_VERSION);
        crate::codec::Encode::encode(self, &mut out);
        out
    }

    /// Reads [`Launch::to_bytes`]; `None` for anything else. Never panics.
    pub fn from_bytes(bytes: &[u8]) -> Option<Launch> {
        let (head, body) = bytes.split_first_chunk::<4>()?;
        if &head[..3] != MAGIC || head[3] != LAUNCH_VERSION {
            return None;
        }
        crate::codec::from_bytes(body)
    }

    /// The default language.
    pub fn default_language(&self) -> &str {
        self.languages.first().map(String::as_str).unwrap_or("en")
    }

    /// The launcher's label in `language` (else the default language's).
    pub fn label(&self, language: &str) -> &str {
        in_language(&self.labels, language)
    }

    /// The offline note in `language` (else the default language's).
    pub fn offline_note(&self, language: &str) -> &str {
        in_language(&self.offline_notes, language)
    }
}

fn in_language<'a>(texts: &'a [(String, String)], language: &str) -> &'a str {
    texts
        .iter()
        .find(|(l, _)| l == language)
        .or_else(|| texts.first())
        .map_or("", |(_, t)| t.as_str())
}

codec!(struct Launch { name, theme, business_hours, languages, labels, offline_notes, seed, triggers, variables, fingerprint });
