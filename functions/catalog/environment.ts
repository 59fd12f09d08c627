import type { DeploymentBindings, SecretId } from '../catalog-types.js';
import {
  baseFragment,
  broadcastTimingFragment,
  departmentLimitsFragment,
  failoverFragment,
  priceTableFragment,
  providerListFragment,
  providersFragment,
  residentTextsFragment,
  sendersFragment,
  sendRatesFragment,
  tableFragment,
} from '../env-fragments.js';

/**
 * The environment builders the catalog's entries share: each gives a function the settings of one
 * concern (the table, the providers, the senders' identities...), from the deployment's bindings.
 */

export const base = baseFragment.environment;
export const table = (b: DeploymentBindings) => ({ ...base(b), ...tableFragment.environment(b) });
/** Which providers carry each channel, in order or by weight (the local stack checks them before it starts). */
export const providerListEnvironment = providerListFragment.environment;
/** The provider lists, the providers' settings that are not secret, and the ARNs of exactly the provider secrets named. */
export const provider = (b: DeploymentBindings, secrets: readonly SecretId[]) => providersFragment(secrets).environment(b);
export const failover = (b: DeploymentBindings) => failoverFragment.environment(b.settings);
/** What every function that answers residents' texts needs. */
export const residentReplies = residentTextsFragment.environment;
export const broadcastTiming = (b: DeploymentBindings) => broadcastTimingFragment.environment(b.settings);
export const departmentLimits = (b: DeploymentBindings) => departmentLimitsFragment.environment(b.settings);
export const prices = (b: DeploymentBindings) => priceTableFragment.environment(b.settings);
export const sendRates = (b: DeploymentBindings) => sendRatesEnvironment(b.settings);
export const sendRatesEnvironment = sendRatesFragment.environment;
/**
 * The identities messages go from, for the senders only: a reply job carries the address the
 * resident wrote to, and the sender (which knows the provider that carries it) picks the identity.
 */
export const senders = (b: DeploymentBindings) => sendersEnvironment(b.settings);
export const sendersEnvironment = sendersFragment.environment;
export const admin = table;
/** The bootstrap operator key's secret: read by the authorizer, written (never read) by a rotation. */
export const bootstrapKey = (b: DeploymentBindings) => (b.secretArns.bootstrapKey ? { BOOTSTRAP_KEY_SECRET_ARN: b.secretArns.bootstrapKey } : {});

/** What making, previewing and releasing broadcasts needs: the broadcasts API's and the console's. */
export function broadcastsEnvironment(b: DeploymentBindings) {
  return {
    ...admin(b),
    FAN_OUT_QUEUE_URL: b.queueUrls.fanOut,
    ...broadcastTiming(b),
    ...departmentLimits(b),
    ...prices(b),
    // For the preview's STOP footer: what the senders would send a department's broadcast from
    // (numbers and ids, no credential: it reads no provider secret).
    ...provider(b, []),
    ...sendRates(b),
    ...senders(b),
  };
}

/**
 * Who signs staff in, as a function that only reads sessions knows it: the identity provider, the
 * console's client there, the first operator; no client secret, which only exchanging a sign-in
 * code needs.
 */
export const sessionsOf = (b: DeploymentBindings) => ({
  OIDC_ISSUER: b.signIn.issuer,
  OIDC_CLIENT_ID: b.signIn.clientId,
  ...(b.signIn.firstOperatorEmail ? { FIRST_OPERATOR_EMAIL: b.signIn.firstOperatorEmail } : {}),
});

/** Who signs staff in, for the function that signs them in: sessionsOf, and the client's secret. */
export const signIn = (b: DeploymentBindings) => ({
  ...sessionsOf(b),
  ...(b.signIn.clientSecret ? { OIDC_CLIENT_SECRET: b.signIn.clientSecret } : {}),
  ...(b.secretArns.consoleClient ? { OIDC_CLIENT_SECRET_ARN: b.secretArns.consoleClient } : {}),
});

/** Where Twilio posts a message's status: the path of the `twilioStatus` function's route. */
export const twilioStatusPath = '/webhooks/twilio/status';
/**
 * The status callback crier gives Twilio with every message it sends: the status function's own
 * function URL (HttpTrigger.functionUrl), so the two receipts of each message do not go through
 * API Gateway. In AWS it is a token of the status function's URL, known once deployed.
 */
export const twilioStatusCallbackUrl = (b: DeploymentBindings) => `${functionUrlOf(b, 'twilioStatus')}${twilioStatusPath}`;

/** Where a function served on its own function URL is reached; a deployment that gives none is wrong, not defaulted. */
function functionUrlOf(b: DeploymentBindings, functionId: string): string {
  const url = b.functionUrls[functionId];
  if (url === undefined) throw new Error(`The deployment gives no function URL for ${functionId}, which the catalog serves on one.`);
  return url;
}
