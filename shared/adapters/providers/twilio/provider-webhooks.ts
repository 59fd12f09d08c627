import { ForbiddenError } from '../../../domain/errors.js';
import type { ProviderWebhooks, WebhookBatch, WebhookRequest } from '../../../ports/provider-webhooks.js';
import { parseFormBody } from '../../../runtime/http/request.js';
import type { WebhookContext } from '../webhook-context.js';
import { twilioAuthToken } from './settings.js';
import { parseTwilioInbound, parseTwilioStatus, verifyTwilioSignature } from './webhooks.js';

/**
 * The two URLs Twilio calls: the messaging webhook set on the number (or Messaging Service) in
 * Twilio's console, and the status callback crier gives with each message it sends. Both carry
 * the same kind of form, so the path is what says which one a request is.
 */
export const twilioWebhookPaths = {
  inbound: '/webhooks/twilio/inbound',
  status: '/webhooks/twilio/status',
} as const;

/**
 * Twilio's webhooks: `X-Twilio-Signature` over the URL Twilio was told to call and every form
 * parameter, then the account. Needs only TWILIO_AUTH_TOKEN (and TWILIO_ACCOUNT_SID, when set, to
 * refuse another account's webhooks), never the sending settings.
 */
export function twilioWebhooks(context: WebhookContext): ProviderWebhooks {
  return {
    source: 'twilio',
    async verify(request: WebhookRequest): Promise<void> {
      const params = parseFormBody(request);
      const signature = request.headers['x-twilio-signature'];
      if (!signature) throw new ForbiddenError('the X-Twilio-Signature header is missing');
      const authToken = await twilioAuthToken(context.settings);
      if (!verifyTwilioSignature({ authToken, signature, url: request.publicUrl, params })) {
        throw new ForbiddenError('the X-Twilio-Signature does not match this request');
      }
      // The signature proves Twilio sent it for a holder of our token; a subaccount sharing the
      // token (or a misrouted number) is still not this deployment's.
      const expectedAccount = (await context.settings()).TWILIO_ACCOUNT_SID;
      if (expectedAccount && params.AccountSid !== undefined && params.AccountSid !== expectedAccount) {
        throw new ForbiddenError('the webhook is for another Twilio account');
      }
    },
    parse(request: WebhookRequest): WebhookBatch {
      const params = parseFormBody(request);
      switch (request.path) {
        case twilioWebhookPaths.inbound:
          return parseTwilioInbound(params, context.defaultCountry);
        case twilioWebhookPaths.status:
          // crier's own message id rides in the status callback URL the adapter gave Twilio.
          return parseTwilioStatus(params, request.query.messageId);
        default:
          throw new Error(`no Twilio webhook is served at ${request.path}`);
      }
    },
  };
}
