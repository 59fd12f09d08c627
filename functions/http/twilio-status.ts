import { awsClients } from '../../shared/adapters/aws-clients.js';
import { providerSettingsSource } from '../../shared/adapters/providers/settings-source.js';
import { parseTwilioStatus } from '../../shared/adapters/providers/twilio/webhooks.js';
import { statusWebhookEnvSchema } from '../../shared/config/env.js';
import { httpFunction } from '../../shared/runtime/http/http-function.js';
import { emptyTwiml } from '../../shared/runtime/http/responses.js';
import { recordReceipt } from '../../shared/usecases/record-receipt.js';
import { coreDependencies } from '../wiring.js';
import { verifiedTwilioParams } from './twilio-request.js';

const PATH = '/webhooks/twilio/status';

export const handler = httpFunction({
  envSchema: statusWebhookEnvSchema,
  dependencies: (env) => ({
    core: coreDependencies(env),
    settings: providerSettingsSource(env, () => awsClients().secrets),
  }),
  routes: {
    [`POST ${PATH}`]: async ({ env, deps, request }) => {
      const params = await verifiedTwilioParams(env, deps.settings, request, PATH);
      await recordReceipt(deps.core, parseTwilioStatus(params, request.query.messageId));
      return emptyTwiml();
    },
  },
});
