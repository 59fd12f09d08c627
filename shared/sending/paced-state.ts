import type { Broadcast, Recipient, SkipReason } from '../domain/model.js';
import { paceKeyOf, type SenderIdentity } from '../domain/sender-identity.js';
import type { PaceLane } from '../pacing/send-pacer.js';
import type { SenderSlots } from '../pacing/sender-slots.js';
import type { MessagingProvider } from '../ports/messaging-provider.js';
import type { topicNamer } from './broadcast-recipient.js';
import type { SendDependencies } from './send-message.js';
import type { SendPipeline } from './send-pipeline.js';
import { newSenderSlots, type BatchDelta, type HandBack, type SendRun } from './send-run.js';

/*
 * What a paced run of one channel's residents keeps (see paced-run.ts), and how it stops.
 */

/** The state of one channel's paced run. */
export interface ChannelRun {
  deps: SendDependencies;
  broadcast: Broadcast;
  topicId: string | undefined;
  run: SendRun & { lastAttempt: boolean };
  delta: BatchDelta;
  skip: (recipient: Recipient, reason: SkipReason) => Promise<void>;
  topicName: Awaited<ReturnType<typeof topicNamer>>;
  /** The batch's recipients, and behind them any the provider throttled, for one more go each. */
  pending: Recipient[];
  pipeline: SendPipeline;
  slots: Map<string, SenderSlots>;
  /** Units the last resident's text took: the slot the next one is booked before their text is known. */
  lastUnits: number;
  /** Called once a resident's text is known: until then, no turn is taken ahead (see sendPaced). */
  unitsKnown: () => void;
  /** The schedule of the last resident's sender: the likely one of the next. */
  lastSender: SenderSlots | undefined;
  /** The identity the last resident went from: the one the next turn's slot is taken from. */
  expectedIdentity: SenderIdentity | undefined;
  cancelCheck: { lastAt: number; cancelled: boolean };
  throttledRetries: number;
  handBack: HandBack | undefined;
  fatal: unknown;
}

/** A resident with their slot: what the run decided before their preparation starts. */
export interface Turn {
  position: number;
  recipient: Recipient;
  /** Chosen with the turn for the run's first resident only; the others' is chosen as they are prepared. */
  provider: MessagingProvider | undefined;
  sender: SenderSlots;
  /** When their send is due (epoch ms), and the units booked for it. */
  at: number;
  units: number;
}

/** True once the run has stopped at or before this resident: they go back to the queue, unsent. */
export const stoppedBefore = (state: ChannelRun, position: number) =>
  state.fatal !== undefined || (state.handBack !== undefined && position >= state.handBack.from);

export function stopAt(state: ChannelRun, from: number, retryAt: number, failure: boolean): void {
  if (!state.handBack || from < state.handBack.from) {
    state.handBack = { from, retryAt, failure: failure || (state.handBack?.failure ?? false), rest: [] };
  }
}

/** One schedule per sender identity: each is metered on its own by its provider. */
export function slotsFor(state: ChannelRun, identity: SenderIdentity, lane: PaceLane, deadline: number): SenderSlots {
  const sender = paceKeyOf(identity);
  let found = state.slots.get(sender);
  if (!found) {
    found = newSenderSlots(state.deps, identity, lane, deadline);
    state.slots.set(sender, found);
  }
  return found;
}
