import type { z } from 'zod';
import {
  baseEnvShape,
  broadcastTimingEnvSchema,
  consoleSessionShape,
  departmentLimitsEnvSchema,
  failoverEnvSchema,
  priceTableEnvSchema,
  providerEnvSchema,
  residentTextsShape,
  sendBatchEnvShape,
  sendersEnvSchema,
  sendRatesEnvSchema,
  tableEnvShape,
  defaultOf,
  type EnvironmentOf,
} from '../shared/config/env.js';
import { formatProviderList } from '../shared/domain/provider-list.js';
import { defaultRetention, retentionEnvironment } from '../shared/retention/periods.js';
import type { DeploymentBindings, DeploymentSettings, SecretId } from './catalog-types.js';

/**
 * Environment fragments: some variables' schema (from shared/config/env/, re-exported by env.ts, where each default is
 * written, once) together with where a deployment's value of each comes from. The functions'
 * env schemas are built from the same shapes, and the catalog builds each function's environment
 * from the fragments, for the CDK stack and the local stack alike.
 *
 * A fragment must answer for every variable of its shape (the type says so): a value, or
 * `undefined` for "the schema's default" or "given elsewhere" (a provider's credentials: its
 * secret in AWS, the local stack's own environment locally), each said beside it. So a variable
 * added to a shape cannot be forgotten by the deployments, as FLOOD_LIMIT once was.
 */

type Input<Shape extends z.ZodRawShape> = z.input<z.ZodObject<Shape>>;

/** Every variable answered: required ones with their text, the others with their text or undefined. */
export type FragmentValues<Shape extends z.ZodRawShape> = { [K in RequiredKeys<Input<Shape>>]: string } & { [K in OptionalKeys<Input<Shape>>]: string | undefined };
// Mapped over a union of keys rather than `keyof`, so an optional variable's answer is still required (undefined allowed).
type OptionalKeys<T> = { [K in keyof T]-?: undefined extends T[K] ? K : never }[keyof T];
type RequiredKeys<T> = Exclude<keyof T, OptionalKeys<T>>;

export interface EnvFragment<Shape extends z.ZodRawShape, Source> {
  readonly shape: Shape;
  /** The variables for one deployment, those answered `undefined` left out. */
  environment(source: Source): EnvironmentOf<z.ZodObject<Shape>>;
}

export function envFragment<Shape extends z.ZodRawShape, Source>(shape: Shape, values: (source: Source) => FragmentValues<Shape>): EnvFragment<Shape, Source> {
  return {
    shape,
    environment: (source) =>
      Object.fromEntries(Object.entries(values(source)).filter((entry) => entry[1] !== undefined)) as EnvironmentOf<z.ZodObject<Shape>>,
  };
}

/** A variable's default as the text a deployment would give: what its schema reads an unset variable as. */
export function defaultText(schema: z.ZodType): string {
  return String(defaultOf(schema));
}

const optionalText = (value: number | undefined): string | undefined => (value === undefined ? undefined : String(value));
const optionalJson = (value: unknown): string | undefined => (value === undefined ? undefined : JSON.stringify(value));

/**
 * What every function gets. The service name and the Powertools settings are no deployment's
 * choice: they are handed on as their schema's defaults, as Powertools reads them itself, before
 * any schema does.
 */
export const baseFragment = envFragment(baseEnvShape, ({ settings }: Pick<DeploymentBindings, 'settings'>) => ({
  POWERTOOLS_SERVICE_NAME: defaultText(baseEnvShape.POWERTOOLS_SERVICE_NAME),
  POWERTOOLS_LOG_LEVEL: settings.logLevel,
  POWERTOOLS_METRICS_NAMESPACE: defaultText(baseEnvShape.POWERTOOLS_METRICS_NAMESPACE),
  POWERTOOLS_TRACER_CAPTURE_RESPONSE: defaultText(baseEnvShape.POWERTOOLS_TRACER_CAPTURE_RESPONSE),
  POWERTOOLS_TRACER_CAPTURE_ERROR: defaultText(baseEnvShape.POWERTOOLS_TRACER_CAPTURE_ERROR),
  DEFAULT_COUNTRY: settings.defaultCountry,
}));

/** What a function that reads or writes the table gets (every writer stamps TTLs, so every one knows the schedule). */
export const tableFragment = envFragment(tableEnvShape, ({ tableName, settings }: Pick<DeploymentBindings, 'tableName' | 'settings'>) => ({
  TABLE_NAME: tableName,
  TOPIC_SHARDS: String(settings.topicShards),
  ...retentionEnvironment(settings.retention ?? defaultRetention),
}));

const { SMS_PROVIDER, WHATSAPP_PROVIDER, SMS_PROVIDERS, WHATSAPP_PROVIDERS } = providerEnvSchema.shape;
const providerListShape = { SMS_PROVIDER, WHATSAPP_PROVIDER, SMS_PROVIDERS, WHATSAPP_PROVIDERS };
const providerListValues = (settings: DeploymentSettings): FragmentValues<typeof providerListShape> => ({
  SMS_PROVIDER: settings.smsProvider,
  WHATSAPP_PROVIDER: settings.whatsappProvider,
  SMS_PROVIDERS: settings.smsProviders ? formatProviderList(settings.smsProviders) : undefined,
  WHATSAPP_PROVIDERS: settings.whatsappProviders ? formatProviderList(settings.whatsappProviders) : undefined,
});
/** Which providers carry each channel, in order or by weight. */
export const providerListFragment = envFragment(providerListShape, providerListValues);

/** The variable each provider secret's ARN is handed on in (shared/adapters/providers/settings-source.ts). */
const secretArnVariables = { twilio: 'TWILIO_SECRET_ARN', whatsappCloud: 'WHATSAPP_CLOUD_SECRET_ARN' } as const satisfies Partial<Record<SecretId, string>>;

