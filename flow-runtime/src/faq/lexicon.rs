//! What Bellhop knows of shoppers' words before a merchant writes any: the abbreviations
//! of chat ("pls", "u", "asap") and a base of e-commerce synonyms per language, which a
//! flow's own `synonyms` extend.
//!
//! Both lists are short and precise on purpose. A synonym joins two words for every
//! question of every store, so only words that mean the same thing in a shop are here
//! ("parcel" and "package", not "order" and "purchase"). Words are folded (lower case, no
//! accents); a plural is its own word here because synonyms join words before stemming.

use super::language::Language;

/// Chat abbreviations and what they stand for; an empty expansion drops the word (it is
/// politeness, not content).
pub(super) fn abbreviation(language: Language, word: &str) -> Option<&'static [&'static str]> {
    let list: &[(&str, &[&str])] = match language {
        Language::English => &[
            ("u", &["you"]),
            ("ur", &["your"]),
            ("r", &["are"]),
            ("im", &["i", "am"]),
            ("asap", &["as", "soon", "as", "possible"]),
            ("thx", &[]),
            ("ty", &[]),
            ("pkg", &["package"]),
            ("acct", &["account"]),
            ("addr", &["address"]),
            ("msg", &["message"]),
            ("pw", &["password"]),
            ("pwd", &["password"]),
            ("qty", &["quantity"]),
            ("approx", &["approximately"]),
            ("wanna", &["want", "to"]),
            ("gonna", &["going", "to"]),
            ("b4", &["before"]),
            ("tmrw", &["tomorrow"]),
            ("tmr", &["tomorrow"]),
            ("2day", &["today"]),
            ("wk", &["week"]),
            ("wks", &["weeks"]),
            ("hr", &["hour"]),
            ("hrs", &["hours"]),
            ("intl", &["international"]),
            ("bc", &["because"]),
            ("cuz", &["because"]),
            ("coz", &["because"]),
            ("abt", &["about"]),
            ("ppl", &["people"]),
            ("pic", &["picture"]),
            ("pics", &["pictures"]),
            ("bday", &["birthday"]),
            ("w", &["with"]),
            ("wo", &["without"]),
        ],
        Language::Spanish => &[
            ("q", &["que"]),
            ("xq", &["porque"]),
            ("pq", &["porque"]),
            ("porq", &["porque"]),
            ("tb", &["tambien"]),
            ("tmb", &["tambien"]),
            ("x", &["por"]),
            ("dnd", &["donde"]),
            ("cdo", &["cuando"]),
            ("pf", &[]),
            ("xfa", &[]),
            ("porfa", &[]),
        ],
        Language::French => &[
            ("stp", &[]),
            ("svp", &[]),
            ("pk", &["pourquoi"]),
            ("pq", &["pourquoi"]),
            ("qd", &["quand"]),
            ("bcp", &["beaucoup"]),
            ("cmd", &["commande"]),
            ("dc", &["donc"]),
            ("jsuis", &["je", "suis"]),
        ],
        Language::German => &[
            ("vllt", &["vielleicht"]),
            ("vlt", &["vielleicht"]),
            ("nr", &["nummer"]),
            ("lg", &[]),
            ("mfg", &[]),
            ("dk", &[]),
        ],
        Language::Portuguese => &[
            ("vc", &["voce"]),
            ("vcs", &["voces"]),
            ("q", &["que"]),
            ("pq", &["porque"]),
            ("tb", &["tambem"]),
            ("tbm", &["tambem"]),
            ("hj", &["hoje"]),
            ("msm", &["mesmo"]),
            ("obg", &[]),
        ],
        Language::Italian => &[
            ("x", &["per"]),
            ("cmq", &["comunque"]),
            ("nn", &["non"]),
            ("ke", &["che"]),
            ("xke", &["perche"]),
            ("xche", &["perche"]),
            ("grz", &[]),
        ],
        Language::Other => &[],
    };
    list.iter().find(|(a, _)| *a == word).map(|(_, e)| *e)
}

