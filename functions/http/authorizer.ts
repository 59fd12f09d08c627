import { authorizerEnvSchema } from '../../shared/config/env.js';
import { authorizerFunction } from '../../shared/runtime/http/authorizer-function.js';
import { authenticate } from '../../shared/usecases/authenticate.js';
import { bootstrapKeyHash, coreDependencies } from '../wiring.js';

/**
 * The admin API's Lambda authorizer: API Gateway calls it before every `/v1` route (but the
 * OpenAPI document) and hands the routes the principal it answers with. A bad key is refused
 * here, and API Gateway answers `403 {"message":"Forbidden"}` without running the route: one
 * hostile request costs this one invocation, and no table read when the token could not be a key
 * (`bearerKey`). A request with no Authorization header never gets here (the authorizer's
 * identity source), and CloudFront answers a missing or malformed key with crier's own
 * `401 {error, details}` before API Gateway sees it (see CrierEdge).
 */
export const handler = authorizerFunction({
  envSchema: authorizerEnvSchema,
  dependencies: (env) => ({ apiKeys: coreDependencies(env).stores.apiKeys, bootstrapKeyHash: bootstrapKeyHash(env) }),
  authorize: async (authorization, deps) => ({ ...(await authenticate(deps.apiKeys, deps.bootstrapKeyHash, authorization)) }),
});
