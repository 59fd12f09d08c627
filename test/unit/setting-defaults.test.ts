import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { functionDefinition, functionIds } from '../../functions/catalog.js';
import { readDeploymentSettings } from '../../infra/constructs/deployment-settings.js';
import { localEnvSchema } from '../../local/environment.js';
import { localDeploymentSettings } from '../../local/local-settings.js';
import { readmeTableNames } from '../support/readme-tables.js';
import { defaultOf, quietHoursText, senderEnvSchema, timeZoneText, webhookEnvSchema } from '../../shared/config/env.js';

/**
 * Each setting's default is written once, in its variable's schema: the deployments (CDK context,
 * the local stack) take it from there rather than restating it, so changing a default is one edit.
 */

const repositoryRoot = join(import.meta.dirname, '..', '..');
/** Where settings are defined, read and handed on. */
const settingFolders = ['shared/config', 'functions', 'infra', 'local'];

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

type Schema = { safeParse(value: unknown): { success: boolean; data?: unknown }; _zod: { def: { type: string; innerType?: { _zod: { def: { type: string } } } } } };

/**
 * The free-text defaults (a string schema's, not a choice among words that recur for reasons of
 * their own, such as `off` or `sandbox`) of the settings the README lists, as the functions and
 * the local stack read them.
 */
function textDefaults(): Map<string, string> {
  const settings = new Set(readmeTableNames('**The local stack** (`npm start`) reads these environment variables:'));
  const shapes = [...functionIds.map((id) => functionDefinition(id).envSchema.shape), localEnvSchema.shape] as unknown as Record<string, Schema>[];
  const defaults = new Map<string, string>();
  for (const shape of shapes) {
    for (const [variable, schema] of Object.entries(shape)) {
      const { def } = schema._zod;
      const freeText = def.type === 'default' && def.innerType?._zod.def.type === 'string';
      const unset = schema.safeParse(undefined);
      if (settings.has(variable) && freeText && unset.success && typeof unset.data === 'string') defaults.set(variable, unset.data);
    }
  }
  return defaults;
}

describe("settings' defaults", () => {
  it('each default text is written once in the code that defines, reads and hands on settings', () => {
    // Prepare
    const sources = settingFolders.flatMap((folder) => sourceFiles(join(repositoryRoot, folder))).map((path) => ({ path: relative(repositoryRoot, path), text: readFileSync(path, 'utf8') }));

    // Act
    const restated = [...textDefaults()].flatMap(([variable, value]) => {
      const places = sources.flatMap(({ path, text }) => Array.from({ length: text.split(`'${value}'`).length - 1 }, () => path));
      return places.length === 1 ? [] : [`${variable} '${value}': ${places.length} times (${places.join(', ')})`];
    });

    // Assess
    expect([...textDefaults().keys()].sort()).toEqual(['QUIET_HOURS', 'SERVICE_CONTACT', 'SERVICE_NAME', 'TIME_ZONE', 'TWILIO_AUTH_TOKEN', 'WHATSAPP_APP_SECRET', 'WHATSAPP_VERIFY_TOKEN', 'DATA_DIR'].sort());
    expect(restated).toEqual([]);
  });

  it("a deployment with no context takes each function setting's default from its schema (the providers aside: deployments send through Twilio)", () => {
    // Prepare
    const node = new App().node;
    const { shape } = senderEnvSchema;
    const inbound = webhookEnvSchema.shape;

    // Act
    const settings = readDeploymentSettings(node);

    // Assess
    expect(settings).toMatchObject({
      defaultCountry: defaultOf(shape.DEFAULT_COUNTRY),
      topicShards: defaultOf(shape.TOPIC_SHARDS),
      logLevel: defaultOf(shape.POWERTOOLS_LOG_LEVEL),
      serviceName: defaultOf(inbound.SERVICE_NAME),
      serviceContact: defaultOf(inbound.SERVICE_CONTACT),
      quietHours: defaultOf(quietHoursText),
      timeZone: defaultOf(timeZoneText),
      failover: { errors: defaultOf(shape.FAILOVER_ERRORS), windowSeconds: defaultOf(shape.FAILOVER_WINDOW_SECONDS), cooldownSeconds: defaultOf(shape.FAILOVER_COOLDOWN_SECONDS) },
      smsProvider: 'twilio',
      whatsappProvider: 'twilio',
    });
    expect(settings).not.toHaveProperty('floodLimit');
    expect(settings).not.toHaveProperty('recipientsPerSendMessage');
  });

  it('the local stack takes the same defaults, but for what it chooses for itself (the sandbox, quiet hours and limits off, quieter logs)', () => {
    // Prepare
    const deployed = readDeploymentSettings(new App().node);

    // Act
    const local = localDeploymentSettings({ port: 0, twilio: { authToken: 'a-token' }, sandbox: { failureRate: 0 } });

    // Assess
    const { smsProvider, whatsappProvider, quietHours, dailyMessageCap, operatorApprovalAbove, logLevel, failover, retention, ...shared } = deployed;
    expect(local).toMatchObject(shared);
    expect(local).toMatchObject({ smsProvider: 'sandbox', whatsappProvider: 'sandbox', quietHours: 'off', dailyMessageCap: 0, operatorApprovalAbove: 0, logLevel: 'WARN' });
  });
});
