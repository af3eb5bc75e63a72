//! Light stemmers for the languages shoppers write in most: English, Spanish, French,
//! German, Portuguese and Italian.
//!
//! Light on purpose: they take off plural, gender and infinitive endings, so that
//! "pedidos" meets "pedido" and "Bestellungen" meets "Bestellung", and leave derivation
//! alone. A full Snowball stemmer also joins "organisation" to "organ"; the matcher's word
//! pieces already bring related forms together, so over-stemming only costs precision.
//! The algorithms follow the idea of Savoy's light stemmers (remove inflection only), not
//! their code. Words arrive folded (lower case, no accents: "devolução" → "devolucao").

/// A language the matcher has a stemmer for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Language {
    English,
    Spanish,
    French,
    German,
    Portuguese,
    Italian,
    /// Any other: words are compared unstemmed (their pieces still match).
    Other,
}

impl Language {
    /// Every language with a stemmer.
    pub const ALL: [Language; 6] = [
        Language::English,
        Language::Spanish,
        Language::French,
        Language::German,
        Language::Portuguese,
        Language::Italian,
    ];

    /// From a language tag as the flow writes it: `es`, `es-MX`, `pt_BR`, `DE`.
    pub fn from_code(code: &str) -> Language {
        let primary = code.split(['-', '_']).next().unwrap_or("");
        match primary.to_ascii_lowercase().as_str() {
            "en" => Language::English,
            "es" => Language::Spanish,
            "fr" => Language::French,
            "de" => Language::German,
            "pt" => Language::Portuguese,
            "it" => Language::Italian,
            _ => Language::Other,
        }
    }

    /// The stem of a folded word.
    pub fn stem(self, word: &str) -> String {
        match self {
            Language::English => super::normalize::stem(word),
            Language::Spanish => spanish(word),
            Language::French => french(word),
            Language::German => german(word),
            Language::Portuguese => portuguese(word),
            Language::Italian => italian(word),
            Language::Other => word.to_owned(),
        }
    }
}

/// `word` without `suffix` if at least `keep` characters remain.
fn cut<'a>(word: &'a str, suffix: &str, keep: usize) -> Option<&'a str> {
    let rest = word.strip_suffix(suffix)?;
    (rest.chars().count() >= keep).then_some(rest)
}

fn ends_with_vowel(word: &str) -> bool {
    word.ends_with(['a', 'e', 'i', 'o', 'u'])
}

/// Takes off one final vowel of a word of at least `min` letters.
fn drop_vowel(word: &str, vowels: &[char], min: usize) -> String {
    match word.strip_suffix(vowels) {
        Some(rest) if word.chars().count() >= min => rest.to_owned(),
        _ => word.to_owned(),
    }
}

/// pedidos, pedido, pedida → pedid; devoluciones → devolucion; luces → luz; cambiar,
/// cambio → cambi.
fn spanish(word: &str) -> String {
    let w = cut(word, "mente", 4).unwrap_or(word);
    if let Some(rest) = cut(w, "ces", 2) {
        return format!("{rest}z");
    }
    if let Some(rest) = cut(w, "iones", 2) {
        return format!("{rest}ion");
    }
    plural_gender_infinitive(w, &['r', 'l', 'n', 'd', 's', 'z', 'j'])
}

/// devolucoes, devolucao → devoluca; itens → item; pedidos → pedid; entregar → entreg.
fn portuguese(word: &str) -> String {
    let w = cut(word, "mente", 4).unwrap_or(word);
    for (plural, singular) in [
        ("oes", "ao"),
        ("aes", "ao"),
        ("ais", "al"),
        ("eis", "el"),
        ("ois", "ol"),
        ("ns", "m"),
    ] {
        if let Some(rest) = cut(w, plural, 2) {
            return drop_vowel(&format!("{rest}{singular}"), &['a', 'e', 'o'], 4);
        }
    }
    plural_gender_infinitive(w, &['r', 's', 'z'])
}

/// What Spanish and Portuguese share: "-es" after the consonants that take it (colores →
/// color), "-s" after a vowel, the infinitive's "-ar/-er/-ir", then a final a/e/o.
fn plural_gender_infinitive(w: &str, take_es: &[char]) -> String {
    if let Some(rest) = cut(w, "es", 3).filter(|r| r.ends_with(take_es)) {
        return rest.to_owned();
    }
    if let Some(rest) = cut(w, "s", 3).filter(|r| ends_with_vowel(r)) {
        return drop_vowel(rest, &['a', 'e', 'o'], 4);
    }
    for infinitive in ["ar", "er", "ir"] {
        if let Some(rest) = cut(w, infinitive, 3).filter(|_| w.len() >= 5) {
            return rest.to_owned();
        }
    }
    drop_vowel(w, &['a', 'e', 'o'], 4)
}

