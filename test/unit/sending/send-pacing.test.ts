import { describe, expect, it } from 'vitest';
import { ProviderError } from '../../../shared/domain/errors.js';
import type { Priority } from '../../../shared/domain/model.js';
import type { OutboundText, ProviderAcceptance } from '../../../shared/ports/messaging-provider.js';
import { broadcastMessageId, sendBroadcastBatch, sendReply } from '../../../shared/sending/send.js';
import { aBroadcast, aBroadcastSendJob, aPhone, aReplySendJob, inboundEvidence } from '../../support/builders.js';
import { senderDependencies, sendingForTests } from '../../support/in-memory-pacing.js';
import { PACING_HEADROOM } from '../../../shared/pacing/booking-rules.js';
import { FixedClock, ScriptedProvider, inMemoryStores } from '../../support/in-memory-stores.js';

const BROADCAST_ID = '01jbroadcast0000000000000a';
const residents = Array.from({ length: 10 }, (_, index) => aPhone(200 + index));

/** A provider that notes the clock's time at each send, to see the spacing the pacer gave. */
class TimedProvider extends ScriptedProvider {
  readonly times: number[] = [];
  constructor(private readonly clock: FixedClock) {
    super();
  }
  override async sendText(message: OutboundText): Promise<ProviderAcceptance> {
    this.times.push(this.clock.now().getTime());
    return super.sendText(message);
  }
}

async function setUp(options: { priority?: Priority; body?: string; rate?: number; maxInFlight?: number } = {}) {
  const stores = inMemoryStores();
  const clock = new FixedClock();
  await stores.broadcasts.create(aBroadcast({ id: BROADCAST_ID, body: options.body ?? 'Queues on the A470.', priority: options.priority ?? 'normal' }));
  for (const phone of residents) await stores.subscribers.subscribe(phone, 'sms', 'traffic', clock.now().toISOString(), inboundEvidence());
  const provider = new TimedProvider(clock);
  const sending = sendingForTests(clock, options.rate === undefined ? {} : { 'sandbox:sms': options.rate }, options.maxInFlight ?? 1);
  const deps = senderDependencies(stores, clock, provider, sending);
  return { deps, stores, clock, provider, pacer: sending.pacer, lanes: sending.lanes };
}

/** Milliseconds between one send and the next. */
const gapsOf = (times: number[]) => times.slice(1).map((time, index) => time - (times[index] as number));

const everyone = () => aBroadcastSendJob({ broadcastId: BROADCAST_ID, recipients: residents.map((phone) => ({ phone, channel: 'sms' as const })) });

