/**
 * The text crier routes out of each type of WhatsApp message: what the resident typed, the label
 * of the button or row they tapped, or the caption of a picture they sent. Every other type (a
 * location, a reaction, a voice note, a message WhatsApp itself calls `unsupported`) carries no
 * text to act on and is skipped with a reason that says which type it was.
 */
import { z } from 'zod';

/** A message as `payload.ts` has read it: its type, and the rest as Meta sent it. */
export type MetaMessage = { type: string } & Record<string, unknown>;

export type MessageText = { body: string } | { skip: string };

const text = z.string();
const reply = z.looseObject({ title: text });

/** One reader per message type crier acts on; each says why it skips a message of its type. */
const readers: Record<string, (message: MetaMessage) => MessageText> = {
  text: (message) => {
    const parsed = z.looseObject({ text: z.looseObject({ body: text }) }).safeParse(message);
    return parsed.success && parsed.data.text.body ? { body: parsed.data.text.body } : { skip: 'a text message with no text.body' };
  },
  // A quick-reply button of a template: the label the resident saw and tapped, which is also the
  // text kept as consent evidence; the payload (ours) only where Meta sends no label.
  button: (message) => {
    const parsed = z.looseObject({ button: z.looseObject({ text: text.optional(), payload: text.optional() }) }).safeParse(message);
    const body = parsed.success ? parsed.data.button.text || parsed.data.button.payload : undefined;
    return body ? { body } : { skip: 'a button message with neither button.text nor button.payload' };
  },
  interactive: readInteractive,
  // A picture, video or document may carry a caption, and a caption may be a keyword
  // ("JOIN TRAFFIC" under a photo): it is read as a text. crier keeps no media.
  image: captionOf('image'),
  video: captionOf('video'),
  document: captionOf('document'),
};

/** Why a type crier has no reader for is skipped, where a plainer word than its name helps. */
const withoutText: Record<string, string> = {
  audio: 'a voice note or audio file: crier acts on text only',
  sticker: 'a sticker: crier acts on text only',
  location: 'a location: crier acts on text only',
  contacts: 'a shared contact card: crier acts on text only',
  reaction: 'a reaction to an earlier message: crier acts on text only',
  unsupported: 'a message WhatsApp itself could not pass on (type "unsupported")',
};

export function readMessageText(message: MetaMessage): MessageText {
  const reader = readers[message.type];
  if (reader) return reader(message);
  return { skip: withoutText[message.type] ?? `message type "${message.type}" is not one crier acts on` };
}

function captionOf(type: 'image' | 'video' | 'document'): (message: MetaMessage) => MessageText {
  const schema = z.looseObject({ [type]: z.looseObject({ caption: text.optional() }) });
  return (message) => {
    const parsed = schema.safeParse(message);
    const caption = parsed.success ? (parsed.data[type] as { caption?: string }).caption?.trim() : undefined;
    return caption ? { body: caption } : { skip: `${type === 'image' ? 'an' : 'a'} ${type} with no caption: crier keeps no media and acts on text only` };
  };
}

function readInteractive(message: MetaMessage): MessageText {
  const parsed = z
    .looseObject({ interactive: z.looseObject({ type: text, button_reply: reply.optional(), list_reply: reply.optional() }) })
    .safeParse(message);
  if (!parsed.success) return { skip: 'an interactive message with no interactive.type' };
  const { interactive } = parsed.data;
  switch (interactive.type) {
    case 'button_reply':
      return interactive.button_reply ? { body: interactive.button_reply.title } : { skip: 'a button_reply with no title' };
    case 'list_reply':
      return interactive.list_reply ? { body: interactive.list_reply.title } : { skip: 'a list_reply with no title' };
    default:
      // Flows (nfm_reply), call permission replies and the like carry no text to route.
      return { skip: `interactive reply "${interactive.type}" is not one crier acts on` };
  }
}
