//! A question that waits for an answer does not swallow everything: the shopper may ask
//! something else, leave the question, or ask for a person, and is answered and asked again.

use expect_test::expect;

use super::check;

const SHOP: &str = r##"{
  "version": 1,
  "bot": { "name": "Fern", "languages": ["en", "es"], "menu": "menu" },
  "order_number": "#?[0-9]{5}",
  "steps": [
    { "id": "menu", "type": "message", "text": "Anything else?",
      "quick_replies": [ { "label": "Track my order", "goto": "ask-number" }, { "label": "Sizing", "goto": "size-kind" },
                         { "label": "Feedback", "goto": "ask-feedback" }, { "label": "Gift wrap", "goto": "ask-wrap" } ] },
    { "id": "ask-number", "type": "ask", "text": { "en": "What's your order number?", "es": "¿Cuál es tu número de pedido?" },
      "var": "order_number", "expect": "order_number", "retry_text": "Order numbers have five digits.", "next": "have-email" },
    { "id": "have-email", "type": "condition", "branches": [ { "when": { "email": { "set": true } }, "goto": "lookup" } ],
      "otherwise": "ask-email" },
    { "id": "ask-email", "type": "ask", "text": "And your email?", "var": "email", "expect": "email",
      "reprompt": "I still need the email you ordered with.", "next": "lookup" },
    { "id": "lookup", "type": "order_lookup", "number": "order_number", "email": "email",
      "found": "found", "not_found": "menu", "error": "menu" },
    { "id": "found", "type": "message", "text": "Order {{order.number}} is {{order.status}}." },
    { "id": "size-kind", "type": "ask", "text": "What are you sizing?", "var": "size_kind",
      "expect": "choice", "next": "size-done",
      "choices": [ { "en": "Shoes", "es": "Zapatillas" }, { "en": "Jackets", "es": "Chaquetas" }, "Hoodies" ] },
    { "id": "size-done", "type": "message", "text": "{{size_kind}} run true to size." },
    { "id": "ask-feedback", "type": "ask", "text": "What could we do better?", "var": "feedback", "next": "thanks" },
    { "id": "thanks", "type": "message", "text": "Thanks, noted." },
    { "id": "ask-wrap", "type": "ask", "text": "Which wrapping?", "var": "wrap", "expect": "choice",
      "choices": ["Paper", "Box"], "strict": true, "max_retries": 3, "next": "wrapped" },
    { "id": "wrapped", "type": "message", "text": "{{wrap}} it is." },
    { "id": "handoff", "type": "handoff", "text": "Getting someone.", "available": "menu", "offline": "menu", "error": "menu" }
  ],
  "faq": {
    "entries": [
      { "id": "returns", "question": { "en": "How do returns work?", "es": "¿Cómo funcionan las devoluciones?" },
        "phrasings": { "en": ["return policy", "send an item back", "how do returns work"], "es": ["política de devoluciones"] },
        "answer": { "text": { "en": "30 days, free.", "es": "30 días, gratis." } } },
      { "id": "payment", "question": "Which payment methods do you take?",
        "phrasings": ["can I pay with paypal", "credit cards accepted", "apple pay"],
        "answer": "Visa, Mastercard, PayPal." },
      { "id": "sizing", "question": "How do your sizes run?", "phrasings": ["size chart", "what size should I get"],
        "goto": "size-kind" },
      { "id": "shipping", "question": "How much is shipping?", "phrasings": ["shipping cost", "delivery fee"],
        "answer": "Free over $75." }
    ]
  }
}"##;

