import { providersApiEnvSchema, type ProvidersApiEnv } from '../../shared/config/env.js';
import { awsClients } from '../../shared/adapters/aws-clients.js';
import { DynamoProviderHealthStore } from '../../shared/adapters/dynamo/provider-health-store.js';
import { channelSchema } from '../../shared/domain/model.js';
import { providerListOf, providerListSettingOf } from '../../shared/domain/provider-list.js';
import { httpFunction } from '../../shared/runtime/http/http-function.js';
import { json } from '../../shared/runtime/http/responses.js';
import { providersStatus, type ChannelConfiguration } from '../../shared/usecases/providers-status.js';
import { authenticated as authenticatedRoute } from './admin-route.js';
import { bootstrapKeyHash, coreDependencies } from '../wiring.js';

function dependencies(env: ProvidersApiEnv) {
  const core = coreDependencies(env);
  const channels = channelSchema.options.map((channel): ChannelConfiguration => ({
    channel,
    setting: providerListSettingOf(env, channel),
    providers: providerListOf(env, channel),
    // Sender identities go here, from senderIdentitiesOf(settings) (shared/domain/sender-identity.ts), once they exist.
    senderIdentities: [],
  }));
  return {
    core,
    bootstrapKeyHash: bootstrapKeyHash(env),
    providers: { health: new DynamoProviderHealthStore(awsClients().documents, env.TABLE_NAME), clock: core.clock },
    configuration: {
      channels,
      policy: { errors: env.FAILOVER_ERRORS, windowSeconds: env.FAILOVER_WINDOW_SECONDS, cooldownSeconds: env.FAILOVER_COOLDOWN_SECONDS },
    },
  };
}
const authenticated = authenticatedRoute<ProvidersApiEnv, ReturnType<typeof dependencies>>;

/** Operators' view of each channel's providers: what carries traffic now, and how each is doing. */
export const handler = httpFunction({
  envSchema: providersApiEnvSchema,
  dependencies,
  routes: {
    'GET /v1/providers': authenticated(async ({ deps }, principal) =>
      json(200, await providersStatus(deps.providers, principal, deps.configuration)),
    ),
  },
});
