import type { SQSRecord } from 'aws-lambda';
import type { CountryCode } from 'libphonenumber-js';
import { awsClients } from '../shared/adapters/aws-clients.js';
import { providerSettingsSource } from '../shared/adapters/providers/settings-source.js';
import type { WebhookContext } from '../shared/adapters/providers/webhook-context.js';
import { webhookRegistry } from '../shared/adapters/providers/webhook-registry.js';
import type { BaseEnv, ProviderEnv } from '../shared/config/env.js';
import type { WebhookSource } from '../shared/domain/inbound.js';
import type { ProviderWebhooks, WebhookRequest } from '../shared/ports/provider-webhooks.js';
import type { HttpRequest } from '../shared/runtime/http/request.js';

/**
 * A provider's webhooks, from the registry, verified with the function's provider settings (the
 * environment, overlaid in AWS with the provider secret and refreshed). Built once per container,
 * like every dependency; the secrets are read per request.
 */
export function webhooksOf(
  source: WebhookSource,
  env: BaseEnv & ProviderEnv,
  extra: Omit<WebhookContext, 'settings' | 'defaultCountry'> = {},
): ProviderWebhooks {
  return webhookRegistry[source]({
    ...extra,
    settings: providerSettingsSource(env, () => awsClients().secrets),
    defaultCountry: env.DEFAULT_COUNTRY as CountryCode,
  });
}

/**
 * An HTTP webhook as the provider sent it. Its URL is rebuilt from the base the provider called,
 * the route's path and the query exactly as sent, because Twilio signs the URL it was told to
 * call, not the one API Gateway (or a proxy in front of the local stack) passes on: through the
 * gateway that base is PUBLIC_BASE_URL (CloudFront's or the council's domain); on the function's
 * own function URL it is that URL, the host the request came to. That URL cannot be handed to
 * the function in its environment (it is made from the function: a cycle), and nothing between
 * the provider and a function URL rewrites its host.
 */
export function httpWebhookRequest(env: { PUBLIC_BASE_URL: string }, path: string, request: HttpRequest): WebhookRequest {
  const query = request.rawQueryString ? `?${request.rawQueryString}` : '';
  const base = request.functionUrlHost ? `https://${request.functionUrlHost}` : env.PUBLIC_BASE_URL.replace(/\/$/, '');
  return {
    publicUrl: `${base}${path}${query}`,
    path,
    query: request.query,
    headers: request.headers,
    rawBody: request.rawBody,
  };
}

/**
 * A notification a provider delivers through a queue (AWS SMS: SNS to SQS), as a webhook request:
 * the record's body as sent, from the queue (its ARN); no path, query or headers.
 */
export function queuedWebhookRequest(record: SQSRecord): WebhookRequest {
  return { publicUrl: record.eventSourceARN, path: '', query: {}, headers: {}, rawBody: record.body };
}
