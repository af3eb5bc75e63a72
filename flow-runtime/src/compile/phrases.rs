//! The few things the engine says on its own, in the languages Bellhop knows. The compiler
//! copies those of the flow's languages into the compiled flow, so the browser carries only
//! what it needs. Flows replace the important ones with steps (the human offer, the
//! fallback, retry prompts).

use crate::flow::Phrase;

/// The phrase in `lang` (a two-letter code), falling back to English.
pub fn say(phrase: Phrase, lang: &str) -> &'static str {
    use Phrase::*;
    let lang = lang.get(..2).unwrap_or("en");
    let row: [&'static str; 6] = match phrase {
        OfferHuman => [
            "Would you like to talk to a person from our team?",
            "¿Quieres hablar con una persona de nuestro equipo?",
            "Voulez-vous parler à une personne de notre équipe ?",
            "Möchten Sie mit einer Person aus unserem Team sprechen?",
            "Quer falar com uma pessoa da nossa equipe?",
            "Vuoi parlare con una persona del nostro team?",
        ],
        OfferHumanYes => [
            "Yes, connect me",
            "Sí, por favor",
            "Oui, merci",
            "Ja, bitte",
            "Sim, por favor",
            "Sì, grazie",
        ],
        OfferHumanNo => [
            "No, thanks",
            "No, gracias",
            "Non merci",
            "Nein, danke",
            "Não, obrigado",
            "No, grazie",
        ],
        Declined => [
            "Alright! Ask me anything else.",
            "¡De acuerdo! Pregúntame lo que quieras.",
            "D’accord ! Posez-moi une autre question.",
            "Alles klar! Fragen Sie mich gern etwas anderes.",
            "Certo! Pergunte-me outra coisa.",
            "Va bene! Chiedimi pure altro.",
        ],
        Lost => [
            "Sorry, I lost my place. Let’s start again.",
            "Lo siento, me he perdido. Empecemos de nuevo.",
            "Désolé, je me suis perdu. Recommençons.",
            "Entschuldigung, ich habe den Faden verloren. Fangen wir neu an.",
            "Desculpe, eu me perdi. Vamos recomeçar.",
            "Scusa, ho perso il filo. Ricominciamo.",
        ],
        Updated => [
            "This assistant was just updated, so we’re starting over.",
            "Este asistente se acaba de actualizar, así que empezamos de nuevo.",
            "Cet assistant vient d’être mis à jour : nous recommençons.",
            "Dieser Assistent wurde gerade aktualisiert, wir fangen neu an.",
            "Este assistente foi atualizado, então vamos recomeçar.",
            "Questo assistente è stato appena aggiornato, quindi ricominciamo.",
        ],
        DidYouMean => [
            "Did you mean:",
            "¿Quisiste decir…?",
            "Vouliez-vous dire :",
            "Meinten Sie:",
            "Você quis dizer:",
            "Intendevi:",
        ],
        NoneOfThese => [
            "None of these",
            "Ninguna de estas",
            "Aucune de ces questions",
            "Nichts davon",
            "Nenhuma destas",
            "Nessuna di queste",
        ],
        Connecting => [
            "Connecting you to a person…",
            "Te estamos conectando con una persona…",
            "Nous vous mettons en relation…",
            "Wir verbinden Sie mit einer Person…",
            "Conectando você a uma pessoa…",
            "Ti stiamo mettendo in contatto con una persona…",
        ],
        LookingUp => [
            "Looking up your order…",
            "Buscando tu pedido…",
            "Recherche de votre commande…",
            "Wir suchen Ihre Bestellung…",
            "Procurando seu pedido…",
            "Cerco il tuo ordine…",
        ],
        Sending => [
            "Sending…",
            "Enviando…",
            "Envoi…",
            "Wird gesendet…",
            "Enviando…",
            "Invio…",
        ],
        Joined => [
            "joined the conversation",
            "se ha unido a la conversación",
            "a rejoint la conversation",
            "ist dem Gespräch beigetreten",
            "entrou na conversa",
            "si è unito alla conversazione",
        ],
        Closed => [
            "The conversation was closed. Thank you!",
            "La conversación se ha cerrado. ¡Gracias!",
            "La conversation est terminée. Merci !",
            "Das Gespräch wurde beendet. Danke!",
            "A conversa foi encerrada. Obrigado!",
            "La conversazione è stata chiusa. Grazie!",
        ],
        NotDelivered => [
            "A message could not be delivered. Please try again.",
            "No se pudo entregar un mensaje. Inténtalo de nuevo.",
            "Un message n’a pas pu être envoyé. Veuillez réessayer.",
            "Eine Nachricht konnte nicht zugestellt werden. Bitte versuchen Sie es erneut.",
            "Uma mensagem não pôde ser entregue. Tente novamente.",
            "Un messaggio non è stato consegnato. Riprova.",
        ],
        Fallback => [
            "Sorry, I didn’t understand that. Could you say it another way?",
            "Lo siento, no lo he entendido. ¿Puedes decirlo de otra forma?",
            "Désolé, je n’ai pas compris. Pouvez-vous reformuler ?",
            "Entschuldigung, das habe ich nicht verstanden. Können Sie es anders sagen?",
            "Desculpe, não entendi. Pode dizer de outra forma?",
            "Scusa, non ho capito. Puoi dirlo in un altro modo?",
        ],
        RetryText => [
            "Could you type your answer?",
            "¿Puedes escribir tu respuesta?",
            "Pouvez-vous écrire votre réponse ?",
            "Können Sie Ihre Antwort eingeben?",
            "Pode digitar sua resposta?",
            "Puoi scrivere la tua risposta?",
        ],
        RetryEmail => [
            "That doesn’t look like an email address. Could you check it?",
            "Eso no parece un correo electrónico. ¿Puedes revisarlo?",
            "Cela ne ressemble pas à une adresse e-mail. Pouvez-vous vérifier ?",
            "Das sieht nicht wie eine E-Mail-Adresse aus. Können Sie sie prüfen?",
            "Isso não parece um e-mail. Pode verificar?",
            "Non sembra un indirizzo email. Puoi controllarlo?",
        ],
        RetryPhone => [
            "That doesn’t look like a phone number. Could you check it?",
            "Eso no parece un número de teléfono. ¿Puedes revisarlo?",
            "Cela ne ressemble pas à un numéro de téléphone. Pouvez-vous vérifier ?",
            "Das sieht nicht wie eine Telefonnummer aus. Können Sie sie prüfen?",
            "Isso não parece um número de telefone. Pode verificar?",
            "Non sembra un numero di telefono. Puoi controllarlo?",
        ],
        RetryNumber => [
            "Please answer with a number in the range I asked for.",
            "Responde con un número dentro del rango indicado.",
            "Veuillez répondre par un nombre dans l’intervalle demandé.",
            "Bitte antworten Sie mit einer Zahl im genannten Bereich.",
            "Responda com um número dentro do intervalo pedido.",
            "Rispondi con un numero nell’intervallo richiesto.",
        ],
        RetryChoice => [
            "Please pick one of the options.",
            "Elige una de las opciones.",
            "Veuillez choisir une des options.",
            "Bitte wählen Sie eine der Optionen.",
            "Escolha uma das opções.",
            "Scegli una delle opzioni.",
        ],
        RetryPattern => [
            "That doesn’t look right. Could you check it?",
            "Eso no parece correcto. ¿Puedes revisarlo?",
            "Cela ne semble pas correct. Pouvez-vous vérifier ?",
            "Das scheint nicht zu stimmen. Können Sie es prüfen?",
            "Isso não parece correto. Pode verificar?",
            "Non sembra corretto. Puoi controllare?",
        ],
    };
    let i = match lang {
        "es" => 1,
        "fr" => 2,
        "de" => 3,
        "pt" => 4,
        "it" => 5,
        _ => 0,
    };
    row[i]
}
