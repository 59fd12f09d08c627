/**
 * Quiet hours: the local times at which a non-urgent broadcast waits rather than wake residents.
 * Written as "21:00-08:00" (24-hour, local to the deployment's time zone, may wrap midnight):
 * quiet from 21:00:00 inclusive to 08:00:00 exclusive, so a message due at 08:00 goes at 08:00.
 * "off" (or nothing) means no quiet hours; a window that starts where it ends is refused, because
 * it reads as either "always quiet" or "never quiet" and we will not guess which.
 *
 * Times are wall-clock times, read with Intl in the given IANA zone, so they follow the clocks
 * across BST and GMT. At the two changes a day has an hour missing or an hour twice:
 * - if quiet hours end at a time the clocks skip (01:30 on the last Sunday of March in London),
 *   they end the moment the clocks jump past it;
 * - if they end at a time that happens twice (01:30 on the last Sunday of October), they end at
 *   its first occurrence, and the repeated hour is quiet again only if it falls in the window.
 *
 * Intl rather than a date library: the two things needed, the wall-clock time of an instant and
 * the instants at which the wall clock shows a given time, are a few lines over Intl, and
 * luxon's (or Temporal's) "compatible" reading of a skipped time lands an hour after the clocks
 * jump, which is not when quiet hours end; the edge handling would be ours either way.
 */
import { z } from 'zod';

export interface ClockTime {
  hour: number;
  minute: number;
}

export interface QuietHours {
  start: ClockTime;
  end: ClockTime;
}

/** "21:00-08:00"; a dash or an en dash, spaces around it allowed (as people type it, or copy it from a document). */
const WINDOW = /^([01]\d|2[0-3]):([0-5]\d)\s*[-\u2013]\s*([01]\d|2[0-3]):([0-5]\d)$/;

const MINUTES_PER_DAY = 24 * 60;
const minutesOf = (time: ClockTime): number => time.hour * 60 + time.minute;

/**
 * Quiet hours as configured: "HH:MM-HH:MM" → {@link QuietHours}; "off" or empty → undefined (no
 * quiet hours).
 */
export const quietHoursSchema = z
  .string()
  .trim()
  .transform((text, ctx): QuietHours | undefined => {
    if (text === '' || text.toLowerCase() === 'off') return undefined;
    const match = WINDOW.exec(text);
    if (!match) {
      ctx.addIssue({ code: 'custom', message: 'must be "HH:MM-HH:MM" in 24-hour time (such as "21:00-08:00"), or "off"' });
      return z.NEVER;
    }
    const [startHour, startMinute, endHour, endMinute] = match.slice(1).map(Number) as [number, number, number, number];
    const quiet = { start: { hour: startHour, minute: startMinute }, end: { hour: endHour, minute: endMinute } };
    if (minutesOf(quiet.start) === minutesOf(quiet.end)) {
      ctx.addIssue({ code: 'custom', message: 'must start and end at different times (use "off" for no quiet hours)' });
      return z.NEVER;
    }
    return quiet;
  });

