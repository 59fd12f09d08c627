import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import Provider, { type OidcContext } from 'oidc-provider';
import { renderView } from '../console/render.js';
import { staffEmailSchema } from '../shared/staff/staff-record.js';
import type { StaffStore } from '../shared/staff/staff-store.js';
import { inMemoryOidcStorage } from './identity-provider-storage.js';
import { localSubject, missingFields, NO_MATCH, samePassword, signInFormSchema, type SignInFieldError } from './local-sign-in-form.js';

export interface LocalIdentityProviderOptions {
  /** Where it is mounted on the local stack's server, e.g. `/oidc`. */
  mountPath: string;
  /** `${publicBaseUrl}${mountPath}`: what discovery and every token say. */
  issuer: string;
  /** The console, its one client: a confidential client that must use PKCE. */
  client: { clientId: string; clientSecret: string; redirectUri: string };
  /** Who may sign in: every current member of staff, by email. */
  staff: StaffStore;
  /** The one password of every local account (CRIER_STAFF_PASSWORD, or generated). */
  password: string;
  serviceName: string;
}

export interface LocalIdentityProvider {
  /** Whether a request is the provider's (under its mount path). */
  handles(url: URL): boolean;
  /** Answers it: the sign-in page itself, or oidc-provider's endpoints. */
  handle(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void>;
}

/** Who signed in, by subject, for the claims asked for after the sign-in (the code exchange). */
interface Account {
  email: string;
  name: string;
}

const SECONDS = { minute: 60, hour: 3600 };
const MAX_FORM_BYTES = 16 * 1024;

/**
 * The local stack's OpenID provider: `oidc-provider` (OpenID Certified), mounted on the local
 * stack's own server, as dynalite stands in for DynamoDB. The console signs in against it with
 * the same code (openid-client, the authorization code flow with PKCE) as against Cognito in AWS.
 * Its accounts are crier's current staff, each with the local staff password; the sign-in page is
 * crier's own, in the console's look (oidc-provider's development pages are never enabled), and
 * consent is granted without asking, as the console is crier's own client.
 */
export function localIdentityProvider(options: LocalIdentityProviderOptions): LocalIdentityProvider {
  const accounts = new Map<string, Account>();
  const interactionPath = `${options.mountPath}/interaction/`;
  const provider = new Provider(options.issuer, {
    adapter: inMemoryOidcStorage(),
    clients: [
      {
        client_id: options.client.clientId,
        client_secret: options.client.clientSecret,
        redirect_uris: [options.client.redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    // S256 only (oidc-provider offers no other method), and required of every client.
    pkce: { required: () => true },
    responseTypes: ['code'],
    scopes: ['openid', 'email', 'profile'],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    // The console reads who signed in from the ID token, as it does Cognito's, not from userinfo.
    conformIdTokenClaims: false,
    findAccount: (_ctx: unknown, subject: string) => {
      const account = accounts.get(subject);
      if (!account) return undefined;
      return { accountId: subject, claims: () => ({ sub: subject, email: account.email, email_verified: true, name: account.name }) };
    },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `${interactionPath}${interaction.uid}` },
    features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: false } },
    loadExistingGrant: firstPartyGrant,
    // No script on another site calls it.
    clientBasedCORS: () => false,
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    jwks: { keys: [signingKey()] },
    ttl: {
      AuthorizationCode: SECONDS.minute,
      AccessToken: 10 * SECONDS.minute,
      IdToken: 10 * SECONDS.minute,
      Interaction: 10 * SECONDS.minute,
      Session: SECONDS.hour,
      Grant: SECONDS.hour,
    },
    renderError: (ctx: OidcContext, out: { error?: string; error_description?: string }) => {
      const nonce = randomBytes(16).toString('base64');
      for (const [name, value] of Object.entries(pageHeaders(nonce))) ctx.set(name, value);
      ctx.type = 'html';
      ctx.body = renderView('error.njk', {
        serviceName: options.serviceName,
        cspNonce: nonce,
        pageTitle: 'Sign-in did not work',
        heading: 'Sign-in did not work',
        paragraphs: [`The identity provider refused the request: ${out.error_description ?? out.error ?? 'no reason given'}.`],
        link: { href: '/console/sign-in', text: 'Sign in again' },
      });
    },
  });
  // X-Forwarded-Proto and -Host are believed, so a PUBLIC_BASE_URL behind a tunnel (https) gets
  // https endpoint addresses and Secure cookies. They change only the answer to that request.
  provider.proxy = true;
  const callback = provider.callback();

  async function signInPage(request: IncomingMessage, response: ServerResponse, uid: string): Promise<void> {
    const details = await provider.interactionDetails(request, response).catch(() => undefined);
    // The interaction's own signed cookie must name the uid in the address: a form posted from
    // another site (which the SameSite cookie is not sent with), or for another browser's sign-in, finds nothing.
    if (!details || details.uid !== uid || details.prompt.name !== 'login') {
      sendPage(response, 400, 'error.njk', {
        pageTitle: 'Sign-in did not work',
        heading: 'Sign-in did not work',
        paragraphs: ['This sign-in has expired or was started in another browser.'],
        link: { href: '/console/sign-in', text: 'Sign in again' },
      });
      return;
    }
    const action = `${interactionPath}${uid}`;
    if (request.method === 'GET') {
      sendPage(response, 200, 'local/sign-in.njk', { pageTitle: 'Sign in', action, email: '' });
      return;
    }
    if (request.method !== 'POST') {
      response.writeHead(405, { allow: 'GET, POST' }).end();
      return;
    }
    const form = signInFormSchema.parse(Object.fromEntries(new URLSearchParams(await readForm(request))));
    const refused = missingFields(form);
    if (refused.length === 0) {
      const account = await accountFor(form.email, form.password);
      if (account) {
        const subject = localSubject(account.email);
        accounts.set(subject, account);
        await provider.interactionFinished(request, response, { login: { accountId: subject } }, { mergeWithLastSubmission: false });
        return;
      }
      refused.push(NO_MATCH);
    }
    sendPage(response, 400, 'local/sign-in.njk', { pageTitle: 'Sign in', action, email: form.email, ...errorsOf(refused) });
  }

  /** A current member of staff with this email, when the password is the local one; the password is compared either way. */
  async function accountFor(email: string, password: string): Promise<Account | undefined> {
    const passwordMatches = samePassword(password, options.password);
    const address = staffEmailSchema.safeParse(email);
    const staff = address.success ? await options.staff.findByEmail(address.data) : undefined;
    return staff && passwordMatches ? { email: staff.email, name: staff.name } : undefined;
  }

  function sendPage(response: ServerResponse, status: number, view: string, context: Record<string, unknown>): void {
    const nonce = randomBytes(16).toString('base64');
    const html = renderView(view, { ...context, serviceName: options.serviceName, cspNonce: nonce });
    response.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...pageHeaders(nonce) }).end(html);
  }

  return {
    handles: (url) => url.pathname === options.mountPath || url.pathname.startsWith(`${options.mountPath}/`),
    async handle(request, response, url) {
      if (url.pathname.startsWith(interactionPath)) {
        const uid = url.pathname.slice(interactionPath.length);
        if (/^[\w-]{1,64}$/.test(uid)) return signInPage(request, response, uid);
      }
      // oidc-provider is mounted as Express mounts it: it reads its own path from `url` and
      // where it is mounted from `originalUrl`.
      const mounted = request as IncomingMessage & { originalUrl?: string };
      mounted.originalUrl = request.url;
      mounted.url = (request.url ?? '/').slice(options.mountPath.length) || '/';
      callback(request, response);
    },
  };
}

