//! What a message says about the conversation itself rather than about the shop: "never
//! mind" (leave the question), "the second one" (pick an option), "how do…?" (a question of
//! its own). Short lists per language, compared on folded words, so "Olvídalo" and
//! "olvidalo" are the same.

use crate::faq::{Language, words};

/// Words around a command that change nothing: "ok, never mind", "actually cancel that".
const FILLER: &str = "ok okay oh um uh actually just please no nah so well then that it this \
     vale bueno pues eso ah bon alors ca ja also doch na ta entao pronto allora beh";

/// Commands that leave the question the bot is asking, per language (`|` between them).
fn leave_commands(language: Language) -> &'static str {
    match language {
        Language::English => {
            "cancel|never mind|nevermind|forget it|forget about it|stop|skip|skip it|menu|\
             main menu|start over|go back|back|back to menu|quit|exit|leave it|not now|later"
        }
        Language::Spanish => {
            "cancelar|cancela|olvidalo|olvida|dejalo|da igual|no importa|menu|volver|salir|\
             empezar de nuevo|ahora no|mas tarde|atras"
        }
        Language::French => {
            "annuler|annule|laisse tomber|laissez tomber|oublie|oubliez|peu importe|menu|\
             retour|arreter|arrete|plus tard|pas maintenant"
        }
        Language::German => {
            "abbrechen|vergiss es|egal|schon gut|menu|menue|zuruck|stopp|stop|spater|\
             nicht jetzt"
        }
        Language::Portuguese => {
            "cancelar|cancela|esquece|esqueca|deixa pra la|deixa para la|tanto faz|menu|\
             voltar|sair|agora nao|mais tarde"
        }
        Language::Italian => {
            "annulla|lascia perdere|lascia stare|non importa|niente|menu|indietro|esci|\
             dopo|non ora|piu tardi"
        }
        Language::Other => "",
    }
}

/// The language-neutral commands of right-to-left languages, which have no stemmer.
const OTHER_LEAVE: &str = "الغاء|إلغاء|لا يهم|القائمة|رجوع|ביטול|לא משנה|תפריט|חזרה";

/// Whether the whole message asks to leave the current question ("never mind", "cancel",
/// "menu"), in any language Bellhop knows: shoppers switch languages. Only short messages
/// count: "I want to cancel my order" is a question.
pub(super) fn leaves_question(text: &str) -> bool {
    let said = without_filler(text);
    if said.is_empty() || said.split(' ').count() > 4 {
        return false;
    }
    Language::ALL
        .iter()
        .flat_map(|&l| leave_commands(l).split('|'))
        .chain(OTHER_LEAVE.split('|'))
        .any(|c| without_filler(c) == said)
}

/// The folded words of `text` without filler, joined by spaces.
fn without_filler(text: &str) -> String {
    words(text)
        .into_iter()
        .filter(|w| !FILLER.split(' ').any(|f| f == w))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Words that open a question, per language (after folding).
fn question_words(language: Language) -> &'static str {
    match language {
        Language::English => {
            "what whats how hows where wheres when why who which can could do does did is are \
             will would should may have has any"
        }
        Language::Spanish => {
            "que como donde cuando cuanto cuanta cuantos cuantas por cual hay puedo puede pueden tienen"
        }
        Language::French => {
            "que quel quelle quels comment ou quand combien pourquoi est puis pouvez avez"
        }
        Language::German => {
            "was wie wo wann warum wer welche welcher welches kann konnen gibt habt ist sind"
        }
        Language::Portuguese => "que como onde quando quanto quanta por qual posso pode podem tem",
        Language::Italian => {
            "che come dove quando quanto quanta perche chi quale posso potete avete"
        }
        Language::Other => "",
    }
}

/// Whether a message reads as a question of its own: it has a question mark, or starts
/// with a question word of its language (or of English).
pub(super) fn looks_like_question(text: &str, language: &str) -> bool {
    if text.contains(['?', '¿', '؟']) {
        return true;
    }
    let Some(first) = words(text).into_iter().next() else {
        return false;
    };
    [Language::from_code(language), Language::English]
        .iter()
        .any(|&l| question_words(l).split(' ').any(|w| w == first))
}

