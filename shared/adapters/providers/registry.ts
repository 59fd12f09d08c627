import type { ProviderEnv } from '../../config/env.js';
import { ConfigurationError, ProviderError } from '../../domain/errors.js';
import type { Channel } from '../../domain/model.js';
import { isWeighted, providerListOf, providerNamesOf } from '../../domain/provider-list.js';
import type { MessagingProvider, OutboundText, ProviderAcceptance } from '../../ports/messaging-provider.js';
import type { ProviderName } from '../../domain/provider-names.js';
import type { ProviderChoice, ProviderDirectory } from '../../ports/provider-directory.js';
import { logger } from '../../runtime/logger.js';
import type { ProviderFailover } from '../../sending/provider-failover.js';
import { AwsSmsProvider } from './aws-sms/adapter.js';
import { awsSmsSettingsFromEnv } from './aws-sms/settings.js';
import { buildListedProviders } from './listed-providers.js';
import { SandboxProvider } from './sandbox/adapter.js';
import type { ProviderSettingsSource } from './settings-source.js';
import { twilioSettingsFromEnv } from './twilio/settings.js';
import { TwilioProvider } from './twilio/adapter.js';
import { WhatsAppCloudProvider } from './whatsapp-cloud/adapter.js';
import { whatsappCloudSettingsFromEnv } from './whatsapp-cloud/settings.js';

/** Every provider crier can send through, and how to build one from the settings. */
export const providerRegistry: Record<ProviderName, (settings: ProviderEnv) => MessagingProvider> = {
  sandbox: (settings) => {
    // Without a sandbox server (AWS) the senders put the recording sandbox in its place
    // (functions/queue/send.ts); anywhere else a test message fails here, loudly, rather than
    // reach a resident through a real provider.
    if (!settings.SANDBOX_URL) throw new ConfigurationError('SANDBOX_URL is not set; the sandbox provider runs with the local stack');
    return new SandboxProvider(settings.SANDBOX_URL);
  },
  // The local stack's second sandbox, at `/sandbox/b/`: a failover target on one machine.
  'sandbox-b': (settings) => {
    if (!settings.SANDBOX_URL) throw new ConfigurationError('SANDBOX_URL is not set; the sandbox-b provider runs with the local stack');
    return new SandboxProvider(`${settings.SANDBOX_URL.replace(/\/$/, '')}/b`, 'sandbox-b');
  },
  twilio: (settings) => new TwilioProvider(twilioSettingsFromEnv(settings)),
  'whatsapp-cloud': (settings) => new WhatsAppCloudProvider(whatsappCloudSettingsFromEnv(settings)),
  'aws-sms': (settings) => new AwsSmsProvider(awsSmsSettingsFromEnv(settings)),
};

/**
 * The registry a deployment's senders use: where there is no sandbox server (AWS), the sandbox
 * is the recording one (test keys' messages written to the table), so test keys work there too.
 */
export function withRecordingSandbox(
  registry: Record<ProviderName, (settings: ProviderEnv) => MessagingProvider>,
  recordingSandbox: () => MessagingProvider,
): Record<ProviderName, (settings: ProviderEnv) => MessagingProvider> {
  return { ...registry, sandbox: (settings) => (settings.SANDBOX_URL ? registry.sandbox(settings) : recordingSandbox()) };
}

/**
 * A channel's providers, in their listed order: SMS_PROVIDERS / WHATSAPP_PROVIDERS when set,
 * otherwise the one-item SMS_PROVIDER / WHATSAPP_PROVIDER. Their weights, if any: providerListOf.
 */
export function providersFor(settings: ProviderEnv, channel: Channel): ProviderName[] {
  return providerNamesOf(settings, channel);
}

/**
 * Resolves the provider for a channel. Every provider listed for either channel is built (and so its
 * settings checked) whenever the settings change (first use, a rotated secret), and otherwise
 * reused, so a warm function keeps its connections. With more than one provider listed and a
 * failover given, the failover picks which one carries each message and hears how each send went:
 * in turn for an ordered list, shared by weight for a weighted one.
 */
export class ConfiguredProviderDirectory implements ProviderDirectory {
  private built: { settings: ProviderEnv; providers: Map<ProviderName, MessagingProvider> } | undefined;

  constructor(
    private readonly loadSettings: ProviderSettingsSource,
    private readonly failover?: ProviderFailover,
    private readonly registry: Record<ProviderName, (settings: ProviderEnv) => MessagingProvider> = providerRegistry,
  ) {}

  async forChannel(channel: Channel, choice: ProviderChoice = {}): Promise<MessagingProvider> {
    const settings = await this.loadSettings();
    // A test broadcast only ever goes through the sandbox, failover or not.
    if (choice.testMode) return this.build('sandbox', settings);
    const list = providerListOf(settings, channel);
    const primary = list[0]?.name;
    if (!primary) throw new ConfigurationError(`no ${channel} provider is configured`);
    if (list.length === 1 || !this.failover) return this.build(primary, settings);
    if (isWeighted(list)) {
      const { weighted } = this.failover;
      const pick = await weighted.choose(channel, list);
      return new HealthReportingProvider(this.build(pick.provider, settings), channel, pick.provider, {
        succeeded: () => weighted.succeeded(channel, list, pick),
        failed: (error) => weighted.failed(channel, list, pick, error),
      });
    }
    const failover = this.failover;
    const providers = list.map(({ name }) => name);
    const pick = await failover.choose(channel, providers);
    return new HealthReportingProvider(this.build(pick.provider, settings), channel, pick.provider, {
      succeeded: () => failover.succeeded(channel, providers, pick),
      failed: (error) => failover.failed(channel, providers, pick, error),
    });
  }

  private build(name: ProviderName, settings: ProviderEnv): MessagingProvider {
    if (this.built?.settings !== settings) {
      // Not kept when it throws: every send fails with the same clear error until the settings are fixed.
      this.built = { settings, providers: buildListedProviders(settings, this.registry) };
    }
    const existing = this.built.providers.get(name);
    if (existing) return existing;
    // Not listed: the sandbox of a test broadcast.
    const provider = this.registry[name](settings);
    this.built.providers.set(name, provider);
    return provider;
  }
}

/** What the failover hears about one send through its pick. */
interface SendOutcomeReport {
  succeeded(): Promise<void>;
  failed(error: ProviderError): Promise<void>;
}

/**
 * The picked provider, telling the failover how each send went. Its bookkeeping never changes the
 * send's outcome: a message the provider took stays sent, and a provider's error is rethrown as is
 * (a retryable one is retried later, through whichever provider is active by then).
 */
class HealthReportingProvider implements MessagingProvider {
  readonly name: ProviderName;

  constructor(
    private readonly inner: MessagingProvider,
    private readonly channel: Channel,
    private readonly picked: ProviderName,
    private readonly outcome: SendOutcomeReport,
  ) {
    this.name = inner.name;
  }

  async sendText(message: OutboundText): Promise<ProviderAcceptance> {
    let accepted: ProviderAcceptance;
    try {
      accepted = await this.inner.sendText(message);
    } catch (error) {
      if (error instanceof ProviderError) await this.report(() => this.outcome.failed(error));
      throw error;
    }
    await this.report(() => this.outcome.succeeded());
    return accepted;
  }

  private async report(update: () => Promise<void>): Promise<void> {
    try {
      await update();
    } catch (error) {
      logger.error('provider failover: could not record a send outcome', { error, channel: this.channel, provider: this.picked });
    }
  }
}
