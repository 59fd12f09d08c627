import type { Recipient } from '../domain/model.js';
import { broadcastSenderOf, paceKeyOf, type SenderIdentity } from '../domain/sender-identity.js';
import { sendDeadlineOf } from '../pacing/run-limits.js';
import type { SenderSlots } from '../pacing/sender-slots.js';
import { MAX_NEW_SLOTS } from '../pacing/throttle-rules.js';
import type { MessagingProvider } from '../ports/messaging-provider.js';
import { cancelledSince } from './broadcast-recipient.js';
import { departmentsOf } from '../usage/department-limits.js';
import { slotsFor, stopAt, stoppedBefore, type ChannelRun, type Turn } from './paced-state.js';

/*
 * A paced run's slots: the one each resident's turn is taken with, and the wait for it.
 */

/**
 * The resident's provider, identity and slot; undefined when they get no turn: the broadcast was
 * cancelled (recorded as skipped), or the run stops here (the function's time, the schedule full).
 */
export async function takeTurn(state: ChannelRun, position: number, recipient: Recipient): Promise<Turn | undefined> {
  const { deps, broadcast, run } = state;
  if (deps.clock.now().getTime() > sendDeadlineOf(run.deadline)) {
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
  const sender = slotsFor(state, state.expectedIdentity, broadcast.priority, sendDeadlineOf(run.deadline));
  const units = state.lastUnits;
  const slot = await sender.next(units, units * (state.pending.length - position));
  if (!slot.ok) {
    stopAt(state, position, slot.retryAt, false);
    return undefined;
  }
  return { position, recipient, provider, sender, at: slot.at, units };
}

/**
 * Waits for the resident's slot and answers the schedule it is from; undefined when the run
 * stops here instead (the schedule full, the run handed back before this resident). A 429 in the
 * wait (a send before this one's) pauses the sender: a slot inside the pause is given up for one
 * after it. So is a slot that went by longer ago than a send may be late (the function was busy;
 * lateSendToleranceMs): sent that late it could bunch up with the next one's or tip a provider's
 * one-second window.
 */
export async function waitForSlot(state: ChannelRun, turn: Turn, identity: SenderIdentity, units: number): Promise<SenderSlots | undefined> {
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
    const sender = slotsFor(state, identity, broadcast.priority, sendDeadlineOf(run.deadline));
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
