import { retryDelaySeconds } from '../domain/retry-policy.js';
import { rateUnitsOf } from '../domain/send-rates.js';
import { broadcastSenderOf } from '../domain/sender-identity.js';
import type { SenderSlots } from '../pacing/sender-slots.js';
import { MAX_THROTTLED_RETRIES } from '../pacing/throttle-rules.js';
import type { MessagingProvider } from '../ports/messaging-provider.js';
import { composeFor, consentOf } from './broadcast-recipient.js';
import { departmentsOf } from '../usage/department-limits.js';
import { broadcastMessageId, claimMessage, RetryLaterError, sendClaimed, type Delivery } from './send-message.js';
import { stopAt, stoppedBefore, type ChannelRun, type Turn } from './paced-state.js';
import { waitForSlot } from './paced-turn.js';
import { settleEarlierClaim } from './send-run.js';

/*
 * A paced run's residents, each prepared a moment before their slot and sent at it.
 */

/** One resident's preparation and send at their slot. Never throws: a failure ends the run through `state.fatal`. */
export async function sendTurn(state: ChannelRun, turn: Turn): Promise<void> {
  state.pipeline.started();
  try {
    const prepared = await prepare(state, turn);
    if (prepared) await send(state, turn, prepared);
  } catch (error) {
    state.fatal ??= error;
  } finally {
    state.pipeline.finished();
  }
}

/**
 * Everything before the provider call, ending at the resident's slot with their message claimed:
 * undefined when they are not sent in this run (skipped with a record, already claimed, or handed
 * back with the rest). A skipped resident's slot goes unused: the price of reading consent at
 * the slot rather than seconds before it.
 */
async function prepare(state: ChannelRun, turn: Turn): Promise<{ delivery: Delivery; provider: MessagingProvider; sender: SenderSlots } | undefined> {
  const { deps, broadcast, run } = state;
  const { position, recipient } = turn;
  if (stoppedBefore(state, position)) return undefined;
  const startedAt = deps.clock.now().getTime();
  const consent = await consentOf(deps, recipient, state.topicId);
  if ('skip' in consent) {
    await state.skip(recipient, consent.skip);
    return undefined;
  }
  // The identity first: a one-way sender ID's footer names the number to text STOP to.
  const provider = turn.provider ?? (await deps.providers.forChannel(recipient.channel, { testMode: broadcast.mode === 'test' }));
  const identity = broadcastSenderOf(await deps.senders(), provider.name, recipient.channel, departmentsOf(broadcast));
  state.expectedIdentity = identity;
  const message = composeFor(broadcast, consent.profile, recipient.channel, deps.clock.now(), state.topicName, identity.stopTo);
  if ('skip' in message) {
    await state.skip(recipient, message.skip);
    return undefined;
  }
  const units = message.template ? 1 : rateUnitsOf(recipient.channel, message.body);
  state.lastUnits = units;
  state.unitsKnown();
  const delivery: Delivery = {
    messageId: broadcastMessageId(broadcast.id, recipient.phone),
    broadcastId: broadcast.id,
    ...recipient,
    ...message,
    testMode: broadcast.mode === 'test',
    department: broadcast.department,
    lastAttempt: run.lastAttempt,
    jobId: run.jobId,
    sender: identity,
  };
  // Claimed a moment before the slot, so that when it comes only the provider call is left and
  // the sends reach the provider as evenly spaced as their slots (a claim's own time at the slot
  // would bunch them up into a provider's one-second window). Should the function die, the
  // claims it leaves are of sends due within that moment (recorded as failed, outcome unknown).
  const claim = await claimMessage(deps, delivery);
  state.pipeline.measured(deps.clock.now().getTime() - startedAt);
  if (claim.outcome === 'already-claimed') {
    await settleEarlierClaim(deps, claim.existing, run, state.delta);
    return undefined;
  }
  const sent = await waitForSlot(state, turn, identity, units);
  if (!sent) {
    await deps.stores.messages.release(delivery.messageId);
    return undefined;
  }
  return { delivery, provider, sender: sent };
}

/** The provider call at the slot, and what its answer means for the run. */
async function send(state: ChannelRun, turn: Turn, { delivery, provider, sender }: { delivery: Delivery; provider: MessagingProvider; sender: SenderSlots }): Promise<void> {
  const { deps } = state;
  try {
    const outcome = await sendClaimed(deps, delivery, provider);
    if (outcome.result === 'already-claimed') return;
    state.delta[outcome.result] += 1;
    state.delta.costMicros += outcome.costMicros;
  } catch (error) {
    if (!(error instanceof RetryLaterError)) throw error;
    // The claim was given back. A 429 despite pacing (another client of the same account, a
    // provider counting differently): everyone sending for this sender pauses a moment, and
    // this resident gets another go at the end of the batch, a few times a batch at most.
    if (error.providerError.kind === 'throttled') {
      await sender.holdBack();
      if (state.throttledRetries < MAX_THROTTLED_RETRIES) {
        state.throttledRetries += 1;
        state.pending.push(turn.recipient);
        return;
      }
    }
    // Otherwise this resident and everyone after go back to the queue, an attempt more.
    stopAt(state, turn.position, deps.clock.now().getTime() + retryDelaySeconds(deps.retry.backoff, 1) * 1000, true);
  }
}
