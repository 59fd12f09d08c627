import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, type CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { functionDefinition, functionIds, type FunctionId } from '../../functions/catalog.js';
import { CrierStack } from '../../infra/stack.js';
import { readmeTableNames } from '../support/readme-tables.js';

/**
 * Every CDK context setting the README lists can be set: one that is a function's setting reaches
 * the environment of every function whose schema reads its variable, which that function parses
 * as it parses the value given directly, and not as it parses the variable unset; one that shapes
 * the stack itself has a test of its own, named here.
 */

type Row = { reaches: 'functions'; value: unknown; variable: string; group?: 'providerOfOne' } | { reaches: 'stack'; testedIn: string };

const awsSmsIdentity = 'pool-0123456789abcdef0123456789abcdef';
const priceTable = { sms: { perSegment: 0.09 }, whatsapp: { perMessage: 0.03 } };

const rows: Record<string, Row> = {
  stackName: { reaches: 'stack', testedIn: 'observability.test.ts' },
  publicBaseUrl: { reaches: 'functions', value: 'https://alerts.council.example', variable: 'PUBLIC_BASE_URL' },
  webAclArn: { reaches: 'stack', testedIn: 'edge.test.ts' },
  reservedConcurrency: { reaches: 'stack', testedIn: 'stack-resources.test.ts' },
  defaultCountry: { reaches: 'functions', value: 'IE', variable: 'DEFAULT_COUNTRY' },
  // A list, when given, names the channel's provider: these two are set in a deployment of their own.
  smsProvider: { reaches: 'functions', value: 'sandbox', variable: 'SMS_PROVIDER', group: 'providerOfOne' },
  whatsappProvider: { reaches: 'functions', value: 'sandbox', variable: 'WHATSAPP_PROVIDER', group: 'providerOfOne' },
  smsProviders: { reaches: 'functions', value: 'twilio,aws-sms', variable: 'SMS_PROVIDERS' },
  whatsappProviders: { reaches: 'functions', value: 'whatsapp-cloud,twilio', variable: 'WHATSAPP_PROVIDERS' },
  failoverErrors: { reaches: 'functions', value: '20', variable: 'FAILOVER_ERRORS' },
  failoverWindowSeconds: { reaches: 'functions', value: '90', variable: 'FAILOVER_WINDOW_SECONDS' },
  failoverCooldownSeconds: { reaches: 'functions', value: '600', variable: 'FAILOVER_COOLDOWN_SECONDS' },
  topicShards: { reaches: 'functions', value: '16', variable: 'TOPIC_SHARDS' },
  logLevel: { reaches: 'functions', value: 'DEBUG', variable: 'POWERTOOLS_LOG_LEVEL' },
  serviceName: { reaches: 'functions', value: 'Cardiff alerts', variable: 'SERVICE_NAME' },
  serviceContact: { reaches: 'functions', value: '029 2087 2087', variable: 'SERVICE_CONTACT' },
  floodLimit: { reaches: 'functions', value: '5', variable: 'FLOOD_LIMIT' },
  recipientsPerSendMessage: { reaches: 'functions', value: '100', variable: 'RECIPIENTS_PER_SEND_MESSAGE' },
  sessionIdleMinutes: { reaches: 'functions', value: '15', variable: 'SESSION_IDLE_MINUTES' },
  sessionMaxHours: { reaches: 'functions', value: '8', variable: 'SESSION_MAX_HOURS' },
  quietHours: { reaches: 'functions', value: '22:00-07:00', variable: 'QUIET_HOURS' },
  timeZone: { reaches: 'functions', value: 'Europe/Dublin', variable: 'TIME_ZONE' },
  dailyMessageCap: { reaches: 'functions', value: '500', variable: 'DAILY_MESSAGE_CAP' },
  operatorApprovalAbove: { reaches: 'functions', value: '50', variable: 'OPERATOR_APPROVAL_ABOVE' },
  priceTable: { reaches: 'functions', value: JSON.stringify(priceTable), variable: 'PRICE_TABLE' },
  sendRates: { reaches: 'functions', value: '{"twilio:sms":30}', variable: 'SEND_RATES' },
  senders: { reaches: 'functions', value: '[{"id":"main","provider":"twilio","channel":"sms","from":"+447700900123"}]', variable: 'SENDERS' },
  region: { reaches: 'stack', testedIn: 'deployment-target.test.ts' },
  alarmEmail: { reaches: 'stack', testedIn: 'deployment-target.test.ts' },
  backup: { reaches: 'stack', testedIn: 'stack-resources.test.ts' },
  operatorEmail: { reaches: 'functions', value: 'ops@council.example', variable: 'FIRST_OPERATOR_EMAIL' },
  cognitoDomainPrefix: { reaches: 'stack', testedIn: 'sign-in.test.ts' },
  oidcFederation: { reaches: 'stack', testedIn: 'sign-in.test.ts' },
  googleFederation: { reaches: 'stack', testedIn: 'sign-in.test.ts' },
  twilioSmsFrom: { reaches: 'functions', value: '+447700900123', variable: 'TWILIO_SMS_FROM' },
  twilioWhatsappFrom: { reaches: 'functions', value: 'whatsapp:+447700900123', variable: 'TWILIO_WHATSAPP_FROM' },
  twilioMessagingServiceSid: { reaches: 'functions', value: `MG${'a'.repeat(32)}`, variable: 'TWILIO_MESSAGING_SERVICE_SID' },
  whatsappCloudPhoneNumberId: { reaches: 'functions', value: '1234567890', variable: 'WHATSAPP_CLOUD_PHONE_NUMBER_ID' },
  whatsappCloudApiVersion: { reaches: 'functions', value: 'v25.0', variable: 'WHATSAPP_CLOUD_API_VERSION' },
  awsSmsOriginationIdentity: { reaches: 'functions', value: awsSmsIdentity, variable: 'AWS_SMS_ORIGINATION_IDENTITY' },
  awsSmsConfigurationSet: { reaches: 'functions', value: 'council-receipts', variable: 'AWS_SMS_CONFIGURATION_SET' },
  urgentQueueAgeAlarmMinutes: { reaches: 'stack', testedIn: 'observability.test.ts' },
  bulkQueueAgeAlarmMinutes: { reaches: 'stack', testedIn: 'observability.test.ts' },
  dailySpendAlarm: { reaches: 'stack', testedIn: 'observability.test.ts' },
  providerThrottleAlarm: { reaches: 'stack', testedIn: 'observability.test.ts' },
  retainMessagesDays: { reaches: 'functions', value: '30', variable: 'RETAIN_MESSAGES_DAYS' },
  retainInboundDays: { reaches: 'functions', value: '31', variable: 'RETAIN_INBOUND_DAYS' },
  retainInboxDays: { reaches: 'functions', value: '32', variable: 'RETAIN_INBOX_DAYS' },
  retainConsentDays: { reaches: 'functions', value: '365', variable: 'RETAIN_CONSENT_DAYS' },
  retainAuditDays: { reaches: 'functions', value: '2555', variable: 'RETAIN_AUDIT_DAYS' },
};

