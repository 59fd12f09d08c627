import type { Channel } from '../domain/model.js';
import type { Page } from '../ports/page.js';

/**
 * A department's inbox of residents' free-text messages: primitive reads and writes, each once
 * per entry; the rules of handling, assigning and replying are in the use cases beside it.
 */

/** A resident's free-text message, waiting in a department's inbox. */
export interface InboxEntry {
  /** Stable: derived from the inbound message (see `inboxEntryId`). */
  id: string;
  department: string;
  provider: string;
  providerMessageId: string;
  from: string;
  channel: Channel;
  body: string;
  receivedAt: string;
  /**
   * The broadcast the resident most likely answered, decided once at receipt
   * (shared/inbox/deliver-to-inbox.ts): the latest broadcast of their topics that reached them.
   */
  broadcastId: string | undefined;
  topicId: string | undefined;
  /** Our number or address the resident wrote to: replies go from it (absent on entries kept from before). */
  to?: string;
  handled: boolean;
  handledAt?: string;
  /** The key id of whoever marked it handled. */
  handledBy?: string;
  /** What staff replied from the inbox, oldest first (absent: none yet). */
  replies?: InboxReply[];
  /** The staff id of the colleague it is assigned to (absent: nobody). */
  assignedTo?: string;
  /** Notes staff left for colleagues, oldest first: never sent to the resident. */
  notes?: InboxNote[];
}

/** A note for colleagues on an inbox entry: staff's words, kept with the entry and erased with it. */
export interface InboxNote {
  id: string;
  text: string;
  at: string;
  /** The key id (or staff id) of whoever wrote it. */
  by: string;
}

/** A reply staff wrote to an inbox entry: its words stay with the entry (message records keep no body). */
export interface InboxReply {
  /** The reply's message record (its status, its cost) in the message store. */
  messageId: string;
  body: string;
  at: string;
  /** The key id of whoever wrote it. */
  by: string;
}

/** What the inbound path hands the inbox: the id follows from the message, handling comes later. */
export type NewInboxEntry = Omit<InboxEntry, 'id' | 'handledAt' | 'handledBy' | 'replies' | 'assignedTo' | 'notes'>;

export interface InboxQuery {
  department: string;
  handled?: boolean;
  topicId?: string;
  from?: string;
  broadcastId?: string;
  assignedTo?: string;
  /** ISO timestamps, both inclusive: entries received within. */
  receivedFrom?: string;
  receivedTo?: string;
  limit: number;
  /** Opaque, from the previous page. */
  cursor: string | undefined;
}

export interface InboxStore {
  /**
   * Idempotent per inbound message: a provider's retry, even one handled at another time or
   * routed to another department, finds the first entry and changes nothing.
   */
  add(entry: NewInboxEntry): Promise<InboxEntry>;
  get(id: string): Promise<InboxEntry | undefined>;
  /** Newest first. */
  list(query: InboxQuery): Promise<Page<InboxEntry>>;
  /**
   * Marks an entry handled, once: a second call keeps the first who and when. Returns the entry
   * afterwards and whether this call changed it; undefined when there is no such entry.
   */
  markHandled(id: string, by: string, at: string): Promise<{ entry: InboxEntry; changed: boolean } | undefined>;
  /**
   * Opens a handled entry again (who handled it and when are forgotten). Returns the entry
   * afterwards and whether this call changed it; undefined when there is no such entry.
   */
  reopen(id: string): Promise<{ entry: InboxEntry; changed: boolean } | undefined>;
  /**
   * Appends a reply to the entry, once per reply message id: a second call with the same id (a
   * double-clicked Send reply) changes nothing and says so (`added: false`). Undefined when there
   * is no such entry.
   */
  addReply(id: string, reply: InboxReply): Promise<{ entry: InboxEntry; added: boolean } | undefined>;
  /**
   * Assigns the entry to a member of staff (undefined: to nobody). Returns the entry afterwards and
   * who it was assigned to before; undefined when there is no such entry.
   */
  assign(id: string, to: string | undefined): Promise<{ entry: InboxEntry; before: string | undefined } | undefined>;
  /** Appends a note for colleagues; undefined when there is no such entry. */
  addNote(id: string, note: InboxNote): Promise<InboxEntry | undefined>;
  /**
   * The unhandled entries among a department's newest `within`, in one read: `more` says older
   * entries were not looked at, so the count is a lower bound (the navigation shows "N+").
   */
  countUnhandled(department: string, within: number): Promise<{ count: number; more: boolean }>;
  /** Erasure: the entry stays (with who handled it) but its number, its text and the replies' and notes' words are gone. */
  anonymise(id: string): Promise<void>;
}
