import type { SignInAttempt } from './session-store.js';

/** Who the identity provider says signed in: its subject, and the email and name it holds. */
export interface IdentityClaims {
  subject: string;
  email: string | undefined;
  emailVerified: boolean;
  name: string | undefined;
}

/**
 * An OpenID provider, as the console uses it: the authorization code flow with PKCE, server side.
 * One adapter (openid-client) serves Cognito in AWS and the embedded provider locally.
 */
export interface IdentityProvider {
  /** Where to send the person, and what to remember until they come back (state, nonce, PKCE verifier). */
  authorizationRequest(returnTo: string, at: Date): Promise<{ url: URL; attempt: SignInAttempt }>;
  /** Checks the callback against the attempt (state, nonce, PKCE; the ID token's signature) and says who it is. */
  completeSignIn(callbackUrl: URL, attempt: SignInAttempt): Promise<IdentityClaims>;
}
