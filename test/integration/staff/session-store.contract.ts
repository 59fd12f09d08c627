import { beforeEach, describe, expect, it } from 'vitest';
import { newSession, type StaffSession } from '../../../shared/staff/session.js';
import type { SessionStore, SignInAttempt, SignInAttemptStore } from '../../../shared/staff/session-store.js';

/*
 * The session and sign-in attempt stores' contract: one set of cases, run against the DynamoDB
 * stores on dynalite (session-store-dynamo.test.ts) and the in-memory ones the console's tests
 * rely on (test/unit/staff/session-store-memory.test.ts), so the fakes cannot drift from the
 * stores that run: a session found by its hash, touched, given a draft and deleted for good; an
 * attempt taken once, and never past its time.
 */

const inAnHour = () => new Date(Date.now() + 3_600_000);

const anAttempt = (overrides: Partial<SignInAttempt> = {}): SignInAttempt => ({
  state: 'state-1',
  nonce: 'nonce-1',
  codeVerifier: 'verifier-1',
  returnTo: '/console/broadcasts/01abc',
  createdAt: '2026-12-01T09:00:00.000Z',
  ...overrides,
});

/** Builds empty stores (a session store and a sign-in attempt store): each case has its own. */
export type SessionStoresFactory = () => Promise<{ sessions: SessionStore; attempts: SignInAttemptStore }>;

export function sessionStoreContract(name: string, makeStores: SessionStoresFactory): void {
  describe(`${name}: the session and sign-in attempt stores' contract`, () => {
    let sessions: SessionStore;
    let attempts: SignInAttemptStore;
    let session: StaffSession;

    beforeEach(async () => {
      ({ sessions, attempts } = await makeStores());
      session = newSession('staff-1', new Date('2026-12-01T09:00:00.000Z')).session;
    });

    it('finds a created session by the hash of its secret, and nothing by another', async () => {
      // Act
      await sessions.create(session, inAnHour());

      // Assess
      expect(await sessions.get(session.idHash)).toEqual(session);
      expect(await sessions.get('0'.repeat(64))).toBeUndefined();
    });

    it('refuses a second session under the same hash, keeping the first', async () => {
      // Prepare
      await sessions.create(session, inAnHour());

      // Act
      const second = sessions.create({ ...session, staffId: 'staff-2' }, inAnHour());

      // Assess
      await expect(second).rejects.toThrow();
      expect((await sessions.get(session.idHash))?.staffId).toBe('staff-1');
    });

    it('moves lastSeenAt on with touch', async () => {
      // Prepare
      await sessions.create(session, inAnHour());

      // Act
      await sessions.touch(session.idHash, '2026-12-01T09:05:00.000Z');

      // Assess
      expect(await sessions.get(session.idHash)).toEqual({ ...session, lastSeenAt: '2026-12-01T09:05:00.000Z' });
    });

    it('keeps a draft and forgets it', async () => {
      // Prepare
      await sessions.create(session, inAnHour());
      const draft = { topics: ['traffic'], body: 'Road closed' };

      // Act
      await sessions.saveDraft(session.idHash, draft);
      const kept = await sessions.get(session.idHash);
      await sessions.saveDraft(session.idHash, undefined);
      const forgotten = await sessions.get(session.idHash);

      // Assess
      expect(kept?.draft).toEqual(draft);
      expect(forgotten).toEqual(session);
    });

    it('a deleted session is gone, and touching or saving a draft does not bring it back', async () => {
      // Prepare
      await sessions.create(session, inAnHour());

      // Act
      await sessions.delete(session.idHash);
      await sessions.touch(session.idHash, '2026-12-01T09:05:00.000Z');
      await sessions.saveDraft(session.idHash, { body: 'x' });
      await sessions.delete(session.idHash);

      // Assess
      expect(await sessions.get(session.idHash)).toBeUndefined();
    });

    it('takes a sign-in attempt once: a second take finds nothing', async () => {
      // Prepare
      const attempt = anAttempt();
      await attempts.put(attempt, inAnHour());

      // Act
      const first = await attempts.take(attempt.state);
      const second = await attempts.take(attempt.state);

      // Assess
      expect(first).toEqual(attempt);
      expect(second).toBeUndefined();
    });

    it('refuses a second attempt under the same state', async () => {
      // Prepare
      await attempts.put(anAttempt(), inAnHour());

      // Act
      const second = attempts.put(anAttempt({ returnTo: '/console/elsewhere' }), inAnHour());

      // Assess
      await expect(second).rejects.toThrow();
      expect((await attempts.take('state-1'))?.returnTo).toBe('/console/broadcasts/01abc');
    });

    it('refuses an attempt past its time, even before the table deletes it', async () => {
      // Prepare
      await attempts.put(anAttempt(), new Date(Date.now() - 5_000));

      // Act
      const taken = await attempts.take('state-1');

      // Assess
      expect(taken).toBeUndefined();
    });

    it('finds no attempt under a state never put', async () => {
      // Act / Assess
      expect(await attempts.take('never-put')).toBeUndefined();
    });
  });
}
