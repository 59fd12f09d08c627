import type { StaffSession } from './session.js';

/** Primitive reads and writes of sessions; the rules (expiry, when to touch) are in session.ts. */
export interface SessionStore {
  /** `expiresAt` is when the table may delete it (sessionExpiresAt). */
  create(session: StaffSession, expiresAt: Date): Promise<void>;
  get(idHash: string): Promise<StaffSession | undefined>;
  /** Moves `lastSeenAt` on; a session deleted meanwhile stays deleted. */
  touch(idHash: string, lastSeenAt: string): Promise<void>;
  /** Keeps (or, with undefined, forgets) the form a person is part-way through. */
  saveDraft(idHash: string, draft: Record<string, unknown> | undefined): Promise<void>;
  /** Sign-out: the cookie's secret no longer finds anything. Deleting what is gone is harmless. */
  delete(idHash: string): Promise<void>;
}

/**
 * A sign-in under way: what the console must remember between sending a person to the identity
 * provider and their return (OAuth 2.0's state, the OpenID nonce, the PKCE verifier), and where
 * they were going. Kept server-side under the state, for ten minutes, and usable once.
 */
export interface SignInAttempt {
  state: string;
  nonce: string;
  codeVerifier: string;
  /** A path under /console, checked when it was asked for. */
  returnTo: string;
  createdAt: string;
}

export interface SignInAttemptStore {
  put(attempt: SignInAttempt, expiresAt: Date): Promise<void>;
  /** Returns the attempt and deletes it in one step, so a callback can never be replayed. */
  take(state: string): Promise<SignInAttempt | undefined>;
}
