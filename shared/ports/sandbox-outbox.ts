import type { Channel, KeyMode } from '../domain/model.js';

/**
 * What the deployed sandbox records (RecordingSandboxProvider writes it, listSandboxOutbox reads
 * it): declared on the use case's side of the port, so the use case imports no adapter.
 */

/** One message a test key's broadcast "sent" in a deployment: nobody received it. */
export interface SandboxRecord {
  id: string;
  messageId: string;
  to: string;
  /** The sender identity's address it would have gone from. */
  from?: string | undefined;
  channel: Channel;
  body: string;
  template?: { name: string; language: string; parameters: string[] } | undefined;
  createdAt: string;
  /**
   * The broadcast that made it, its department(s) and mode, so each key is shown its own
   * department's messages and a test key test messages only. Absent on a reply to a resident
   * (where the sandbox is the live provider) and on records made before they were kept: such a
   * record is shown to operators only.
   */
  broadcastId?: string | undefined;
  department?: string | undefined;
  mode?: KeyMode | undefined;
}

/** Which of a day's records to read: one department's (exactly: a broadcast of several is nobody's), one mode's. */
export interface SandboxQuery {
  day: string;
  limit: number;
  cursor: string | undefined;
  department?: string;
  mode?: 'live' | 'test';
}
