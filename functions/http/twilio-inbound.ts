import type { CountryCode } from 'libphonenumber-js';
import { awsClients } from '../../shared/adapters/aws-clients.js';
import { providerSettingsSource } from '../../shared/adapters/providers/settings-source.js';
import { parseTwilioInbound } from '../../shared/adapters/providers/twilio/webhooks.js';
import { webhookEnvSchema } from '../../shared/config/env.js';
import { httpFunction } from '../../shared/runtime/http/http-function.js';
import { emptyTwiml } from '../../shared/runtime/http/responses.js';
import { handleInboundText } from '../../shared/usecases/handle-inbound.js';
import { inboundDependencies } from '../wiring.js';
import { verifiedTwilioParams } from './twilio-request.js';

const PATH = '/webhooks/twilio/inbound';

export const handler = httpFunction({
  envSchema: webhookEnvSchema,
  dependencies: (env) => ({
    inbound: inboundDependencies(env),
    settings: providerSettingsSource(env, () => awsClients().secrets),
  }),
  routes: {
    [`POST ${PATH}`]: async ({ env, deps, request }) => {
      const params = await verifiedTwilioParams(env, deps.settings, request, PATH);
      await handleInboundText(deps.inbound, parseTwilioInbound(params, env.DEFAULT_COUNTRY as CountryCode));
      // Replies go out through the API (queued), never inline: the answer to Twilio stays empty.
      return emptyTwiml();
    },
  },
});
