import { instantAtWallClock } from './quiet-hours.js';

const DAY_MS = 24 * 3600 * 1000;

/**
 * The first and last instants of a day (`YYYY-MM-DD`) on the wall clocks of `timeZone`, as ISO
 * timestamps: what a person means by "from 3 March to 4 March" where they are.
 */
export function localDayBounds(day: string, timeZone: string): { start: string; end: string } {
  const next = new Date(Date.parse(`${day}T00:00:00.000Z`) + DAY_MS).toISOString().slice(0, 10);
  return { start: startOfDay(day, timeZone).toISOString(), end: new Date(startOfDay(next, timeZone).getTime() - 1).toISOString() };
}

function startOfDay(day: string, timeZone: string): Date {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  // Midnight is never a time the clocks skip where councils are; if it were, the day starts at UTC's.
  return instantAtWallClock({ year, month, day: date, hour: 0, minute: 0 }, timeZone) ?? new Date(`${day}T00:00:00.000Z`);
}
