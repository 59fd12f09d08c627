import * as client from 'openid-client';
import { z } from 'zod';
import type { IdentityClaims, IdentityProvider } from '../../staff/identity-provider.js';
import type { SignInAttempt } from '../../staff/session-store.js';

export interface OpenIdSettings {
  issuer: URL;
  clientId: string;
  /** Read when first needed (from Secrets Manager in AWS); undefined: a public client, PKCE alone. */
  clientSecret: () => Promise<string | undefined>;
  /** `<console>/auth/callback`: registered with the provider, and where it sends the person back. */
  redirectUri: string;
}

/** The ID token's claims crier reads; anything else the provider adds is ignored. */
const idTokenClaims = z.object({
  sub: z.string().min(1),
  email: z.string().optional(),
  email_verified: z.union([z.boolean(), z.enum(['true', 'false']).transform((value) => value === 'true')]).optional(),
  name: z.string().optional(),
});

/**
 * The console's client at any OpenID provider (Cognito in AWS, the embedded provider locally),
 * through openid-client: discovery once per container, the authorization code flow with PKCE
 * (S256), state and nonce; the ID token's signature, issuer, audience and nonce are checked by the
 * library when the code is exchanged.
 */
export class OpenIdIdentityProvider implements IdentityProvider {
  private configuration: Promise<client.Configuration> | undefined;

  constructor(private readonly settings: OpenIdSettings) {}

  async authorizationRequest(returnTo: string, at: Date): Promise<{ url: URL; attempt: SignInAttempt }> {
    const config = await this.config();
    const attempt: SignInAttempt = {
      state: client.randomState(),
      nonce: client.randomNonce(),
      codeVerifier: client.randomPKCECodeVerifier(),
      returnTo,
      createdAt: at.toISOString(),
    };
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: this.settings.redirectUri,
      scope: 'openid email profile',
      response_type: 'code',
      state: attempt.state,
      nonce: attempt.nonce,
      code_challenge: await client.calculatePKCECodeChallenge(attempt.codeVerifier),
      code_challenge_method: 'S256',
    });
    return { url, attempt };
  }

  async completeSignIn(callbackUrl: URL, attempt: SignInAttempt): Promise<IdentityClaims> {
    const config = await this.config();
    const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
      pkceCodeVerifier: attempt.codeVerifier,
      expectedState: attempt.state,
      expectedNonce: attempt.nonce,
      idTokenExpected: true,
    });
    const claims = idTokenClaims.parse(tokens.claims());
    return { subject: claims.sub, email: claims.email, emailVerified: claims.email_verified === true, name: claims.name };
  }

  /** Discovered once; a failed discovery is tried again at the next sign-in rather than kept. */
  private config(): Promise<client.Configuration> {
    this.configuration ??= this.discover().catch((error: unknown) => {
      this.configuration = undefined;
      throw error;
    });
    return this.configuration;
  }

  private async discover(): Promise<client.Configuration> {
    const secret = await this.settings.clientSecret();
    const { issuer, clientId } = this.settings;
    // Plain HTTP only for a provider on this machine (the local stack's embedded one).
    const local = issuer.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(issuer.hostname);
    const authentication = secret === undefined ? client.None() : client.ClientSecretPost(secret);
    return client.discovery(issuer, clientId, secret === undefined ? undefined : { client_secret: secret }, authentication, {
      ...(local ? { execute: [client.allowInsecureRequests] } : {}),
    });
  }
}
