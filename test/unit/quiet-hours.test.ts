import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatQuietHours,
  instantAtWallClock,
  isQuietAt,
  nextSendableTime,
  quietHoursSchema,
  timeZoneSchema,
  type QuietHours,
} from '../../shared/domain/quiet-hours.js';

const london = 'Europe/London';
const nights = quietHoursSchema.parse('21:00-08:00');

describe('quietHoursSchema', () => {
  it.each<[string, QuietHours | undefined]>([
    ['21:00-08:00', { start: { hour: 21, minute: 0 }, end: { hour: 8, minute: 0 } }],
    [' 22:30 - 07:15 ', { start: { hour: 22, minute: 30 }, end: { hour: 7, minute: 15 } }],
    ['21:00–08:00', { start: { hour: 21, minute: 0 }, end: { hour: 8, minute: 0 } }],
    ['00:00-06:00', { start: { hour: 0, minute: 0 }, end: { hour: 6, minute: 0 } }],
    ['13:00-23:59', { start: { hour: 13, minute: 0 }, end: { hour: 23, minute: 59 } }],
    ['off', undefined],
    ['OFF', undefined],
    ['', undefined],
    ['  ', undefined],
  ])('reads %j', (text, expected) => {
    // Prepare / Act
    const quietHours = quietHoursSchema.parse(text);

    // Assess
    expect(quietHours).toEqual(expected);
  });

  it.each([
    ['21:00-21:00', 'must start and end at different times (use "off" for no quiet hours)'],
    ['9:00-17:00', 'must be "HH:MM-HH:MM" in 24-hour time (such as "21:00-08:00"), or "off"'],
    ['24:00-08:00', 'must be "HH:MM-HH:MM" in 24-hour time (such as "21:00-08:00"), or "off"'],
    ['21:60-08:00', 'must be "HH:MM-HH:MM" in 24-hour time (such as "21:00-08:00"), or "off"'],
    ['21:00', 'must be "HH:MM-HH:MM" in 24-hour time (such as "21:00-08:00"), or "off"'],
    ['9pm-8am', 'must be "HH:MM-HH:MM" in 24-hour time (such as "21:00-08:00"), or "off"'],
    ['none', 'must be "HH:MM-HH:MM" in 24-hour time (such as "21:00-08:00"), or "off"'],
  ])('refuses %j', (text, message) => {
    // Prepare / Act
    const result = quietHoursSchema.safeParse(text);

    // Assess
    expect(result.error?.issues.map((issue) => issue.message)).toEqual([message]);
  });

  it('reads back what formatQuietHours writes', () => {
    // Prepare
    const time = fc.record({ hour: fc.integer({ min: 0, max: 23 }), minute: fc.integer({ min: 0, max: 59 }) });

    // Act / Assess
    fc.assert(
      fc.property(time, time, (start, end) => {
        fc.pre(start.hour !== end.hour || start.minute !== end.minute);
        expect(quietHoursSchema.parse(formatQuietHours({ start, end }))).toEqual({ start, end });
      }),
    );
    expect(quietHoursSchema.parse(formatQuietHours(undefined))).toBeUndefined();
  });
});

describe('timeZoneSchema', () => {
  it.each([
    ['Europe/London', 'Europe/London'],
    ['europe/london', 'Europe/London'],
    [' America/New_York ', 'America/New_York'],
    ['UTC', 'UTC'],
  ])('reads %j as %s', (name, expected) => {
    // Prepare / Act
    const zone = timeZoneSchema.parse(name);

    // Assess
    expect(zone).toBe(expected);
  });

  it.each(['Mars/Olympus_Mons', '+01:00', 'GMT+1:00', ''])('refuses %j', (name) => {
    // Prepare / Act
    const result = timeZoneSchema.safeParse(name);

    // Assess
    expect(result.error?.issues[0]?.message).toBe(`"${name}" is not an IANA time zone (such as "Europe/London")`);
  });
});

