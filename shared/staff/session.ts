import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * A signed-in person's session. The browser holds only a random secret (an HttpOnly cookie); the
 * table holds this record under the secret's SHA-256, so reading the table never yields a cookie
 * that works. Everything a page needs to know about who is acting comes from here and the staff
 * record, never from the browser.
 */
export interface StaffSession {
  /** SHA-256 (hex) of the cookie's secret. */
  idHash: string;
  staffId: string;
  /** Every form carries it back; a POST without it is refused (synchronizer token). */
  csrfToken: string;
  createdAt: string;
  /** The last request that moved it on (written at most once a minute: see `needsTouch`). */
  lastSeenAt: string;
  /** The form steps a person is part-way through (the new broadcast), kept until they submit or leave. */
  draft?: Record<string, unknown>;
}

/** How long a session lives: GOV.UK Notify signs people out after 20 hours, and idles them out sooner. */
export interface SessionPolicy {
  idleMinutes: number;
  maxHours: number;
}

export type SessionState = 'active' | 'idle' | 'expired';

/** Whether the session still stands at `now`: idle once unused too long, expired past its maximum age. */
export function sessionState(session: Pick<StaffSession, 'createdAt' | 'lastSeenAt'>, now: Date, policy: SessionPolicy): SessionState {
  if (now.getTime() - Date.parse(session.createdAt) >= policy.maxHours * 3_600_000) return 'expired';
  if (now.getTime() - Date.parse(session.lastSeenAt) >= policy.idleMinutes * 60_000) return 'idle';
  return 'active';
}

/** Moving `lastSeenAt` costs a write: once a minute is precise enough for an idle limit in minutes. */
export function needsTouch(session: Pick<StaffSession, 'lastSeenAt'>, now: Date): boolean {
  return now.getTime() - Date.parse(session.lastSeenAt) >= 60_000;
}

/** When the table may delete the record: the latest it could still be used. */
export function sessionExpiresAt(session: Pick<StaffSession, 'createdAt'>, policy: SessionPolicy): Date {
  return new Date(Date.parse(session.createdAt) + policy.maxHours * 3_600_000);
}

/** 256 random bits, URL-safe: a cookie's secret or a CSRF token. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function hashSessionSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** A new session for a person who has just signed in; returns the record and the cookie's secret. */
export function newSession(staffId: string, at: Date): { session: StaffSession; secret: string } {
  const secret = newSecret();
  const iso = at.toISOString();
  return { secret, session: { idHash: hashSessionSecret(secret), staffId, csrfToken: newSecret(), createdAt: iso, lastSeenAt: iso } };
}

/**
 * Whether a secret a browser sent (a CSRF token, a cookie) is the one expected, compared in
 * constant time so the time an answer takes says nothing of how much of a guess was right.
 */
export function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
