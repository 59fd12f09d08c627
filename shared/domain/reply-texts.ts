/**
 * The built-in texts crier says to residents, in each of its languages, and how to stop in each.
 * A word table: long because it holds every reply in every language, one block per language so a
 * translator reviews one block. The rules that choose, fill and finish a reply are in replies.ts.
 *
 * Length: one SMS segment is 160 characters in GSM-7, but only 70 in UCS-2, and one character
 * outside GSM-7 turns the whole message into UCS-2. The accents of Spanish á í ó ú and the Welsh
 * circumflex (â ê î ô û ŵ ŷ) are outside it (é, ñ, ü, ¿ and ¡ are in). So the texts take the
 * accent-free phrasing where it is as natural ("ya no le enviaremos mensajes", not "no recibirá
 * más"; "Mae eich negeseuon wedi ailddechrau", not "Croeso'n ôl"), and keep correct spelling
 * where it is not (SÍ, código postal), at the cost of a second segment. A topic or service name
 * with an accent does the same. Texts stay short: one idea, one instruction. WhatsApp has no
 * segments; the same texts serve both.
 *
 * Command words in replies are those of the reply's language (YMUNO, UNIRSE), which the router
 * understands, except STOP and START, which every language prints: those are the words carriers
 * act on themselves, so they work on every channel and provider.
 *
 * Welsh mutates the first letter of a word after some prepositions (i, o, gan, â), which a
 * template cannot do to a topic or service name it does not know, so the Welsh texts never put a
 * name straight after one ("i'r pwnc Traffig", "the topic Traffic", not "i Draffig").
 */
import { endonyms, languageNames, languages, type Language } from './language.js';

export type ReplyId =
  | 'subscribed'
  | 'alreadySubscribed'
  | 'confirmPrompt'
  | 'confirmed'
  | 'nothingToConfirm'
  | 'unknownTopic'
  | 'optedOut'
  | 'leftTopic'
  | 'notSubscribedToTopic'
  | 'restored'
  | 'help'
  | 'topicsList'
  | 'areaSet'
  | 'invalidArea'
  | 'languageSet'
  | 'invalidLanguage'
  | 'ageSet'
  | 'underAge'
  | 'invalidAge'
  | 'inboxAcknowledgement'
  | 'notUnderstood'
  | 'slowDown';

export const replyIds = [
  'subscribed',
  'alreadySubscribed',
  'confirmPrompt',
  'confirmed',
  'nothingToConfirm',
  'unknownTopic',
  'optedOut',
  'leftTopic',
  'notSubscribedToTopic',
  'restored',
  'help',
  'topicsList',
  'areaSet',
  'invalidArea',
  'languageSet',
  'invalidLanguage',
  'ageSet',
  'underAge',
  'invalidAge',
  'inboxAcknowledgement',
  'notUnderstood',
  'slowDown',
] as const satisfies readonly ReplyId[];

/** How to stop, in each language. STOP itself is the same everywhere (see above). */
export const stopInstructions: Record<Language, string> = {
  en: 'Reply STOP to stop.',
  cy: 'Atebwch STOP i stopio.',
  es: 'Responda STOP para cancelar.',
};

/**
 * How to stop a message from an alphanumeric sender ID, which nobody can reply to: text STOP to
 * one of the deployment's two-way numbers. "Mande", not "Envíe": the accent would make the whole
 * text UCS-2 (see above). Each reads as an instruction to send STOP, so a body that already has
 * one is left as it is.
 */
export const textStopInstructions: Record<Language, (number: string) => string> = {
  en: (number) => `Text STOP to ${number} to stop.`,
  cy: (number) => `Tecstiwch STOP i ${number} i stopio.`,
  es: (number) => `Mande STOP al ${number} para cancelar.`,
};

/** Params with every value present, as the built-in texts read them. */
export interface ReplyValues {
  serviceName: string;
  contact: string;
  topicName: string;
  topicNames: string[];
  keywords: string[];
  subscribedNames: string[];
  word: string;
  area: string;
  language: Language;
  band: string;
}
type Text = (values: ReplyValues) => string;

/** Lists in a reply are joined with commas, in the built-in texts and in operators' placeholders alike. */
export const list = (items: string[]): string => items.join(', ');

/**
 * The built-in texts, one block per language so a translator reviews one block. The footer
 * (how to stop) is not part of them: renderReply (replies.ts) adds it.
 */
