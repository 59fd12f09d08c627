import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoPacerStore } from '../../../shared/pacing/dynamo/dynamo-pacer-store.js';
import { SchedulePacer } from '../../../shared/pacing/schedule-pacer.js';
import { freshTable } from '../../support/dynamo-table.js';
import { describePacerStoreContract, NOW, paceRequest } from './pacer-store.contract.js';

describePacerStoreContract('DynamoPacerStore against dynalite', async () => {
  const table = await freshTable('crier-pacer');
  return new DynamoPacerStore(table.documents, table.tableName);
});

describe('DynamoPacerStore against dynalite: the requests a booking costs', () => {
  let pacer: SchedulePacer;
  let table: Awaited<ReturnType<typeof freshTable>>;

  beforeAll(async () => {
    table = await freshTable('crier-pacer');
    pacer = new SchedulePacer(new DynamoPacerStore(table.documents, table.tableName));
  });

  /** A pacer of its own on the same table, and the commands it sends, by name. */
  function countingPacer() {
    const sent: string[] = [];
    const counting = new SchedulePacer(
      new DynamoPacerStore(
        new Proxy(table.documents, {
          get: (target, property, receiver) =>
            property === 'send'
              ? (command: { constructor: { name: string } }) => (sent.push(command.constructor.name), target.send(command as never))
              : Reflect.get(target, property, receiver),
        }),
        table.tableName,
      ),
    );
    return { counting, sent };
  }

  it('books an idle sender with one write', async () => {
    // Prepare
    const own = paceRequest();
    const { counting, sent } = countingPacer();

    // Act
    const first = await counting.reserve(own);

    // Assess
    expect(first).toEqual({ granted: true, startAt: NOW });
    expect(sent).toEqual(['UpdateCommand']);
  });

  it('once it has seen the schedule booked beyond its reach, refuses at no cost (no write, no read): the schedule only moves forward', async () => {
    // Prepare: 4 s booked ahead; this pacer is refused once and so learns where the schedule ends.
    const own = paceRequest();
    await pacer.reserve({ ...own, units: 400, latestStart: NOW + 60_000 });
    await pacer.reserve(own);
    const { counting, sent } = countingPacer();
    await counting.reserve(own);
    sent.length = 0;

    // Act
    const refused = await counting.reserve({ ...own, now: NOW + 100, latestStart: NOW + 3_100 });

    // Assess
    expect(refused).toEqual({ granted: false, retryAt: NOW + 1_000 });
    expect(sent).toEqual([]);
  });

  it('loses a race to another function\'s booking with one failed write and a read: never a restart that cannot succeed', async () => {
    // Prepare: this pacer books, so it has seen the schedule end ahead of now; another function
    // then books 4 s more, past this one's latest start.
    const own = paceRequest({ latestStart: NOW + 3_000 });
    const { counting, sent } = countingPacer();
    await counting.reserve(own);
    await pacer.reserve({ ...own, units: 400, latestStart: NOW + 60_000 });
    sent.length = 0;

    // Act
    const refused = await counting.reserve(own);

    // Assess: the schedule now ends at NOW + 4.1 s; 10 slots may start by NOW + 3 s.
    expect(refused).toEqual({ granted: false, retryAt: NOW + 1_100 });
    expect(sent).toEqual(['UpdateCommand', 'GetCommand']);
  });
});