describe('isQuietAt', () => {
  it.each([
    // Winter: London is on GMT, so local time is UTC.
    ['2025-01-15T20:59:59.999Z', false],
    ['2025-01-15T21:00:00.000Z', true],
    ['2025-01-15T23:59:59.999Z', true],
    ['2025-01-16T00:00:00.000Z', true],
    ['2025-01-16T07:59:59.999Z', true],
    ['2025-01-16T08:00:00.000Z', false],
    ['2025-01-16T12:00:00.000Z', false],
    // Summer: BST is UTC+1, so 21:00 local is 20:00 UTC.
    ['2025-07-15T19:59:59.999Z', false],
    ['2025-07-15T20:00:00.000Z', true],
    ['2025-07-16T06:59:59.999Z', true],
    ['2025-07-16T07:00:00.000Z', false],
  ])('at %s in London, 21:00-08:00 is quiet: %s', (iso, expected) => {
    // Prepare / Act
    const quiet = isQuietAt(new Date(iso), nights, london);

    // Assess
    expect(quiet).toBe(expected);
  });

  it.each([
    ['2025-01-15T12:59:59.999Z', false],
    ['2025-01-15T13:00:00.000Z', true],
    ['2025-01-15T13:59:59.999Z', true],
    ['2025-01-15T14:00:00.000Z', false],
  ])('at %s, a window that does not wrap midnight (13:00-14:00) is quiet: %s', (iso, expected) => {
    // Prepare
    const lunch = quietHoursSchema.parse('13:00-14:00');

    // Act
    const quiet = isQuietAt(new Date(iso), lunch, london);

    // Assess
    expect(quiet).toBe(expected);
  });

  it('is never quiet without quiet hours', () => {
    // Prepare / Act
    const quiet = isQuietAt(new Date('2025-01-16T03:00:00Z'), undefined, london);

    // Assess
    expect(quiet).toBe(false);
  });

  it('reads the wall clock of the zone given', () => {
    // Prepare: 02:00 UTC is 21:00 the evening before in New York (EST, UTC-5), and 11:00 in Tokyo (UTC+9).
    const at = new Date('2025-01-16T02:00:00Z');

    // Act / Assess
    expect(isQuietAt(at, nights, 'America/New_York')).toBe(true);
    expect(isQuietAt(at, nights, 'Asia/Tokyo')).toBe(false);
  });
});

