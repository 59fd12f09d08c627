import { providersApiEnvSchema, type ProvidersApiEnv } from '../../shared/config/env.js';
import { awsClients } from '../../shared/adapters/aws-clients.js';
import { DynamoProviderHealthStore } from '../../shared/adapters/dynamo/provider-health-store.js';
import { senderIdentitySource } from '../../shared/adapters/providers/sender-identities.js';
import { providerSettingsSource } from '../../shared/adapters/providers/settings-source.js';
import { ConfigurationError } from '../../shared/domain/errors.js';
import { channelSchema } from '../../shared/domain/model.js';
import { providerListOf, providerListSettingOf } from '../../shared/domain/provider-list.js';
import { httpFunction } from '../../shared/runtime/http/http-function.js';
import { json } from '../../shared/runtime/http/responses.js';
import { providersStatus, type SenderIdentitiesResult } from '../../shared/sending/providers-status.js';
import { authenticated as authenticatedRoute } from './admin-route.js';
import { bootstrapKeyUnknownToRoutes, coreDependencies } from '../wiring.js';

function dependencies(env: ProvidersApiEnv) {
  const core = coreDependencies(env);
  const identities = senderIdentitySource(providerSettingsSource(env, () => awsClients().secrets), env);
  return {
    core,
    bootstrapKeyHash: bootstrapKeyUnknownToRoutes,
    providers: { health: new DynamoProviderHealthStore(awsClients().documents, env.TABLE_NAME), clock: core.clock },
    channels: channelSchema.options.map((channel) => ({ channel, setting: providerListSettingOf(env, channel), providers: providerListOf(env, channel) })),
    policy: { errors: env.FAILOVER_ERRORS, windowSeconds: env.FAILOVER_WINDOW_SECONDS, cooldownSeconds: env.FAILOVER_COOLDOWN_SECONDS },
    /** As the senders resolve them; a problem is shown rather than failing the view operators use to find it. */
    senders: async (): Promise<SenderIdentitiesResult> => {
      try {
        return { identities: await identities() };
      } catch (error) {
        if (error instanceof ConfigurationError) return { problem: error.message };
        throw error;
      }
    },
  };
}
const authenticated = authenticatedRoute<ProvidersApiEnv, ReturnType<typeof dependencies>>;

/** Operators' view of each channel's providers: what carries traffic now, how each is doing, what it sends from. */
export const handler = httpFunction({
  envSchema: providersApiEnvSchema,
  dependencies,
  routes: {
    'GET /v1/providers': authenticated(async ({ deps }, principal) =>
      json(200, await providersStatus(deps.providers, principal, { channels: deps.channels, policy: deps.policy, senders: await deps.senders() })),
    ),
  },
});
