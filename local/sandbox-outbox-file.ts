import { closeSync, existsSync, ftruncateSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { channelSchema } from '../shared/domain/model.js';
import type { OutboxStore, SandboxMessage } from './sandbox.js';

/** The outbox's file in DATA_DIR: one JSON line per message recorded or changed. */
export const OUTBOX_FILE = 'sandbox-outbox.jsonl';
/** Messages older than this are dropped at start: as long as a deployment's sandbox keeps test messages. */
export const OUTBOX_KEPT_DAYS = 7;
/** At most this many (the newest) are kept, so a start never reads more than a few megabytes. */
export const OUTBOX_KEPT_MESSAGES = 10_000;

/**
 * A line as written: the message as the sandbox holds it. Loose, so fields this version does not
 * name (added to the record later) are kept as they were, not stripped.
 */
const persistedMessageSchema: z.ZodType<SandboxMessage> = z.looseObject({
  id: z.string().min(1),
  provider: z.enum(['sandbox', 'sandbox-b']),
  messageId: z.string(),
  to: z.string(),
  from: z.string(),
  channel: channelSchema,
  body: z.string(),
  template: z.object({ name: z.string(), language: z.string(), parameters: z.array(z.string()) }).optional(),
  status: z.enum(['sent', 'delivered']),
  createdAt: z.iso.datetime(),
});

export interface OpenedOutbox {
  store: OutboxStore;
  /** Lines that were past the limits above, or could not be read (a line cut short by a crash). */
  dropped: { expired: number; unreadable: number };
}

/**
 * The sandbox outbox kept in DATA_DIR across restarts, like everything else there. An append-only
 * journal (a message's line is written when it is recorded and again when a receipt changes it; the
 * last line for an id wins), written synchronously so a message is on disk before the sandbox
 * answers the send. At each start it is read, trimmed to the limits above and rewritten.
 */
export function openOutboxFile(dataDir: string, now: Date): OpenedOutbox {
  const path = join(dataDir, OUTBOX_FILE);
  const { messages, unreadable } = existsSync(path) ? readJournal(readFileSync(path, 'utf8')) : { messages: [], unreadable: 0 };
  const oldest = now.getTime() - OUTBOX_KEPT_DAYS * 24 * 3600 * 1000;
  const recent = messages.filter((message) => Date.parse(message.createdAt) >= oldest);
  const kept = recent.slice(-OUTBOX_KEPT_MESSAGES);
  // Rewritten beside it and renamed over it, so a crash here leaves the old file or the new, never half of one.
  const rewritten = `${path}.${process.pid}.tmp`;
  writeFileSync(rewritten, kept.map((message) => `${JSON.stringify(message)}\n`).join(''), { mode: 0o600 });
  renameSync(rewritten, path);
  return {
    store: new OutboxJournal(openSync(path, 'a', 0o600), kept),
    dropped: { expired: messages.length - kept.length, unreadable },
  };
}

function readJournal(text: string): { messages: SandboxMessage[]; unreadable: number } {
  // A Map keeps each id where it first appeared (the outbox's order) while later lines replace its value.
  const byId = new Map<string, SandboxMessage>();
  let unreadable = 0;
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const parsed = persistedMessageSchema.safeParse(parseJson(line));
    if (parsed.success) byId.set(parsed.data.id, parsed.data);
    else unreadable += 1;
  }
  return { messages: [...byId.values()], unreadable };
}

function parseJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

class OutboxJournal implements OutboxStore {
  private fd: number | undefined;

  constructor(
    fd: number,
    readonly restored: readonly SandboxMessage[],
  ) {
    this.fd = fd;
  }

  record(message: SandboxMessage): void {
    // Closed: the stack is stopping and a late receipt's change has nowhere to go, as it would be lost in a real provider's shutdown.
    if (this.fd === undefined) return;
    writeSync(this.fd, `${JSON.stringify(message)}\n`);
  }

  clear(): void {
    if (this.fd !== undefined) ftruncateSync(this.fd, 0);
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
