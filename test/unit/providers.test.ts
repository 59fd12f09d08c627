import 'aws-sdk-client-mock-vitest/extend';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConfiguredProviderDirectory, providerRegistry, withRecordingSandbox } from '../../shared/adapters/providers/registry.js';
import { RecordingSandboxProvider } from '../../shared/adapters/providers/sandbox/recording-adapter.js';
import { AwsSmsProvider } from '../../shared/adapters/providers/aws-sms/adapter.js';
import { SandboxProvider } from '../../shared/adapters/providers/sandbox/adapter.js';
import { providerSettingsSource } from '../../shared/adapters/providers/settings-source.js';
import { TwilioProvider } from '../../shared/adapters/providers/twilio/adapter.js';
import { WhatsAppCloudProvider } from '../../shared/adapters/providers/whatsapp-cloud/adapter.js';
import { providerEnvSchema, type ProviderEnv } from '../../shared/config/env.js';
import { ConfigurationError } from '../../shared/domain/errors.js';
import { providerNames, type ProviderName } from '../../shared/domain/provider-names.js';
import { completeProviderSettings } from '../support/provider-settings.js';

const ACCOUNT_SID = `AC${'a'.repeat(32)}`;
const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-2:123456789012:secret:Crier/twilio-AbCdEf';
const WHATSAPP_SECRET_ARN = 'arn:aws:secretsmanager:eu-west-2:123456789012:secret:Crier/whatsapp-cloud-AbCdEf';

function env(overrides: Record<string, string> = {}): ProviderEnv {
  return providerEnvSchema.parse({ ...completeProviderSettings, ...overrides });
}

/** What each registry entry builds from complete settings, written out independently. */
const expectedProvider: ReadonlyArray<[ProviderName, abstract new (...args: never[]) => unknown]> = [
  ['sandbox', SandboxProvider],
  ['sandbox-b', SandboxProvider],
  ['twilio', TwilioProvider],
  ['whatsapp-cloud', WhatsAppCloudProvider],
  ['aws-sms', AwsSmsProvider],
];

describe('providerRegistry', () => {
  it('has an entry for every provider name', () => {
    // Prepare
    const expected = [...providerNames].sort();

    // Act
    const registered = Object.keys(providerRegistry).sort();

    // Assess
    expect(registered).toEqual(expected);
    expect(expectedProvider.map(([name]) => name).sort()).toEqual(expected);
  });

  it.each(expectedProvider)('builds a %s provider from complete settings', (name, kind) => {
    // Prepare
    const settings = env();

    // Act
    const provider = providerRegistry[name](settings);

    // Assess
    expect(provider).toBeInstanceOf(kind);
    expect(provider.name).toBe(name);
  });

  it.each<[ProviderName, Record<string, string>, RegExp]>([
    ['sandbox', { SANDBOX_URL: '' }, /SANDBOX_URL is not set/],
    ['sandbox-b', { SANDBOX_URL: '' }, /SANDBOX_URL is not set/],
    ['twilio', { TWILIO_ACCOUNT_SID: '' }, /TWILIO_ACCOUNT_SID is not set/],
    ['whatsapp-cloud', { WHATSAPP_CLOUD_ACCESS_TOKEN: '' }, /WHATSAPP_CLOUD_ACCESS_TOKEN is not set/],
    ['aws-sms', { AWS_SMS_CONFIGURATION_SET: '' }, /AWS_SMS_CONFIGURATION_SET is not set/],
    ['aws-sms', { AWS_REGION: '' }, /AWS_REGION is not set/],
  ])('refuses to build a %s provider from incomplete settings (%o)', (name, missing, message) => {
    // Prepare
    const settings = { ...env(), ...Object.fromEntries(Object.keys(missing).map((key) => [key, undefined])) };

    // Act
    const attempt = () => providerRegistry[name](settings);

    // Assess
    expect(attempt).toThrow(ConfigurationError);
    expect(attempt).toThrow(message);
  });
});

describe('withRecordingSandbox (the senders\' registry)', () => {
  it.each([
    ['with a sandbox server (the local stack)', 'http://127.0.0.1:3000/sandbox', SandboxProvider],
    ['without one (AWS): the recording sandbox', undefined, RecordingSandboxProvider],
  ] as const)('builds the sandbox %s', (_case, sandboxUrl, kind) => {
    // Prepare
    const recording = new RecordingSandboxProvider({} as never, 'crier-table');
    const registry = withRecordingSandbox(providerRegistry, () => recording);

    // Act
    const provider = registry.sandbox({ ...env(), SANDBOX_URL: sandboxUrl });

    // Assess
    expect(provider).toBeInstanceOf(kind);
    expect(provider.name).toBe('sandbox');
  });
});