const cdkJsonContext = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')).context;

/** Each function's environment variables as synthesized with this context. */
function synthesizedEnvironments(context: Record<string, unknown>): Map<FunctionId, Record<string, unknown>> {
  // Bundling and CloudFormation schema validation are the slow parts; bundling.test.ts does both.
  const app = new App({ builtinCloudFormationValidation: false, context: { ...cdkJsonContext, 'aws:cdk:bundling-stacks': [], ...context } });
  const stack = new CrierStack(app, 'Crier');
  const resources = Template.fromStack(stack).toJSON().Resources;
  return new Map(
    functionIds.map((id) => [id, resources[stack.getLogicalId(stack.functions[id].function.node.defaultChild as CfnElement)].Properties.Environment.Variables]),
  );
}

const functionRows = Object.entries(rows).flatMap(([key, row]) => (row.reaches === 'functions' ? [{ key, ...row }] : []));
const contextOf = (group: string | undefined) => Object.fromEntries(functionRows.filter((row) => row.group === group).map((row) => [row.key, row.value]));

describe("the README's CDK context settings", () => {
  // One deployment that sets them all (but for the one-provider form), one that sets only that, one that sets nothing.
  const deployments = { all: synthesizedEnvironments(contextOf(undefined)), providerOfOne: synthesizedEnvironments(contextOf('providerOfOne')), none: synthesizedEnvironments({}) };

  it('has a row here for every setting the README lists, and no other', () => {
    // Prepare
    const listed = readmeTableNames('**A deployed stack** takes CDK context');

    // Act
    const tested = Object.keys(rows);

    // Assess
    expect([...tested].sort()).toEqual([...listed].sort());
  });

  it.each(functionRows)('$key reaches $variable of every function that reads it', ({ key, value, variable, group }) => {
    // Prepare
    const set = deployments[group ?? 'all'];
    const readers = functionIds.filter((id) => variable in functionDefinition(id).envSchema.shape);

    // Act
    const reads = readers.map((id) => {
      const schema = functionDefinition(id).envSchema.shape[variable] as { parse(value: unknown): unknown; safeParse(value: unknown): { data?: unknown } };
      return { id, reads: schema.parse(set.get(id)?.[variable]), unset: schema.safeParse(deployments.none.get(id)?.[variable]).data, given: schema.parse(value) };
    });

    // Assess
    expect(readers.length, `no function reads ${variable}`).toBeGreaterThan(0);
    for (const { id, reads: read, unset, given } of reads) {
      expect(read, `${id} reads ${variable} (-c ${key})`).toEqual(given);
      expect(unset, `${id} reads ${variable} without -c ${key}`).not.toEqual(given);
    }
  });

  it.each(Object.entries(rows).flatMap(([key, row]) => (row.reaches === 'stack' ? [{ key, testedIn: row.testedIn }] : [])))(
    '$key shapes the stack, and $testedIn tests it',
    ({ key, testedIn }) => {
      // Prepare
      const test = readFileSync(join(import.meta.dirname, testedIn), 'utf8');

      // Act
      const named = test.includes(key);

      // Assess
      expect(named).toBe(true);
    },
  );
});