#[test]
fn an_faq_question_is_answered_and_the_question_asked_again() {
    check(
        SHOP,
        "open\npick Track my order\nsay actually, what's your return policy?\nsay how do returns work\nsay it's #10234\nsay can I pay with paypal\nsay ana@example.com",
        expect![[r#"
            > open
              · opened
              Fern: Anything else?
              [Track my order] [Sizing] [Feedback] [Gift wrap]
            > pick Track my order
              shopper: Track my order
              · quick_reply label=Track my order action=goto target=ask-number
              Fern: What's your order number?
            > say actually, what's your return policy?
              shopper: actually, what's your return policy?
              · faq_answered entry=returns confidence=0.44 question=actually, what's your return policy?
              Fern: 30 days, free.
              Fern: Back to my question: What's your order number?
            > say how do returns work
              shopper: how do returns work
              · faq_answered entry=returns confidence=1 question=how do returns work
              Fern: 30 days, free.
              Fern: Back to my question: What's your order number?
            > say it's #10234
              shopper: it's #10234
              Fern: And your email?
            > say can I pay with paypal
              shopper: can I pay with paypal
              · faq_answered entry=payment confidence=1 question=can I pay with paypal
              Fern: Visa, Mastercard, PayPal.
              Fern: I still need the email you ordered with.
            > say ana@example.com
              shopper: ana@example.com
              → look up order 10234 for ana@example.com
              (composer waits: Looking up your order…)
        "#]],
    );
}

#[test]
fn what_looks_like_the_answer_is_the_answer() {
    check(
        SHOP,
        "open\npick Track my order\nsay my order is 10234 and my email is ana@example.com\norder not_found\npick Sizing\nsay the jakets\nsay menu\npick Sizing\nsay 2nd one\nsay menu\npick Sizing\nsay shoe",
        expect![[r#"
            > open
              · opened
              Fern: Anything else?
              [Track my order] [Sizing] [Feedback] [Gift wrap]
            > pick Track my order
              shopper: Track my order
              · quick_reply label=Track my order action=goto target=ask-number
              Fern: What's your order number?
            > say my order is 10234 and my email is ana@example.com
              shopper: my order is 10234 and my email is ana@example.com
              → look up order 10234 for ana@example.com
              (composer waits: Looking up your order…)
            > order not_found
              · order_lookup result=not_found
              Fern: Anything else?
              [Track my order] [Sizing] [Feedback] [Gift wrap]
            > pick Sizing
              shopper: Sizing
              · quick_reply label=Sizing action=goto target=size-kind
              Fern: What are you sizing?
              [Shoes] [Jackets] [Hoodies]
            > say the jakets
              shopper: the jakets
              Fern: Jackets run true to size.
            > say menu
              shopper: menu
              Fern: Anything else?
              [Track my order] [Sizing] [Feedback] [Gift wrap]
            > pick Sizing
              shopper: Sizing
              · quick_reply label=Sizing action=goto target=size-kind
              Fern: What are you sizing?
              [Shoes] [Jackets] [Hoodies]
            > say 2nd one
              shopper: 2nd one
              Fern: Jackets run true to size.
            > say menu
              shopper: menu
              Fern: Anything else?
              [Track my order] [Sizing] [Feedback] [Gift wrap]
            > pick Sizing
              shopper: Sizing
              · quick_reply label=Sizing action=goto target=size-kind
              Fern: What are you sizing?
              [Shoes] [Jackets] [Hoodies]
            > say shoe
              shopper: shoe
              Fern: Shoes run true to size.
        "#]],
    );
}

#[test]
fn never_mind_leaves_the_question() {
    check(
        SHOP,
        "open\npick Track my order\nsay never mind\npick Sizing\nsay olvídalo",
        expect![[r#"
            > open
              · opened
              Fern: Anything else?
              [Track my order] [Sizing] [Feedback] [Gift wrap]
            > pick Track my order
              shopper: Track my order
              · quick_reply label=Track my order action=goto target=ask-number
              Fern: What's your order number?
            > say never mind
              shopper: never mind
              Fern: OK, let’s leave that.
              Fern: Anything else?
              [Track my order] [Sizing] [Feedback] [Gift wrap]
              · question_left step=ask-number
            > pick Sizing
              shopper: Sizing
              · quick_reply label=Sizing action=goto target=size-kind
              Fern: What are you sizing?
              [Shoes] [Jackets] [Hoodies]
            > say olvídalo
              shopper: olvídalo
              Fern: OK, let’s leave that.
              Fern: Anything else?
              [Track my order] [Sizing] [Feedback] [Gift wrap]
              · question_left step=size-kind
        "#]],
    );
}

#[test]
fn asking_for_a_person_or_sounding_frustrated_offers_one() {
    check(
        SHOP,
        "open\npick Track my order\nsay can I talk to a real person\npick No, thanks\nsay menu\npick Track my order\nsay this is useless!!!",
        expect![[r#"
            > open
              · opened
              Fern: Anything else?
              [Track my order] [Sizing] [Feedback] [Gift wrap]
            > pick Track my order
              shopper: Track my order
              · quick_reply label=Track my order action=goto target=ask-number
              Fern: What's your order number?
            > say can I talk to a real person
              shopper: can I talk to a real person
              · human_offered reason=asked
              Fern: Would you like to talk to a person from our team?
              [Yes, connect me] [No, thanks]
            > pick No, thanks
              shopper: No, thanks
              · quick_reply label=No, thanks action=decline target=
              Fern: Alright! Ask me anything else.
            > say menu
              shopper: menu
              Fern: Anything else?
              [Track my order] [Sizing] [Feedback] [Gift wrap]
            > pick Track my order
              shopper: Track my order
              · quick_reply label=Track my order action=goto target=ask-number
              Fern: What's your order number?
            > say this is useless!!!
              shopper: this is useless!!!
              · human_offered reason=frustrated
              Fern: Would you like to talk to a person from our team?
              [Yes, connect me] [No, thanks]
        "#]],
    );
}

#[test]
fn something_else_that_is_not_an_answer_is_still_a_retry() {
    check(
        SHOP,
        "open\npick Track my order\nsay flibbertigibbet\nsay cancel\npick Sizing\nsay socks",
        expect![[r#"
            > open
              · opened
              Fern: Anything else?
              [Track my order] [Sizing] [Feedback] [Gift wrap]
            > pick Track my order
              shopper: Track my order
              · quick_reply label=Track my order action=goto target=ask-number
              Fern: What's your order number?
            > say flibbertigibbet
              shopper: flibbertigibbet
              Fern: Order numbers have five digits.
            > say cancel
              shopper: cancel
              Fern: OK, let’s leave that.
              Fern: Anything else?
              [Track my order] [Sizing] [Feedback] [Gift wrap]
              · question_left step=ask-number
            > pick Sizing
              shopper: Sizing
              · quick_reply label=Sizing action=goto target=size-kind
              Fern: What are you sizing?
              [Shoes] [Jackets] [Hoodies]
            > say socks
              shopper: socks
              Fern: Please pick one of the options.
              [Shoes] [Jackets] [Hoodies]
        "#]],
    );
}

#[test]
fn a_free_answer_is_anything_but_a_question_of_its_own() {
    check(
        SHOP,
        "open\npick Feedback\nsay how much is shipping?\nsay faster shipping would be nice",
        expect![[r#"
            > open
              · opened
              Fern: Anything else?
              [Track my order] [Sizing] [Feedback] [Gift wrap]
            > pick Feedback
              shopper: Feedback
              · quick_reply label=Feedback action=goto target=ask-feedback
              Fern: What could we do better?
            > say how much is shipping?
              shopper: how much is shipping?
              · faq_answered entry=shipping confidence=1 question=how much is shipping?
              Fern: Free over $75.
              Fern: Back to my question: What could we do better?
            > say faster shipping would be nice
              shopper: faster shipping would be nice
              Fern: Thanks, noted.
        "#]],
    );
}

#[test]
fn a_strict_question_takes_everything_as_the_answer() {
    check(
        SHOP,
        "open\npick Gift wrap\nsay can I pay with paypal\nsay never mind\nsay box",
        expect![[r#"
            > open
              · opened
              Fern: Anything else?
              [Track my order] [Sizing] [Feedback] [Gift wrap]
            > pick Gift wrap
              shopper: Gift wrap
              · quick_reply label=Gift wrap action=goto target=ask-wrap
              Fern: Which wrapping?
              [Paper] [Box]
            > say can I pay with paypal
              shopper: can I pay with paypal
              Fern: Please pick one of the options.
              [Paper] [Box]
            > say never mind
              shopper: never mind
              Fern: Please pick one of the options.
              [Paper] [Box]
            > say box
              shopper: box
              Fern: Box it is.
        "#]],
    );
}

#[test]
fn a_digression_inside_a_digression_comes_back_to_both() {
    check(
        SHOP,
        "open\npick Track my order\nsay what size should I get\nsay can I pay with paypal\nsay Hoodies\nsay 10234",
        expect![[r#"
            > open
              · opened
              Fern: Anything else?
              [Track my order] [Sizing] [Feedback] [Gift wrap]
            > pick Track my order
              shopper: Track my order
              · quick_reply label=Track my order action=goto target=ask-number
              Fern: What's your order number?
            > say what size should I get
              shopper: what size should I get
              · faq_answered entry=sizing confidence=1 question=what size should I get
              Fern: What are you sizing?
              [Shoes] [Jackets] [Hoodies]
            > say can I pay with paypal
              shopper: can I pay with paypal
              · faq_answered entry=payment confidence=1 question=can I pay with paypal
              Fern: Visa, Mastercard, PayPal.
              Fern: Back to my question: What are you sizing?
              [Shoes] [Jackets] [Hoodies]
            > say Hoodies
              shopper: Hoodies
              Fern: Hoodies run true to size.
              Fern: Back to my question: What's your order number?
            > say 10234
              shopper: 10234
              Fern: And your email?
        "#]],
    );
}

#[test]
fn a_reload_in_the_middle_of_a_digression_keeps_it() {
    check(
        SHOP,
        "open\npick Track my order\nsay what size should I get\nreload\nsay jackets\nreload\nsay 10234",
        expect![[r#"
            > open
              · opened
              Fern: Anything else?
              [Track my order] [Sizing] [Feedback] [Gift wrap]
            > pick Track my order
              shopper: Track my order
              · quick_reply label=Track my order action=goto target=ask-number
              Fern: What's your order number?
            > say what size should I get
              shopper: what size should I get
              · faq_answered entry=sizing confidence=1 question=what size should I get
              Fern: What are you sizing?
              [Shoes] [Jackets] [Hoodies]
            > reload
              Fern: Anything else?
              shopper: Track my order
              Fern: What's your order number?
              shopper: what size should I get
              Fern: What are you sizing?
              [Shoes] [Jackets] [Hoodies]
              (panel opens)
            > say jackets
              shopper: jackets
              Fern: Jackets run true to size.
              Fern: Back to my question: What's your order number?
            > reload
              Fern: Anything else?
              shopper: Track my order
              Fern: What's your order number?
              shopper: what size should I get
              Fern: What are you sizing?
              shopper: jackets
              Fern: Jackets run true to size.
              Fern: Back to my question: What's your order number?
              (panel opens)
            > say 10234
              shopper: 10234
              Fern: And your email?
        "#]],
    );
}

#[test]
fn spanish_digressions() {
    check(
        SHOP,
        "page / es\nopen\npick Track my order\nsay cual es la politica de devoluciones\nsay da igual",
        expect![[r#"
            > page / es
            > open
              · opened
              Fern: Anything else?
              [Track my order] [Sizing] [Feedback] [Gift wrap]
            > pick Track my order
              shopper: Track my order
              · quick_reply label=Track my order action=goto target=ask-number
              Fern: ¿Cuál es tu número de pedido?
            > say cual es la politica de devoluciones
              shopper: cual es la politica de devoluciones
              · faq_answered entry=returns confidence=0.564 question=cual es la politica de devoluciones
              Fern: 30 días, gratis.
              Fern: Volviendo a mi pregunta: ¿Cuál es tu número de pedido?
            > say da igual
              shopper: da igual
              Fern: De acuerdo, lo dejamos.
              Fern: Anything else?
              [Track my order] [Sizing] [Feedback] [Gift wrap]
              · question_left step=ask-number
        "#]],
    );
}

#[test]
fn choices_are_offered_in_the_shoppers_language_and_kept_in_the_flows() {
    // The quick replies and what the shopper may type are the Spanish labels (or the
    // flow's own words); the variable keeps the option as the flow names it.
    check(
        SHOP,
        "page / es\nopen\npick Sizing\npick Chaquetas",
        expect![[r#"
            > page / es
            > open
              · opened
              Fern: Anything else?
              [Track my order] [Sizing] [Feedback] [Gift wrap]
            > pick Sizing
              shopper: Sizing
              · quick_reply label=Sizing action=goto target=size-kind
              Fern: What are you sizing?
              [Zapatillas] [Chaquetas] [Hoodies]
            > pick Chaquetas
              shopper: Chaquetas
              · quick_reply label=Chaquetas action=answer target=Chaquetas
              Fern: Jackets run true to size.
        "#]],
    );
    check(
        SHOP,
        "page / es\nopen\npick Sizing\nsay las zapatillas",
        expect![[r#"
            > page / es
            > open
              · opened
              Fern: Anything else?
              [Track my order] [Sizing] [Feedback] [Gift wrap]
            > pick Sizing
              shopper: Sizing
              · quick_reply label=Sizing action=goto target=size-kind
              Fern: What are you sizing?
              [Zapatillas] [Chaquetas] [Hoodies]
            > say las zapatillas
              shopper: las zapatillas
              Fern: Shoes run true to size.
        "#]],
    );
    check(
        SHOP,
        "page / es\nopen\npick Sizing\nsay jackets",
        expect![[r#"
            > page / es
            > open
              · opened
              Fern: Anything else?
              [Track my order] [Sizing] [Feedback] [Gift wrap]
            > pick Sizing
              shopper: Sizing
              · quick_reply label=Sizing action=goto target=size-kind
              Fern: What are you sizing?
              [Zapatillas] [Chaquetas] [Hoodies]
            > say jackets
              shopper: jackets
              Fern: Jackets run true to size.
        "#]],
    );
}