describe('sendBroadcastBatch: pacing', () => {
  it('spaces sends at the sender rate less its headroom (10 a second: one every 102 ms), booking slots in growing chunks', async () => {
    // Prepare
    const { deps, clock, provider, pacer } = await setUp({ rate: 10 });
    const start = clock.now().getTime();

    // Act
    await sendBroadcastBatch(deps, everyone());

    // Assess: ten sends, 1000 / 9.8 ms apart; bookings start at 4 slots, grow towards half a
    // second's worth (5, the bulk lane's most) while each is used up, and never reach past the end
    // of the job (1 left).
    expect(provider.times[0]).toBe(start);
    // Whole milliseconds on the clock: each gap within a millisecond and a half of 102.04.
    expect(gapsOf(provider.times).every((gap) => Math.abs(gap - 1000 / (10 * PACING_HEADROOM)) < 1.5)).toBe(true);
    expect(provider.times).toHaveLength(10);
    expect(pacer.requests.map((request) => request.units)).toEqual([4, 5, 1]);
    expect(pacer.requests.every((request) => request.sender === 'sandbox:sms:sandbox-sms' && request.lane === 'normal')).toBe(true);
  });

  it('books fewer slots at a time when it cannot keep up with its bookings, so it leaves the rest of the rate to others', async () => {
    // Prepare: 10 a second, but every send takes 300 ms here (a slow provider), one at a time.
    const { deps, clock, provider, pacer } = await setUp({ rate: 10 });
    const answer = provider.answer;
    provider.answer = (message) => {
      clock.advance(300);
      return answer(message);
    };

    // Act
    await sendBroadcastBatch(deps, everyone());

    // Assess: it used two of its first four slots (one send every 300 ms, slots every 102 ms), so
    // no later booking asks for more than two.
    const sizes = pacer.requests.map((request) => request.units);
    expect(sizes[0]).toBe(4);
    expect(sizes.slice(1).every((size) => size <= 2)).toBe(true);
    expect(provider.sentTo).toHaveLength(10);
  });

  it('paces a job’s SMS and WhatsApp residents side by side: a wait for a WhatsApp slot holds no SMS send up', async () => {
    // Prepare: eight residents by WhatsApp at 1 a second, then two by SMS at 10 a second.
    const { deps, pacer, provider, clock, stores } = await setUp({ rate: 10 });
    deps.senders = async () => (await sendingForTests(clock, { 'sandbox:sms': 10, 'sandbox:whatsapp': 1 }).senders());
    // Inside their 24-hour windows: free text, no template needed.
    for (const phone of residents.slice(0, 8)) await stores.subscribers.recordWhatsAppWindow(phone, clock.now().toISOString());
    const job = aBroadcastSendJob({
      broadcastId: BROADCAST_ID,
      recipients: residents.map((phone, index) => ({ phone, channel: index < 8 ? ('whatsapp' as const) : ('sms' as const) })),
    });

    // Act
    await sendBroadcastBatch(deps, job);

    // Assess: the SMS residents, last in the job, went out among the first sends, not behind the
    // WhatsApp residents' seconds (the test's clock moves at every sleep, so order tells, not times);
    // the first SMS booking is of two slots (what the job has left), not the first booking's four.
    const order = provider.attempts.map((message) => message.channel);
    expect(order.slice(0, 4).filter((channel) => channel === 'sms')).toHaveLength(2);
    expect(provider.attempts.filter((message) => message.channel === 'whatsapp')).toHaveLength(8);
    const smsBookings = pacer.requests.filter((request) => request.sender.startsWith('sandbox:sms:'));
    expect(smsBookings[0]?.units).toBe(2);
  });

  it('paces SMS by segments: a two-segment text takes two slots', async () => {
    // Prepare: 200 GSM-7 characters with the footer are two segments.
    const { deps, clock, provider } = await setUp({ rate: 10, body: 'A'.repeat(160) });
    const start = clock.now().getTime();

    // Act
    await sendBroadcastBatch(deps, aBroadcastSendJob({ broadcastId: BROADCAST_ID, recipients: residents.slice(0, 3).map((phone) => ({ phone, channel: 'sms' as const })) }));

    // Assess
    expect(provider.times[0]).toBe(start);
    expect(gapsOf(provider.times).every((gap) => Math.abs(gap - 2000 / (10 * PACING_HEADROOM)) < 1.5)).toBe(true);
  });

  it('sends as fast as it can to an unmetered sender, booking nothing', async () => {
    // Prepare
    const { deps, clock, provider, pacer } = await setUp();
    const start = clock.now().getTime();

    // Act
    await sendBroadcastBatch(deps, everyone());

    // Assess
    expect(provider.times.every((time) => time === start)).toBe(true);
    expect(pacer.requests).toEqual([]);
  });

  it('keeps several sends in flight at once, and still sends each resident once', async () => {
    // Prepare
    const { deps, provider, stores } = await setUp({ maxInFlight: 4 });

    // Act
    await sendBroadcastBatch(deps, everyone());

    // Assess
    expect([...provider.sentTo].sort()).toEqual([...residents].sort());
    expect((await stores.broadcasts.get(BROADCAST_ID))?.counts).toMatchObject({ sent: 10, failed: 0, skipped: 0 });
  });

  it('hands the bulk batch back, without using an attempt, while an urgent broadcast holds the sender', async () => {
    // Prepare: an urgent broadcast booked 30 s of slots a moment ago (in a function of the urgent lane).
    const { deps, clock, provider, pacer, lanes } = await setUp({ rate: 10 });
    await pacer.anotherFunction().reserve({ sender: 'sandbox:sms:sandbox-sms', units: 300, messagesPerSecond: 10, lane: 'urgent', now: clock.now().getTime(), latestStart: clock.now().getTime() });

    // Act
    await sendBroadcastBatch(deps, everyone());

    // Assess: held for the urgent booking (30 s) and its 3 s hold: 33 s, longer than a function waits.
    expect(provider.attempts).toEqual([]);
    expect(lanes.normal.sent).toEqual([{ ...everyone(), attempt: 0 }]);
    expect(lanes.normal.delays).toEqual([33]);
  });

  it('hands the rest back, without using an attempt, when its function is about to be stopped', async () => {
    // Prepare: 10 a second, and 10.5 s of the function left: it keeps a 10 s margin, so 4 slots fit.
    const { deps, clock, provider, lanes, stores } = await setUp({ rate: 10 });
    const deadline = clock.now().getTime() + 10_500;

    // Act
    await sendBroadcastBatch(deps, everyone(), { deadline, jobId: 'job-1' });

    // Assess
    expect(provider.sentTo).toEqual(residents.slice(0, 4));
    expect(lanes.normal.sent).toEqual([{ ...everyone(), recipients: everyone().recipients.slice(4), attempt: 0 }]);
    expect((await stores.broadcasts.get(BROADCAST_ID))?.counts).toMatchObject({ sent: 4 });
  });

  it('pauses the sender two slots for everyone when the provider says 429, and tries that resident again at the end', async () => {
    // Prepare: the provider refuses the third send (at +204 ms) once.
    const { deps, clock, provider, pacer, lanes, stores } = await setUp({ rate: 10 });
    const start = clock.now().getTime();
    const interval = 1000 / (10 * PACING_HEADROOM);
    let refused = false;
    provider.answer = (message) => {
      if (message.to !== residents[2] || refused) return provider.accept();
      refused = true;
      return new ProviderError('sandbox', 'throttled', 'too many requests', { providerCode: 429 });
    };

    // Act
    await sendBroadcastBatch(deps, everyone());

    // Assess: nobody was sent in the two slots after the 429; then the pace was the rate again, and
    // the third resident went last, once.
    const refusedAt = provider.times[2] as number;
    expect(provider.times[3]).toBeGreaterThanOrEqual(refusedAt + 2 * interval - 1);
    expect(gapsOf(provider.times.slice(3)).every((gap) => gap >= interval - 1.5)).toBe(true);
    expect(provider.times[3]).toBeLessThan(start + 1_000);
    expect(provider.sentTo).toEqual([...residents.slice(0, 3), ...residents.slice(3), residents[2]]);
    expect(pacer.schedules.get('sandbox:sms:sandbox-sms')?.nextAt).toBeGreaterThanOrEqual(refusedAt + 2 * interval - 1);
    expect(lanes.normal.sent).toEqual([]);
    expect((await stores.broadcasts.get(BROADCAST_ID))?.counts).toMatchObject({ sent: 10, failed: 0 });
  });

  it('doubles the pause for each 429 that follows one: 2, 4, then 8 slots', async () => {
    // Prepare: the provider refuses the third resident every time.
    const { deps, provider } = await setUp({ rate: 10 });
    const interval = 1000 / (10 * PACING_HEADROOM);
    provider.answer = (message) =>
      message.to === residents[2] ? new ProviderError('sandbox', 'throttled', 'too many requests', { providerCode: 429 }) : provider.accept();

    // Act
    await sendBroadcastBatch(deps, everyone());

    // Assess: after each refusal of the third resident (one go and three retries), the next send waited 2, 4, then 8 slots.
    const refusals = provider.sentTo.flatMap((phone, index) => (phone === residents[2] ? [index] : []));
    expect(refusals).toHaveLength(4);
    const pauses = refusals
      .filter((index) => index + 1 < provider.times.length)
      .map((index) => (provider.times[index + 1] as number) - (provider.times[index] as number));
    expect(pauses[0]).toBeGreaterThanOrEqual(2 * interval - 1);
    expect(pauses[0]).toBeLessThan(3 * interval);
    expect(pauses).toHaveLength(3);
    expect(pauses[1]).toBeGreaterThanOrEqual(4 * interval - 1);
    expect(pauses[2]).toBeGreaterThanOrEqual(8 * interval - 1);
  });

  it('hands the rest back, an attempt more, when the provider keeps saying 429', async () => {
    // Prepare
    const { deps, provider, lanes } = await setUp({ rate: 10 });
    provider.answer = (message) =>
      message.to === residents[2] ? new ProviderError('sandbox', 'throttled', 'too many requests', { providerCode: 429 }) : provider.accept();

    // Act
    await sendBroadcastBatch(deps, everyone());

    // Assess: four goes at the third resident (one and three retries), then it and everyone not yet sent go back.
    expect(provider.sentTo.filter((phone) => phone === residents[2])).toHaveLength(4);
    expect(lanes.normal.sent).toHaveLength(1);
    expect(lanes.normal.sent[0]).toMatchObject({ attempt: 1, recipients: expect.arrayContaining([{ phone: residents[2], channel: 'sms' }]) });
  });
});

