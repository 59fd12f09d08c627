import type { SendJob } from '../../shared/domain/jobs.js';
import type { Priority } from '../../shared/domain/model.js';
import type { SendRates } from '../../shared/domain/send-rates.js';
import { senderIdentitiesOf, sendersSchema, type SenderEntryInput } from '../../shared/domain/sender-identity.js';
import type { PaceGrant, PaceRequest, SendPacer } from '../../shared/ports/send-pacer.js';
import type { SendDependencies } from '../../shared/usecases/send.js';
import { sendRetryPolicy } from '../../functions/catalog.js';
import type { FixedClock } from './in-memory-stores.js';
import { RecordingQueue, SequentialIds, directoryOf } from './in-memory-stores.js';
import { broadcastSettings } from './builders.js';
import { defaultPriceTable } from '../../shared/domain/sms-preview.js';
import type { MessagingProvider } from '../../shared/ports/messaging-provider.js';
import type { Stores } from '../../shared/ports/stores.js';

const URGENT_HOLD_MS = 3_000;

/** The DynamoDB pacer's rules on a map: the same virtual clock per sender, the same urgent hold. */
export class InMemorySendPacer implements SendPacer {
  readonly schedules = new Map<string, { nextAt: number; urgentUntil: number }>();
  readonly requests: PaceRequest[] = [];

  async reserve(request: PaceRequest): Promise<PaceGrant> {
    this.requests.push({ ...request });
    const schedule = this.schedules.get(request.sender) ?? { nextAt: 0, urgentUntil: 0 };
    if (request.lane === 'normal' && schedule.urgentUntil > request.now) return { granted: false, retryAt: schedule.urgentUntil };
    const startAt = Math.max(schedule.nextAt, request.now);
    if (startAt > request.latestStart) return { granted: false, retryAt: request.now + (startAt - request.latestStart) };
    const cost = (request.units * 1000) / request.messagesPerSecond;
    this.schedules.set(request.sender, {
      nextAt: startAt + cost,
      urgentUntil: request.lane === 'urgent' ? request.now + cost + URGENT_HOLD_MS : schedule.urgentUntil,
    });
    return { granted: true, startAt };
  }

  async holdBack(sender: string, until: number): Promise<void> {
    const schedule = this.schedules.get(sender) ?? { nextAt: 0, urgentUntil: 0 };
    this.schedules.set(sender, { ...schedule, nextAt: Math.max(schedule.nextAt, until) });
  }
}

/** The send lanes' queues as a test sees them: what was handed back, and with what delay. */
export class DelayRecordingQueue extends RecordingQueue<SendJob> {
  readonly delays: (number | undefined)[] = [];

  override async send(jobs: readonly SendJob[], options: { delaySeconds?: number } = {}): Promise<void> {
    await super.send(jobs);
    this.delays.push(options.delaySeconds);
  }
}

type Sending = Pick<SendDependencies, 'pacing' | 'sendQueues' | 'senders' | 'retry'>;

/**
 * Pacing, identities and lanes for a sender under test: an in-memory schedule, sleeps that move
 * the test's clock instead of waiting, and lanes that record what was handed back. The
 * identities are the sandboxes' own, plus `senders` (SENDERS entries) if given, at `rates`
 * (SEND_RATES); no rates: unmetered. One send at a time unless asked, so a test's story runs in
 * the order it is told.
 */
export function sendingForTests(
  clock: FixedClock,
  rates: SendRates = {},
  maxInFlight = 1,
  senders?: readonly SenderEntryInput[],
): Sending & { pacer: InMemorySendPacer; lanes: Record<Priority, DelayRecordingQueue> } {
  const pacer = new InMemorySendPacer();
  const lanes = { urgent: new DelayRecordingQueue(), normal: new DelayRecordingQueue() };
  const identities = senderIdentitiesOf({ SEND_RATES: rates, ...(senders ? { SENDERS: sendersSchema.parse(senders) } : {}) });
  return {
    pacer,
    lanes,
    senders: async () => identities,
    pacing: { pacer, sleep: async (ms) => clock.advance(ms), maxInFlight },
    sendQueues: lanes,
    // The senders' own policy, from their catalog trigger.
    retry: sendRetryPolicy,
  };
}

/**
 * A sender's dependencies for a unit test: in-memory stores, one provider for every channel, the
 * built-in prices, no quiet hours, and `sending` (see sendingForTests) for pacing and lanes.
 */
export function senderDependencies(
  stores: Stores,
  clock: FixedClock,
  provider: MessagingProvider,
  sending: Sending,
): SendDependencies {
  return {
    stores,
    clock,
    ids: new SequentialIds(),
    providers: directoryOf(provider),
    prices: defaultPriceTable,
    statusCallbackBaseUrl: 'https://crier.example.gov.uk/webhooks/twilio/status',
    window: broadcastSettings().window,
    senders: sending.senders,
    pacing: sending.pacing,
    sendQueues: sending.sendQueues,
    retry: sending.retry,
  };
}