/// commandes, commande, commandé, commander, commandez → command; journaux → journal.
fn french(word: &str) -> String {
    if let Some(rest) = cut(word, "aux", 2).filter(|_| word.len() >= 5) {
        return format!("{rest}al");
    }
    let w = cut(word, "s", 3).unwrap_or(word);
    for ending in ["ons", "ez", "er"] {
        if let Some(rest) = cut(w, ending, 3).filter(|_| w.len() >= 5) {
            return rest.to_owned();
        }
    }
    let w = cut(w, "ee", 3)
        .map(|r| format!("{r}e"))
        .unwrap_or_else(|| w.to_owned());
    match cut(&w, "e", 3) {
        Some(rest) => rest.to_owned(),
        None => w,
    }
}

/// Bestellungen, Bestellung → bestellung; Pakete → paket; Kosten → kost.
fn german(word: &str) -> String {
    let n = word.chars().count();
    let w = if n > 5 && word.ends_with("ern") {
        &word[..word.len() - 3]
    } else if n > 4 && ["em", "en", "er", "es"].iter().any(|e| word.ends_with(e)) {
        &word[..word.len() - 2]
    } else if n > 3
        && (word.ends_with('e')
            || word.ends_with('s')
                && word[..word.len() - 1]
                    .ends_with(['b', 'd', 'f', 'g', 'h', 'k', 'l', 'm', 'n', 'r', 't']))
    {
        &word[..word.len() - 1]
    } else {
        word
    };
    w.to_owned()
}

/// ordini, ordine → ordin; pacchi, pacco → pacc; spedizioni → spedizion; ordinare → ordin.
fn italian(word: &str) -> String {
    let w = cut(word, "mente", 4).unwrap_or(word);
    for infinitive in ["are", "ere", "ire"] {
        if let Some(rest) = cut(w, infinitive, 3).filter(|_| w.len() >= 6) {
            return rest.to_owned();
        }
    }
    for (ending, stem) in [("che", "c"), ("chi", "c"), ("ghe", "g"), ("ghi", "g")] {
        if let Some(rest) = cut(w, ending, 2) {
            return format!("{rest}{stem}");
        }
    }
    drop_vowel(w, &['a', 'e', 'i', 'o'], 4)
}

#[cfg(test)]
mod tests {
    use super::Language::{self, *};

    /// Forms a shopper and a merchant write differently meet on one stem.
    #[test]
    fn inflections_meet() {
        let same: &[(Language, &[&str])] = &[
            (English, &["ship", "ships", "shipped", "shipping"]),
            (Spanish, &["pedido", "pedidos", "pedida"]),
            (Spanish, &["devolucion", "devoluciones"]),
            (Spanish, &["cambiar", "cambio", "cambios"]),
            (Spanish, &["luz", "luces"]),
            (Spanish, &["talla", "tallas"]),
            (Portuguese, &["devolucao", "devolucoes"]),
            (Portuguese, &["pedido", "pedidos"]),
            (Portuguese, &["item", "itens"]),
            (Portuguese, &["entrega", "entregas", "entregar"]),
            (
                French,
                &[
                    "commande",
                    "commandes",
                    "commander",
                    "commandez",
                    "commandee",
                ],
            ),
            (French, &["livraison", "livraisons"]),
            (French, &["journal", "journaux"]),
            (German, &["bestellung", "bestellungen"]),
            (German, &["paket", "pakete"]),
            (German, &["lieferung", "lieferungen"]),
            (Italian, &["ordine", "ordini", "ordinare"]),
            (Italian, &["pacco", "pacchi"]),
            (Italian, &["spedizione", "spedizioni"]),
            (Italian, &["taglia", "taglie"]),
        ];
        for (language, words) in same {
            let stems: Vec<String> = words.iter().map(|w| language.stem(w)).collect();
            assert!(
                stems.windows(2).all(|p| p[0] == p[1]),
                "{language:?} {words:?} → {stems:?}"
            );
        }
    }

    /// Short words and words of other meanings are left apart.
    #[test]
    fn short_and_distinct_words_stay_apart() {
        assert_eq!(Spanish.stem("sus"), "sus");
        assert_ne!(Spanish.stem("pago"), Spanish.stem("paquete"));
        assert_ne!(German.stem("preis"), German.stem("paket"));
        assert_eq!(French.stem("prix"), "prix");
        assert_eq!(Other.stem("заказы"), "заказы");
    }

    #[test]
    fn tags_with_regions_name_the_language() {
        assert_eq!(Language::from_code("es-MX"), Spanish);
        assert_eq!(Language::from_code("pt_BR"), Portuguese);
        assert_eq!(Language::from_code("DE"), German);
        assert_eq!(Language::from_code("nl"), Other);
    }
}
