import { authorizerEnvSchema } from '../../shared/config/env.js';
import { AuthenticationError } from '../../shared/domain/errors.js';
import { authorizerFunction, type AuthorizerContext } from '../../shared/runtime/http/authorizer-function.js';
import { authenticate } from '../../shared/usecases/authenticate.js';
import { bootstrapKeyHash, coreDependencies } from '../wiring.js';

/**
 * The admin API's Lambda authorizer: API Gateway calls it before every `/v1` route (but the
 * OpenAPI document) and hands the routes the principal it answers with. A bad key (unknown,
 * revoked, not a bearer token) is let through carrying only the refusal, which the route turns
 * into the contract's `401 { error, details }` before doing anything: an HTTP API can only answer
 * a refused authorization with a bare 403, which would break that contract and crier's error
 * format. Anything else going wrong is thrown, so it is not mistaken for a bad key.
 */
export const handler = authorizerFunction({
  envSchema: authorizerEnvSchema,
  dependencies: (env) => ({ apiKeys: coreDependencies(env).stores.apiKeys, bootstrapKeyHash: bootstrapKeyHash(env) }),
  authorize: async (authorization, deps): Promise<AuthorizerContext> => {
    try {
      return { ...(await authenticate(deps.apiKeys, deps.bootstrapKeyHash, authorization)) };
    } catch (error) {
      if (error instanceof AuthenticationError) return { refusal: error.message };
      throw error;
    }
  },
});
