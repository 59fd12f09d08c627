import type { Node } from 'constructs';
import { z } from 'zod';
import { providerPublicSettingNames, type DeploymentSettings } from '../../functions/catalog-types.js';
import {
  dailyMessageCapSetting,
  operatorApprovalAboveSetting,
  quietHoursSetting,
  timeZoneSetting,
} from '../../functions/deployment-settings.js';
import {
  baseEnvSchema,
  failoverEnvSchema,
  priceTableEnvSchema,
  providerEnvSchema,
  residentTextsShape,
  sendBatchEnvShape,
  consoleSessionShape,
  sendersEnvSchema,
  sendRatesEnvSchema,
  tableEnvSchema,
  webhookEnvSchema,
} from '../../shared/config/env.js';
import { fieldPath } from '../../shared/runtime/environment.js';
import { retentionEnvShape } from '../../shared/retention/periods.js';
import type { TableBackup } from './crier-table.js';

/**
 * What a deployment may choose, from CDK context (`cdk synth -c topicShards=16` or `cdk.json`).
 * Each value is checked with the schema the functions validate their environment with, so a bad
 * value fails the synth rather than every cold start, and an unset one takes that schema's
 * default: each default is written once, in shared/config/env/ (re-exported by env.ts).
 */
export function readDeploymentSettings(node: Node): DeploymentSettings {
  // Failover order (`-c smsProviders=twilio,aws-sms`) or shares (`twilio:80,aws-sms:20`); when
  // given, its first is the channel's provider for the functions that name only one.
  const smsProviders = readSetting(node, 'smsProviders', providerEnvSchema.shape.SMS_PROVIDERS, undefined);
  const whatsappProviders = readSetting(node, 'whatsappProviders', providerEnvSchema.shape.WHATSAPP_PROVIDERS, undefined);
  return {
    defaultCountry: readSetting(node, 'defaultCountry', baseEnvSchema.shape.DEFAULT_COUNTRY),
    // Deployed stacks talk to real providers; the sandbox is the local stack's default.
    smsProvider: smsProviders?.[0]?.name ?? readSetting(node, 'smsProvider', providerEnvSchema.shape.SMS_PROVIDER, 'twilio'),
    whatsappProvider: whatsappProviders?.[0]?.name ?? readSetting(node, 'whatsappProvider', providerEnvSchema.shape.WHATSAPP_PROVIDER, 'twilio'),
    ...(smsProviders ? { smsProviders } : {}),
    ...(whatsappProviders ? { whatsappProviders } : {}),
    failover: {
      errors: readSetting(node, 'failoverErrors', failoverEnvSchema.shape.FAILOVER_ERRORS),
      windowSeconds: readSetting(node, 'failoverWindowSeconds', failoverEnvSchema.shape.FAILOVER_WINDOW_SECONDS),
      cooldownSeconds: readSetting(node, 'failoverCooldownSeconds', failoverEnvSchema.shape.FAILOVER_COOLDOWN_SECONDS),
    },
    topicShards: readSetting(node, 'topicShards', tableEnvSchema.shape.TOPIC_SHARDS),
    logLevel: readSetting(node, 'logLevel', baseEnvSchema.shape.POWERTOOLS_LOG_LEVEL),
    serviceName: readSetting(node, 'serviceName', residentTextsShape.SERVICE_NAME),
    serviceContact: readSetting(node, 'serviceContact', residentTextsShape.SERVICE_CONTACT),
    ...optionalSetting(node, 'floodLimit', residentTextsShape.FLOOD_LIMIT),
    ...optionalSetting(node, 'recipientsPerSendMessage', sendBatchEnvShape.RECIPIENTS_PER_SEND_MESSAGE),
    ...optionalSetting(node, 'sessionIdleMinutes', consoleSessionShape.SESSION_IDLE_MINUTES),
    ...optionalSetting(node, 'sessionMaxHours', consoleSessionShape.SESSION_MAX_HOURS),
    quietHours: readSetting(node, 'quietHours', quietHoursSetting),
    timeZone: readSetting(node, 'timeZone', timeZoneSetting),
    // Non-zero out of the box, to limit what a stolen sender key can send; 0 turns either off.
    dailyMessageCap: readSetting(node, 'dailyMessageCap', dailyMessageCapSetting),
    operatorApprovalAbove: readSetting(node, 'operatorApprovalAbove', operatorApprovalAboveSetting),
    // JSON, in cdk.json or `-c priceTable='{"sms":{…}}'`; unset, the functions use the built-in estimates.
    ...priceTableOf(node),
    // JSON, in cdk.json or `-c sendRates='{"twilio:sms":30}'`; merged over the providers' defaults.
    ...sendRatesOf(node),
    // JSON, in cdk.json or `-c senders='[{"id":"main","provider":"twilio","channel":"sms","from":"+44…"}]'`.
    ...sendersOf(node),
    // The retention schedule in days (`-c retainMessagesDays=30`), checked as RETAIN_*_DAYS are.
    retention: {
      messagesDays: readSetting(node, 'retainMessagesDays', retentionEnvShape.RETAIN_MESSAGES_DAYS),
      inboundDays: readSetting(node, 'retainInboundDays', retentionEnvShape.RETAIN_INBOUND_DAYS),
      inboxDays: readSetting(node, 'retainInboxDays', retentionEnvShape.RETAIN_INBOX_DAYS),
      consentDays: readSetting(node, 'retainConsentDays', retentionEnvShape.RETAIN_CONSENT_DAYS),
      auditDays: readSetting(node, 'retainAuditDays', retentionEnvShape.RETAIN_AUDIT_DAYS),
    },
    ...providerSettingsOf(node),
  };
}

