import { describe, expect, it } from 'vitest';
import { ForbiddenError } from '../../../shared/domain/errors.js';
import type { DeadLetter } from '../../../shared/ports/dead-letters.js';
import { listDeadLetters, redriveDeadLetters, REDRIVE_TIME_BUDGET_MS } from '../../../shared/dead-letters/dead-letters.js';
import type { DeadLetterDependencies } from '../../../shared/ports/dependencies.js';
import { aPhone, aPrincipal } from '../../support/builders.js';
import { InMemoryDeadLetterQueues } from '../../support/in-memory-dead-letters.js';
import { FixedClock, SequentialIds, inMemoryStores } from '../../support/in-memory-stores.js';

const operator = aPrincipal({ keyId: 'key-operator', name: 'IT operator', role: 'operator', department: '*' });

function setUp() {
  const stores = inMemoryStores();
  const clock = new FixedClock('2025-03-01T09:00:00.000Z');
  const queues = new InMemoryDeadLetterQueues();
  const deps: DeadLetterDependencies = { stores, clock, ids: new SequentialIds('audit'), deadLetters: queues };
  return { deps, stores, clock, queues };
}

function aDeadLetter(n: number, job: unknown): DeadLetter {
  return {
    messageId: `msg-${n}`,
    body: JSON.stringify(job),
    sentAt: '2025-03-01T08:00:00.000Z',
    firstReceivedAt: '2025-03-01T08:00:01.000Z',
    receiveCount: 8,
  };
}

const broadcastSend = (n: number) => aDeadLetter(n, { kind: 'broadcast', broadcastId: 'bc-1', recipients: [{ phone: aPhone(n), channel: 'sms' }] });

