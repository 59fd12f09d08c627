import { describe, expect, it } from 'vitest';
import { buildListedProviders } from '../../shared/adapters/providers/listed-providers.js';
import { ConfiguredProviderDirectory, providerRegistry, withRecordingSandbox } from '../../shared/adapters/providers/registry.js';
import { RecordingSandboxProvider } from '../../shared/adapters/providers/sandbox/recording-adapter.js';
import { providerEnvSchema, type ProviderEnv } from '../../shared/config/env.js';
import { ConfigurationError } from '../../shared/domain/errors.js';
import { completeProviderSettings } from '../support/provider-settings.js';

function settings(overrides: Record<string, string | undefined>): ProviderEnv {
  const input = Object.fromEntries(Object.entries({ ...completeProviderSettings, ...overrides }).filter(([, value]) => value !== undefined));
  return providerEnvSchema.parse(input);
}

function problemOf(action: () => unknown): ConfigurationError {
  try {
    action();
  } catch (error) {
    if (error instanceof ConfigurationError) return error;
    throw error;
  }
  throw new Error('expected a ConfigurationError, none was thrown');
}

describe('buildListedProviders: every listed provider\'s settings, checked up front', () => {
  it.each([
    ['aws-sms, second in line', { SMS_PROVIDERS: 'twilio,aws-sms', AWS_SMS_CONFIGURATION_SET: undefined }, 'SMS_PROVIDERS lists aws-sms, which is missing AWS_SMS_CONFIGURATION_SET'],
    ['aws-sms', { SMS_PROVIDERS: 'twilio,aws-sms', AWS_REGION: undefined }, 'SMS_PROVIDERS lists aws-sms, which is missing AWS_REGION'],
    ['twilio, second in line', { SMS_PROVIDERS: 'aws-sms,twilio', TWILIO_ACCOUNT_SID: undefined }, 'SMS_PROVIDERS lists twilio, which is missing TWILIO_ACCOUNT_SID'],
    ['twilio', { WHATSAPP_PROVIDERS: 'whatsapp-cloud,twilio', TWILIO_AUTH_TOKEN: undefined }, 'WHATSAPP_PROVIDERS lists twilio, which is missing TWILIO_AUTH_TOKEN'],
    ['twilio, alone', { SMS_PROVIDER: 'twilio', TWILIO_ACCOUNT_SID: undefined, TWILIO_AUTH_TOKEN: undefined }, 'SMS_PROVIDER is twilio, which is missing TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN'],
    ['whatsapp-cloud', { WHATSAPP_PROVIDERS: 'twilio,whatsapp-cloud', WHATSAPP_CLOUD_ACCESS_TOKEN: undefined }, 'WHATSAPP_PROVIDERS lists whatsapp-cloud, which is missing WHATSAPP_CLOUD_ACCESS_TOKEN'],
    ['whatsapp-cloud, weighted', { WHATSAPP_PROVIDERS: 'twilio:50,whatsapp-cloud:50', WHATSAPP_CLOUD_ACCESS_TOKEN: undefined }, 'WHATSAPP_PROVIDERS lists whatsapp-cloud, which is missing WHATSAPP_CLOUD_ACCESS_TOKEN'],
    ['sandbox-b', { SMS_PROVIDERS: 'twilio,sandbox-b', SANDBOX_URL: undefined }, 'SMS_PROVIDERS lists sandbox-b: SANDBOX_URL is not set; the sandbox-b provider runs with the local stack'],
  ])('names the list, %s and the missing setting', (_provider, overrides, message) => {
    // Prepare: the other channel on a provider whose settings are complete.
    const input = settings({ SMS_PROVIDER: 'aws-sms', WHATSAPP_PROVIDER: 'whatsapp-cloud', ...overrides });

    // Act
    const error = problemOf(() => buildListedProviders(input, providerRegistry));

    // Assess
    expect(error.message).toBe(message);
  });

  it('names every provider at fault in one error, and a malformed setting by what is wrong with it', () => {
    // Prepare
    const input = settings({
      SMS_PROVIDERS: 'twilio,aws-sms',
      WHATSAPP_PROVIDERS: 'whatsapp-cloud,twilio',
      AWS_SMS_CONFIGURATION_SET: undefined,
      AWS_REGION: undefined,
      WHATSAPP_CLOUD_ACCESS_TOKEN: undefined,
    });

    // Act: a malformed URL the environment's schema would have refused, as a hand-made secret might hold.
    const error = problemOf(() => buildListedProviders({ ...input, WHATSAPP_CLOUD_API_BASE_URL: 'not a url' }, providerRegistry));

    // Assess
    expect(error.message.split('; ')).toEqual([
      'SMS_PROVIDERS lists aws-sms, which is missing AWS_SMS_CONFIGURATION_SET and AWS_REGION',
      'WHATSAPP_PROVIDERS lists whatsapp-cloud, which is missing WHATSAPP_CLOUD_ACCESS_TOKEN',
      'WHATSAPP_PROVIDERS lists whatsapp-cloud, whose WHATSAPP_CLOUD_API_BASE_URL Invalid URL',
    ]);
  });

  it('builds each listed provider once, whichever channels list it', () => {
    // Act
    const built = buildListedProviders(settings({ SMS_PROVIDERS: 'twilio,aws-sms', WHATSAPP_PROVIDERS: 'twilio,whatsapp-cloud' }), providerRegistry);

    // Assess
    expect([...built.keys()]).toEqual(['twilio', 'aws-sms', 'whatsapp-cloud']);
  });

  it('takes the sandbox without a sandbox server where the senders record it instead (AWS)', () => {
    // Prepare
    const registry = withRecordingSandbox(providerRegistry, () => new RecordingSandboxProvider({} as never, 'crier-table'));

    // Act
    const built = buildListedProviders(settings({ SMS_PROVIDER: 'sandbox', WHATSAPP_PROVIDER: 'twilio', SANDBOX_URL: undefined }), registry);

    // Assess
    expect(built.get('sandbox')).toBeInstanceOf(RecordingSandboxProvider);
  });
});

describe('ConfiguredProviderDirectory: the check at first use of each settings version', () => {
  it('fails the first send with the check\'s error, and passes once a refreshed secret completes the settings', async () => {
    // Prepare
    let current = settings({ SMS_PROVIDERS: 'twilio,aws-sms', WHATSAPP_PROVIDER: 'twilio', AWS_SMS_CONFIGURATION_SET: undefined });
    const directory = new ConfiguredProviderDirectory(async () => current);

    // Act
    const before = directory.forChannel('sms');
    await before.catch(() => undefined);
    current = settings({ SMS_PROVIDERS: 'twilio,aws-sms', WHATSAPP_PROVIDER: 'twilio' });
    const after = await directory.forChannel('sms');

    // Assess
    await expect(before).rejects.toThrow(new ConfigurationError('SMS_PROVIDERS lists aws-sms, which is missing AWS_SMS_CONFIGURATION_SET'));
    expect(after.name).toBe('twilio');
  });
});
