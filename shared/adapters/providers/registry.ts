import type { ProviderEnv } from '../../config/env.js';
import { ConfigurationError } from '../../domain/errors.js';
import type { Channel } from '../../domain/model.js';
import type { MessagingProvider, ProviderName } from '../../ports/messaging-provider.js';
import type { ProviderChoice, ProviderDirectory } from '../../ports/provider-directory.js';
import { AwsSmsProvider } from './aws-sms/adapter.js';
import { awsSmsSettingsFromEnv } from './aws-sms/settings.js';
import { SandboxProvider } from './sandbox/adapter.js';
import type { ProviderSettingsSource } from './settings-source.js';
import { twilioSettingsFromEnv } from './twilio/settings.js';
import { TwilioProvider } from './twilio/adapter.js';
import { WhatsAppCloudProvider } from './whatsapp-cloud/adapter.js';
import { whatsappCloudSettingsFromEnv } from './whatsapp-cloud/settings.js';

/** Every provider crier can send through, and how to build one from the settings. */
export const providerRegistry: Record<ProviderName, (settings: ProviderEnv) => MessagingProvider> = {
  sandbox: (settings) => {
    // In AWS there is no sandbox server yet, so a test key's broadcast fails here, loudly, rather
    // than reach a resident through a real provider.
    if (!settings.SANDBOX_URL) throw new ConfigurationError('SANDBOX_URL is not set; the sandbox provider runs with the local stack');
    return new SandboxProvider(settings.SANDBOX_URL);
  },
  twilio: (settings) => new TwilioProvider(twilioSettingsFromEnv(settings)),
  'whatsapp-cloud': (settings) => new WhatsAppCloudProvider(whatsappCloudSettingsFromEnv(settings)),
  'aws-sms': (settings) => new AwsSmsProvider(awsSmsSettingsFromEnv(settings)),
};

/**
 * Resolves the provider for a channel. A provider is built fresh whenever the settings change (a
 * rotated secret), and otherwise reused, so a warm function keeps its connections.
 */
export class ConfiguredProviderDirectory implements ProviderDirectory {
  private built = new Map<ProviderName, { settings: ProviderEnv; provider: MessagingProvider }>();

  constructor(private readonly loadSettings: ProviderSettingsSource) {}

  async forChannel(channel: Channel, choice: ProviderChoice = {}): Promise<MessagingProvider> {
    const settings = await this.loadSettings();
    const configured = channel === 'sms' ? settings.SMS_PROVIDER : settings.WHATSAPP_PROVIDER;
    const name: ProviderName = choice.testMode ? 'sandbox' : configured;
    const existing = this.built.get(name);
    if (existing && existing.settings === settings) return existing.provider;
    const provider = providerRegistry[name](settings);
    this.built.set(name, { settings, provider });
    return provider;
  }
}
