import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { functionDefinition, functionIds } from '../../functions/catalog.js';
import { localEnvSchema } from '../../local/environment.js';
import { localDeploymentSettings, localFunctionsEnvironment } from '../../local/local-settings.js';
import { localStackOptionsOf } from '../../local/options-from-environment.js';
import { deploymentBindings } from '../support/deployment-bindings.js';
import { readmeTableNames } from '../support/readme-tables.js';

/**
 * Every variable the README's Configuration table says `npm start` reads can be set: set in the
 * local stack's environment, it reaches what it is for. A function's setting reaches the parsed
 * environment of every function whose schema reads it, as that function reads the value given
 * directly; a setting of the local stack itself reaches its options. Either way, the value set
 * is not what the stack has without it.
 */

type Options = ReturnType<typeof localStackOptionsOf>;
type Row = { value: string } & ({ reaches: 'functions' } | { reaches: 'stack'; option: (options: Options) => unknown; expected: unknown });

const rows: Record<string, Row> = {
  PORT: { value: '4321', reaches: 'stack', option: (options) => options.port, expected: 4321 },
  HOST: { value: '0.0.0.0', reaches: 'stack', option: (options) => options.host, expected: '0.0.0.0' },
  PUBLIC_BASE_URL: { value: 'https://tunnel.council.example', reaches: 'stack', option: (options) => options.publicBaseUrl, expected: 'https://tunnel.council.example' },
  DATA_DIR: { value: 'var/crier', reaches: 'stack', option: (options) => options.dataDir, expected: resolve('var/crier') },
  CRIER_BOOTSTRAP_KEY: { value: 'crier_op_an-operator-key-of-its-own', reaches: 'stack', option: (options) => options.bootstrapKey, expected: 'crier_op_an-operator-key-of-its-own' },
  CRIER_STAFF_PASSWORD: { value: 'correct horse battery', reaches: 'stack', option: (options) => options.staffPassword, expected: 'correct horse battery' },
  TWILIO_AUTH_TOKEN: { value: 'a-real-auth-token', reaches: 'functions' },
  TWILIO_ACCOUNT_SID: { value: `AC${'a'.repeat(32)}`, reaches: 'functions' },
  TWILIO_SMS_FROM: { value: '+447700900123', reaches: 'functions' },
  TWILIO_WHATSAPP_FROM: { value: 'whatsapp:+447700900123', reaches: 'functions' },
  WHATSAPP_VERIFY_TOKEN: { value: 'a-verify-token', reaches: 'functions' },
  WHATSAPP_APP_SECRET: { value: 'an-app-secret', reaches: 'functions' },
  SANDBOX_MPS: { value: '5', reaches: 'stack', option: (options) => options.sandbox.messagesPerSecond, expected: 5 },
  SANDBOX_FAILURE_RATE: { value: '0.1', reaches: 'stack', option: (options) => options.sandbox.failureRate, expected: 0.1 },
  SANDBOX_RECEIPT_DELAY_MS: { value: 'off', reaches: 'stack', option: (options) => options.sandbox.receiptDelayMs, expected: undefined },
  SANDBOX_FAILOVER: { value: 'on', reaches: 'stack', option: (options) => options.sandboxFailover, expected: true },
  SANDBOX_B_FAILURE_RATE: { value: '0.2', reaches: 'stack', option: (options) => options.sandbox.failureRateB, expected: 0.2 },
  FAILOVER_ERRORS: { value: '20', reaches: 'functions' },
  FAILOVER_WINDOW_SECONDS: { value: '90', reaches: 'functions' },
  FAILOVER_COOLDOWN_SECONDS: { value: '600', reaches: 'functions' },
  SERVICE_NAME: { value: 'Cardiff alerts', reaches: 'functions' },
  SERVICE_CONTACT: { value: '029 2087 2087', reaches: 'functions' },
  FLOOD_LIMIT: { value: '5', reaches: 'functions' },
  RECIPIENTS_PER_SEND_MESSAGE: { value: '100', reaches: 'functions' },
  SESSION_IDLE_MINUTES: { value: '15', reaches: 'functions' },
  SESSION_MAX_HOURS: { value: '8', reaches: 'functions' },
  QUIET_HOURS: { value: '22:00-07:00', reaches: 'functions' },
  TIME_ZONE: { value: 'Europe/Dublin', reaches: 'functions' },
  DAILY_MESSAGE_CAP: { value: '500', reaches: 'functions' },
  OPERATOR_APPROVAL_ABOVE: { value: '50', reaches: 'functions' },
  PRICE_TABLE: { value: '{"sms":{"perSegment":0.09},"whatsapp":{"perMessage":0.03}}', reaches: 'functions' },
  RETAIN_MESSAGES_DAYS: { value: '30', reaches: 'functions' },
  RETAIN_INBOUND_DAYS: { value: '31', reaches: 'functions' },
  RETAIN_INBOX_DAYS: { value: '32', reaches: 'functions' },
  RETAIN_CONSENT_DAYS: { value: '365', reaches: 'functions' },
  RETAIN_AUDIT_DAYS: { value: '2555', reaches: 'functions' },
};

/** The local stack's options for an environment; no data directory, so nothing is written. */
function optionsFor(environment: Record<string, string>): Options {
  return localStackOptionsOf(localEnvSchema.parse(environment));
}

/** What each function parses its environment as, on a local stack started with `environment`. */
function functionEnvironmentsFor(environment: Record<string, string>): Map<string, Record<string, unknown>> {
  const options = { ...optionsFor(environment), dataDir: undefined };
  const processEnvironment = localFunctionsEnvironment(deploymentBindings(localDeploymentSettings(options)), options, 'http://127.0.0.1:3000');
  return new Map(functionIds.map((id) => [id, functionDefinition(id).envSchema.parse(processEnvironment) as Record<string, unknown>]));
}

describe("the README's settings of the local stack", () => {
  it('has a row here for every variable the README lists, and no other', () => {
    // Prepare
    const listed = readmeTableNames('**The local stack** (`npm start`) reads these environment variables:');

    // Act
    const tested = Object.keys(rows);

    // Assess
    expect([...tested].sort()).toEqual([...listed].sort());
  });

  it.each(Object.entries(rows))('%s can be set', (variable, row) => {
    // Prepare
    const environment = { [variable]: row.value };

    // Act
    const set = row.reaches === 'stack' ? row.option(optionsFor(environment)) : functionEnvironmentsFor(environment);
    const unset = row.reaches === 'stack' ? row.option(optionsFor({})) : functionEnvironmentsFor({});

    // Assess
    if (row.reaches === 'stack') {
      expect(set).toEqual(row.expected);
      expect(unset).not.toEqual(set);
      return;
    }
    const readers = functionIds.filter((id) => variable in functionDefinition(id).envSchema.shape);
    expect(readers.length).toBeGreaterThan(0);
    for (const id of readers) {
      const schema = functionDefinition(id).envSchema.shape[variable] as { parse(value: unknown): unknown };
      const reads = (set as Map<string, Record<string, unknown>>).get(id)?.[variable];
      expect(reads, `${id} reads ${variable}`).toEqual(schema.parse(row.value));
      expect((unset as Map<string, Record<string, unknown>>).get(id)?.[variable], `${id} without ${variable}`).not.toEqual(reads);
    }
  });
});
