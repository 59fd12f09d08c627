import type { StaffSession } from '../../shared/staff/session.js';
import type { SessionStore, SignInAttempt, SignInAttemptStore } from '../../shared/staff/session-store.js';

/** The DynamoDB session store's behaviour in a map; the same contract suite runs against both. */
export class InMemorySessionStore implements SessionStore {
  readonly sessions = new Map<string, { session: StaffSession; expiresAt: Date }>();

  async create(session: StaffSession, expiresAt: Date): Promise<void> {
    if (this.sessions.has(session.idHash)) throw new Error(`session ${session.idHash} exists`);
    this.sessions.set(session.idHash, { session: structuredClone(session), expiresAt });
  }

  async get(idHash: string): Promise<StaffSession | undefined> {
    return structuredClone(this.sessions.get(idHash)?.session);
  }

  async touch(idHash: string, lastSeenAt: string): Promise<void> {
    const kept = this.sessions.get(idHash);
    if (kept) kept.session.lastSeenAt = lastSeenAt;
  }

  async saveDraft(idHash: string, draft: Record<string, unknown> | undefined): Promise<void> {
    const kept = this.sessions.get(idHash);
    if (!kept) return;
    if (draft === undefined) delete kept.session.draft;
    else kept.session.draft = structuredClone(draft);
  }

  async delete(idHash: string): Promise<void> {
    this.sessions.delete(idHash);
  }
}

/** Sign-ins under way; taking one removes it, and one past its time is refused as the table's is. */
export class InMemorySignInAttemptStore implements SignInAttemptStore {
  readonly attempts = new Map<string, { attempt: SignInAttempt; expiresAt: Date }>();

  async put(attempt: SignInAttempt, expiresAt: Date): Promise<void> {
    if (this.attempts.has(attempt.state)) throw new Error(`sign-in attempt ${attempt.state} exists`);
    this.attempts.set(attempt.state, { attempt: structuredClone(attempt), expiresAt });
  }

  async take(state: string): Promise<SignInAttempt | undefined> {
    const kept = this.attempts.get(state);
    this.attempts.delete(state);
    if (!kept || kept.expiresAt.getTime() < Date.now()) return undefined;
    return kept.attempt;
  }
}