/**
 * The provider lists, the providers' settings that are not secret, and the ARNs of exactly the
 * provider secrets named (the same list as the entry's `access.secrets`, so what a function is
 * told of is what it may read).
 */
export function providersFragment(secrets: readonly SecretId[]) {
  const arnOf = (b: Pick<DeploymentBindings, 'secretArns'>, id: keyof typeof secretArnVariables) => (secrets.includes(id) ? b.secretArns[id] : undefined);
  return envFragment(providerEnvSchema.shape, (b: Pick<DeploymentBindings, 'secretArns' | 'settings'>) => {
    const published = b.settings.providerSettings ?? {};
    return {
      ...providerListValues(b.settings),
      TWILIO_SECRET_ARN: arnOf(b, 'twilio'),
      WHATSAPP_CLOUD_SECRET_ARN: arnOf(b, 'whatsappCloud'),
      // The providers' settings that are not secret: from the deployment's settings.
      TWILIO_SMS_FROM: published.TWILIO_SMS_FROM,
      TWILIO_WHATSAPP_FROM: published.TWILIO_WHATSAPP_FROM,
      TWILIO_MESSAGING_SERVICE_SID: published.TWILIO_MESSAGING_SERVICE_SID,
      WHATSAPP_CLOUD_PHONE_NUMBER_ID: published.WHATSAPP_CLOUD_PHONE_NUMBER_ID,
      WHATSAPP_CLOUD_API_VERSION: published.WHATSAPP_CLOUD_API_VERSION,
      AWS_SMS_ORIGINATION_IDENTITY: published.AWS_SMS_ORIGINATION_IDENTITY,
      AWS_SMS_CONFIGURATION_SET: published.AWS_SMS_CONFIGURATION_SET,
      // Credentials: in AWS in the provider's secret (the ARN above), locally the local stack's own
      // environment (local/local-settings.ts), as are the fake APIs tests point the adapters at.
      TWILIO_ACCOUNT_SID: undefined,
      TWILIO_AUTH_TOKEN: undefined,
      WHATSAPP_VERIFY_TOKEN: undefined,
      WHATSAPP_APP_SECRET: undefined,
      WHATSAPP_CLOUD_ACCESS_TOKEN: undefined,
      SANDBOX_URL: undefined,
      TWILIO_API_BASE_URL: undefined,
      WHATSAPP_CLOUD_API_BASE_URL: undefined,
      // Lambda sets it itself.
      AWS_REGION: undefined,
    };
  });
}


/** The senders fail over by these (and the providers view reads health by them); unset, the schema's defaults. */
export const failoverFragment = envFragment(failoverEnvSchema.shape, ({ failover }: DeploymentSettings) => ({
  FAILOVER_ERRORS: optionalText(failover?.errors),
  FAILOVER_WINDOW_SECONDS: optionalText(failover?.windowSeconds),
  FAILOVER_COOLDOWN_SECONDS: optionalText(failover?.cooldownSeconds),
}));

/** What every function that answers residents' texts needs. */
export const residentTextsFragment = envFragment(residentTextsShape, ({ queueUrls, settings }: Pick<DeploymentBindings, 'queueUrls' | 'settings'>) => ({
  SEND_URGENT_QUEUE_URL: queueUrls.sendUrgent,
  SERVICE_NAME: settings.serviceName,
  SERVICE_CONTACT: settings.serviceContact,
  FLOOD_LIMIT: optionalText(settings.floodLimit),
  TIME_ZONE: settings.timeZone,
}));

/** How long a staff session in the console lasts; unset, the schema's defaults. */
export const consoleSessionFragment = envFragment(consoleSessionShape, (settings: DeploymentSettings) => ({
  SESSION_IDLE_MINUTES: optionalText(settings.sessionIdleMinutes),
  SESSION_MAX_HOURS: optionalText(settings.sessionMaxHours),
}));

/** When broadcasts may go out: quiet hours in the deployment's time zone. */
export const broadcastTimingFragment = envFragment(broadcastTimingEnvSchema.shape, (settings: DeploymentSettings) => ({
  QUIET_HOURS: settings.quietHours,
  TIME_ZONE: settings.timeZone,
}));

/** A department's limits unless an operator has set its own. */
export const departmentLimitsFragment = envFragment(departmentLimitsEnvSchema.shape, (settings: DeploymentSettings) => ({
  DAILY_MESSAGE_CAP: String(settings.dailyMessageCap),
  OPERATOR_APPROVAL_ABOVE: String(settings.operatorApprovalAbove),
}));

/** What the senders estimate each message's cost with, and the broadcasts API its previews; unset, the built-in estimates. */
export const priceTableFragment = envFragment(priceTableEnvSchema.shape, (settings: DeploymentSettings) => ({ PRICE_TABLE: optionalJson(settings.priceTable) }));

/** Each sender's rate, for the senders' pacing; unset, the identities' own or the providers' defaults. */
export const sendRatesFragment = envFragment(sendRatesEnvSchema.shape, (settings: DeploymentSettings) => ({ SEND_RATES: optionalJson(settings.sendRates) }));

/** The identities messages go from; unset, each provider's own from setting. */
export const sendersFragment = envFragment(sendersEnvSchema.shape, (settings: DeploymentSettings) => ({ SENDERS: optionalJson(settings.senders) }));

/** How many recipients the fan-out puts in one send job; unset, the schema's default. */
export const sendBatchFragment = envFragment(sendBatchEnvShape, (settings: DeploymentSettings) => ({
  RECIPIENTS_PER_SEND_MESSAGE: optionalText(settings.recipientsPerSendMessage),
}));
