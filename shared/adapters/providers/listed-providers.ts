import type { ProviderEnv } from '../../config/env.js';
import { ConfigurationError } from '../../domain/errors.js';
import { channelSchema } from '../../domain/model.js';
import { providerListOf, providerListSettingOf } from '../../domain/provider-list.js';
import type { MessagingProvider } from '../../ports/messaging-provider.js';
import type { ProviderName } from '../../domain/provider-names.js';
import { ProviderSettingsError, type SettingProblem } from './settings-problems.js';

export type ProviderRegistry = Record<ProviderName, (settings: ProviderEnv) => MessagingProvider>;

/**
 * Builds every provider listed for either channel, not only the one carrying it now, so a listed
 * provider with missing or malformed settings fails the start (the senders' first use of a settings
 * version, the local stack's start-up) rather than the first message failover moves onto it. One
 * ConfigurationError names each list and provider at fault and what to set:
 * `SMS_PROVIDERS lists aws-sms, which is missing AWS_SMS_CONFIGURATION_SET`.
 */
export function buildListedProviders(settings: ProviderEnv, registry: ProviderRegistry): Map<ProviderName, MessagingProvider> {
  const built = new Map<ProviderName, MessagingProvider>();
  const problems: string[] = [];
  for (const channel of channelSchema.options) {
    const setting = providerListSettingOf(settings, channel);
    for (const { name } of providerListOf(settings, channel)) {
      if (built.has(name)) continue;
      try {
        built.set(name, registry[name](settings));
      } catch (error) {
        if (!(error instanceof ConfigurationError)) throw error;
        problems.push(describe(setting, name, error));
      }
    }
  }
  if (problems.length > 0) throw new ConfigurationError(problems.join('; '));
  return built;
}

function describe(setting: string, provider: ProviderName, error: ConfigurationError): string {
  // SMS_PROVIDERS lists several; SMS_PROVIDER names one.
  const named = `${setting} ${setting.endsWith('S') ? 'lists' : 'is'} ${provider}`;
  if (!(error instanceof ProviderSettingsError)) return `${named}: ${error.message}`;
  const missing = error.problems.filter((problem) => problem.missing).map((problem) => problem.setting);
  const malformed = error.problems.filter((problem) => !problem.missing);
  return [
    ...(missing.length > 0 ? [`${named}, which is missing ${inWords(missing)}`] : []),
    ...malformed.map((problem) => `${named}, ${malformedClause(problem)}`),
  ].join('; ');
}

function malformedClause({ setting, message }: SettingProblem): string {
  return setting === '' ? `which needs this: ${message}` : `whose ${setting} ${message}`;
}

function inWords(names: string[]): string {
  return names.length === 1 ? names[0] ?? '' : `${names.slice(0, -1).join(', ')} and ${names.at(-1) ?? ''}`;
}
