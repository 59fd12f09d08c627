import type { Priority } from '../domain/model.js';

/**
 * Who is booking: a broadcast's lane, or a reply to one resident's text (books like the urgent
 * lane, never waiting behind bulk, but without holding the bulk lane off: one reply is one slot).
 */
export type PaceLane = Priority | 'reply';

/** A request for consecutive send slots of one sender. Times are epoch milliseconds. */
export interface PaceRequest {
  sender: string;
  /** Slots wanted: messages, or segments for SMS (see `rateUnitsOf`). */
  units: number;
  messagesPerSecond: number;
  lane: PaceLane;
  now: number;
  /** The latest first slot the caller can still use (it must finish before its own deadline). */
  latestStart: number;
}

/** Granted: the first slot is at `startAt`, the next ones every 1000/rate ms. Refused: ask again at `retryAt`. */
export type PaceGrant = { granted: true; startAt: number } | { granted: false; retryAt: number };

/**
 * Paces every sender to its rate across all the functions sending at once: slots are handed out
 * from one schedule per sender, shared through the table, so ten concurrent invocations together
 * send no faster than one sender's rate allows. An urgent lane's bookings hold the bulk lane off.
 */
export interface SendPacer {
  reserve(request: PaceRequest): Promise<PaceGrant>;
  /** The provider answered "too many requests": no slot for this sender is handed out before `until`. */
  holdBack(sender: string, until: number): Promise<void>;
}
