import type { CountryCode } from 'libphonenumber-js';
import type { ProviderSettingsSource } from './settings-source.js';
import type { WebhookBatch } from '../../ports/provider-webhooks.js';

/** What a provider's webhooks (ports/provider-webhooks.ts) are built with. */
export interface WebhookContext {
  /**
   * The settings webhooks are verified with (auth token, app secret, verify token): the environment
   * locally, overlaid in AWS with the provider secret, refreshed, so a rotated secret is picked up
   * without a deployment. Read at each request, never when the webhooks are built.
   */
  settings: ProviderSettingsSource;
  /** Residents' numbers in national form are read as numbers of this country. */
  defaultCountry: CountryCode;
  /**
   * The SNS topics AWS End User Messaging SMS publishes to (AWS_SMS_TOPIC_ARNS): a deployment's
   * own, set by its stack rather than by an operator, so not a provider setting.
   */
  awsSmsTopicArns?: readonly string[];
}

/** A batch with nothing in it yet, for providers whose webhook carries one item. */
export function emptyWebhookBatch(): WebhookBatch {
  return { inbound: [], receipts: [], unidentified: [], skipped: [], accountErrors: [] };
}