describe('listDeadLetters', () => {
  it('counts every queue and shows what each peeked job was, without a phone number or a message text', async () => {
    // Prepare
    const { deps, queues } = setUp();
    queues.add('fanOut', aDeadLetter(1, { broadcastId: 'bc-1', topicId: 'traffic', shard: 3 }));
    queues.add(
      'sendUrgent',
      aDeadLetter(2, { kind: 'broadcast', broadcastId: 'bc-1', recipients: [{ phone: aPhone(1), channel: 'sms' }, { phone: aPhone(2), channel: 'whatsapp' }] }),
      aDeadLetter(3, { kind: 'reply', messageId: 'reply-1', to: aPhone(3), channel: 'sms', body: 'You are subscribed to Traffic alerts', purpose: 'confirmation' }),
    );

    // Act
    const views = await listDeadLetters(deps, operator, { peek: 10 });

    // Assess
    expect(views).toEqual([
      {
        queue: 'fanOut',
        approximateCount: 1,
        peeked: [
          {
            messageId: 'msg-1',
            sentAt: '2025-03-01T08:00:00.000Z',
            firstReceivedAt: '2025-03-01T08:00:01.000Z',
            receiveCount: 9,
            job: { kind: 'fanOutTask', broadcastId: 'bc-1', topicId: 'traffic', shard: 3 },
          },
        ],
      },
      {
        queue: 'sendUrgent',
        approximateCount: 2,
        peeked: [
          expect.objectContaining({ messageId: 'msg-2', job: { kind: 'broadcastSend', broadcastId: 'bc-1', recipients: 2 } }),
          expect.objectContaining({ messageId: 'msg-3', job: { kind: 'reply', messageId: 'reply-1', purpose: 'confirmation', channel: 'sms' } }),
        ],
      },
      { queue: 'sendBulk', approximateCount: 0, peeked: [] },
      { queue: 'awsSmsNotifications', approximateCount: 0, peeked: [] },
    ]);
    const shown = JSON.stringify(views);
    expect(shown).not.toContain('+447700900');
    expect(shown).not.toContain('subscribed');
  });

  it('peeks at no more than asked for, nor than the queue holds, and not at all at an empty queue', async () => {
    // Prepare
    const { deps, queues } = setUp();
    queues.add('sendBulk', ...Array.from({ length: 7 }, (_, n) => broadcastSend(n)));
    queues.add('fanOut', aDeadLetter(1, { broadcastId: 'bc-1', topicId: 'traffic', shard: 0 }));

    // Act
    const views = await listDeadLetters(deps, operator, { peek: 5 });

    // Assess
    expect(queues.calls).toEqual([
      { action: 'peek', queue: 'fanOut', max: 1 },
      { action: 'peek', queue: 'sendBulk', max: 5 },
    ]);
    expect(views.find((view) => view.queue === 'sendBulk')).toMatchObject({ approximateCount: 7, peeked: { length: 5 } });
  });

  it('with peek 0 only counts', async () => {
    // Prepare
    const { deps, queues } = setUp();
    queues.add('sendBulk', broadcastSend(1));

    // Act
    const views = await listDeadLetters(deps, operator, { peek: 0 });

    // Assess
    expect(queues.calls).toEqual([]);
    expect(views.find((view) => view.queue === 'sendBulk')).toEqual({ queue: 'sendBulk', approximateCount: 1, peeked: [] });
  });

  it('leaves the messages in their dead-letter queue and records the look in the audit log', async () => {
    // Prepare
    const { deps, queues, stores } = setUp();
    queues.add('sendBulk', broadcastSend(1), broadcastSend(2));

    // Act
    await listDeadLetters(deps, operator, { peek: 10 });

    // Assess
    expect(await queues.count('sendBulk')).toBe(2);
    expect(queues.workQueues.sendBulk).toEqual([]);
    expect(stores.audit.entries).toEqual([
      expect.objectContaining({
        action: 'deadLetters.inspect',
        actor: { keyId: 'key-operator', name: 'IT operator', role: 'operator', department: '*' },
        target: { type: 'queue', id: '*' },
        after: {
          fanOut: { approximateCount: 0, peeked: 0 },
          sendUrgent: { approximateCount: 0, peeked: 0 },
          sendBulk: { approximateCount: 2, peeked: 2 },
          awsSmsNotifications: { approximateCount: 0, peeked: 0 },
        },
      }),
    ]);
  });

  it.each([
    { case: 'a sender key', principal: aPrincipal({ role: 'sender' }), error: 'a sender key may not see or redrive dead letters' },
    { case: 'an approver key', principal: aPrincipal({ role: 'approver' }), error: 'an approver key may not see or redrive dead letters' },
    {
      case: 'a test operator key',
      principal: aPrincipal({ role: 'operator', department: '*', mode: 'test' }),
      error: 'a test key may not see or redrive dead letters: test keys see and change test data only; use a live key',
    },
  ])('refuses $case, looking at nothing and recording nothing', async ({ principal, error }) => {
    // Prepare
    const { deps, queues, stores } = setUp();
    queues.add('sendBulk', broadcastSend(1));

    // Act
    const attempt = listDeadLetters(deps, principal, { peek: 10 });

    // Assess
    await expect(attempt).rejects.toThrow(new ForbiddenError(error));
    expect(queues.calls).toEqual([]);
    expect(stores.audit.entries).toEqual([]);
  });
});

