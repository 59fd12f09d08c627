import { twilioWebhookPaths } from '../../shared/adapters/providers/twilio/provider-webhooks.js';
import { statusWebhookEnvSchema } from '../../shared/config/env.js';
import { httpFunction } from '../../shared/runtime/http/http-function.js';
import { emptyTwiml } from '../../shared/runtime/http/responses.js';
import { receiveWebhook } from '../../shared/consent/receive-webhook.js';
import { httpWebhookRequest, webhooksOf } from '../webhooks.js';
import { coreDependencies } from '../wiring.js';

const PATH = twilioWebhookPaths.status;

/** Receipts only, so no reply queue: the least this function needs (see the catalog). */
export const handler = httpFunction({
  envSchema: statusWebhookEnvSchema,
  dependencies: (env) => ({ core: coreDependencies(env), webhooks: webhooksOf('twilio', env) }),
  routes: {
    [`POST ${PATH}`]: async ({ env, deps, request }) => {
      await receiveWebhook(deps.core, deps.webhooks, httpWebhookRequest(env, PATH, request));
      return emptyTwiml();
    },
  },
});
