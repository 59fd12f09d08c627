import { functionDefinition, functionIds } from '../functions/catalog.js';
import type { DeploymentBindings, DeploymentSettings } from '../functions/catalog-types.js';
import { baseEnvShape, defaultOf, residentTextsShape, tableEnvShape, timeZoneText } from '../shared/config/env.js';
import { providerChannelKeyOf, type SendRates } from '../shared/domain/send-rates.js';
import { localPhoneHashKey } from './hash-key.js';
import type { LocalStackOptions } from './local-stack-options.js';

/**
 * What a deployment's CDK context says, as the local stack sets it: the sandbox, or Twilio when its
 * credentials are set, behind which `sandboxFailover` adds the second sandbox; `options.settings`
 * wins over all of it. What this does not choose for itself is the functions' own default.
 */
export function localDeploymentSettings(options: LocalStackOptions): DeploymentSettings {
  const realTwilio = Boolean(options.twilio.accountSid && (options.twilio.smsFrom || options.twilio.whatsappFrom));
  const smsProvider = realTwilio && options.twilio.smsFrom ? 'twilio' : 'sandbox';
  const whatsappProvider = realTwilio && options.twilio.whatsappFrom ? 'twilio' : 'sandbox';
  return {
    defaultCountry: defaultOf(baseEnvShape.DEFAULT_COUNTRY),
    smsProvider,
    whatsappProvider,
    ...(options.sandboxFailover
      ? { smsProviders: [{ name: smsProvider }, { name: 'sandbox-b' }], whatsappProviders: [{ name: whatsappProvider }, { name: 'sandbox-b' }] }
      : {}),
    topicShards: defaultOf(tableEnvShape.TOPIC_SHARDS),
    logLevel: 'WARN',
    serviceName: defaultOf(residentTextsShape.SERVICE_NAME),
    serviceContact: defaultOf(residentTextsShape.SERVICE_CONTACT),
    // Off unless asked for, so what a test sees does not depend on the hour it runs at;
    // `npm start` passes the deployment default (local/main.ts).
    quietHours: 'off',
    timeZone: defaultOf(timeZoneText),
    dailyMessageCap: 0,
    operatorApprovalAbove: 0,
    // The senders are paced to the sandbox's own limit, as a deployment's are to its contracted rates.
    ...(options.sandbox.messagesPerSecond ? { sendRates: sandboxRates(options.sandbox.messagesPerSecond) } : {}),
    ...options.settings,
  };
}

/**
 * Every identity of both sandboxes, both channels, at the sandbox's rate limit: the sandbox meters
 * each address it sends from on its own, as crier paces each identity on its own.
 */
function sandboxRates(messagesPerSecond: number): SendRates {
  return Object.fromEntries(
    ['sandbox', 'sandbox-b'].flatMap((provider) => (['sms', 'whatsapp'] as const).map((channel) => [providerChannelKeyOf(provider, channel), messagesPerSecond])),
  );
}

/**
 * Provider settings that in AWS come from the secret, locally from the environment,
 * and the key phone numbers are hashed with, which in AWS is a secret of its own.
 */
export function localProviderEnvironment(options: LocalStackOptions, baseUrl: string, sandboxBaseUrl = baseUrl): Record<string, string> {
  const { twilio } = options;
  return Object.fromEntries(
    Object.entries({
      // The sandbox's edge, when it has one (sandbox-edge.ts): where sends arrive and are timed.
      SANDBOX_URL: `${sandboxBaseUrl}/sandbox`,
      TWILIO_AUTH_TOKEN: twilio.authToken,
      TWILIO_ACCOUNT_SID: twilio.accountSid,
      TWILIO_SMS_FROM: twilio.smsFrom,
      TWILIO_WHATSAPP_FROM: twilio.whatsappFrom,
      TWILIO_API_BASE_URL: twilio.apiBaseUrl,
      WHATSAPP_VERIFY_TOKEN: options.whatsapp?.verifyToken,
      WHATSAPP_APP_SECRET: options.whatsapp?.appSecret,
      PHONE_HASH_KEY: localPhoneHashKey(options.dataDir),
    }).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}


/**
 * The environment the local stack runs its functions in: every function's own, from its catalog
 * mapping (they share one process, and where two name the same variable they agree on its value),
 * and the provider settings that in AWS come from the secrets.
 */
export function localFunctionsEnvironment(bindings: DeploymentBindings, options: LocalStackOptions, baseUrl: string, sandboxBaseUrl = baseUrl): Record<string, string> {
  return Object.assign({}, ...functionIds.map((id) => functionDefinition(id).environment(bindings)), localProviderEnvironment(options, baseUrl, sandboxBaseUrl)) as Record<string, string>;
}
