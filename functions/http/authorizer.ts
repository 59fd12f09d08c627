import { authorizerEnvSchema } from '../../shared/config/env.js';
import { AuthenticationError } from '../../shared/domain/errors.js';
import { authorizerFunction } from '../../shared/runtime/http/authorizer-function.js';
import { authenticate } from '../../shared/usecases/authenticate.js';
import { bootstrapKeyHash, coreDependencies } from '../wiring.js';

/**
 * The admin API's Lambda authorizer: API Gateway calls it before every `/v1` route (but the
 * OpenAPI document) and hands the routes the principal it answers with. A missing, unknown or
 * revoked key is refused; anything else going wrong is thrown, so it is not mistaken for a bad key.
 */
export const handler = authorizerFunction({
  envSchema: authorizerEnvSchema,
  dependencies: (env) => ({ apiKeys: coreDependencies(env).stores.apiKeys, bootstrapKeyHash: bootstrapKeyHash(env) }),
  authorize: async (authorization, deps) => {
    try {
      return { ...(await authenticate(deps.apiKeys, deps.bootstrapKeyHash, authorization)) };
    } catch (error) {
      if (error instanceof AuthenticationError) return undefined;
      throw error;
    }
  },
});