/** No consent page: the console is crier's own client, and asks for nothing beyond who signed in. */
async function firstPartyGrant(ctx: OidcContext) {
  const { client, session, result, provider } = ctx.oidc;
  if (!client || !session?.accountId) return undefined;
  const grantId = result?.consent?.grantId ?? session.grantIdFor(client.clientId);
  if (grantId) return provider.Grant.find(grantId);
  const grant = new provider.Grant({ clientId: client.clientId, accountId: session.accountId });
  grant.addOIDCScope('openid email profile');
  await grant.save();
  return grant;
}

/** The ID tokens' signing key, made at each start (as the client secret is): RS256, openid-client's default. */
function signingKey() {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid: randomBytes(8).toString('hex'), use: 'sig', alg: 'RS256' };
}

/** As the console's pages: scripts only with this response's nonce, forms post only here, never framed or cached. */
function pageHeaders(nonce: string): Record<string, string> {
  return {
    'content-security-policy': [
      "default-src 'self'",
      `script-src 'self' 'nonce-${nonce}'`,
      "style-src 'self'",
      "img-src 'self' data:",
      "object-src 'none'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
      "form-action 'self'",
    ].join('; '),
    'cache-control': 'no-store',
    'referrer-policy': 'same-origin',
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
  };
}

/** The design system's error summary and the messages beside the fields. */
function errorsOf(refused: SignInFieldError[]) {
  return {
    errors: refused.map((error) => ({ text: error.text, href: `#${error.field}` })),
    fieldErrors: Object.fromEntries(refused.map((error) => [error.field, { text: error.text }])),
  };
}

async function readForm(request: IncomingMessage): Promise<string> {
  if (!(request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) return '';
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_FORM_BYTES) return '';
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