describe('ConfiguredProviderDirectory', () => {
  it.each([
    ['sms', { SMS_PROVIDER: 'twilio', WHATSAPP_PROVIDER: 'sandbox' }, 'twilio'],
    ['whatsapp', { SMS_PROVIDER: 'twilio', WHATSAPP_PROVIDER: 'sandbox' }, 'sandbox'],
    ['sms', { SMS_PROVIDER: 'sandbox', WHATSAPP_PROVIDER: 'twilio' }, 'sandbox'],
    ['whatsapp', { SMS_PROVIDER: 'sandbox', WHATSAPP_PROVIDER: 'twilio' }, 'twilio'],
    ['sms', { SMS_PROVIDER: 'aws-sms', WHATSAPP_PROVIDER: 'whatsapp-cloud' }, 'aws-sms'],
    ['whatsapp', { SMS_PROVIDER: 'aws-sms', WHATSAPP_PROVIDER: 'whatsapp-cloud' }, 'whatsapp-cloud'],
  ] as const)('carries %s with the provider the settings name (%o)', async (channel, choice, expected) => {
    // Prepare
    const settings = env(choice);
    const directory = new ConfiguredProviderDirectory(async () => settings);

    // Act
    const provider = await directory.forChannel(channel);

    // Assess
    expect(provider.name).toBe(expected);
  });

  it.each(['sms', 'whatsapp'] as const)('carries a test broadcast on %s with the sandbox even when Twilio is configured', async (channel) => {
    // Prepare
    const directory = new ConfiguredProviderDirectory(async () => env({ SMS_PROVIDER: 'twilio', WHATSAPP_PROVIDER: 'twilio' }));

    // Act
    const provider = await directory.forChannel(channel, { testMode: true });

    // Assess
    expect(provider).toBeInstanceOf(SandboxProvider);
  });

  it('fails a test broadcast with a ConfigurationError where there is no sandbox (AWS), never falling back to Twilio', async () => {
    // Prepare
    const directory = new ConfiguredProviderDirectory(async () =>
      providerEnvSchema.parse({ SMS_PROVIDER: 'twilio', TWILIO_ACCOUNT_SID: ACCOUNT_SID, TWILIO_AUTH_TOKEN: 't', TWILIO_SMS_FROM: '+447700900000' }),
    );

    // Act
    const attempt = directory.forChannel('sms', { testMode: true });

    // Assess
    await expect(attempt).rejects.toThrow(ConfigurationError);
    await expect(attempt).rejects.toThrow('SANDBOX_URL is not set');
  });

  it('reuses a provider while the settings are the same, and builds a fresh one when they change', async () => {
    // Prepare
    let settings = env();
    const directory = new ConfiguredProviderDirectory(async () => settings);
    const first = await directory.forChannel('sms');

    // Act
    const again = await directory.forChannel('sms');
    settings = env({ TWILIO_AUTH_TOKEN: 'rotated' });
    const afterRotation = await directory.forChannel('sms');

    // Assess
    expect(again).toBe(first);
    expect(afterRotation).not.toBe(first);
  });
});

describe('providerEnvSchema: which provider carries which channel', () => {
  it.each([
    ['SMS_PROVIDER', 'whatsapp-cloud'],
    ['WHATSAPP_PROVIDER', 'aws-sms'],
  ])('refuses %s=%s, a provider that cannot carry that channel', (name, value) => {
    // Prepare
    const input = { [name]: value };

    // Act
    const result = providerEnvSchema.safeParse(input);

    // Assess
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual([name]);
  });
});

