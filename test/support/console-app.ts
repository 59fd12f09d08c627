import { createConsoleApp } from '../../console/app.js';
import type { ConsoleDependencies } from '../../console/dependencies.js';
import type { FanOutTask, ReplySendJob } from '../../shared/domain/jobs.js';
import type { Role } from '../../shared/domain/model.js';
import type { IdentityProvider } from '../../shared/staff/identity-provider.js';
import { newSession, type SessionPolicy, type StaffSession } from '../../shared/staff/session.js';
import type { SessionStore, SignInAttempt, SignInAttemptStore } from '../../shared/staff/session-store.js';
import { newStaffRecord, type StaffRecord } from '../../shared/staff/staff-record.js';
import type { BroadcastDependencies } from '../../shared/ports/dependencies.js';
import { aPhone, aTopic, broadcastSettings, inboundEvidence } from './builders.js';
import { providersStatus } from '../../shared/sending/providers-status.js';
import { InMemoryDeadLetterQueues } from './in-memory-dead-letters.js';
import { InMemoryProviderHealthStore } from './in-memory-provider-health.js';
import { FixedClock, inMemoryStores, RecordingQueue, SequentialIds, type InMemoryStores } from './in-memory-stores.js';

/**
 * The console as a Hono app over in-memory stores, with people already signed in: page tests
 * ask for pages as a browser would (cookie, form fields, the CSRF token) without a browser or an
 * identity provider (sign-in has tests of its own).
 */

/** Sessions in a map, as the DynamoDB store keeps them (named so as not to clash with a fuller fake). */
export class ConsoleTestSessions implements SessionStore {
  readonly sessions = new Map<string, StaffSession>();

  async create(session: StaffSession): Promise<void> {
    this.sessions.set(session.idHash, structuredClone(session));
  }

  async get(idHash: string): Promise<StaffSession | undefined> {
    return structuredClone(this.sessions.get(idHash));
  }

  async touch(idHash: string, lastSeenAt: string): Promise<void> {
    const session = this.sessions.get(idHash);
    if (session) session.lastSeenAt = lastSeenAt;
  }

  async saveDraft(idHash: string, draft: Record<string, unknown> | undefined): Promise<void> {
    const session = this.sessions.get(idHash);
    if (!session) return;
    if (draft === undefined) delete session.draft;
    else session.draft = structuredClone(draft);
  }

  async delete(idHash: string): Promise<void> {
    this.sessions.delete(idHash);
  }
}

export class ConsoleTestSignInAttempts implements SignInAttemptStore {
  readonly attempts = new Map<string, SignInAttempt>();

  async put(attempt: SignInAttempt): Promise<void> {
    this.attempts.set(attempt.state, structuredClone(attempt));
  }

  async take(state: string): Promise<SignInAttempt | undefined> {
    const attempt = this.attempts.get(state);
    this.attempts.delete(state);
    return attempt;
  }
}

/** These pages' tests never sign in through a provider: it refuses, so a test that strays there fails loudly. */
const noIdentityProvider: IdentityProvider = {
  authorizationRequest: async () => {
    throw new Error('console page tests sign people in with signIn(), not through an identity provider');
  },
  completeSignIn: async () => {
    throw new Error('console page tests sign people in with signIn(), not through an identity provider');
  },
};

/** A Tuesday, 10:00 in London (GMT): outside quiet hours. */
export const CONSOLE_NOW = '2025-03-04T10:00:00.000Z';

export interface SignedInAs {
  staff: StaffRecord;
  cookie: string;
  csrf: string;
  idHash: string;
}

export interface ConsoleTestOptions {
  quietHours?: string;
  dailyMessageCap?: number;
  operatorApprovalAbove?: number;
  now?: string;
}

/**
 * The console with two departments' topics and a few residents: `traffic` (no approval needed),
 * `closures` (the two-person rule), both of department traffic, and `youth` of department youth.
 */