/// Words in `words` with abbreviations spelt out.
pub(super) fn expand(language: Language, words: Vec<String>) -> Vec<String> {
    if !words.iter().any(|w| abbreviation(language, w).is_some()) {
        return words;
    }
    let mut out = Vec::with_capacity(words.len() + 4);
    for w in words {
        match abbreviation(language, &w) {
            Some(expansion) => out.extend(expansion.iter().map(|e| (*e).to_owned())),
            None => out.push(w),
        }
    }
    out
}

/// The built-in synonym groups of a language; the first word of each is the one the
/// matcher keeps.
pub(super) fn synonyms(language: Language) -> &'static [&'static [&'static str]] {
    match language {
        Language::English => &[
            &["package", "parcel"],
            &["packages", "parcels"],
            &["refund", "reimbursement"],
            &["refunds", "reimbursements"],
            &["coupon", "voucher"],
            &["coupons", "vouchers"],
            &["invoice", "receipt"],
            &["invoices", "receipts"],
            &["cart", "basket"],
            &["phone", "telephone"],
        ],
        Language::Spanish => &[
            &["pedido", "orden"],
            &["pedidos", "ordenes"],
            &["paquete", "bulto"],
            &["paquetes", "bultos"],
            &["precio", "costo", "coste"],
            &["precios", "costos", "costes"],
            &["talla", "tamano"],
            &["factura", "recibo"],
            &["cupon", "vale"],
        ],
        Language::French => &[
            &["colis", "paquet"],
            &["paquets", "colis"],
            &["prix", "tarif", "cout"],
            &["tarifs", "couts"],
            &["taille", "pointure"],
            &["facture", "recu"],
            &["panier", "caddie"],
        ],
        Language::German => &[
            &["paket", "packchen"],
            &["pakete", "packchen"],
            &["lieferung", "zustellung"],
            &["preis", "kosten"],
            &["rechnung", "quittung"],
            &["gutschein", "coupon"],
            &["warenkorb", "einkaufswagen"],
        ],
        Language::Portuguese => &[
            &["pedido", "encomenda"],
            &["pedidos", "encomendas"],
            &["preco", "custo", "valor"],
            &["entrega", "envio"],
            &["reembolso", "estorno"],
            &["cupom", "cupao"],
            &["carrinho", "cesta"],
        ],
        Language::Italian => &[
            &["ordine", "ordinazione"],
            &["pacco", "collo"],
            &["pacchi", "colli"],
            &["prezzo", "costo"],
            &["taglia", "misura"],
            &["rimborso", "risarcimento"],
            &["carrello", "cestino"],
        ],
        Language::Other => &[],
    }
}

