import { twilioWebhookPaths } from '../../shared/adapters/providers/twilio/provider-webhooks.js';
import { webhookEnvSchema } from '../../shared/config/env.js';
import { httpFunction } from '../../shared/runtime/http/http-function.js';
import { emptyTwiml } from '../../shared/runtime/http/responses.js';
import { receiveWebhook } from '../../shared/consent/receive-webhook.js';
import { httpWebhookRequest, webhooksOf } from '../webhooks.js';
import { inboundDependencies } from '../wiring.js';

const PATH = twilioWebhookPaths.inbound;

export const handler = httpFunction({
  envSchema: webhookEnvSchema,
  dependencies: (env) => ({ inbound: inboundDependencies(env), webhooks: webhooksOf('twilio', env) }),
  routes: {
    [`POST ${PATH}`]: async ({ env, deps, request }) => {
      await receiveWebhook(deps.inbound, deps.webhooks, httpWebhookRequest(env, PATH, request));
      // Replies go out through the API (queued), never inline: the answer to Twilio stays empty.
      return emptyTwiml();
    },
  },
});