export const catalogue: Record<Language, Record<ReplyId, Text>> = {
  en: {
    subscribed: (v) => `You're subscribed to ${v.topicName}.`,
    alreadySubscribed: (v) => `You're already subscribed to ${v.topicName}.`,
    confirmPrompt: (v) => `To confirm ${v.topicName}, reply YES within 24 hours.`,
    confirmed: (v) => `Thanks, that's confirmed. You're subscribed to ${v.topicName}.`,
    nothingToConfirm: () => `There's nothing to confirm. Text JOIN and a topic to subscribe.`,
    unknownTopic: (v) =>
      v.keywords.length > 0
        ? `We don't have a topic called ${v.word}. Topics: ${list(v.keywords)}. Text JOIN and a topic to subscribe.`
        : `We don't have a topic called ${v.word}.`,
    optedOut: (v) => `${v.serviceName}: you've been unsubscribed and won't get any more messages. Text START to come back.`,
    leftTopic: (v) => `You won't get ${v.topicName} messages any more.`,
    notSubscribedToTopic: (v) => `You're not subscribed to ${v.topicName}. Text TOPICS to see yours.`,
    restored: (v) =>
      v.topicNames.length > 0
        ? `Welcome back. You're subscribed again to ${list(v.topicNames)}.`
        : `Welcome back. Text JOIN and a topic to subscribe.`,
    help: (v) =>
      `This service is run by ${v.serviceName}. ` +
      (v.keywords.length > 0 ? `Topics: ${list(v.keywords)}. To join, text JOIN and a topic. ` : `There are no topics yet. `) +
      `Contact: ${v.contact}.`,
    topicsList: (v) =>
      (v.keywords.length > 0 ? `Topics: ${list(v.keywords)}. ` : `There are no topics yet. `) +
      (v.subscribedNames.length > 0 ? `You have: ${list(v.subscribedNames)}.` : `You have none yet. Text JOIN and a topic to join.`),
    areaSet: (v) => `We've saved your area: ${v.area}.`,
    invalidArea: () => `Sorry, we didn't recognise that area. Text AREA and the first part of your postcode, e.g. AREA CF10.`,
    languageSet: (v) => `We'll write to you in ${languageNames.en[v.language]}.`,
    invalidLanguage: () => `Sorry, we don't have that language. Text LANG and one of: ${list(languages.map((l) => endonyms[l]))}.`,
    ageSet: (v) => `Thanks. We keep only your age group (${v.band}), not your age.`,
    underAge: () => `Sorry, you must be 13 or over to join. We haven't kept your details.`,
    invalidAge: () => `Sorry, we didn't understand that. Text AGE and your age in years, e.g. AGE 16.`,
    inboxAcknowledgement: (v) => `Thanks, we've passed your message on. If it's urgent, contact ${v.contact}.`,
    notUnderstood: () => `Sorry, we didn't understand that. Text HELP for help.`,
    slowDown: () => `You've sent a lot of messages. Please wait a while before sending more.`,
  },
  cy: {
    subscribed: (v) => `Rydych wedi tanysgrifio i'r pwnc ${v.topicName}.`,
    alreadySubscribed: (v) => `Rydych eisoes wedi tanysgrifio i'r pwnc ${v.topicName}.`,
    confirmPrompt: (v) => `I gadarnhau'r pwnc ${v.topicName}, atebwch IE o fewn 24 awr.`,
    confirmed: (v) => `Diolch, mae wedi'i gadarnhau. Rydych wedi tanysgrifio i'r pwnc ${v.topicName}.`,
    nothingToConfirm: () => `Does dim byd i'w gadarnhau. Anfonwch YMUNO a phwnc i danysgrifio.`,
    unknownTopic: (v) =>
      v.keywords.length > 0
        ? `Does dim pwnc o'r enw ${v.word}. Pynciau: ${list(v.keywords)}. Anfonwch YMUNO a phwnc i danysgrifio.`
        : `Does dim pwnc o'r enw ${v.word}.`,
    optedOut: (v) => `${v.serviceName}: rydych wedi dad-danysgrifio ac ni fyddwch yn cael rhagor o negeseuon. Anfonwch START i ailddechrau.`,
    leftTopic: (v) => `Ni fyddwch yn cael negeseuon am y pwnc ${v.topicName} mwyach.`,
    notSubscribedToTopic: (v) => `Dydych chi ddim wedi tanysgrifio i'r pwnc ${v.topicName}. Anfonwch PYNCIAU i weld eich rhai chi.`,
    restored: (v) =>
      v.topicNames.length > 0
        ? `Mae eich negeseuon wedi ailddechrau. Eich pynciau: ${list(v.topicNames)}.`
        : `Mae eich negeseuon wedi ailddechrau. Anfonwch YMUNO a phwnc i danysgrifio.`,
    help: (v) =>
      `${v.serviceName} sy'n rhedeg y gwasanaeth hwn. ` +
      (v.keywords.length > 0 ? `Pynciau: ${list(v.keywords)}. I ymuno, anfonwch YMUNO a phwnc. ` : `Does dim pynciau eto. `) +
      `Cyswllt: ${v.contact}.`,
    topicsList: (v) =>
      (v.keywords.length > 0 ? `Pynciau: ${list(v.keywords)}. ` : `Does dim pynciau eto. `) +
      (v.subscribedNames.length > 0
        ? `Eich pynciau chi: ${list(v.subscribedNames)}.`
        : `Does gennych chi ddim pynciau eto. I ymuno, anfonwch YMUNO a phwnc.`),
    areaSet: (v) => `Rydyn ni wedi cadw eich ardal: ${v.area}.`,
    invalidArea: () =>
      `Mae'n ddrwg gennym, dydyn ni ddim yn adnabod yr ardal honno. Anfonwch ARDAL a rhan gyntaf eich cod post, e.e. ARDAL CF10.`,
    languageSet: (v) => `Byddwn yn ysgrifennu atoch yn ${languageNames.cy[v.language]}.`,
    invalidLanguage: () =>
      `Mae'n ddrwg gennym, dydyn ni ddim yn cynnig yr iaith honno. Anfonwch IAITH ac un o'r rhain: ${list(languages.map((l) => endonyms[l]))}.`,
    ageSet: (v) => `Diolch. Rydyn ni'n cadw eich ystod oedran (${v.band}) yn unig, nid eich oed.`,
    underAge: () => `Mae'n ddrwg gennym, rhaid i chi fod yn 13 oed o leiaf i ymuno. Dydyn ni ddim wedi cadw eich manylion.`,
    invalidAge: () => `Mae'n ddrwg gennym, doedden ni ddim yn deall. Anfonwch OED a'ch oed mewn blynyddoedd, e.e. OED 16.`,
    inboxAcknowledgement: (v) => `Diolch, rydyn ni wedi anfon eich neges ymlaen. Os yw'n fater brys, cysylltwch: ${v.contact}.`,
    notUnderstood: () => `Mae'n ddrwg gennym, doedden ni ddim yn deall. Anfonwch CYMORTH am help.`,
    slowDown: () => `Rydych wedi anfon llawer o negeseuon. Arhoswch ychydig cyn anfon rhagor, os gwelwch yn dda.`,
  },
  es: {
    subscribed: (v) => `Se ha suscrito a ${v.topicName}.`,
    alreadySubscribed: (v) => `Ya recibe mensajes de ${v.topicName}.`,
    confirmPrompt: (v) => `Para confirmar ${v.topicName}, responda SÍ en 24 horas.`,
    confirmed: (v) => `Gracias, confirmado. Se ha suscrito a ${v.topicName}.`,
    nothingToConfirm: () => `No hay nada que confirmar. Escriba UNIRSE y un tema para suscribirse.`,
    unknownTopic: (v) =>
      v.keywords.length > 0
        ? `No existe el tema ${v.word}. Temas: ${list(v.keywords)}. Escriba UNIRSE y un tema para suscribirse.`
        : `No existe el tema ${v.word}.`,
    optedOut: (v) => `${v.serviceName}: se ha dado de baja y ya no le enviaremos mensajes. Escriba START para volver.`,
    leftTopic: (v) => `Ya no le enviaremos mensajes de ${v.topicName}.`,
    notSubscribedToTopic: (v) => `No se ha suscrito a ${v.topicName}. Escriba TEMAS para ver los suyos.`,
    restored: (v) =>
      v.topicNames.length > 0
        ? `Ha vuelto a suscribirse a: ${list(v.topicNames)}.`
        : `Ha vuelto a suscribirse. Escriba UNIRSE y un tema para elegir.`,
    help: (v) =>
      `Servicio de ${v.serviceName}. ` +
      (v.keywords.length > 0 ? `Temas: ${list(v.keywords)}. Para unirse, escriba UNIRSE y un tema. ` : `Todavía no hay temas. `) +
      `Contacto: ${v.contact}.`,
    topicsList: (v) =>
      (v.keywords.length > 0 ? `Temas: ${list(v.keywords)}. ` : `Todavía no hay temas. `) +
      (v.subscribedNames.length > 0
        ? `Sus temas: ${list(v.subscribedNames)}.`
        : `Todavía no tiene ninguno. Para unirse, escriba UNIRSE y un tema.`),
    areaSet: (v) => `Hemos guardado su zona: ${v.area}.`,
    invalidArea: () => `Lo sentimos, no reconocemos esa zona. Escriba ZONA y el inicio de su código postal, p. ej. ZONA CF10.`,
    languageSet: (v) => `Le escribiremos en ${languageNames.es[v.language]}.`,
    invalidLanguage: () => `Lo sentimos, no tenemos ese idioma. Escriba IDIOMA y uno de estos: ${list(languages.map((l) => endonyms[l]))}.`,
    ageSet: (v) => `Gracias. Solo guardamos su franja de edad (${v.band}), no su edad.`,
    underAge: () => `Lo sentimos, debe tener al menos 13 años para unirse. No hemos guardado sus datos.`,
    invalidAge: () => `Lo sentimos, no lo hemos entendido. Escriba EDAD y su edad en años, p. ej. EDAD 16.`,
    inboxAcknowledgement: (v) => `Gracias, hemos pasado su mensaje al equipo. Si es urgente: ${v.contact}.`,
    notUnderstood: () => `Lo sentimos, no lo hemos entendido. Escriba AYUDA si necesita ayuda.`,
    slowDown: () => `Ha enviado muchos mensajes. Espere un poco antes de volver a escribir.`,
  },
};
