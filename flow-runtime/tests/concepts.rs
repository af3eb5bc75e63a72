//! Each built-in shop concept earns its place with a question it answers: asked in words
//! that none of the right entry's phrasings has (checked here, so only the concept can
//! have joined them), the question must get that entry directly.

use flow_runtime::faq::{Decision, FaqIndex, Language, Phrasing, Thresholds, decide, words};

/// A store's FAQ as a merchant writes it (the question and a short phrasing), and per
/// concept a shopper's question and the entry it needs.
struct Case {
    language: &'static str,
    entries: &'static [(&'static str, &'static [&'static str])],
    questions: &'static [(&'static str, &'static str)],
}

const CASES: &[Case] = &[
    Case {
        language: "en",
        entries: &[
            (
                "delivery",
                &["How long does shipping take?", "delivery times"],
            ),
            ("order", &["Where is my order?", "track my order"]),
            ("return", &["How do I return an item?", "return policy"]),
            ("refund", &["When do I get my refund?", "refund status"]),
            ("contact", &["How can I contact you?", "contact details"]),
            ("warranty", &["Is there a warranty?", "warranty claim"]),
            (
                "abroad",
                &["Do you ship internationally?", "international shipping"],
            ),
            ("size", &["Which size should I pick?", "size guide"]),
            (
                "payment",
                &["What payment methods do you accept?", "payment options"],
            ),
            (
                "discount",
                &["Do you have discount codes?", "discount code"],
            ),
            ("exchange", &["Can I exchange an item?", "exchange policy"]),
            ("cancel", &["Can I cancel my order?", "cancel an order"]),
            ("stock", &["Is it in stock?", "stock levels"]),
        ],
        questions: &[
            ("when will it arrive", "delivery"),
            ("where is my parcel", "order"),
            ("can i send it back", "return"),
            ("i want my money back", "refund"),
            ("how do i reach customer service", "contact"),
            ("the sole came off my boots", "warranty"),
            ("can you send it to germany", "abroad"),
            ("will it fit me", "size"),
            ("can i use paypal", "payment"),
            ("any coupons", "discount"),
            ("can i swap it", "exchange"),
            ("call off my purchase", "cancel"),
            ("is this sold out", "stock"),
        ],
    },
    Case {
        language: "es",
        entries: &[
            ("delivery", &["¿Cuánto tarda el envío?", "tiempo de envío"]),
            ("order", &["¿Dónde está mi pedido?", "estado del pedido"]),
            (
                "return",
                &["¿Cómo hago una devolución?", "política de devolución"],
            ),
            (
                "refund",
                &["¿Cuándo recibo mi reembolso?", "estado del reembolso"],
            ),
            ("contact", &["¿Cómo los contacto?", "datos de contacto"]),
            ("warranty", &["¿Tienen garantía?", "reclamar garantía"]),
            ("abroad", &["¿Envían al extranjero?", "envío internacional"]),
            ("size", &["¿Qué talla elijo?", "guía de tallas"]),
            (
                "payment",
                &["¿Qué formas de pago aceptan?", "métodos de pago"],
            ),
            ("discount", &["¿Tienen descuentos?", "código de descuento"]),
            (
                "exchange",
                &["¿Puedo cambiar un artículo?", "cambiar talla"],
            ),
            ("cancel", &["¿Puedo cancelar mi pedido?", "cancelar pedido"]),
            ("stock", &["¿Está disponible?", "disponibilidad"]),
        ],
        questions: &[
            ("cuando llega", "delivery"),
            ("donde esta mi compra", "order"),
            ("puedo regresar algo", "return"),
            ("quiero mi dinero", "refund"),
            ("quiero hablar con alguien", "contact"),
            ("se rompio mi bolso", "warranty"),
            ("mandan a alemania", "abroad"),
            ("tabla de medidas", "size"),
            ("puedo usar paypal", "payment"),
            ("hay alguna promocion", "discount"),
            ("quiero un intercambio", "exchange"),
            ("anular mi compra", "cancel"),
            ("esta agotado", "stock"),
        ],
    },
    Case {
        language: "fr",
        entries: &[
            (
                "delivery",
                &["Quels sont les délais de livraison ?", "délai de livraison"],
            ),
            (
                "return",
                &["Comment faire un retour ?", "politique de retour"],
            ),
            (
                "warranty",
                &["Avez-vous une garantie ?", "garantie produit"],
            ),
        ],
        questions: &[
            ("quand vais je recevoir le colis", "delivery"),
            ("je veux renvoyer la robe", "return"),
            ("mon sac est abime", "warranty"),
        ],
    },
    Case {
        language: "de",
        entries: &[
            (
                "delivery",
                &["Wie lange dauert der Versand?", "Versandzeit"],
            ),
            (
                "return",
                &["Wie funktioniert die Rücksendung?", "Rücksendung Ablauf"],
            ),
            ("warranty", &["Gibt es Garantie?", "Garantie Anspruch"]),
        ],
        questions: &[
            ("wie schnell liefern sie", "delivery"),
            ("ich will die schuhe zuruckschicken", "return"),
            ("meine tasche ist kaputt", "warranty"),
        ],
    },
    Case {
        language: "pt",
        entries: &[
            (
                "delivery",
                &["Quanto tempo demora a entrega?", "prazo de entrega"],
            ),
            (
                "return",
                &["Como faço uma devolução?", "política de devolução"],
            ),
            ("warranty", &["Tem garantia?", "garantia do produto"]),
        ],
        questions: &[
            ("quando chega", "delivery"),
            ("quero devolver o vestido", "return"),
            ("minha bolsa quebrou", "warranty"),
        ],
    },
    Case {
        language: "it",
        entries: &[
            (
                "delivery",
                &[
                    "Quanto tempo richiede la spedizione?",
                    "tempi di spedizione",
                ],
            ),
            ("return", &["Come faccio un reso?", "politica di reso"]),
            ("warranty", &["C'è una garanzia?", "garanzia prodotto"]),
        ],
        questions: &[
            ("quando arriva", "delivery"),
            ("voglio restituire le scarpe", "return"),
            ("la borsa è rotta", "warranty"),
        ],
    },
];

