import { describe, expect, it } from 'vitest';
import { buildTimeline, foldTimeline, paceWriteOf, type TimedPaceWrite } from '../../bench/timeline.js';

const PACE_KEY = 'sandbox:sms:+447700900000';

/** An UpdateItem on a sender's schedule as the SDK serialises it (DynamoDB JSON). */
function update(expression: string, values: Record<string, number>, pk = `PACE#${PACE_KEY}`): string {
  return JSON.stringify({
    TableName: 'crier-local',
    Key: { pk: { S: pk }, sk: { S: 'PACE' } },
    UpdateExpression: expression,
    ExpressionAttributeValues: Object.fromEntries(Object.entries(values).map(([name, value]) => [name, { N: String(value) }])),
  });
}

describe('bench timeline: the pacer writes read from the wire', () => {
  it.each([
    ['an extension books :cost ms', 'UpdateItem', update('SET nextAt = nextAt + :cost, expiresAt = :expiresAt', { ':cost': 510.2, ':now': 1_000, ':latest': 4_000, ':expiresAt': 9 }), { kind: 'booking', paceKey: PACE_KEY, ms: 510.2 }],
    [
      'an urgent extension also sets urgentUntil',
      'UpdateItem',
      update('SET nextAt = nextAt + :cost, expiresAt = :expiresAt, urgentUntil = :urgentUntil', { ':cost': 200, ':now': 1_000, ':urgentUntil': 4_200, ':expiresAt': 9 }),
      { kind: 'booking', paceKey: PACE_KEY, ms: 200 },
    ],
    ['a restart books :end − :now ms', 'UpdateItem', update('SET nextAt = :end, expiresAt = :expiresAt', { ':end': 1_250, ':now': 1_000, ':expiresAt': 9 }), { kind: 'booking', paceKey: PACE_KEY, ms: 250 }],
    ['a hold after a 429 books nothing', 'UpdateItem', update('SET nextAt = :until, expiresAt = :expiresAt', { ':until': 2_000, ':expiresAt': 9 }), { kind: 'hold', paceKey: PACE_KEY }],
    ['an expression of another shape is not guessed at', 'UpdateItem', update('SET tokens = tokens - :units', { ':units': 5 }), { kind: 'unrecognised', paceKey: PACE_KEY }],
    ['two assignments to nextAt are not guessed at', 'UpdateItem', update('SET nextAt = nextAt + :cost, nextAt = :end', { ':cost': 5, ':end': 7 }), { kind: 'unrecognised', paceKey: PACE_KEY }],
    ['another item is not a pacer write', 'UpdateItem', update('SET nextAt = nextAt + :cost', { ':cost': 5 }, 'BROADCAST#01J'), undefined],
    ['a read of the schedule is not a write', 'GetItem', update('SET nextAt = nextAt + :cost', { ':cost': 5 }), undefined],
    ['no body', 'UpdateItem', undefined, undefined],
  ] as const)('%s', (_case, operation, body, expected) => {
    // Act
    const write = paceWriteOf(operation, body);

    // Assess
    expect(write).toEqual(expected);
  });
});

describe('bench timeline: a row a second for the busiest sender', () => {
  const origin = 1_000_000;
  const booking = (at: number, ms: number, paceKey = PACE_KEY): TimedPaceWrite => ({ at: origin + at, write: { kind: 'booking', paceKey, ms } });

  it('counts slots, sends, 429s and busy functions in the second each happened', () => {
    // Prepare: 10 msg/s paced; half a second booked in second 0 and again in second 1, sends in both.
    const inputs = {
      channel: 'sms',
      origin,
      slotRate: 10,
      paceWrites: [booking(100, 500), booking(1_100, 500), booking(1_200, 300, 'sandbox:whatsapp:+447700900001')],
      sends: [origin + 200, origin + 300, origin + 1_500],
      throttled: [origin + 1_600],
      invocations: [{ start: origin + 50, end: origin + 1_050 }],
      eventLoop: [
        { at: origin, active: 0, idle: 0 },
        { at: origin + 1_000, active: 250, idle: 750 },
        { at: origin + 2_000, active: 1_250, idle: 750 },
      ],
    };

    // Act
    const timeline = buildTimeline(inputs);

    // Assess
    expect(timeline.paceKeys).toEqual([PACE_KEY]);
    expect(timeline.rows).toEqual([
      { second: 0, slotsBooked: 5, sends: 2, throttled: 0, functionsBusy: 1, functionsBusyAverage: expect.closeTo(0.95), eventLoop: 0.25 },
      { second: 1, slotsBooked: 5, sends: 1, throttled: 1, functionsBusy: 1, functionsBusyAverage: expect.closeTo(0.05), eventLoop: 1 },
    ]);
  });

  it('says n/a for the slots of a second with a write it does not recognise', () => {
    // Prepare
    const inputs = {
      channel: 'sms',
      origin,
      slotRate: 10,
      paceWrites: [booking(100, 500), { at: origin + 1_100, write: { kind: 'unrecognised' as const, paceKey: PACE_KEY } }],
      sends: [origin + 200, origin + 1_500],
      throttled: [],
      invocations: [],
      eventLoop: [],
    };

    // Act
    const timeline = buildTimeline(inputs);

    // Assess
    expect(timeline.rows.map((row) => row.slotsBooked)).toEqual([5, null]);
    expect(timeline.slotsNote).toMatch(/not recognised/);
  });

  it('folds seconds into longer rows: counts summed, the most functions at once kept', () => {
    // Prepare
    const row = (second: number, functionsBusy: number) => ({ second, slotsBooked: 2, sends: 2, throttled: 0, functionsBusy, functionsBusyAverage: 1, eventLoop: 0.5 });
    const timeline = { channel: 'sms', paceKeys: [PACE_KEY], bucketSeconds: 1, rows: [row(0, 1), row(1, 3), row(2, 2), row(5, 1)] };

    // Act
    const folded = foldTimeline(timeline, 5);

    // Assess
    expect(folded.rows).toEqual([
      { second: 0, slotsBooked: 6, sends: 6, throttled: 0, functionsBusy: 3, functionsBusyAverage: expect.closeTo(0.6), eventLoop: expect.closeTo(0.3) },
      { second: 5, slotsBooked: 2, sends: 2, throttled: 0, functionsBusy: 1, functionsBusyAverage: expect.closeTo(0.2), eventLoop: expect.closeTo(0.1) },
    ]);
  });
});