/**
 * The providers' settings that are not secret, by the context key that sets each: numbers and ids
 * go into the environment of the functions that need them, never into a secret, so a function that
 * needs only them (the providers view, the broadcast preview) reads no credential.
 */
export const providerSettingContextKeys: Record<(typeof providerPublicSettingNames)[number], string> = {
  TWILIO_SMS_FROM: 'twilioSmsFrom',
  TWILIO_WHATSAPP_FROM: 'twilioWhatsappFrom',
  TWILIO_MESSAGING_SERVICE_SID: 'twilioMessagingServiceSid',
  WHATSAPP_CLOUD_PHONE_NUMBER_ID: 'whatsappCloudPhoneNumberId',
  WHATSAPP_CLOUD_API_VERSION: 'whatsappCloudApiVersion',
  AWS_SMS_ORIGINATION_IDENTITY: 'awsSmsOriginationIdentity',
  AWS_SMS_CONFIGURATION_SET: 'awsSmsConfigurationSet',
};

function providerSettingsOf(node: Node): Pick<DeploymentSettings, 'providerSettings'> {
  const entries = providerPublicSettingNames.flatMap((name) => {
    const key = providerSettingContextKeys[name];
    if (optionalContextString(node, key) === undefined) return [];
    return [[name, readSetting(node, key, providerEnvSchema.shape[name].unwrap(), '')]];
  });
  return entries.length > 0 ? { providerSettings: Object.fromEntries(entries) } : {};
}

/**
 * A JSON setting from context: a string (`-c key='{…}'`) or an object (cdk.json), checked by the
 * schema of the environment variable it becomes; unset or empty, undefined.
 */
function jsonSetting<T>(node: Node, key: string, schema: z.ZodType<T, any>): T | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === '') return undefined;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const parsed = schema.safeParse(text);
  if (!parsed.success) {
    // Every problem at once, each named by where it is (`[1].from`), so one synth shows them all.
    const problems = parsed.error.issues.map((issue) => [fieldPath(issue.path), issue.message].filter(Boolean).join(': '));
    throw new Error(`CDK context ${key}=${text} is invalid: ${problems.join('; ')}`);
  }
  return parsed.data;
}

