import type { SendJob } from '../../shared/domain/jobs.js';
import type { Priority } from '../../shared/domain/model.js';
import type { SendRates } from '../../shared/domain/send-rates.js';
import { senderIdentitiesOf, sendersSchema, type SenderEntryInput } from '../../shared/domain/sender-identity.js';
import type { BookingWrite, PaceSchedule, PacerStore } from '../../shared/pacing/pacer-store.js';
import { SchedulePacer } from '../../shared/pacing/schedule-pacer.js';
import type { PaceGrant, PaceRequest } from '../../shared/pacing/send-pacer.js';
import type { SendDependencies } from '../../shared/sending/send.js';
import { sendRetryPolicy } from '../../functions/catalog.js';
import type { FixedClock } from './in-memory-stores.js';
import { RecordingQueue, SequentialIds, directoryOf } from './in-memory-stores.js';
import { broadcastSettings } from './builders.js';
import { defaultPriceTable } from '../../shared/domain/sms-preview.js';
import type { MessagingProvider } from '../../shared/ports/messaging-provider.js';
import type { Stores } from '../../shared/ports/stores.js';

/**
 * The pacer store on a map: each method keeps exactly the condition its port states, and decides
 * nothing else (the rules are the pacer's, shared/pacing/schedule-rules.ts). The contract suite
 * (test/integration/pacing/pacer-store.contract.ts) runs the same cases against it and DynamoDB.
 */
export class InMemoryPacerStore implements PacerStore {
  readonly schedules = new Map<string, PaceSchedule>();

  async extend(write: BookingWrite & { cost: number; latestStart: number }): Promise<number | undefined> {
    const schedule = this.schedules.get(write.sender);
    if (!schedule || schedule.nextAt < write.now || schedule.nextAt > write.latestStart || this.heldOff(schedule, write)) return undefined;
    this.schedules.set(write.sender, { nextAt: schedule.nextAt + write.cost, urgentUntil: write.urgentUntil ?? schedule.urgentUntil });
    return schedule.nextAt;
  }

  async restart(write: BookingWrite & { end: number }): Promise<boolean> {
    const schedule = this.schedules.get(write.sender);
    if (schedule && (schedule.nextAt >= write.now || this.heldOff(schedule, write))) return false;
    this.schedules.set(write.sender, { nextAt: write.end, urgentUntil: write.urgentUntil ?? schedule?.urgentUntil ?? 0 });
    return true;
  }

  async moveTo(sender: string, until: number): Promise<void> {
    const schedule = this.schedules.get(sender);
    if (schedule && schedule.nextAt >= until) return;
    this.schedules.set(sender, { nextAt: until, urgentUntil: schedule?.urgentUntil ?? 0 });
  }

  async read(sender: string): Promise<PaceSchedule | undefined> {
    const schedule = this.schedules.get(sender);
    return schedule && { ...schedule };
  }

  private heldOff(schedule: PaceSchedule, write: BookingWrite): boolean {
    return write.unlessUrgent && schedule.urgentUntil > write.now;
  }
}

/** The functions' pacer over an in-memory store, noting each request a test may look at. */
export class InMemorySendPacer extends SchedulePacer {
  readonly requests: PaceRequest[] = [];

  constructor(readonly memory = new InMemoryPacerStore()) {
    super(memory);
  }

  /** Each sender's schedule as stored. */
  get schedules(): ReadonlyMap<string, PaceSchedule> {
    return this.memory.schedules;
  }

  /**
   * Another function instance's pacer on the same schedules: it remembers nothing this one saw,
   * as an urgent lane's function shares nothing with a bulk lane's but the table.
   */
  anotherFunction(): SchedulePacer {
    return new SchedulePacer(this.memory);
  }

  override async reserve(request: PaceRequest): Promise<PaceGrant> {
    this.requests.push({ ...request });
    return super.reserve(request);
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