/// The built-in shop concepts of a language ([`super::concepts`]): each group is words and
/// two-word phrases (base forms; they are stemmed as the language stems) that name one
/// thing shoppers ask about. Each group is here because a held-out question needed it:
/// `flow-runtime/tests/concepts.rs` asks one per group, in words no phrasing of its
/// entry has, and the figures of `flow bench` on the demo's questions are in
/// BENCHMARKS.md. Words that mean something else as often in a shop ("come", "code",
/// "small") are left out.
pub(super) fn concepts(language: Language) -> &'static [&'static [&'static str]] {
    // Words a shopper also says when answering a form ("email", "phone", "call me") are
    // left out of contact: "my email is ana at example" is an answer, not a question.
    match language {
        Language::English => &[
            // Getting it to the shopper.
            &[
                "shipping", "ship", "shipment", "delivery", "deliver", "postage", "post",
                "courier", "dispatch", "arrive", "arrival", "get here", "send", "mail", "transit",
            ],
            // What they bought.
            &["order", "purchase", "package", "parcel", "stuff", "goods"],
            &[
                "return",
                "send back",
                "take back",
                "ship back",
                "mail back",
                "bring back",
            ],
            &[
                "refund",
                "money back",
                "reimburse",
                "reimbursement",
                "chargeback",
            ],
            &[
                "contact",
                "reach",
                "talk to",
                "speak to",
                "talk with",
                "speak with",
                "customer service",
                "support",
                "in touch",
            ],
            &[
                "broken",
                "broke",
                "break",
                "defect",
                "defective",
                "faulty",
                "damaged",
                "damage",
                "ripped",
                "torn",
                "came off",
                "fell apart",
                "falling apart",
                "stopped working",
                "warranty",
                "guarantee",
            ],
            &[
                "international",
                "abroad",
                "overseas",
                "worldwide",
                "country",
                "countries",
                "europe",
                "germany",
                "france",
                "spain",
                "italy",
                "uk",
                "united kingdom",
                "england",
                "ireland",
                "canada",
                "usa",
                "united states",
                "america",
                "australia",
                "japan",
                "netherlands",
                "mexico",
                "brazil",
                "india",
                "sweden",
                "norway",
                "denmark",
                "switzerland",
                "austria",
                "belgium",
                "portugal",
                "poland",
                "new zealand",
            ],
            &[
                "size",
                "sizing",
                "fit",
                "fits",
                "tight",
                "loose",
                "measurements",
            ],
            &[
                "pay",
                "payment",
                "paypal",
                "visa",
                "mastercard",
                "amex",
                "klarna",
                "afterpay",
                "credit card",
                "debit card",
                "installments",
                "apple pay",
                "google pay",
            ],
            &["discount", "coupon", "promo", "voucher", "sale", "deal"],
            &["exchange", "swap", "trade", "switch"],
            &["cancel", "cancellation", "call off"],
            &["stock", "available", "availability", "sold out", "restock"],
        ],
        Language::Spanish => &[
            &[
                "envio",
                "enviar",
                "entrega",
                "entregar",
                "mandar",
                "llegar",
                "llega",
                "reparto",
                "despacho",
                "correo",
                "paqueteria",
                "transportista",
            ],
            &[
                "pedido",
                "compra",
                "paquete",
                "cosas",
                "articulos",
                "producto",
            ],
            &["devolucion", "devolver", "regresar", "retornar"],
            &["reembolso", "reembolsar", "mi dinero"],
            &[
                "contacto",
                "contactar",
                "comunicarme",
                "hablar con",
                "atencion",
                "soporte",
                "servicio al",
            ],
            &[
                "roto",
                "rota",
                "rompio",
                "defecto",
                "defectuoso",
                "danado",
                "garantia",
                "despego",
                "falla",
                "se rompio",
                "se despego",
            ],
            &[
                "internacional",
                "extranjero",
                "pais",
                "paises",
                "europa",
                "alemania",
                "francia",
                "espana",
                "italia",
                "mexico",
                "estados unidos",
                "argentina",
                "chile",
                "colombia",
                "peru",
                "uruguay",
                "portugal",
                "reino unido",
                "canada",
            ],
            &["talla", "tamano", "medidas", "ajuste", "me queda"],
            &[
                "pagar",
                "pago",
                "tarjeta",
                "paypal",
                "visa",
                "mastercard",
                "cuotas",
                "plazos",
                "transferencia",
                "efectivo",
            ],
            &["descuento", "cupon", "promocion", "oferta", "rebaja"],
            &["cambiar", "cambio", "intercambio", "canjear"],
            &["cancelar", "cancelacion", "anular"],
            &["stock", "disponible", "agotado", "existencias"],
        ],
        Language::French => &[
            &[
                "livraison",
                "livrer",
                "expedition",
                "expedier",
                "envoi",
                "envoyer",
                "recevoir",
                "arriver",
            ],
            &["commande", "colis", "achat", "paquet"],
            &["retour", "retourner", "renvoyer", "rendre"],
            &["remboursement", "rembourser", "mon argent"],
            &[
                "contact",
                "contacter",
                "joindre",
                "parler",
                "service client",
            ],
            &[
                "casse",
                "defaut",
                "defectueux",
                "abime",
                "endommage",
                "garantie",
                "dechire",
            ],
            &[
                "international",
                "etranger",
                "pays",
                "europe",
                "allemagne",
                "belgique",
                "suisse",
                "canada",
                "espagne",
                "italie",
            ],
            &["taille", "pointure", "tailler", "mesures"],
            &[
                "payer",
                "paiement",
                "carte",
                "paypal",
                "visa",
                "mastercard",
                "plusieurs fois",
            ],
            &["echange", "echanger", "changer"],
        ],
        Language::German => &[
            &[
                "versand",
                "lieferung",
                "liefern",
                "zustellung",
                "verschicken",
                "senden",
                "ankommen",
                "kommt an",
            ],
            &["bestellung", "paket", "sendung", "kauf", "ware"],
            &[
                "rucksendung",
                "zurucksenden",
                "zuruckschicken",
                "retoure",
                "zuruckgeben",
            ],
            &["erstattung", "ruckerstattung", "erstatten", "geld zuruck"],
            &[
                "kontakt",
                "kontaktieren",
                "erreichen",
                "sprechen",
                "kundenservice",
            ],
            &[
                "kaputt",
                "defekt",
                "beschadigt",
                "garantie",
                "gewahrleistung",
                "gerissen",
                "mangel",
            ],
            &[
                "international",
                "ausland",
                "land",
                "lander",
                "europa",
                "osterreich",
                "schweiz",
                "frankreich",
                "spanien",
                "italien",
            ],
            &["grosse", "passform", "passt", "massen"],
            &[
                "bezahlen",
                "zahlung",
                "zahlen",
                "karte",
                "paypal",
                "visa",
                "mastercard",
                "rechnung",
                "raten",
            ],
            &["umtausch", "umtauschen", "tauschen"],
        ],
        Language::Portuguese => &[
            &[
                "entrega", "entregar", "envio", "enviar", "frete", "chegar", "chega", "correios",
            ],
            &["pedido", "encomenda", "compra", "pacote", "produto"],
            &["devolucao", "devolver"],
            &["reembolso", "estorno", "meu dinheiro"],
            &["contato", "contatar", "falar com", "atendimento", "suporte"],
            &[
                "quebrado",
                "quebrou",
                "defeito",
                "defeituoso",
                "danificado",
                "garantia",
                "rasgado",
            ],
            &[
                "internacional",
                "exterior",
                "pais",
                "paises",
                "europa",
                "portugal",
                "brasil",
                "espanha",
                "franca",
                "alemanha",
            ],
            &["tamanho", "medidas", "numeracao", "serve"],
            &[
                "pagar",
                "pagamento",
                "cartao",
                "paypal",
                "pix",
                "boleto",
                "visa",
                "mastercard",
                "parcelas",
                "parcelar",
            ],
            &["troca", "trocar"],
        ],
        Language::Italian => &[
            &[
                "spedizione",
                "spedire",
                "consegna",
                "consegnare",
                "inviare",
                "arrivare",
                "arriva",
                "corriere",
            ],
            &["ordine", "pacco", "acquisto", "prodotto"],
            &["reso", "restituire", "rendere", "rimandare"],
            &["rimborso", "rimborsare"],
            &["contatto", "contattare", "parlare con", "assistenza"],
            &[
                "rotto",
                "rotta",
                "difetto",
                "difettoso",
                "danneggiato",
                "garanzia",
                "strappato",
            ],
            &[
                "internazionale",
                "estero",
                "paese",
                "paesi",
                "europa",
                "germania",
                "francia",
                "spagna",
                "svizzera",
            ],
            &["taglia", "misura", "misure", "vestibilita"],
            &[
                "pagare",
                "pagamento",
                "carta",
                "paypal",
                "visa",
                "mastercard",
                "rate",
            ],
            &["cambio", "cambiare", "sostituire"],
        ],
        Language::Other => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &[&str]) -> Vec<String> {
        s.iter().map(|x| (*x).to_owned()).collect()
    }

    #[test]
    fn abbreviations_are_spelt_out_in_their_language() {
        assert_eq!(
            expand(Language::English, w(&["can", "u", "ship", "asap"])),
            w(&["can", "you", "ship", "as", "soon", "as", "possible"])
        );
        assert_eq!(expand(Language::English, w(&["thx", "bye"])), w(&["bye"]));
        // "x" is "por" in Spanish chat, and only there.
        assert_eq!(
            expand(Language::Spanish, w(&["x", "favor"])),
            w(&["por", "favor"])
        );
        assert_eq!(
            expand(Language::English, w(&["x", "large"])),
            w(&["x", "large"])
        );
    }

    #[test]
    fn every_group_has_two_distinct_folded_words() {
        for language in [
            Language::English,
            Language::Spanish,
            Language::French,
            Language::German,
            Language::Portuguese,
            Language::Italian,
        ] {
            for group in synonyms(language) {
                assert!(group.len() >= 2, "{language:?} {group:?}");
                let mut distinct = group.to_vec();
                distinct.sort_unstable();
                distinct.dedup();
                assert_eq!(distinct.len(), group.len(), "{language:?} {group:?}");
                for word in *group {
                    assert_eq!(crate::text::fold(word), *word, "{language:?} {word}");
                }
            }
            for group in concepts(language) {
                for member in *group {
                    let n = member.split(' ').count();
                    assert!(n == 1 || n == 2, "{language:?} {member}: one or two words");
                    assert_eq!(crate::text::fold(member), *member, "{language:?} {member}");
                    assert_eq!(
                        super::super::words(member).join(" "),
                        *member,
                        "{language:?} {member}: written as the matcher reads it"
                    );
                }
            }
        }
    }
}