/** Each sender's rate, checked as SEND_RATES is. */
function sendRatesOf(node: Node): Pick<DeploymentSettings, 'sendRates'> {
  const sendRates = jsonSetting(node, 'sendRates', sendRatesEnvSchema.shape.SEND_RATES);
  return sendRates ? { sendRates } : {};
}

/** The sender identities, checked as SENDERS is. */
function sendersOf(node: Node): Pick<DeploymentSettings, 'senders'> {
  const senders = jsonSetting(node, 'senders', sendersEnvSchema.shape.SENDERS);
  return senders ? { senders } : {};
}

/** The price table, checked as PRICE_TABLE is. */
function priceTableOf(node: Node): Pick<DeploymentSettings, 'priceTable'> {
  const priceTable = jsonSetting(node, 'priceTable', priceTableEnvSchema.shape.PRICE_TABLE);
  return priceTable ? { priceTable } : {};
}

/** A setting from context, checked by its schema; unset, `fallback` if given, else the schema's default. */
function readSetting<T>(node: Node, key: string, schema: z.ZodType<T, any>, fallback?: T): T {
  const value: unknown = node.tryGetContext(key) ?? fallback;
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new Error(`CDK context ${key}=${JSON.stringify(value)} is invalid: ${parsed.error.issues[0]?.message}`);
  }
  return parsed.data;
}

/**
 * A setting handed on only when the deployment sets it (unset, the functions apply their schema's
 * default, and the template names no value): `{ [key]: value }`, or nothing.
 */
function optionalSetting<K extends string, T>(node: Node, key: K, schema: z.ZodType<T, any>): Partial<Record<K, T>> {
  if (node.tryGetContext(key) === undefined) return {};
  return { [key]: readSetting(node, key, schema) } as Partial<Record<K, T>>;
}

/** An optional string from CDK context; empty means unset, so `-c alarmEmail=` clears it. */
export function optionalContextString(node: Node, key: string): string | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw new Error(`CDK context ${key} must be a string`);
  return value;
}

/**
 * The URL providers call when it is not the API's own endpoint (a custom domain, say). Webhook
 * signatures are computed over it, so it is normalised without a trailing slash.
 */
export function readPublicBaseUrl(node: Node): string | undefined {
  const value = optionalContextString(node, 'publicBaseUrl');
  if (value === undefined) return undefined;
  return readSetting(node, 'publicBaseUrl', webhookEnvSchema.shape.PUBLIC_BASE_URL, value).replace(/\/+$/, '');
}

/** `-c backup=daily` adds an AWS Backup plan for the table; unset or `off`, point-in-time recovery alone. */
export function readTableBackup(node: Node): TableBackup {
  return readSetting(node, 'backup', z.enum(['off', 'daily'], { error: 'must be daily or off' }), 'off');
}

/**
 * Where alarms go: `-c alarmEmail=ops@council.example`, or `-c alarmEmail=none` for a deployment
 * whose operators subscribe to the alarm topic some other way (a chat integration, a pager). Unset
 * is allowed for a synth (an offline `cdk synth`, the tests) but not for a deploy: see
 * infra/deployment-target.ts.
 */
export type AlarmDestination = { kind: 'unset' } | { kind: 'none' } | { kind: 'email'; email: string };

export function readAlarmDestination(node: Node): AlarmDestination {
  const value = optionalContextString(node, 'alarmEmail');
  if (value === undefined) return { kind: 'unset' };
  if (value.toLowerCase() === 'none') return { kind: 'none' };
  if (!z.email().safeParse(value).success) {
    throw new Error(`CDK context alarmEmail=${value} is invalid: must be an email address, or none`);
  }
  return { kind: 'email', email: value };
}

/** The address the alarm topic emails, if any. */
export function readAlarmEmail(node: Node): string | undefined {
  const destination = readAlarmDestination(node);
  return destination.kind === 'email' ? destination.email : undefined;
}
