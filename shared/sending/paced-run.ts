import type { Broadcast, Recipient, SkipReason } from '../domain/model.js';
import { recipientKey } from '../domain/model.js';
import { rateUnitsOf } from '../domain/send-rates.js';
import { broadcastSenderOf, paceKeyOf, type SenderIdentity } from '../domain/sender-identity.js';
import { retryDelaySeconds } from '../domain/retry-policy.js';
import type { PaceLane } from '../ports/send-pacer.js';
import { departmentsOf } from '../usecases/department-limits.js';
import { broadcastMessageId, claimMessage, RetryLaterError, sendClaimed, type Delivery, type SendDependencies } from '../usecases/send-message.js';
import { SenderSlots } from '../usecases/sender-slots.js';
import { cancelledSince, composeFor, consentOf, topicNamer } from '../usecases/broadcast-recipient.js';
import { SendPipeline } from './send-pipeline.js';
import { DEADLINE_MARGIN_MS, newSenderSlots, settleEarlierClaim, type BatchDelta, type HandBack, type SendRun } from './send-run.js';
import type { MessagingProvider } from '../ports/messaging-provider.js';

/** New slots one resident takes for slots that went by or fell in a 429's pause, before the run stops there. */
const MAX_NEW_SLOTS = 4;
/** 429s a batch retries in place (after the sender's hold) before it hands its rest back. */
const MAX_THROTTLED_RETRIES = 3;
interface ChannelRun {
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
interface Turn {
  position: number;
  recipient: Recipient;
  /** Chosen with the turn for the run's first resident only; the others' is chosen as they are prepared. */
  provider: MessagingProvider | undefined;
  sender: SenderSlots;
  /** When their send is due (epoch ms), and the units booked for it. */
  at: number;
  units: number;
}

/**
 * One channel's residents of a batch, paced to their sender's rate. The run takes each resident's
 * slot first, from the sender's shared schedule, then starts their preparation a moment before it
 * (their consent read strongly, so a STOP that landed a moment ago counts; their text; the
 * claim), and at the slot calls the provider; several residents are in hand at once, each at its
 * own stage (see SendPipeline). Because the slot comes first, however far off it is (other
 * functions hold the schedule, an urgent broadcast holds it off, a slow rate), consent is read
 * once, just before the send.
 *
 * Returns what it could not send (the schedule full, the function's time running out, a
 * provider failure), for the caller to hand back to the queue.
 */
export async function sendPaced(
  deps: SendDependencies,
  broadcast: Broadcast,
  recipients: Recipient[],
  topicId: string | undefined,
  run: SendRun & { lastAttempt: boolean },
  delta: BatchDelta,
  skip: (recipient: Recipient, reason: SkipReason) => Promise<void>,
): Promise<HandBack | undefined> {
  const state: ChannelRun = {
    deps,
    broadcast,
    topicId,
    run,
    delta,
    skip,
    topicName: await topicNamer(deps, broadcast),
    pending: [...recipients],
    pipeline: new SendPipeline(deps.pacing.maxInFlight),
    slots: new Map(),
    lastUnits: 1,
    unitsKnown: () => undefined,
    lastSender: undefined,
    expectedIdentity: undefined,
    cancelCheck: { lastAt: deps.clock.now().getTime(), cancelled: false },
    throttledRetries: 0,
    handBack: undefined,
    fatal: undefined,
  };
  const residents = new Set<Promise<void>>();
  let position = 0;
  const ended = () => state.handBack !== undefined || state.fatal !== undefined;
  const take = () => (ended() || position >= state.pending.length ? undefined : takeTurn(state, position, state.pending[position++] as Recipient));
  // The first resident's text is waited for before a turn is taken ahead: it tells how many
  // units a slot takes (a two-segment text, two).
  let first = true;
  const unitsKnown = new Promise<void>((resolve) => {
    state.unitsKnown = resolve;
  });
  const aheadAllowed = deps.pacing.maxInFlight > 1;
  let upcoming = take();
  for (;;) {
    // Room first (only ever short of it when sends hang, or in a test that wants one at a time).
    if (!state.pipeline.hasRoom(state.lastSender?.unitsPerSecond)) {
      await state.pipeline.changed();
      continue;
    }
    if (!upcoming) {
      // Nothing to take now; a throttled resident queued again behind the end brings more.
      upcoming = take();
      if (upcoming) continue;
      if (residents.size === 0) break;
      await Promise.race(residents);
      continue;
    }
    const turn = await upcoming;
    // The next resident's slot is taken while this one waits for theirs, so the time taking a
    // turn takes (a booking, a look at the broadcast) never makes a slot go by unused.
    // (With room for one resident only, strictly one at a time: no turn is taken ahead either.)
    upcoming = first || !aheadAllowed ? undefined : take();
    if (!turn) continue;
    state.lastSender = turn.sender;
    // Started a moment before the slot.
    await turn.sender.waitUntil(turn.at - state.pipeline.leadMs);
    const resident: Promise<void> = sendTurn(state, turn).finally(() => residents.delete(resident));
    residents.add(resident);
    if (first) {
      first = false;
      await Promise.race([unitsKnown, resident]);
      if (aheadAllowed) upcoming = take();
    }
  }
  // A turn taken ahead and not used: nothing was claimed for it, its slot simply goes unused.
  await upcoming;
  if (state.fatal !== undefined) throw state.fatal;
  if (!state.handBack) return undefined;
  const stopped: HandBack = state.handBack;
  // Once each, even if a throttled resident was queued again behind the point it stopped at.
  const rest = [...new Map(state.pending.slice(stopped.from).map((recipient) => [recipientKey(recipient), recipient])).values()];
  return { ...stopped, rest };
}

/**
 * The resident's provider, identity and slot; undefined when they get no turn: the broadcast was
 * cancelled (recorded as skipped), or the run stops here (the function's time, the schedule full).
 */
async function takeTurn(state: ChannelRun, position: number, recipient: Recipient): Promise<Turn | undefined> {
  const { deps, broadcast, run } = state;
  if (deps.clock.now().getTime() > run.deadline - DEADLINE_MARGIN_MS) {
    stopAt(state, position, deps.clock.now().getTime(), false);
    return undefined;
  }
  if (await cancelledSince(deps, broadcast, state.cancelCheck)) {
    await state.skip(recipient, 'cancelled');
    return undefined;
  }
  // The slot comes from the schedule of the identity the last resident went from; the provider is
  // chosen as the resident is prepared (a failover hears how the sends before went), and should it
  // carry them from another identity, their slot is taken from that one's schedule instead.
  let provider: MessagingProvider | undefined;
  if (!state.expectedIdentity) {
    provider = await deps.providers.forChannel(recipient.channel, { testMode: broadcast.mode === 'test' });
    state.expectedIdentity = broadcastSenderOf(await deps.senders(), provider.name, recipient.channel, departmentsOf(broadcast));
  }
  const sender = slotsFor(state, state.expectedIdentity, broadcast.priority, run.deadline - DEADLINE_MARGIN_MS);
  const units = state.lastUnits;
  const slot = await sender.next(units, units * (state.pending.length - position));
  if (!slot.ok) {
    stopAt(state, position, slot.retryAt, false);
    return undefined;
  }
  return { position, recipient, provider, sender, at: slot.at, units };
}

/** One resident's preparation and send at their slot. Never throws: a failure ends the run through `state.fatal`. */
async function sendTurn(state: ChannelRun, turn: Turn): Promise<void> {
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

/** True once the run has stopped at or before this resident: they go back to the queue, unsent. */
const stoppedBefore = (state: ChannelRun, position: number) =>
  state.fatal !== undefined || (state.handBack !== undefined && position >= state.handBack.from);

function stopAt(state: ChannelRun, from: number, retryAt: number, failure: boolean): void {
  if (!state.handBack || from < state.handBack.from) {
    state.handBack = { from, retryAt, failure: failure || (state.handBack?.failure ?? false), rest: [] };
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

/**
 * Waits for the resident's slot and answers the schedule it is from; undefined when the run
 * stops here instead (the schedule full, the run handed back before this resident). A 429 in the
 * wait (a send before this one's) pauses the sender: a slot inside the pause is given up for one
 * after it. So is a slot that went by more than half an interval ago (the function was busy):
 * sent that late it would bunch up against the next one's.
 */
async function waitForSlot(state: ChannelRun, turn: Turn, identity: SenderIdentity, units: number): Promise<SenderSlots | undefined> {
  const { deps } = state;
  const { position } = turn;
  const slot = await slotFor(state, turn, identity, units);
  if (!slot.ok) {
    stopAt(state, position, slot.retryAt, false);
    return undefined;
  }
  const { sender } = slot;
  for (let at = slot.at, tries = 0; ; tries += 1) {
    await sender.waitUntil(at);
    if (!sender.givenUp(at)) break;
    // Never round and round: a few new slots, then the rest goes back to the queue.
    const after = tries < MAX_NEW_SLOTS ? await sender.next(units) : { ok: false as const, retryAt: deps.clock.now().getTime() };
    if (!after.ok) {
      stopAt(state, position, after.retryAt, false);
      return undefined;
    }
    at = after.at;
  }
  return stoppedBefore(state, position) ? undefined : sender;
}

/**
 * When the resident's message goes: at their turn's slot, if it was taken from their identity's
 * schedule for enough units. A longer text (a language, a placeholder) takes the rest too: right
 * behind its own slot it still goes at it (the next send comes after them all); behind another
 * function's booking, at the rest's. Another identity (a failover moved the channel) means a slot
 * from that one's schedule; the turn's goes unused.
 */
async function slotFor(state: ChannelRun, turn: Turn, identity: SenderIdentity, units: number): Promise<{ ok: true; sender: SenderSlots; at: number } | { ok: false; retryAt: number }> {
  const { run, broadcast } = state;
  if (paceKeyOf(identity) !== turn.sender.sender) {
    const sender = slotsFor(state, identity, broadcast.priority, run.deadline - DEADLINE_MARGIN_MS);
    const slot = await sender.next(units);
    return slot.ok ? { ok: true, sender, at: slot.at } : slot;
  }
  const { sender } = turn;
  if (units <= turn.units) return { ok: true, sender, at: turn.at };
  const more = await sender.next(units - turn.units);
  if (!more.ok) return more;
  const followsOn = more.at - turn.at <= (turn.units * 1000) / (sender.unitsPerSecond ?? Number.POSITIVE_INFINITY) + 1;
  return { ok: true, sender, at: followsOn ? turn.at : more.at };
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

/** One schedule per sender identity: each is metered on its own by its provider. */
function slotsFor(state: ChannelRun, identity: SenderIdentity, lane: PaceLane, deadline: number): SenderSlots {
  const sender = paceKeyOf(identity);
  let found = state.slots.get(sender);
  if (!found) {
    found = newSenderSlots(state.deps, identity, lane, deadline);
    state.slots.set(sender, found);
  }
  return found;
}
