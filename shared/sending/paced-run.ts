import type { Broadcast, Recipient, SkipReason } from '../domain/model.js';
import { recipientKey } from '../domain/model.js';
import type { SendDependencies } from './send-message.js';
import { topicNamer } from './broadcast-recipient.js';
import { sendTurn } from './paced-send.js';
import type { ChannelRun } from './paced-state.js';
import { takeTurn } from './paced-turn.js';
import { SendPipeline } from './send-pipeline.js';
import type { BatchDelta, HandBack, SendRun } from './send-run.js';

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
