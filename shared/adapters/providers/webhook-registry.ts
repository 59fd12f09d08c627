import type { WebhookSource } from '../../domain/inbound.js';
import type { ProviderWebhooks } from '../../ports/provider-webhooks.js';
import { awsSmsWebhooks } from './aws-sms/provider-webhooks.js';
import { sandboxWebhooks } from './sandbox/provider-webhooks.js';
import { twilioWebhooks } from './twilio/provider-webhooks.js';
import type { WebhookContext } from './webhook-context.js';
import { whatsappCloudWebhooks } from './whatsapp-cloud/provider-webhooks.js';

/**
 * The receiving half of every provider, by name: the counterpart of `providerRegistry`
 * (registry.ts), which builds the sending half. Kept apart so that building a provider's webhooks
 * needs only its verification settings, never its sending credentials, and so that a webhook
 * function imports no sending SDK: every module here is signature checks and zod schemas.
 */
export const webhookRegistry: Record<WebhookSource, (context: WebhookContext) => ProviderWebhooks> = {
  twilio: twilioWebhooks,
  'whatsapp-cloud': whatsappCloudWebhooks,
  'aws-sms': awsSmsWebhooks,
  sandbox: sandboxWebhooks,
};