/** The form {@link quietHoursSchema} reads: "21:00-08:00", or "off". */
export function formatQuietHours(quietHours: QuietHours | undefined): string {
  if (!quietHours) return 'off';
  const time = ({ hour, minute }: ClockTime) => `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
  return `${time(quietHours.start)}-${time(quietHours.end)}`;
}

/**
 * One DateTimeFormat per zone: building one costs far more than using it, and the sender asks
 * for every recipient.
 */
const formats = new Map<string, Intl.DateTimeFormat>();
function formatFor(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formats.set(timeZone, format);
  }
  return format;
}

/**
 * An IANA time zone name ("Europe/London"), as Intl knows it, in its canonical spelling
 * ("europe/london" → "Europe/London"). Fixed offsets ("+01:00") are refused: they do not follow
 * the clocks, which is the point of naming a zone.
 */
export const timeZoneSchema = z
  .string()
  .trim()
  .transform((name, ctx) => {
    if (/^[A-Za-z]/.test(name)) {
      try {
        return new Intl.DateTimeFormat('en-GB', { timeZone: name }).resolvedOptions().timeZone;
      } catch {
        // Intl throws a RangeError for a name it does not know: reported below.
      }
    }
    ctx.addIssue({ code: 'custom', message: `"${name}" is not an IANA time zone (such as "Europe/London")` });
    return z.NEVER;
  });

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

/** What a clock on the wall in `timeZone` shows at `epochMs`. */
function wallClockAt(epochMs: number, timeZone: string): WallClock & { second: number } {
  const parts: Record<string, number> = {};
  for (const part of formatFor(timeZone).formatToParts(epochMs)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 0,
    day: parts.day ?? 0,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

/** The zone's offset from UTC at `epochMs`, in milliseconds (BST: +3 600 000). */
function offsetAt(epochMs: number, timeZone: string): number {
  const wall = wallClockAt(epochMs, timeZone);
  const wallAsUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  return wallAsUtc - (epochMs - (((epochMs % 1000) + 1000) % 1000));
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The instants at which the wall clock in `timeZone` shows `wall`: usually one, two in the hour
 * the clocks go back, none in the hour they skip. Offsets are read a day either side, which
 * covers every zone whose rules change at most once a day (all of them).
 */
function instantsShowing(wall: WallClock, timeZone: string): number[] {
  const wallAsUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
  const offsets = new Set([offsetAt(wallAsUtc - DAY_MS, timeZone), offsetAt(wallAsUtc + DAY_MS, timeZone)]);
  return [...offsets]
    .map((offset) => wallAsUtc - offset)
    .filter((instant) => offsetAt(instant, timeZone) === wallAsUtc - instant)
    .sort((a, b) => a - b);
}

/** The instant the clocks change between `before` (old offset) and `after` (new offset), to the millisecond. */
function changeBetween(before: number, after: number, timeZone: string): number {
  const oldOffset = offsetAt(before, timeZone);
  let [low, high] = [before, after];
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (offsetAt(middle, timeZone) === oldOffset) low = middle;
    else high = middle;
  }
  return high;
}

function minuteOfDay(wall: WallClock): number {
  return wall.hour * 60 + wall.minute;
}

function isQuietMinute(minute: number, quietHours: QuietHours): boolean {
  const start = minutesOf(quietHours.start);
  const end = minutesOf(quietHours.end);
  // Whole-minute bounds make minute precision exact: 07:59:59.999 is in minute 479, before 08:00.
  return start < end ? minute >= start && minute < end : minute >= start || minute < end;
}

/**
 * Whether `at` falls in quiet hours, read on the wall clock of `timeZone`.
 * @throws RangeError for a zone Intl does not know: validate it once with {@link timeZoneSchema}.
 */
export function isQuietAt(at: Date, quietHours: QuietHours | undefined, timeZone: string): boolean {
  if (!quietHours) return false;
  return isQuietMinute(minuteOfDay(wallClockAt(at.getTime(), timeZone)), quietHours);
}

/**
 * `at` itself when it is not in quiet hours; otherwise the instant they end (08:00 local on the
 * right day). Never earlier than `at`, never in quiet hours.
 * @throws RangeError for a zone Intl does not know: validate it once with {@link timeZoneSchema}.
 */
export function nextSendableTime(at: Date, quietHours: QuietHours | undefined, timeZone: string): Date {
  if (!quietHours) return at;
  const now = wallClockAt(at.getTime(), timeZone);
  const minute = minuteOfDay(now);
  if (!isQuietMinute(minute, quietHours)) return at;
  // Before midnight in a window that wraps it, quiet hours end tomorrow; otherwise today.
  const endsTomorrow = minute >= minutesOf(quietHours.start) && minutesOf(quietHours.start) > minutesOf(quietHours.end);
  const day = new Date(Date.UTC(now.year, now.month - 1, now.day + (endsTomorrow ? 1 : 0)));
  const end: WallClock = {
    year: day.getUTCFullYear(),
    month: day.getUTCMonth() + 1,
    day: day.getUTCDate(),
    hour: quietHours.end.hour,
    minute: quietHours.end.minute,
  };
  const ends = instantsShowing(end, timeZone).filter((instant) => instant > at.getTime());
  if (ends[0] !== undefined) return new Date(ends[0]);
  // The clocks skip the end time: quiet hours end when they jump, somewhere in the skipped stretch.
  const wallAsUtc = Date.UTC(end.year, end.month - 1, end.day, end.hour, end.minute);
  const before = wallAsUtc - offsetAt(wallAsUtc + DAY_MS, timeZone);
  const after = wallAsUtc - offsetAt(wallAsUtc - DAY_MS, timeZone);
  return new Date(Math.max(changeBetween(before, after, timeZone), at.getTime()));
}

/**
 * The instant a person means by a date and time on the wall clock of `timeZone` (what they type
 * to schedule a broadcast): the first, in the hour the clocks go back; undefined for a time the
 * clocks skip, which nobody's clock shows.
 */
export function instantAtWallClock(wall: WallClock, timeZone: string): Date | undefined {
  const first = instantsShowing(wall, timeZone)[0];
  return first === undefined ? undefined : new Date(first);
}
