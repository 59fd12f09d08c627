import { describe, expect, it } from 'vitest';
import { PACING_HEADROOM } from '../../../shared/pacing/booking-rules.js';
import { SenderSlots } from '../../../shared/pacing/sender-slots.js';
import { InMemorySendPacer } from '../../support/in-memory-pacing.js';
import { FixedClock } from '../../support/in-memory-stores.js';

const SENDER = 'sandbox:sms:sandbox-sms';
const interval = 1000 / (10 * PACING_HEADROOM);

function setUp(messagesPerSecond: number | undefined = 10, lane: 'normal' | 'urgent' = 'normal') {
  const clock = new FixedClock();
  const pacer = new InMemorySendPacer();
  const slots = new SenderSlots({
    pacer,
    clock,
    sleep: async (ms) => clock.advance(ms),
    sender: SENDER,
    messagesPerSecond,
    lane,
    deadline: clock.now().getTime() + 60_000,
  });
  const heldUntil = () => pacer.schedules.get(SENDER)?.nextAt ?? 0;
  return { clock, pacer, slots, heldUntil };
}

/** The pause SenderSlots.holdBack asks every sender's function to keep, by the schedule it moved. */
describe('SenderSlots.holdBack: the pause after a 429', () => {
  it('pauses two slots after a first 429, at least 100 ms', async () => {
    // Prepare
    const fast = setUp(100);
    const slow = setUp(10);

    // Act
    await fast.slots.holdBack();
    await slow.slots.holdBack();

    // Assess: two slots at 10 msg/s; 100 ms rather than two 10 ms slots at 100 msg/s.
    expect(slow.heldUntil() - slow.clock.now().getTime()).toBeCloseTo(2 * interval, 0);
    expect(fast.heldUntil() - fast.clock.now().getTime()).toBe(100);
  });

  it('doubles the pause for a 429 soon after one ends, up to a second', async () => {
    // Prepare
    const { clock, slots, heldUntil } = setUp(10);
    const pauses: number[] = [];

    // Act: a 429 just after each pause ends, five times.
    for (let refusal = 0; refusal < 5; refusal += 1) {
      await slots.holdBack();
      pauses.push(heldUntil() - clock.now().getTime());
      clock.advance(heldUntil() - clock.now().getTime() + 10);
    }

    // Assess
    expect(pauses.map((pause) => Math.round(pause))).toEqual([204, 408, 816, 1_000, 1_000]);
  });

  it('does not lengthen a pause for answers that arrive during it (sends made before it began)', async () => {
    // Prepare
    const { clock, slots, heldUntil } = setUp(10);
    await slots.holdBack();
    const firstEnd = heldUntil();

    // Act: two more 429s inside the pause.
    clock.advance(50);
    await slots.holdBack();
    clock.advance(50);
    await slots.holdBack();

    // Assess
    expect(heldUntil()).toBe(firstEnd);
  });

  it('starts again at two slots when the last pause ended more than five seconds ago', async () => {
    // Prepare
    const { clock, slots, heldUntil } = setUp(10);
    await slots.holdBack();
    clock.advance(heldUntil() - clock.now().getTime() + 10);
    await slots.holdBack();
    clock.advance(heldUntil() - clock.now().getTime() + 5_001);

    // Act
    await slots.holdBack();

    // Assess
    expect(heldUntil() - clock.now().getTime()).toBeCloseTo(2 * interval, 0);
  });

  it('sends nothing of its own inside the pause, and keeps its slots after it', async () => {
    // Prepare: a booking of two slots, then a 429.
    const { clock, slots } = setUp(10);
    const start = clock.now().getTime();
    await slots.take(1);
    await slots.holdBack();

    // Act
    await slots.take(1);

    // Assess: the next send waits out the pause.
    expect(clock.now().getTime() - start).toBeCloseTo(2 * interval, 0);
  });
});

describe('SenderSlots.next: bookings', () => {
  it('books in growing chunks however many slots it hands out one at a time (no floating-point drift at epoch milliseconds)', async () => {
    // Prepare: 20 a second less headroom, an interval of 51.02… ms added to epoch milliseconds; the
    // urgent lane, whose bookings grow to a second's worth.
    const { slots, pacer } = setUp(20, 'urgent');

    // Act: forty slots, one at a time, each taken as the last one comes due.
    const taken: number[] = [];
    for (let index = 0; index < 40; index += 1) {
      const slot = await slots.take(1);
      if (slot.ok) taken.push(slot.at);
    }

    // Assess: every slot an interval after the one before, from four bookings that doubled up to a
    // second's worth (before, adding an interval forty times drifted past the end of each booking,
    // and nearly every slot was a booking of its own).
    expect(taken).toHaveLength(40);
    expect(pacer.requests.map((request) => request.units)).toEqual([4, 8, 16, 20]);
  });
});

describe('SenderSlots: the bulk lane stays close to now', () => {
  it('holds no slot more than a second ahead, in bookings of half a second, however far the schedule could reach', async () => {
    // Prepare: 20 a second less headroom; the bulk lane.
    const { slots, pacer, clock } = setUp(20);

    // Act: sixty slots, booked as a function with residents waiting asks for them (without waiting for each).
    const ahead: number[] = [];
    for (let index = 0; index < 60; index += 1) {
      const slot = await slots.next(1);
      if (slot.ok) ahead.push(pacer.schedules.get(SENDER)!.nextAt - clock.now().getTime());
      await slots.waitUntil(slot.ok ? slot.at : clock.now().getTime());
    }

    // Assess: every booking ends within a second of when it was made, and none covers more than half of it.
    expect(ahead).toHaveLength(60);
    expect(Math.max(...ahead)).toBeLessThanOrEqual(1_000 + 0.01);
    expect(Math.max(...pacer.requests.map((request) => request.units))).toBe(10);
  });
});
