import { whatsappWebhookEnvSchema } from '../../shared/config/env.js';
import { httpFunction } from '../../shared/runtime/http/http-function.js';
import { json } from '../../shared/runtime/http/responses.js';
import { answerHandshake, receiveWebhook } from '../../shared/consent/receive-webhook.js';
import { httpWebhookRequest, webhooksOf } from '../webhooks.js';
import { inboundDependencies } from '../wiring.js';

const PATH = '/webhooks/whatsapp';

/**
 * Meta's webhook payloads can be up to 3 MB. A smaller limit would refuse genuine batches, and
 * Meta retries a refused POST for days.
 */
const MAX_BODY_BYTES = 3 * 1024 * 1024;

export const handler = httpFunction({
  envSchema: whatsappWebhookEnvSchema,
  maxBodyBytes: MAX_BODY_BYTES,
  dependencies: (env) => ({ inbound: inboundDependencies(env), webhooks: webhooksOf('whatsapp-cloud', env) }),
  routes: {
    // The handshake Meta performs when the callback URL is saved in the app dashboard.
    [`GET ${PATH}`]: async ({ env, deps, request }) => {
      const challenge = await answerHandshake(deps.webhooks, httpWebhookRequest(env, PATH, request));
      return { statusCode: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: challenge };
    },
    [`POST ${PATH}`]: async ({ env, deps, request }) => {
      // Signed and a WhatsApp envelope: 200, whatever inside could not be acted on (it is recorded).
      // Replies go out through the send queue, never inline: Meta only needs its 200.
      return json(200, await receiveWebhook(deps.inbound, deps.webhooks, httpWebhookRequest(env, PATH, request)));
    },
  },
});