describe('sendBroadcastBatch: a cancel part-way through', () => {
  it('stops sending within about a second of the cancel, and records everyone left as skipped, cancelled', async () => {
    // Prepare: 5 a second (the batch takes 2 s); the broadcast is cancelled after the third send.
    const { deps, stores, provider } = await setUp({ rate: 5 });
    const cancelAfterSends = 3;
    const answer = provider.answer;
    provider.answer = (message) => {
      if (provider.attempts.length === cancelAfterSends) void stores.broadcasts.transition(BROADCAST_ID, ['sending'], 'cancelled');
      return answer(message);
    };

    // Act
    await sendBroadcastBatch(deps, everyone());

    // Assess: the next look at the status (1 s in, about the sixth slot) stops it.
    const sent = provider.sentTo.length;
    expect(sent).toBeGreaterThanOrEqual(cancelAfterSends);
    expect(sent).toBeLessThan(residents.length);
    const counts = (await stores.broadcasts.get(BROADCAST_ID))?.counts;
    expect(counts).toMatchObject({ sent, skipped: residents.length - sent });
    const last = await stores.messages.get(broadcastMessageId(BROADCAST_ID, residents.at(-1) as string));
    expect(last).toMatchObject({ status: 'skipped', skipReason: 'cancelled' });
  });
});