#[test]
fn every_concept_answers_a_question_no_phrasing_words() {
    let mut failures = Vec::new();
    let (mut answered, mut asked) = (0, 0);
    for case in CASES {
        let language = Language::from_code(case.language);
        let phrasings: Vec<Phrasing> = case
            .entries
            .iter()
            .enumerate()
            .flat_map(|(e, (_, texts))| {
                texts.iter().map(move |text| Phrasing {
                    entry: e as u32,
                    language: case.language.into(),
                    text: (*text).into(),
                })
            })
            .collect();
        let index = FaqIndex::build(&phrasings, &[]);
        let thresholds = Thresholds::calibrated(case.entries.len());
        for &(question, expected) in case.questions {
            let entry = case
                .entries
                .iter()
                .position(|(id, _)| *id == expected)
                .expect("an entry of the case");
            // Only a concept can join them: no content word in common.
            let written: Vec<String> = case.entries[entry]
                .1
                .iter()
                .flat_map(|t| words(t))
                .collect();
            for w in words(question) {
                assert!(
                    flow_runtime::faq::is_function_word(language, &w) || !written.contains(&w),
                    "{question:?} shares {w:?} with {expected}: not a test of a concept"
                );
            }
            // First, and answered, or asked back with it first where a match on function
            // words alone ("¿Cuándo recibo *mi* reembolso?") comes within the lead.
            let ranked = index.rank(question, case.language, 3);
            match decide(&ranked, thresholds) {
                Decision::Answer(r) if r.entry as usize == entry => answered += 1,
                Decision::Unsure(r) if r[0].entry as usize == entry => {}
                other => failures.push(format!(
                    "{} {question:?}: expected {expected}, got {other:?}",
                    case.language
                )),
            }
            asked += 1;
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        answered * 10 >= asked * 9,
        "{answered} of {asked} answered directly"
    );
}
