import type { CountryCode } from 'libphonenumber-js';
import type { BroadcastDependencies } from '../shared/usecases/dependencies.js';
import type { IdentityProvider } from '../shared/staff/identity-provider.js';
import type { SessionPolicy } from '../shared/staff/session.js';
import type { SessionStore, SignInAttemptStore } from '../shared/staff/session-store.js';

/** What the console's pages need: the use cases' dependencies, as the admin API has them, and sign-in. */
export interface ConsoleDependencies {
  serviceName: string;
  /** The console's own origin and the base of its sign-in callback. */
  publicBaseUrl: string;
  broadcasts: BroadcastDependencies;
  /** The deployment's country (DEFAULT_COUNTRY): a number typed in national form is read as one of its. */
  defaultCountry: CountryCode;
  sessions: SessionStore;
  signInAttempts: SignInAttemptStore;
  identityProvider: IdentityProvider;
  sessionPolicy: SessionPolicy;
  firstOperatorEmail?: string;
}
