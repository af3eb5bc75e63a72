//! Noticing that a shopper wants a person: they ask for one, or they sound frustrated.

use crate::faq::tokens;

/// Phrases that ask for a person, used when a flow lists none of its own.
pub const DEFAULT_HUMAN_PHRASES: &[&str] = &[
    "human",
    "real person",
    "a person",
    "agent",
    "operator",
    "representative",
    "customer service",
    "talk to someone",
    "speak to someone",
    "live chat",
    "support team",
    "persona",
    "humano",
    "agente",
    "humain",
    "conseiller",
    "mensch",
    "mitarbeiter",
    "atendente",
    "operatore",
];

/// Words that, in a shopper's message, signal frustration.
const FRUSTRATION: &[&str] = &[
    "useless",
    "stupid",
    "ridiculous",
    "terrible",
    "awful",
    "horrible",
    "worst",
    "angry",
    "annoyed",
    "annoying",
    "frustrated",
    "frustrating",
    "wtf",
    "scam",
    "unacceptable",
    "pathetic",
    "hate",
    "inútil",
    "horrible",
    "fatal",
    "nul",
    "nulle",
    "inadmissible",
    "scheiße",
    "mist",
    "nutzlos",
    "péssimo",
    "inutile",
    "pessimo",
];

/// Whether `text` contains one of the (normalised) `phrases` as a run of whole words.
pub(super) fn asks_for_human(text: &str, phrases: &[String]) -> bool {
    let words = tokens(text);
    phrases.iter().any(|phrase| {
        let phrase = tokens(phrase);
        !phrase.is_empty() && words.windows(phrase.len()).any(|w| w == phrase.as_slice())
    })
}

/// Whether the message sounds frustrated: an angry word, shouting, or `!!!`/`???`.
pub(super) fn sounds_frustrated(text: &str) -> bool {
    let lower = crate::text::fold(text);
    let angry_word = lower
        .split(|c: char| !crate::text::is_word(c))
        .any(|w| FRUSTRATION.contains(&w));
    let letters: Vec<char> = text
        .chars()
        .filter(|&c| crate::text::is_upper(c) || crate::text::is_lower(c))
        .collect();
    let shouting = letters.len() >= 12 && letters.iter().all(|&c| crate::text::is_upper(c));
    let punctuation = text.contains("!!!") || text.contains("???") || text.contains("?!?");
    angry_word || shouting || punctuation
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_requests() {
        let phrases: Vec<String> = DEFAULT_HUMAN_PHRASES
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert!(asks_for_human("Can I talk to a real person?", &phrases));
        assert!(asks_for_human("AGENT please", &phrases));
        assert!(!asks_for_human("what is your return policy", &phrases));
        assert!(!asks_for_human("I'm looking for an agenda", &phrases));
    }

    #[test]
    fn frustration() {
        assert!(sounds_frustrated("this is useless"));
        assert!(sounds_frustrated("WHERE IS MY ORDER"));
        assert!(sounds_frustrated("where is it???"));
        assert!(!sounds_frustrated("Where is my order?"));
        assert!(!sounds_frustrated("OK"));
    }
}
