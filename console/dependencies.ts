import type { CountryCode } from 'libphonenumber-js';
import type { ReplySendJob } from '../shared/domain/jobs.js';
import type { JobQueue } from '../shared/ports/job-queue.js';
import type { BroadcastDependencies } from '../shared/ports/dependencies.js';
import type { IdentityProvider } from '../shared/staff/identity-provider.js';
import type { SessionPolicy } from '../shared/staff/session.js';
import type { SessionStore, SignInAttemptStore } from '../shared/staff/session-store.js';
import type { OperationsDependencies } from './operations-dependencies.js';

/** What the console's pages need: the use cases' dependencies, as the admin API has them, and sign-in. */
export interface ConsoleDependencies {
  serviceName: string;
  /** The console's own origin and the base of its sign-in callback. */
  publicBaseUrl: string;
  broadcasts: BroadcastDependencies;
  /** The deployment's country (DEFAULT_COUNTRY): a number typed in national form is read as one of its. */
  defaultCountry: CountryCode;
  /** The urgent lane, where replies to residents go out (the inbox's Send reply). */
  replies: JobQueue<ReplySendJob>;
  sessions: SessionStore;
  signInAttempts: SignInAttemptStore;
  identityProvider: IdentityProvider;
  sessionPolicy: SessionPolicy;
  firstOperatorEmail?: string;
  /** The Operations pages' own (served by the console's operations function only). */
  operations?: OperationsDependencies;
}
