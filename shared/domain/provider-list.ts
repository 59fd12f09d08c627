import type { ProviderName } from './provider-names.js';
import type { Channel } from './model.js';

/**
 * One provider of a channel's list (`SMS_PROVIDERS=twilio:80,aws-sms:20`). Without weights the
 * list is an order: the first carries the channel and the others take over in turn. With weights
 * (every provider has one, 1–100) the healthy providers share the channel's traffic by weight.
 */
export interface ListedProvider<Name extends string = ProviderName> {
  name: Name;
  weight?: number;
}

/** A list whose providers share traffic by weight; the parser allows all weights or none. */
export type WeightedProvider = Required<ListedProvider>;

/** The settings a channel's list is read from (a subset of the provider environment). */
export interface ProviderListSettings {
  SMS_PROVIDER: ProviderName;
  WHATSAPP_PROVIDER: ProviderName;
  SMS_PROVIDERS?: ListedProvider[];
  WHATSAPP_PROVIDERS?: ListedProvider[];
}

/**
 * A channel's providers: SMS_PROVIDERS / WHATSAPP_PROVIDERS when set, otherwise the one-item
 * SMS_PROVIDER / WHATSAPP_PROVIDER.
 */
export function providerListOf(settings: ProviderListSettings, channel: Channel): ListedProvider[] {
  if (channel === 'sms') return settings.SMS_PROVIDERS ?? [{ name: settings.SMS_PROVIDER }];
  return settings.WHATSAPP_PROVIDERS ?? [{ name: settings.WHATSAPP_PROVIDER }];
}

/** A channel's providers' names, in their listed order. */
export function providerNamesOf(settings: ProviderListSettings, channel: Channel): ProviderName[] {
  return providerListOf(settings, channel).map(({ name }) => name);
}

/** The setting an operator fixes a channel's list in, for error messages. */
export function providerListSettingOf(settings: ProviderListSettings, channel: Channel): string {
  if (channel === 'sms') return settings.SMS_PROVIDERS ? 'SMS_PROVIDERS' : 'SMS_PROVIDER';
  return settings.WHATSAPP_PROVIDERS ? 'WHATSAPP_PROVIDERS' : 'WHATSAPP_PROVIDER';
}

export function isWeighted(list: readonly ListedProvider[]): list is WeightedProvider[] {
  return list.length > 0 && list.every((provider) => provider.weight !== undefined);
}

/** The list as it is written in the environment and CDK context: `twilio:80,aws-sms:20` or `twilio,aws-sms`. */
export function formatProviderList(list: readonly ListedProvider<string>[]): string {
  return list.map(({ name, weight }) => (weight === undefined ? name : `${name}:${weight}`)).join(',');
}