describe('sendBroadcastBatch: consent read just before the slot', () => {
  /** Counts the consent reads the sender makes, per resident. */
  function countConsentReads(stores: ReturnType<typeof inMemoryStores>) {
    const reads = new Map<string, number>();
    const read = stores.subscribers.consentToSend.bind(stores.subscribers);
    stores.subscribers.consentToSend = async (phone, channel, topicId) => {
      reads.set(phone, (reads.get(phone) ?? 0) + 1);
      return read(phone, channel, topicId);
    };
    return reads;
  }

  it('reads each resident’s consent once, a moment before their slot, so a STOP in the slot before theirs is honoured', async () => {
    // Prepare: 2 a second less headroom: the last resident's slot is at ~4.59 s; they text STOP
    // at 4.3 s, while the ninth resident's send is the last one made.
    const { deps, stores, provider, clock } = await setUp({ rate: 2 });
    const reads = countConsentReads(stores);
    const start = clock.now().getTime();
    const last = residents.at(-1) as string;
    const sleep = deps.pacing.sleep;
    deps.pacing.sleep = async (ms) => {
      const before = clock.now().getTime() - start;
      await sleep(ms);
      if (before < 4_300 && clock.now().getTime() - start >= 4_300) await stores.subscribers.optOut(last, 'sms', clock.now().toISOString(), inboundEvidence({ text: 'STOP' }));
    };

    // Act
    await sendBroadcastBatch(deps, { ...everyone(), topicId: 'traffic' });

    // Assess: one read each (the old sender read nearly every resident twice: once as it claimed,
    // once again as the slot came).
    expect(provider.sentTo).not.toContain(last);
    expect(await stores.messages.get(broadcastMessageId(BROADCAST_ID, last))).toMatchObject({ status: 'skipped', skipReason: 'opted_out' });
    expect([...reads.values()]).toEqual(residents.map(() => 1));
  });

  it('reads consent once, just before the slot, however far off the slot is, so a STOP in the wait for it is honoured', async () => {
    // Prepare: another function holds the next two seconds of the schedule; the first resident's
    // slot is ~2 s away, and they text STOP 1 s in.
    const { deps, stores, provider, clock, pacer } = await setUp({ rate: 10 });
    const reads = countConsentReads(stores);
    const start = clock.now().getTime();
    await pacer.anotherFunction().reserve({ sender: 'sandbox:sms:sandbox-sms', units: 20, messagesPerSecond: 10 * PACING_HEADROOM, lane: 'normal', now: start, latestStart: start });
    const first = residents[0] as string;
    const sleep = deps.pacing.sleep;
    deps.pacing.sleep = async (ms) => {
      const before = clock.now().getTime() - start;
      await sleep(ms);
      if (before < 1_000 && clock.now().getTime() - start >= 1_000) await stores.subscribers.optOut(first, 'sms', clock.now().toISOString(), inboundEvidence({ text: 'STOP' }));
    };

    // Act
    await sendBroadcastBatch(deps, { ...everyone(), topicId: 'traffic' });

    // Assess: skipped, read once (at ~2 s, after the STOP), and the others sent after the two seconds.
    expect(provider.sentTo).not.toContain(first);
    expect(provider.sentTo).toHaveLength(residents.length - 1);
    expect(await stores.messages.get(broadcastMessageId(BROADCAST_ID, first))).toMatchObject({ status: 'skipped', skipReason: 'opted_out' });
    expect(reads.get(first)).toBe(1);
    expect(Math.min(...provider.times)).toBeGreaterThanOrEqual(start + 2_000);
  });
});