/// Ordinal words per language, first to fifth, then "last" (`|` between positions, ` `
/// between the words of one position). Not "one", "two": "the second one", "two of them".
fn ordinal_words(language: Language) -> &'static str {
    match language {
        Language::English => "first 1st|second 2nd|third 3rd|fourth 4th|fifth 5th|last",
        Language::Spanish => {
            "primero primera primer|segundo segunda|tercero tercera tercer|cuarto cuarta|quinto quinta|ultimo ultima"
        }
        Language::French => {
            "premier premiere|deuxieme second seconde|troisieme|quatrieme|cinquieme|dernier derniere"
        }
        Language::German => {
            "erste ersten erster erstes|zweite zweiten zweiter zweites|dritte dritten dritter drittes|vierte vierten|funfte funften|letzte letzten letzter letztes"
        }
        Language::Portuguese => {
            "primeiro primeira|segundo segunda|terceiro terceira|quarto quarta|quinto quinta|ultimo ultima"
        }
        Language::Italian => {
            "primo prima|secondo seconda|terzo terza|quarto quarta|quinto quinta|ultimo ultima"
        }
        Language::Other => "",
    }
}

/// The option a short message points to by position ("the 2nd one", "2", "la segunda",
/// "last"), as an index into `count` options.
pub(super) fn ordinal(text: &str, language: &str, count: usize) -> Option<usize> {
    let said = words(text);
    if said.is_empty() || said.len() > 4 || count == 0 {
        return None;
    }
    let mut found = None;
    for word in &said {
        let position = if let Ok(n) = word.parse::<usize>() {
            // A number alone ("2"); among other words it is a quantity, a size, a year.
            (said.len() == 1 && (1..=count).contains(&n)).then(|| n - 1)
        } else {
            [Language::from_code(language), Language::English]
                .iter()
                .find_map(|&l| {
                    ordinal_words(l)
                        .split('|')
                        .position(|ws| ws.split(' ').any(|w| w == word))
                })
                .map(|p| if p == 5 { count - 1 } else { p })
                .filter(|&p| p < count)
        };
        match (position, found) {
            (Some(p), None) => found = Some(p),
            // Two different positions ("the first or the second") point nowhere.
            (Some(p), Some(q)) if p != q => return None,
            _ => {}
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leaving_a_question() {
        for yes in [
            "cancel",
            "never mind",
            "Nevermind!",
            "ok, forget it",
            "menu",
            "actually just cancel",
            "olvídalo",
            "Da igual",
            "laisse tomber",
            "Vergiss es",
            "deixa pra lá",
            "lascia perdere",
            "إلغاء",
        ] {
            assert!(leaves_question(yes), "{yes}");
        }
        for no in [
            "I want to cancel my order",
            "how do I cancel",
            "what's on the menu today for lunch",
            "10234",
            "",
        ] {
            assert!(!leaves_question(no), "{no}");
        }
    }

    #[test]
    fn questions_of_their_own() {
        assert!(looks_like_question("how do returns work", "en"));
        assert!(looks_like_question("paypal?", "en"));
        assert!(looks_like_question("cuanto cuesta el envio", "es"));
        assert!(!looks_like_question("the zipper broke after a week", "en"));
        assert!(!looks_like_question("Ana Lopez", "en"));
    }

    #[test]
    fn options_by_position() {
        assert_eq!(ordinal("the 2nd one", "en", 3), Some(1));
        assert_eq!(ordinal("2", "en", 3), Some(1));
        assert_eq!(ordinal("first", "en", 3), Some(0));
        assert_eq!(ordinal("the last one", "en", 3), Some(2));
        assert_eq!(ordinal("la segunda", "es", 3), Some(1));
        assert_eq!(ordinal("die dritte", "de", 3), Some(2));
        assert_eq!(ordinal("4", "en", 3), None);
        assert_eq!(ordinal("the first or the second", "en", 3), None);
        assert_eq!(
            ordinal("I need two of the first kind please", "en", 3),
            None
        );
        assert_eq!(ordinal("<script>alert(1)</script>", "en", 3), None);
    }
}
