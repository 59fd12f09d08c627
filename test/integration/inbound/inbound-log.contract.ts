import { beforeAll, describe, expect, it } from 'vitest';
import type { InboundLog } from '../../../shared/inbox/inbound-log.js';
import { aMessageSid, aPhone } from '../../support/builders.js';

/*
 * The inbound log's contract: one set of cases, run against the DynamoDB log on dynalite
 * (inbound-log-dynamo.test.ts) and the in-memory one the use cases' tests rely on
 * (test/unit/inbound/inbound-log-memory.test.ts), so the fake cannot drift from the log that
 * runs: the idempotent claim of an inbound message, its release, the sender's count, erasure's
 * look-ups and the skipped items' record.
 */

const at = (seconds: number) => new Date(Date.parse('2025-03-01T09:00:00.000Z') + seconds * 1000).toISOString();
const record = (seconds: number) => ({ from: aPhone(101), channel: 'sms' as const, body: 'JOIN TRAFFIC', at: at(seconds) });

/** Builds the log under test; each case takes message ids and numbers of its own, so they may share it. */
export type InboundLogFactory = () => Promise<InboundLog>;

export function inboundLogContract(name: string, makeLog: InboundLogFactory): void {
  describe(`${name}: the inbound log's contract`, () => {
    let log: InboundLog;

    beforeAll(async () => {
      log = await makeLog();
    });

    it('moves a message from new to in progress to done, keeping the reply id', async () => {
      // Prepare
      const sid = aMessageSid();

      // Act
      const first = await log.begin('twilio', sid, record(0));
      const whileWorking = await log.begin('twilio', sid, record(1));
      await log.finish('twilio', sid, `reply-twilio-${sid}`);
      const afterwards = await log.begin('twilio', sid, record(2));

      // Assess
      expect(first).toEqual({ state: 'new' });
      expect(whileWorking).toEqual({ state: 'in-progress' });
      expect(afterwards).toEqual({ state: 'done', replyMessageId: `reply-twilio-${sid}` });
    });

    it('remembers a message that needed no reply', async () => {
      // Prepare
      const sid = aMessageSid();
      await log.begin('twilio', sid, record(0));

      // Act
      await log.finish('twilio', sid, undefined);

      // Assess
      expect(await log.begin('twilio', sid, record(1))).toEqual({ state: 'done', replyMessageId: undefined });
    });

    it('lets only one of many simultaneous deliveries of a message through', async () => {
      // Prepare
      const sid = aMessageSid();

      // Act
      const entries = await Promise.all(Array.from({ length: 8 }, () => log.begin('twilio', sid, record(0))));

      // Assess
      expect(entries.filter((entry) => entry.state === 'new')).toHaveLength(1);
      expect(entries.filter((entry) => entry.state === 'in-progress')).toHaveLength(7);
    });

    it.each([
      [59, { state: 'in-progress' }],
      [61, { state: 'new' }],
    ])('after %i s, a claim still in progress is %o to a retry', async (seconds, expected) => {
      // Prepare
      const sid = aMessageSid();
      await log.begin('twilio', sid, record(0));

      // Act
      const retry = await log.begin('twilio', sid, record(seconds));

      // Assess
      expect(retry).toEqual(expected);
    });

    it('finishes an entry it holds, and writes nothing for one it does not: a delivery of that one later is new', async () => {
      // Prepare
      const [held, unknown] = [aMessageSid(), aMessageSid()];
      await log.begin('twilio', held, record(0));

      // Act
      const finished = await log.finish('twilio', held, undefined);
      const none = await log.finish('twilio', unknown, `reply-twilio-${unknown}`, 'redacted');

      // Assess
      expect([finished, none]).toEqual([true, false]);
      expect(await log.anonymise('twilio', unknown)).toBeUndefined();
      expect(await log.begin('twilio', unknown, record(1))).toEqual({ state: 'new' });
    });

    it('never takes over a message that was done, however old', async () => {
      // Prepare
      const sid = aMessageSid();
      await log.begin('twilio', sid, record(0));
      await log.finish('twilio', sid, undefined);

      // Act
      const retry = await log.begin('twilio', sid, record(86_400));

      // Assess
      expect(retry).toEqual({ state: 'done', replyMessageId: undefined });
    });

    it('keeps the same message id from two providers apart', async () => {
      // Prepare
      const sid = aMessageSid();
      await log.begin('twilio', sid, record(0));

      // Act
      const other = await log.begin('sandbox', sid, record(0));

      // Assess
      expect(other).toEqual({ state: 'new' });
    });

    it('gives back a failed attempt’s claim, so an immediate retry is new', async () => {
      // Prepare
      const sid = aMessageSid();
      await log.begin('twilio', sid, record(0));

      // Act
      await log.release('twilio', sid, at(0));

      // Assess
      expect(await log.begin('twilio', sid, record(2))).toEqual({ state: 'new' });
    });

    it('leaves a finished entry, and a claim a later attempt took over, alone', async () => {
      // Prepare
      const done = aMessageSid();
      await log.begin('twilio', done, record(0));
      await log.finish('twilio', done, undefined);
      const takenOver = aMessageSid();
      await log.begin('twilio', takenOver, record(0));
      await log.begin('twilio', takenOver, record(120));

      // Act
      await log.release('twilio', done, at(0));
      await log.release('twilio', takenOver, at(0));

      // Assess
      expect(await log.begin('twilio', done, record(121))).toEqual({ state: 'done', replyMessageId: undefined });
      expect(await log.begin('twilio', takenOver, record(121))).toEqual({ state: 'in-progress' });
    });

    it('records a skipped item with its reason, apart from inbound messages, rewriting it on a retry', async () => {
      // Prepare
      const id = `wamid.${aMessageSid()}`;
      const skipped = { provider: 'whatsapp-cloud', itemId: id, kind: 'message' as const, path: 'entry.0.changes.0.value.messages.0', reason: 'a reaction', at: at(0) };
      const expiresAt = new Date('2025-05-30T09:00:00.000Z');

      // Act
      await log.recordSkipped(skipped, expiresAt);
      await log.recordSkipped({ ...skipped, at: at(5) }, expiresAt);
      const claim = await log.begin('whatsapp-cloud', id, record(0));

      // Assess
      expect(await log.skippedItem('whatsapp-cloud', id)).toEqual({ ...skipped, at: at(5) });
      expect(await log.skippedItem('whatsapp-cloud', `${id}-never`)).toBeUndefined();
      expect(claim).toEqual({ state: 'new' });
    });

    it('counts the messages from a sender within a window, each window and sender apart', async () => {
      // Prepare
      const [alice, bob] = [aPhone(301), aPhone(302)];
      const expires = new Date('2025-03-01T09:05:00.000Z');

      // Act
      const counts = [
        await log.countFromSender(alice, '2025-03-01T09:00', expires),
        await log.countFromSender(alice, '2025-03-01T09:00', expires),
        await log.countFromSender(bob, '2025-03-01T09:00', expires),
        await log.countFromSender(alice, '2025-03-01T09:05', expires),
      ];

      // Assess
      expect(counts).toEqual([1, 2, 1, 1]);
    });

    it('lists every message a number sent, from every provider, once each however often it was delivered', async () => {
      // Prepare
      const phone = aPhone(310);
      const [first, second] = [aMessageSid(), aMessageSid()];
      const from = (seconds: number) => ({ ...record(seconds), from: phone });

      // Act
      await log.begin('twilio', first, from(0));
      await log.begin('twilio', first, from(1));
      await log.begin('sandbox', second, from(2));

      // Assess
      expect((await log.sentBy(phone)).sort((a, b) => a.provider.localeCompare(b.provider))).toEqual([
        { provider: 'sandbox', providerMessageId: second },
        { provider: 'twilio', providerMessageId: first },
      ]);
      expect(await log.sentBy(aPhone(311))).toEqual([]);
    });

    it('anonymises an entry, which still answers a retry as a duplicate with its reply; undefined for no such entry', async () => {
      // Prepare
      const sid = aMessageSid();
      await log.begin('twilio', sid, record(0));
      await log.finish('twilio', sid, `reply-twilio-${sid}`);

      // Act
      const anonymised = await log.anonymise('twilio', sid);
      const none = await log.anonymise('twilio', aMessageSid());

      // Assess
      expect(anonymised).toEqual({ replyMessageId: `reply-twilio-${sid}` });
      expect(none).toBeUndefined();
      expect(await log.begin('twilio', sid, record(86_400))).toEqual({ state: 'done', replyMessageId: `reply-twilio-${sid}` });
    });
  });
}
