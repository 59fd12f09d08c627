import { z } from 'zod';
import type { AdminEnv } from '../../shared/config/env.js';
import type { Principal } from '../../shared/domain/model.js';
import { authorizerRefusal, refusalError } from '../../shared/runtime/http/authorizer-refusal.js';
import type { RouteContext } from '../../shared/runtime/http/http-function.js';
import type { HttpRequest } from '../../shared/runtime/http/request.js';
import type { HttpResult } from '../../shared/runtime/http/responses.js';
import { logger } from '../../shared/runtime/logger.js';
import { authenticate, principalSchema, type BootstrapKeyHash } from '../../shared/staff/authenticate.js';
import type { CoreDependencies } from '../../shared/ports/dependencies.js';

export interface AdminDependencies {
  core: CoreDependencies;
  bootstrapKeyHash: BootstrapKeyHash;
}

/**
 * `requestContext.authorizer` as API Gateway fills it after the Lambda authorizer's simple
 * response: who is calling (or why the key was refused: see `authorizerRefusal`).
 */
const lambdaAuthorizerContext = z.object({ lambda: principalSchema });

/**
 * Wraps an admin route: nothing runs before the API key is checked. Behind the gateway's Lambda
 * authorizer (AWS, and the local stack) the key was checked moments ago, so the principal comes
 * from the authorizer's context, and a refusal there is answered 401 at once, without looking the
 * key up again (the HTTP runtime answers it even before this; this wrapper never falls back to a
 * read for it). Without an authorizer context (a route wired without it, a test calling the
 * handler) the route checks the key itself, so no route depends on the gateway being right.
 */
export function authenticated<Env extends AdminEnv, Deps extends AdminDependencies>(
  route: (context: RouteContext<Env, Deps>, principal: Principal) => Promise<HttpResult>,
) {
  return async (context: RouteContext<Env, Deps>): Promise<HttpResult> => {
    const principal =
      authorizedPrincipal(context.request) ??
      (await authenticate(context.deps.core.stores.apiKeys, context.deps.bootstrapKeyHash, context.request.headers.authorization));
    return route(context, principal);
  };
}

function authorizedPrincipal(request: HttpRequest): Principal | undefined {
  if (request.authorizer === undefined) return undefined;
  const refusal = authorizerRefusal(request.authorizer);
  if (refusal) throw refusalError(refusal);
  const parsed = lambdaAuthorizerContext.safeParse(request.authorizer);
  if (parsed.success) return parsed.data.lambda;
  // Another kind of authorizer, or a context this version does not know: check the key here.
  logger.warn('authorizer context is not a principal; checking the API key in the route', { requestId: request.requestId });
  return undefined;
}
