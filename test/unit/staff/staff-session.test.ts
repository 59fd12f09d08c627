import { describe, expect, it } from 'vitest';
import { hashSessionSecret, needsTouch, newSession, sameSecret, sessionExpiresAt, sessionState, type SessionState } from '../../../shared/staff/session.js';

const policy = { idleMinutes: 30, maxHours: 12 };
const signedInAt = '2026-12-01T09:00:00.000Z';
const at = (minutesAfterSignIn: number) => new Date(Date.parse(signedInAt) + minutesAfterSignIn * 60_000);

describe('sessionState', () => {
  it.each<[string, { lastSeenMinutes: number; nowMinutes: number }, SessionState]>([
    ['just signed in', { lastSeenMinutes: 0, nowMinutes: 0 }, 'active'],
    ['used a moment before the idle limit', { lastSeenMinutes: 0, nowMinutes: 29 }, 'active'],
    ['unused for exactly the idle limit', { lastSeenMinutes: 0, nowMinutes: 30 }, 'idle'],
    ['in use all along, a minute before its maximum age', { lastSeenMinutes: 12 * 60 - 2, nowMinutes: 12 * 60 - 1 }, 'active'],
    ['in use all along, at its maximum age', { lastSeenMinutes: 12 * 60 - 1, nowMinutes: 12 * 60 }, 'expired'],
    ['both idle and past its maximum age (expired wins)', { lastSeenMinutes: 0, nowMinutes: 13 * 60 }, 'expired'],
  ])('%s', (_case, { lastSeenMinutes, nowMinutes }, expected) => {
    // Prepare
    const session = { createdAt: signedInAt, lastSeenAt: at(lastSeenMinutes).toISOString() };

    // Act
    const state = sessionState(session, at(nowMinutes), policy);

    // Assess
    expect(state).toBe(expected);
  });
});

describe('needsTouch', () => {
  it.each([
    ['seen this very moment', 0, false],
    ['seen 59 seconds ago', 59 / 60, false],
    ['seen a minute ago', 1, true],
    ['seen ten minutes ago', 10, true],
  ])('%s: %s', (_case, minutesAgo, expected) => {
    // Prepare
    const session = { lastSeenAt: signedInAt };

    // Act
    const touch = needsTouch(session, at(minutesAgo));

    // Assess
    expect(touch).toBe(expected);
  });
});

describe('sessionExpiresAt', () => {
  it('is the maximum age after sign-in, whatever the idle limit', () => {
    // Act
    const expiresAt = sessionExpiresAt({ createdAt: signedInAt }, policy);

    // Assess
    expect(expiresAt.toISOString()).toBe('2026-12-01T21:00:00.000Z');
  });
});

describe('newSession', () => {
  it('keeps only the hash of the cookie’s secret, and a CSRF token of its own', () => {
    // Act
    const { session, secret } = newSession('staff-1', new Date(signedInAt));

    // Assess
    expect(session).toEqual({ idHash: hashSessionSecret(secret), staffId: 'staff-1', csrfToken: expect.stringMatching(/^[\w-]{43}$/), createdAt: signedInAt, lastSeenAt: signedInAt });
    expect(JSON.stringify(session)).not.toContain(secret);
    expect(session.csrfToken).not.toBe(secret);
  });
});

describe('sameSecret', () => {
  it.each([
    ['the same token', 'abcDEF123', 'abcDEF123', true],
    ['a different token of the same length', 'abcDEF124', 'abcDEF123', false],
    ['a shorter prefix', 'abcDEF12', 'abcDEF123', false],
    ['a longer one', 'abcDEF1234', 'abcDEF123', false],
    ['nothing sent', undefined, 'abcDEF123', false],
    ['an empty field', '', 'abcDEF123', false],
  ])('%s: %s', (_case, given, expected, same) => {
    // Act / Assess
    expect(sameSecret(given, expected)).toBe(same);
  });
});
