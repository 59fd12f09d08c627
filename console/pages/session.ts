import { Hono } from 'hono';
import type { ConsoleEnv } from '../console-env.js';
import type { ConsoleDependencies } from '../dependencies.js';
import { signedIn } from '../signed-in.js';

/**
 * "Stay signed in": the session is kept by requirePerson, which this request passed through (the
 * CSRF token checked, the session's last use moved on). Nothing else to do, so nothing to say.
 */
export function sessionRoutes(deps: ConsoleDependencies) {
  const routes = new Hono<ConsoleEnv>();
  routes.post('/console/session/keep-alive', async (c) => {
    const { session } = signedIn(c);
    // requirePerson moves lastSeenAt at most once a minute; a keep-alive always does.
    await deps.sessions.touch(session.idHash, deps.broadcasts.clock.now().toISOString());
    return c.body(null, 204);
  });
  return routes;
}