describe('sendBroadcastBatch: pacing per sender identity', () => {
  it('paces two identities of one provider apart: a department’s own number does not wait behind the default’s schedule', async () => {
    // Prepare: the sandbox has its default SMS number and youth services' own, 10 a second each.
    const stores = inMemoryStores();
    const clock = new FixedClock();
    const provider = new TimedProvider(clock);
    const main = { id: 'main-sms', provider: 'sandbox' as const, channel: 'sms' as const, from: '+447700900100' };
    const youth = { ...main, id: 'youth-sms', from: '+447700900200', departments: ['youth'] };
    const sending = sendingForTests(clock, { 'sandbox:sms': 10 }, 1, [main, youth]);
    const deps = senderDependencies(stores, clock, provider, sending);
    const YOUTH_ID = '01jbroadcast0000000000000y';
    await stores.broadcasts.create(aBroadcast({ id: BROADCAST_ID, body: 'Queues on the A470.', department: 'traffic' }));
    await stores.broadcasts.create(aBroadcast({ id: YOUTH_ID, body: 'Youth club tonight.', department: 'youth' }));
    for (const phone of residents) await stores.subscribers.subscribe(phone, 'sms', 'traffic', clock.now().toISOString(), inboundEvidence());
    const recipients = residents.map((phone) => ({ phone, channel: 'sms' as const }));

    // Act: the traffic broadcast books the default's schedule a second ahead; youth's starts now.
    await sendBroadcastBatch(deps, aBroadcastSendJob({ broadcastId: BROADCAST_ID, recipients }));
    const youthStart = clock.now().getTime();
    await sendBroadcastBatch(deps, aBroadcastSendJob({ broadcastId: YOUTH_ID, recipients }));

    // Assess: each broadcast from its own identity, on its own schedule.
    const fromOf = (id: string) => provider.attempts.filter((message) => message.messageId.startsWith(id)).map((message) => message.from?.address);
    expect(new Set(fromOf(BROADCAST_ID))).toEqual(new Set(['+447700900100']));
    expect(new Set(fromOf(YOUTH_ID))).toEqual(new Set(['+447700900200']));
    expect([...sending.pacer.schedules.keys()].sort()).toEqual(['sandbox:sms:main-sms', 'sandbox:sms:youth-sms']);
    // Youth's first send went at once: its identity's schedule was empty, whatever the default's held.
    expect(provider.times[10]).toBe(youthStart);
    expect((await stores.messages.get(broadcastMessageId(YOUTH_ID, residents[0]!)))?.senderId).toBe('youth-sms');
  });
});

describe('sendReply: pacing', () => {
  it('takes a slot on the reply lane, which never holds the bulk lane off', async () => {
    // Prepare
    const { deps, provider, pacer } = await setUp({ rate: 10 });

    // Act
    await sendReply(deps, aReplySendJob({ to: residents[0], channel: 'sms', body: 'You are subscribed.' }));

    // Assess
    expect(provider.sentTo).toEqual([residents[0]]);
    expect(pacer.requests).toMatchObject([{ sender: 'sandbox:sms:sandbox-sms', lane: 'reply' }]);
    expect(pacer.schedules.get('sandbox:sms:sandbox-sms')?.urgentUntil).toBe(0);
  });
});