describe('redriveDeadLetters', () => {
  it('moves every dead letter back onto its work queue, ten at a time, in order', async () => {
    // Prepare
    const { deps, queues } = setUp();
    const letters = Array.from({ length: 23 }, (_, n) => broadcastSend(n));
    queues.add('sendBulk', ...letters);

    // Act
    const result = await redriveDeadLetters(deps, operator, 'sendBulk', {});

    // Assess
    expect(result).toEqual({ queue: 'sendBulk', moved: 23, stoppedBecause: 'empty', approximateRemaining: 0 });
    expect(queues.workQueues.sendBulk).toEqual(letters.map((letter) => letter.body));
    expect(queues.calls.map((call) => call.max)).toEqual([10, 10, 10, 10]);
    expect(queues.workQueues.sendUrgent).toEqual([]);
  });

  it('moves no more than the limit, the last batch only as large as what is left of it', async () => {
    // Prepare
    const { deps, queues } = setUp();
    queues.add('fanOut', ...Array.from({ length: 23 }, (_, shard) => aDeadLetter(shard, { broadcastId: 'bc-1', topicId: 'traffic', shard })));

    // Act
    const result = await redriveDeadLetters(deps, operator, 'fanOut', { limit: 12 });

    // Assess
    expect(result).toEqual({ queue: 'fanOut', moved: 12, stoppedBecause: 'limit', approximateRemaining: 11 });
    expect(queues.calls.map((call) => call.max)).toEqual([10, 2]);
  });

  it('stops once its time budget is spent, saying so, so the caller asks again for the rest', async () => {
    // Prepare
    const { deps, queues, clock } = setUp();
    queues.add('sendBulk', ...Array.from({ length: 50 }, (_, n) => broadcastSend(n)));
    // Each batch takes 40 % of the budget: the third starts inside it, a fourth would not.
    queues.beforeEachMove = () => clock.advance(REDRIVE_TIME_BUDGET_MS * 0.4);

    // Act
    const result = await redriveDeadLetters(deps, operator, 'sendBulk', {});

    // Assess
    expect(result).toEqual({ queue: 'sendBulk', moved: 30, stoppedBecause: 'timeBudget', approximateRemaining: 20 });
  });

  it('records the redrive in the audit log, with how many moved and the limit asked for', async () => {
    // Prepare
    const { deps, queues, stores } = setUp();
    queues.add('sendUrgent', broadcastSend(1), broadcastSend(2));

    // Act
    await redriveDeadLetters(deps, operator, 'sendUrgent', { limit: 5 });

    // Assess
    expect(stores.audit.entries).toEqual([
      expect.objectContaining({
        action: 'deadLetters.redrive',
        target: { type: 'queue', id: 'sendUrgent' },
        after: { moved: 2, limit: 5, stoppedBecause: 'empty' },
      }),
    ]);
  });

  it('records what moved before a batch failed, and still fails', async () => {
    // Prepare
    const { deps, queues, stores } = setUp();
    queues.add('sendBulk', ...Array.from({ length: 15 }, (_, n) => broadcastSend(n)));
    let batches = 0;
    queues.beforeEachMove = () => {
      batches += 1;
      if (batches === 2) throw new Error('SQS is unavailable');
    };

    // Act
    const attempt = redriveDeadLetters(deps, operator, 'sendBulk', {});

    // Assess
    await expect(attempt).rejects.toThrow('SQS is unavailable');
    expect(queues.workQueues.sendBulk).toHaveLength(10);
    expect(stores.audit.entries).toEqual([
      expect.objectContaining({ action: 'deadLetters.redrive', target: { type: 'queue', id: 'sendBulk' }, after: { moved: 10, stoppedBecause: 'failed' } }),
    ]);
  });

  it.each([
    { case: 'a viewer key', principal: aPrincipal({ role: 'viewer' }), error: /a viewer key may not see or redrive dead letters/ },
    { case: 'a test operator key', principal: aPrincipal({ role: 'operator', department: '*', mode: 'test' }), error: /a test key may not see or redrive dead letters/ },
  ])('refuses $case, moving nothing', async ({ principal, error }) => {
    // Prepare
    const { deps, queues, stores } = setUp();
    queues.add('sendBulk', broadcastSend(1));

    // Act
    const attempt = redriveDeadLetters(deps, principal, 'sendBulk', {});

    // Assess
    await expect(attempt).rejects.toThrow(error);
    expect(await queues.count('sendBulk')).toBe(1);
    expect(queues.workQueues.sendBulk).toEqual([]);
    expect(stores.audit.entries).toEqual([]);
  });
});
