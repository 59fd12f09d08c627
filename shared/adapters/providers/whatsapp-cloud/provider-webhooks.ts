import { ForbiddenError } from '../../../domain/errors.js';
import type { ProviderWebhooks, WebhookBatch, WebhookRequest } from '../../../ports/provider-webhooks.js';
import type { WebhookContext } from '../webhook-context.js';
import { whatsappAppSecret, whatsappVerifyToken } from './settings.js';
import { answerVerificationRequest, parseWhatsAppWebhook, SIGNATURE_HEADER, verifyWhatsAppSignature } from './webhooks.js';

/**
 * Meta's WhatsApp Cloud API webhooks: `X-Hub-Signature-256` over the raw body under the app
 * secret, and the verify-token handshake Meta performs when the callback URL is saved. Needs only
 * WHATSAPP_APP_SECRET and WHATSAPP_VERIFY_TOKEN, never the access token crier sends with.
 *
 * No account check beyond the signature: the app secret is one Meta app's, and every number of
 * that app is one the deployment's operator connected to it.
 */
export function whatsappCloudWebhooks(context: WebhookContext): ProviderWebhooks {
  return {
    source: 'whatsapp-cloud',
    async verify(request: WebhookRequest): Promise<void> {
      // The signature covers the body exactly as sent, so it is checked before anything is parsed.
      const signature = request.headers[SIGNATURE_HEADER];
      if (!signature) throw new ForbiddenError('the X-Hub-Signature-256 header is missing');
      const appSecret = await whatsappAppSecret(context.settings);
      if (!verifyWhatsAppSignature({ appSecret, signature, rawBody: request.rawBody })) {
        throw new ForbiddenError('the X-Hub-Signature-256 does not match this request body');
      }
    },
    parse(request: WebhookRequest): WebhookBatch {
      return parseWhatsAppWebhook(request.rawBody, context.defaultCountry);
    },
    async handshake(request: WebhookRequest): Promise<string> {
      return answerVerificationRequest(request.query, await whatsappVerifyToken(context.settings));
    },
  };
}