describe('nextSendableTime', () => {
  it.each([
    ['a winter evening: 08:00 GMT the next day', '21:00-08:00', '2025-01-15T22:00:00Z', '2025-01-16T08:00:00.000Z'],
    ['exactly at the start: 08:00 the next day', '21:00-08:00', '2025-01-15T21:00:00Z', '2025-01-16T08:00:00.000Z'],
    ['after midnight: 08:00 the same day', '21:00-08:00', '2025-01-16T03:00:00Z', '2025-01-16T08:00:00.000Z'],
    ['a millisecond before the end', '21:00-08:00', '2025-01-16T07:59:59.999Z', '2025-01-16T08:00:00.000Z'],
    ['a summer evening: 08:00 BST is 07:00 UTC', '21:00-08:00', '2025-07-15T21:30:00Z', '2025-07-16T07:00:00.000Z'],
    // Clocks go forward at 01:00 UTC on Sunday 30 March 2025: the evening is GMT, the morning BST.
    ['the night the clocks go forward', '21:00-08:00', '2025-03-29T22:00:00Z', '2025-03-30T07:00:00.000Z'],
    // Clocks go back at 01:00 UTC on Sunday 26 October 2025: the evening is BST, the morning GMT.
    ['the night the clocks go back', '21:00-08:00', '2025-10-25T20:30:00Z', '2025-10-26T08:00:00.000Z'],
    ['a window within the day', '13:00-14:00', '2025-01-15T13:30:00Z', '2025-01-15T14:00:00.000Z'],
    // 01:30 does not happen on 30 March: the clocks jump from 01:00 GMT to 02:00 BST, and quiet hours end then.
    ['an end the clocks skip', '00:30-01:30', '2025-03-30T00:45:00Z', '2025-03-30T01:00:00.000Z'],
    // 01:30 happens twice on 26 October, first in BST (00:30 UTC), then in GMT (01:30 UTC).
    ['an end that happens twice, before the first', '00:30-01:30', '2025-10-26T00:00:00Z', '2025-10-26T00:30:00.000Z'],
    ['an end that happens twice, in the repeated hour', '00:30-01:30', '2025-10-26T01:10:00Z', '2025-10-26T01:30:00.000Z'],
    // 01:30 is skipped on 30 March: quiet hours start when the clocks reach 02:00 BST.
    ['a start the clocks skip', '01:30-06:00', '2025-03-30T01:00:00Z', '2025-03-30T05:00:00.000Z'],
  ])('%s (%s, at %s) → %s', (_, window, iso, expected) => {
    // Prepare
    const quietHours = quietHoursSchema.parse(window);

    // Act
    const next = nextSendableTime(new Date(iso), quietHours, london);

    // Assess
    expect(next.toISOString()).toBe(expected);
  });

  it.each([
    ['2025-01-15T20:59:59.999Z', '21:00-08:00'],
    ['2025-01-16T08:00:00.000Z', '21:00-08:00'],
    ['2025-03-30T00:59:59.999Z', '01:30-06:00'],
  ])('sends at once at %s, outside %s', (iso, window) => {
    // Prepare
    const at = new Date(iso);

    // Act
    const next = nextSendableTime(at, quietHoursSchema.parse(window), london);

    // Assess
    expect(next.getTime()).toBe(at.getTime());
  });

  it('sends at once without quiet hours', () => {
    // Prepare
    const at = new Date('2025-01-16T03:00:00Z');

    // Act
    const next = nextSendableTime(at, undefined, london);

    // Assess
    expect(next).toBe(at);
  });

  it('gives the first instant out of quiet hours: never earlier than asked, never quiet, quiet just before', () => {
    // Prepare: zones with an hour's change each way, a half-hour change (Lord Howe), a southern one, and none.
    const zones = fc.constantFrom(london, 'America/New_York', 'Australia/Sydney', 'Australia/Lord_Howe', 'Asia/Kolkata', 'UTC');
    const time = fc.record({ hour: fc.integer({ min: 0, max: 23 }), minute: fc.constantFrom(0, 1, 15, 30, 59) });
    const instants = fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true });

    // Act / Assess
    fc.assert(
      fc.property(instants, time, time, zones, (at, start, end, zone) => {
        fc.pre(start.hour !== end.hour || start.minute !== end.minute);
        const quietHours = { start, end };
        const next = nextSendableTime(at, quietHours, zone);
        expect(next.getTime()).toBeGreaterThanOrEqual(at.getTime());
        expect(isQuietAt(next, quietHours, zone)).toBe(false);
        if (next.getTime() > at.getTime()) expect(isQuietAt(new Date(next.getTime() - 1), quietHours, zone)).toBe(true);
        else expect(isQuietAt(at, quietHours, zone)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('finds the end across the clock changes of every day around them', () => {
    // Prepare: every quarter hour through both London changes of 2025, with a window ending in the skipped and the repeated hour.
    const windows = ['21:00-08:00', '00:30-01:30', '23:00-01:00', '01:00-02:00', '22:00-01:59'].map((window) => quietHoursSchema.parse(window));
    const starts = [Date.parse('2025-03-29T12:00:00Z'), Date.parse('2025-10-25T12:00:00Z')];

    // Act / Assess
    for (const quietHours of windows) {
      for (const from of starts) {
        for (let instant = from; instant < from + 36 * 3_600_000; instant += 15 * 60_000) {
          const next = nextSendableTime(new Date(instant), quietHours, london).getTime();
          expect(next).toBeGreaterThanOrEqual(instant);
          expect(isQuietAt(new Date(next), quietHours, london)).toBe(false);
          if (next > instant) expect(isQuietAt(new Date(next - 1), quietHours, london)).toBe(true);
        }
      }
    }
  });
});

describe('instantAtWallClock', () => {
  it.each([
    { case: 'winter (GMT)', wall: { year: 2025, month: 1, day: 15, hour: 18, minute: 30 }, instant: '2025-01-15T18:30:00.000Z' },
    { case: 'summer (BST)', wall: { year: 2025, month: 7, day: 15, hour: 18, minute: 30 }, instant: '2025-07-15T17:30:00.000Z' },
    { case: 'the hour shown twice (first one)', wall: { year: 2025, month: 10, day: 26, hour: 1, minute: 30 }, instant: '2025-10-26T00:30:00.000Z' },
    { case: 'the hour the clocks skip', wall: { year: 2025, month: 3, day: 30, hour: 1, minute: 30 }, instant: undefined },
  ])('reads a London wall-clock time: $case', ({ wall, instant }) => {
    // Prepare
    const timeZone = 'Europe/London';

    // Act
    const at = instantAtWallClock(wall, timeZone);

    // Assess
    expect(at?.toISOString()).toBe(instant);
  });
});