export async function consoleTestApp(options: ConsoleTestOptions = {}) {
  const stores: InMemoryStores = inMemoryStores(2);
  const clock = new FixedClock(options.now ?? CONSOLE_NOW);
  const fanOutTasks = new RecordingQueue<FanOutTask>();
  const replies = new RecordingQueue<ReplySendJob>();
  const broadcasts: BroadcastDependencies = {
    stores,
    clock,
    ids: new SequentialIds('bc'),
    fanOutTasks,
    topicShards: 2,
    ...broadcastSettings({ quietHours: options.quietHours, dailyMessageCap: options.dailyMessageCap, operatorApprovalAbove: options.operatorApprovalAbove }),
  };
  const sessions = new ConsoleTestSessions();
  // The Operations pages' own: the dead-letter queues and the providers' health, in memory.
  const deadLetters = new InMemoryDeadLetterQueues();
  const health = new InMemoryProviderHealthStore();
  const sessionPolicy: SessionPolicy = { idleMinutes: 60, maxHours: 20 };
  const deps: ConsoleDependencies = {
    serviceName: 'Cardiff Council alerts',
    publicBaseUrl: 'https://crier.test',
    broadcasts,
    defaultCountry: 'GB',
    replies,
    sessions,
    signInAttempts: new ConsoleTestSignInAttempts(),
    identityProvider: noIdentityProvider,
    sessionPolicy,
    operations: {
      deadLetters: { stores, clock, ids: new SequentialIds('dl'), deadLetters },
      providersStatus: (principal) =>
        providersStatus({ health, clock }, principal, {
          channels: [
            { channel: 'sms', setting: 'SMS_PROVIDERS', providers: [{ name: 'twilio' }, { name: 'aws-sms' }] },
            { channel: 'whatsapp', setting: 'WHATSAPP_PROVIDER', providers: [{ name: 'sandbox' }] },
          ],
          policy: { errors: 50, windowSeconds: 60, cooldownSeconds: 300 },
          senders: { identities: [] },
        }),
      contact: '029 2087 2087',
    },
  };
  await stores.topics.create(aTopic({ id: 'traffic', name: 'Traffic alerts', keywords: ['TRAFFIC'], department: 'traffic' }));
  await stores.topics.create(aTopic({ id: 'closures', name: 'Road closures', keywords: ['CLOSURES'], department: 'traffic', requiresApproval: true }));
  await stores.topics.create(aTopic({ id: 'youth', name: 'Youth news', keywords: ['YOUTH'], department: 'youth' }));
  const residents = [
    { phone: aPhone(1), channel: 'sms', topics: ['traffic', 'closures'], profile: { area: 'CF10', ageBand: '16-17', language: undefined } },
    { phone: aPhone(2), channel: 'sms', topics: ['traffic', 'closures'], profile: { area: 'CF11', ageBand: '25+', language: 'cy' } },
    { phone: aPhone(3), channel: 'whatsapp', topics: ['traffic'], profile: { area: 'CF10', ageBand: undefined, language: undefined } },
    { phone: aPhone(4), channel: 'sms', topics: ['youth'], profile: { area: 'CF10', ageBand: '16-17', language: undefined } },
  ] as const;
  for (const resident of residents) {
    for (const topicId of resident.topics) await stores.subscribers.subscribe(resident.phone, resident.channel, topicId, CONSOLE_NOW, inboundEvidence());
    await stores.subscribers.updateProfile(resident.phone, resident.channel, { ...resident.profile }, CONSOLE_NOW, inboundEvidence());
    if (resident.channel === 'whatsapp') await stores.subscribers.recordWhatsAppWindow(resident.phone, CONSOLE_NOW);
  }
  const app = createConsoleApp(deps);
  let people = 0;

  /** A member of staff on the record, and signed in: their session's cookie and CSRF token. */
  async function signIn(role: Role, department = 'traffic', name?: string): Promise<SignedInAs> {
    people += 1;
    const staff = newStaffRecord(
      { email: `person${people}@crier.test`, name: name ?? `Person ${people}`, department, role, mode: 'live' },
      `staff-${people}`,
      clock.now(),
      'key-operator',
    );
    await stores.staff.create(staff);
    const { session, secret } = newSession(staff.id, clock.now());
    await sessions.create(session);
    return { staff, cookie: `crier_session=${secret}`, csrf: session.csrfToken, idHash: session.idHash };
  }

  async function get(path: string, as?: SignedInAs): Promise<Response> {
    return app.request(path, { headers: as ? { cookie: as.cookie } : {} });
  }

  /** Posts a form as a browser would; the CSRF token goes with it unless the form says otherwise. */
  async function post(path: string, as: SignedInAs, form: Record<string, string | string[]> = {}): Promise<Response> {
    const body = new URLSearchParams();
    if (!('csrf' in form)) body.append('csrf', as.csrf);
    for (const [name, value] of Object.entries(form)) for (const one of [value].flat()) body.append(name, one);
    return app.request(path, {
      method: 'POST',
      headers: { cookie: as.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: body.toString(),
    });
  }

  /** Posts a form with a file, as a browser sends a file input (multipart); the CSRF token goes with it. */
  async function upload(path: string, as: SignedInAs, file: { name: string; content: string | Uint8Array; type?: string } | undefined, form: Record<string, string> = {}): Promise<Response> {
    const body = new FormData();
    body.append('csrf', as.csrf);
    for (const [name, value] of Object.entries(form)) body.append(name, value);
    // No file chosen: browsers still send the part, empty and unnamed.
    body.append('file', file ? new File([file.content], file.name, { type: file.type ?? 'text/csv' }) : new File([], '', { type: 'application/octet-stream' }));
    return app.request(path, { method: 'POST', headers: { cookie: as.cookie }, body });
  }

  return { app, deps, stores, clock, fanOutTasks, replies, sessions, deadLetters, health, signIn, get, post, upload };
}

export type ConsoleTestApp = Awaited<ReturnType<typeof consoleTestApp>>;