describe('providerSettingsSource', () => {
  const secrets = mockClient(SecretsManagerClient);
  const client = () => new SecretsManagerClient({});

  beforeEach(() => {
    secrets.reset();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('uses the environment alone when no secret is configured', async () => {
    // Prepare
    const settings = env();

    // Act
    const source = providerSettingsSource(settings, client);

    // Assess
    expect(await source()).toBe(settings);
    expect(secrets).not.toHaveReceivedAnyCommand();
  });

  it('overlays the Twilio secret on the environment, ignoring the fields an operator left blank', async () => {
    // Prepare
    secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ TWILIO_AUTH_TOKEN: 'token-from-secret', TWILIO_ACCOUNT_SID: '' }) });
    const source = providerSettingsSource(env({ TWILIO_SECRET_ARN: SECRET_ARN }), client);

    // Act
    const settings = await source();

    // Assess
    expect(settings).toMatchObject({ TWILIO_AUTH_TOKEN: 'token-from-secret', TWILIO_SMS_FROM: '+447700900000' });
    expect(secrets).toHaveReceivedCommandExactlyOnceWith(GetSecretValueCommand, { SecretId: SECRET_ARN });
  });

  it('reads each provider secret it is given, and only those', async () => {
    // Prepare
    secrets.on(GetSecretValueCommand, { SecretId: SECRET_ARN }).resolves({ SecretString: '{"TWILIO_AUTH_TOKEN":"twilio-token"}' });
    secrets.on(GetSecretValueCommand, { SecretId: WHATSAPP_SECRET_ARN }).resolves({
      SecretString: JSON.stringify({ WHATSAPP_CLOUD_ACCESS_TOKEN: 'EAAG-from-secret', WHATSAPP_APP_SECRET: 'app-secret', WHATSAPP_VERIFY_TOKEN: 'verify' }),
    });
    const both = providerSettingsSource(env({ TWILIO_SECRET_ARN: SECRET_ARN, WHATSAPP_CLOUD_SECRET_ARN: WHATSAPP_SECRET_ARN }), client);

    // Act
    const settings = await both();

    // Assess
    expect(settings).toMatchObject({ TWILIO_AUTH_TOKEN: 'twilio-token', WHATSAPP_CLOUD_ACCESS_TOKEN: 'EAAG-from-secret', WHATSAPP_APP_SECRET: 'app-secret', WHATSAPP_VERIFY_TOKEN: 'verify' });
    expect(secrets).toHaveReceivedCommandTimes(GetSecretValueCommand, 2);
  });

  it('fetches the secret again only after a few minutes', async () => {
    // Prepare
    vi.useFakeTimers({ toFake: ['Date'] });
    secrets.on(GetSecretValueCommand).resolvesOnce({ SecretString: '{"TWILIO_AUTH_TOKEN":"first"}' }).resolves({ SecretString: '{"TWILIO_AUTH_TOKEN":"second"}' });
    const source = providerSettingsSource(env({ TWILIO_SECRET_ARN: SECRET_ARN }), client);
    await source();

    // Act
    vi.advanceTimersByTime(60_000);
    const soon = await source();
    vi.advanceTimersByTime(5 * 60_000);
    const later = await source();

    // Assess
    expect(soon.TWILIO_AUTH_TOKEN).toBe('first');
    expect(later.TWILIO_AUTH_TOKEN).toBe('second');
    expect(secrets).toHaveReceivedCommandTimes(GetSecretValueCommand, 2);
  });

  it.each([
    ['not JSON', 'token=abc', /the twilio secret is not a JSON object/],
    ['a malformed field, named', '{"TWILIO_ACCOUNT_SID":"not-a-sid"}', /the twilio secret is invalid: TWILIO_ACCOUNT_SID: /],
    [
      'holding what is now a deployment setting (a copy of the old combined secret)',
      '{"TWILIO_AUTH_TOKEN":"token","TWILIO_SMS_FROM":"+447700900000"}',
      /the twilio secret is invalid: TWILIO_SMS_FROM does not belong here \(it holds TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN; numbers and ids are deployment settings/,
    ],
    ['holding another provider\'s credentials', '{"WHATSAPP_CLOUD_ACCESS_TOKEN":"EAAG"}', /WHATSAPP_CLOUD_ACCESS_TOKEN does not belong here/],
  ])('refuses a secret that is %s', async (_case, secretString, message) => {
    // Prepare
    secrets.on(GetSecretValueCommand).resolves({ SecretString: secretString });
    const source = providerSettingsSource(env({ TWILIO_SECRET_ARN: SECRET_ARN }), client);

    // Act
    const attempt = source();

    // Assess
    await expect(attempt).rejects.toThrow(ConfigurationError);
    await expect(source()).rejects.toThrow(message);
  });

  it('never repeats the secret’s values in its error', async () => {
    // Prepare
    secrets.on(GetSecretValueCommand).resolves({ SecretString: '{"TWILIO_ACCOUNT_SID":"ACsecret-looking-value","TWILIO_SMS_FROM":"+447700900999"}' });
    const source = providerSettingsSource(env({ TWILIO_SECRET_ARN: SECRET_ARN }), client);

    // Act
    const error = await source().then(
      () => undefined,
      (caught: unknown) => caught,
    );

    // Assess
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).message).not.toContain('ACsecret-looking-value');
    expect((error as ConfigurationError).message).not.toContain('+447700900999');
  });
});
