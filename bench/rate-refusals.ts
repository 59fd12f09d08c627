import type { RateRefusal } from '../local/sandbox.js';

/*
 * Whether a 429 for the rate came from the sender's pacing or from the journey to the provider.
 * The sandbox, like a provider, counts sends as they arrive, in one-second windows each opened by
 * the first send after the last one closed: a 429 means the window held one send too many. When
 * the refused send left the sender more than a second after the send that opened its window, the
 * sender kept them apart, and it was the journey between (on this machine, the same JavaScript
 * thread as every function: a busy moment there holds one request back and not the next) that
 * brought them into one second. When it left within a second of it, the pacing let them bunch.
 */

export interface RateRefusalsJudged {
  /** 429s for the rate the sandbox gave this broadcast's sends. */
  refusals: number;
  /** Of those, the ones whose send left more than a second after the send that opened its window. */
  leftOverASecondApart: number;
  /** Of those, the ones with a departure not recorded (either send's): judged neither way. */
  unknown: number;
}

/** The last departure of `messageId` at or before `arrivedAt`: the attempt that arrived then. */
function departureOf(departures: ReadonlyMap<string, readonly number[]>, messageId: string, arrivedAt: number): number | undefined {
  return departures.get(messageId)?.filter((at) => at <= arrivedAt).at(-1);
}

/** Judges each refusal by when its two sends left (departures: epoch ms per message id, every attempt). */
export function judgeRateRefusals(refusals: readonly RateRefusal[], departures: ReadonlyMap<string, readonly number[]>): RateRefusalsJudged {
  let leftOverASecondApart = 0;
  let unknown = 0;
  for (const refusal of refusals) {
    const refusedLeft = departureOf(departures, refusal.messageId, refusal.arrivedAt);
    const openerLeft = departureOf(departures, refusal.windowOpenedBy.messageId, refusal.windowOpenedBy.arrivedAt);
    if (refusedLeft === undefined || openerLeft === undefined) unknown += 1;
    else if (refusedLeft - openerLeft >= 1000) leftOverASecondApart += 1;
  }
  return { refusals: refusals.length, leftOverASecondApart, unknown };
}
