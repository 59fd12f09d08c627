/*
 * Words that only pad a message, set aside before the keyword router (../keyword-router.ts) reads
 * a text. A table of its own: adding a politeness word is one line here.
 */

/**
 * Words that pad a command without changing it: politeness, greetings, "all", "me", the kind of
 * message, and the prepositions of "SUBSCRIBE TO X" / "UNSUBSCRIBE FROM X" (English TO, FROM;
 * Welsh I, O; Spanish A, AL, DE, DEL). Set aside before reading, so "STOP ALL", "Stop texting
 * please", "BAJA YA", "STOP POPETH" are opt-outs and "JOIN TRAFFIC PLEASE" joins. None of them
 * can be a topic keyword (they are reserved), so setting them aside never hides one. NO is
 * deliberately not here: "NO MORE" means something.
 */
export const fillerWords: ReadonlySet<string> = new Set([
  // English
  'PLEASE', 'PLS', 'PLZ', 'THANKS', 'THANK', 'YOU', 'THX', 'TA', 'HI', 'HELLO', 'HEY', 'OK', 'OKAY',
  'NOW', 'JUST', 'AGAIN', 'ANYMORE', 'IMMEDIATELY', 'ALL', 'EVERYTHING', 'IT', 'ME', 'MY', 'US',
  'THIS', 'THAT', 'THESE', 'THOSE', 'THEM', 'MESSAGES', 'MESSAGE', 'MSG', 'MSGS', 'TEXT', 'TEXTS',
  'TEXTING', 'MESSAGING', 'SENDING', 'CONTACTING', 'SMS', 'NOTIFICATIONS', 'SPAM', 'REPLY', 'SEND',
  'ALONE', 'TO', 'FROM',
  // Welsh: plis, diolch (thanks), os gwelwch yn dda (please), nawr / rŵan (now), popeth
  // (everything), fi / fy (me, my), negeseuon / tecstiau (messages, texts), hwn / hyn (this),
  // helo, shwmae (hello), i (to), o (from).
  'PLIS', 'DIOLCH', 'OS', 'GWELWCH', 'YN', 'DDA', 'NAWR', 'RWAN', 'POPETH', 'FI', 'FY', 'NEGESEUON',
  'TECSTIAU', 'HWN', 'HYN', 'HELO', 'SHWMAE', 'I', 'O',
  // Spanish: por favor, gracias, ya / ahora (now), todo(s) (all), me / mi(s) (me, my), the
  // articles, mensajes, esto(s) (this), hola, a / al (to), de / del (from).
  'POR', 'FAVOR', 'PORFA', 'PORFAVOR', 'GRACIAS', 'YA', 'AHORA', 'TODO', 'TODOS', 'TODAS', 'MI',
  'MIS', 'EL', 'LA', 'LOS', 'LAS', 'MENSAJES', 'MENSAJE', 'ESTO', 'ESTOS', 'HOLA', 'A', 'AL', 'DE',
  'DEL',
]);
