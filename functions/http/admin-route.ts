import type { AdminEnv } from '../../shared/config/env.js';
import type { Principal } from '../../shared/domain/model.js';
import type { RouteContext } from '../../shared/runtime/http/http-function.js';
import type { HttpResult } from '../../shared/runtime/http/responses.js';
import { authenticate, type BootstrapKeyHash } from '../../shared/usecases/authenticate.js';
import type { CoreDependencies } from '../../shared/usecases/dependencies.js';

export interface AdminDependencies {
  core: CoreDependencies;
  bootstrapKeyHash: BootstrapKeyHash;
}

/** Wraps an admin route: nothing runs before the API key is checked. */
export function authenticated<Env extends AdminEnv, Deps extends AdminDependencies>(
  route: (context: RouteContext<Env, Deps>, principal: Principal) => Promise<HttpResult>,
) {
  return async (context: RouteContext<Env, Deps>): Promise<HttpResult> => {
    const principal = await authenticate(
      context.deps.core.stores.apiKeys,
      context.deps.bootstrapKeyHash,
      context.request.headers.authorization,
    );
    return route(context, principal);
  };
}
