import type { ProviderEnv } from '../../config/env.js';
import { ConfigurationError } from '../../domain/errors.js';
import { providerNamesOf } from '../../domain/provider-list.js';
import {
  broadcastSenderOf,
  senderIdentitiesOf,
  type SenderIdentity,
  type SenderSettings,
  type ServedChannels,
  type SmsStopNumber,
} from '../../domain/sender-identity.js';
import type { ProviderSettingsSource } from './settings-source.js';

/** The providers each channel's failover list names: each must have an identity to send from. */
export function servedChannels(settings: ProviderEnv): ServedChannels {
  // From the domain, not the registry: the providers view resolves identities without bundling every provider's SDK.
  return { sms: providerNamesOf(settings, 'sms'), whatsapp: providerNamesOf(settings, 'whatsapp') };
}

/** The deployment's identities from its settings (the admin view's, and the senders'); see senderIdentitiesOf. */
export function configuredSenderIdentities(settings: ProviderEnv & Pick<SenderSettings, 'SENDERS' | 'SEND_RATES'>): SenderIdentity[] {
  return senderIdentitiesOf(settings, servedChannels(settings));
}

/**
 * The identities as the provider settings are now, resolved again only when they change (the
 * provider secret is read again every few minutes, and a rotated one may name other numbers).
 * SENDERS and SEND_RATES are the function's environment, which never changes while it runs. A
 * deployment whose identities do not add up fails here, at its first send, with every problem named.
 */
export function senderIdentitySource(
  loadSettings: ProviderSettingsSource,
  env: Pick<SenderSettings, 'SENDERS' | 'SEND_RATES'>,
): () => Promise<readonly SenderIdentity[]> {
  let resolved: { settings: ProviderEnv; identities: SenderIdentity[] } | undefined;
  return async () => {
    const settings = await loadSettings();
    if (resolved?.settings !== settings) resolved = { settings, identities: configuredSenderIdentities({ ...settings, ...env }) };
    return resolved.identities;
  };
}

/**
 * Where an SMS broadcast of these departments would tell residents to text STOP, for its preview:
 * the identity it would go from on the SMS provider listed first (the one carrying SMS unless a
 * failover has moved it). Identities that do not add up are reported, not thrown: a preview still
 * helps, and says which footer it could not know.
 */
export function smsStopNumberSource(
  loadSettings: ProviderSettingsSource,
  env: Pick<SenderSettings, 'SENDERS' | 'SEND_RATES'>,
): (departments: readonly string[]) => Promise<SmsStopNumber> {
  const identities = senderIdentitySource(loadSettings, env);
  return async (departments) => {
    try {
      const provider = providerNamesOf(await loadSettings(), 'sms')[0];
      return { stopTo: provider === undefined ? undefined : broadcastSenderOf(await identities(), provider, 'sms', departments).stopTo };
    } catch (error) {
      if (error instanceof ConfigurationError) return { problem: error.message };
      throw error;
    }
  };
}
