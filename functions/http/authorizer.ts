import { authorizerEnvSchema } from '../../shared/config/env.js';
import { authorizerFunction } from '../../shared/runtime/http/authorizer-function.js';
import { authenticate } from '../../shared/staff/authenticate.js';
import { bootstrapKeyHash, coreDependencies } from '../wiring.js';

/**
 * The admin API's Lambda authorizer: API Gateway calls it before every `/v1` route (but the
 * OpenAPI document) and hands the routes the principal it answers with. A bad key is let through
 * carrying only its refusal, which the route's function answers with crier's `401 {error,
 * details}` at once, reading nothing (an HTTP API can answer an authorizer's refusal only with a
 * bare 403, and the contract says 401). A token that could not be a key costs no table read here
 * (`bearerKey`); a request with no Authorization header never gets here (the authorizer's identity
 * source), and CloudFront answers a missing or malformed key with crier's 401 before API Gateway
 * sees it (see CrierEdge), so only a well-formed key costs this invocation and the route's.
 */
export const handler = authorizerFunction({
  envSchema: authorizerEnvSchema,
  dependencies: (env) => ({ apiKeys: coreDependencies(env).stores.apiKeys, bootstrapKeyHash: bootstrapKeyHash(env) }),
  authorize: async (authorization, deps) => ({ ...(await authenticate(deps.apiKeys, deps.bootstrapKeyHash, authorization)) }),
});
