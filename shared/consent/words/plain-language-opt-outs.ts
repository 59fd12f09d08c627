/*
 * Sentences that are opt-outs in plain language, in each language, with the texts each must
 * catch (every example is a test row). A table of its own: the keyword router
 * (../keyword-router.ts) only asks whether any of them matches.
 */
import type { Language } from '../../domain/language.js';

export interface PlainLanguageOptOut {
  /** Tested against the normalised text, accents folded and apostrophes dropped (DON'T → DONT). */
  pattern: RegExp;
  language: Language;
  /** Texts it must catch; each is a test row. */
  examples: readonly string[];
}

/**
 * Sentences a reasonable person means as "stop texting me" (the FCC's test), in each language.
 * Matched anywhere in the text. Broad on purpose (the ambiguity rule), but never on a bare
 * everyday word, so complaints about roads and bins still reach the inbox.
 */
export const plainLanguageOptOuts: readonly PlainLanguageOptOut[] = [
  {
    pattern: /\b(STOP|QUIT|CEASE) (TEXTING|TEXT|MESSAGING|MESSAGE|SENDING|CONTACTING|CALLING|BOTHERING|SPAMMING|EMAILING|GETTING|RECEIVING)\b/,
    language: 'en',
    examples: ['please stop texting me', 'stop sending me messages', 'Can you quit messaging me', 'I want to stop getting these'],
  },
  {
    pattern: /\b(REMOVE|DELETE|ERASE) (ME|MY (PHONE )?NUMBER|MY DETAILS|MY DATA)\b/,
    language: 'en',
    examples: ['remove me', 'remove me from this list', 'Please delete my number', 'erase my details'],
  },
  {
    pattern: /\bTAKE (ME|MY (PHONE )?NUMBER) OFF\b/,
    language: 'en',
    examples: ['take me off your list', 'Take my number off'],
  },
  {
    pattern: /\b(DONT|DO NOT|NEVER) (EVER )?(TEXT|MESSAGE|CONTACT|SEND|CALL|EMAIL|WHATSAPP) (ME|US|THIS NUMBER|ANYTHING|AGAIN)\b/,
    language: 'en',
    examples: ["don't text me", 'Do not contact me again', 'dont send me anything', 'Never message this number'],
  },
  {
    pattern: /\bNO (MORE|FURTHER) (MESSAGES?|TEXTS?|MSGS|SMS|ALERTS|UPDATES|NOTIFICATIONS|CONTACT)\b|^NO MORE$/,
    language: 'en',
    examples: ['no more messages', 'No more texts please', 'NO MORE!!'],
  },
  {
    // UNSUBSCRIBE after a request ("I want to", "how do I"); UNSUBSCRIBE and a topic leaves the topic.
    pattern: /\bOPT (ME )?OUT\b|\b(WANT|LIKE|NEED|WISH|HOW|CAN|COULD|MAY|TRYING|TRIED)( (DO|CAN|I|TO|YOU|PLEASE))* UNSUBSCRIBE\b/,
    language: 'en',
    examples: ['opt out', 'Opt me out', 'I want to unsubscribe', 'how do I unsubscribe?'],
  },
  {
    pattern: /\b(CANCEL|END|STOP) (MY |THE |THIS )?(SUBSCRIPTIONS?|MEMBERSHIP)\b/,
    language: 'en',
    examples: ['cancel my subscription', 'End this subscription'],
  },
  {
    pattern: /\b(DONT|DO NOT) WANT (THESE|THIS|THEM|ANY|YOUR|MORE|TO (GET|RECEIVE|BE ON))\b/,
    language: 'en',
    examples: ["I don't want these messages", 'I do not want to receive this'],
  },
  {
    pattern: /\bLEAVE ME ALONE\b|\bWRONG NUMBER\b|^(IM |I AM )?NOT INTERESTED\b/,
    language: 'en',
    examples: ['leave me alone', 'Wrong number', "I'm not interested"],
  },
  {
    // Peidiwch ag anfon / â chysylltu (don't send / contact).
    pattern: /\bPEIDIWCH (AG|A) (ANFON|TECSTIO|DECSTIO|CHYSYLLTU|GYSYLLTU|NEGESEUO)\b/,
    language: 'cy',
    examples: ['Peidiwch ag anfon negeseuon ata i', 'peidiwch â chysylltu â fi'],
  },
  {
    // Dim rhagor / dim mwy o negeseuon (no more messages).
    pattern: /\bDIM (RHAGOR|MWY)( O)? (NEGESEUON|DECSTIAU|TECSTIAU|NEGES)\b|^DIM RHAGOR$/,
    language: 'cy',
    examples: ['dim rhagor o negeseuon', 'Dim mwy o negeseuon, diolch', 'DIM RHAGOR'],
  },
  {
    // Tynnwch fi oddi ar y rhestr (take me off the list); dilëwch fy rhif / manylion (delete my number / details).
    pattern: /\bTYNNWCH (FI|FY RHIF)\b|\b(DILEU|DILEWCH) FY (RHIF|MANYLION)\b/,
    language: 'cy',
    examples: ['Tynnwch fi oddi ar y rhestr', 'dilëwch fy rhif'],
  },
  {
    // Dw i ddim eisiau'r negeseuon (I don't want the messages); rhif anghywir (wrong number).
    pattern: /\bDDIM (EISIAU|EISIAUR|ISIO|ISIOR|ISHE|ISHER) (Y |YR )?(NEGESEUON|RHAGOR|TECSTIAU|HYN)\b|\bRHIF ANGHYWIR\b/,
    language: 'cy',
    examples: ["Dw i ddim eisiau'r negeseuon hyn", 'rhif anghywir'],
  },
  {
    // No más (no more), the FCC's own example of a Spanish opt-out.
    pattern: /\bNO MAS (MENSAJES|SMS|TEXTOS|ALERTAS|AVISOS)\b|^NO MAS$/,
    language: 'es',
    examples: ['no más mensajes', 'No mas!', 'NO MÁS SMS POR FAVOR'],
  },
  {
    pattern: /\bNO ME (ENVIEN|MANDEN|ESCRIBAN|ENVIES|MANDES|ESCRIBAS|CONTACTEN|LLAMEN|MOLESTEN)\b/,
    language: 'es',
    examples: ['No me envíen más mensajes', 'no me manden nada'],
  },
  {
    pattern: /\bNO (QUIERO|DESEO) (RECIBIR|MAS|MENSAJES|ESTOS|ESOS|SUS)\b/,
    language: 'es',
    examples: ['Ya no quiero recibir mensajes', 'no quiero más mensajes'],
  },
  {
    // Darse de baja (to unsubscribe), dejar de enviar (to stop sending).
    pattern: /\b(DAR|DARME|DARSE|DOY|DEN|DE) DE BAJA\b|\bDEJ(EN|E|A|AR) DE (ENVIAR|MANDAR|ESCRIBIR|CONTACTAR)(ME|NOS)?\b/,
    language: 'es',
    examples: ['quiero darme de baja', 'Dejen de enviarme mensajes'],
  },
  {
    pattern: /\b(BORRAR|BORREN|ELIMINAR|ELIMINEN|QUITAR|QUITEN|SACAR|SAQUEN) (MI NUMERO|MIS DATOS)\b|\b(BORRENME|ELIMINENME|QUITENME|SAQUENME)\b|\bNUMERO EQUIVOCADO\b/,
    language: 'es',
    examples: ['Borren mi número', 'sáquenme de la lista', 'número equivocado'],
  },
  {
    pattern: /\b(CANCELAR|ANULAR) (MI |LA )?SUSCRIPCION\b/,
    language: 'es',
    examples: ['cancelar mi suscripción'],
  },
];