/// Whether `word` is a function word of `language`: pronouns, articles, prepositions,
/// auxiliaries and question words, which every question has. A question is scored against
/// the FAQ's length and its own; the content words the FAQ does not know make it longer
/// (a less confident match), but "what is your" unknown to a ten-entry FAQ says nothing
/// about whether the question is one of its entries.
pub fn is_function_word(language: Language, word: &str) -> bool {
    let list = match language {
        Language::English => {
            "a an the i me my mine you your yours we our us he she it its they them their \
             this that these those is are was were be been am do does did doing have has \
             had can could will would should shall may might must of to in on at by for \
             from with about as into over after before up down out off or and but if so \
             not no what which who whom whose when where why how there here any some \
             whats wheres whens hows whos im ive id ill youre dont doesnt didnt cant \
             cannot wont isnt arent wasnt havent hasnt want wants need needs get got \
             just also still yet really"
        }
        Language::Spanish => {
            "el la los las un una unos unas yo me mi mis tu tus te usted su sus nos nuestro \
             nuestra es son esta estan ser estar hay he ha han de del a al en con por para \
             sin sobre que cual quien cuando donde como cuanto cuanta y o pero si no lo le les \
             se este esta ese esa puedo puede pueden puedes quiero quisiera necesito \
             tengo tiene tienen tienes hago hace hacer mucho muy ya"
        }
        Language::French => {
            "le la les l un une des du de d a au aux en dans sur pour par avec sans je j me m \
             mon ma mes tu te t ton ta tes vous votre vos nous notre nos il elle on ils elles \
             est sont suis es etre ai as avez avons ont fait peux peut pouvez que qu quoi qui \
             quel quelle quand ou comment combien pourquoi et mais si ne n pas ce c cet cette"
        }
        Language::German => {
            "der die das den dem des ein eine einen einem einer ich mich mir mein meine du \
             dich dir dein deine sie ihr ihre ihnen wir uns unser unsere er es ist sind bin \
             bist war sein habe hat haben kann konnen wird werden von zu in im an am auf mit \
             fur aus bei nach uber um was wer wie wo wann warum welche welcher und oder aber \
             wenn nicht kein keine"
        }
        Language::Portuguese => {
            "o a os as um uma uns umas eu me meu minha meus minhas voce seu sua seus suas nos \
             nosso nossa e sao esta estao ser estar tem ha de do da dos das em no na nos nas \
             com por para sem sobre que qual quem quando onde como quanto quanta ou mas se \
             nao"
        }
        Language::Italian => {
            "il lo la i gli le un uno una l io mi mio mia miei mie tu ti tuo tua lei suo sua \
             noi ci nostro nostra e sono sei essere ho ha hanno di del della dei delle a al \
             alla da dal in nel nella con su per tra fra che cosa chi quale quando dove come \
             quanto quanta perche o ma se non"
        }
        Language::Other => "",
    };
    list.split_ascii_whitespace().any(|w| w == word)
}
