import { Hono } from 'hono';
import { listBroadcasts } from '../../shared/usecases/broadcasts.js';
import type { ConsoleEnv } from '../app.js';
import type { ConsoleDependencies } from '../dependencies.js';
import { page } from '../page.js';
import { signedIn } from '../signed-in.js';
import { broadcastSummary } from '../views-model/broadcast-summary.js';

/** The broadcasts home: what needs the person's approval, what is sending, scheduled, and recent. */
export function broadcastPages(deps: ConsoleDependencies) {
  const routes = new Hono<ConsoleEnv>();
  routes.get('/', async (c) => {
    const person = signedIn(c);
    const { items } = await listBroadcasts(deps.broadcasts, person.principal, { limit: 50 });
    const summaries = items.map((broadcast) => broadcastSummary(broadcast));
    return page(c, 'broadcasts/home.njk', {
      pageTitle: 'Broadcasts',
      sending: summaries.filter((b) => b.status === 'sending'),
      awaitingApproval: summaries.filter((b) => b.status === 'pending_approval'),
      scheduled: summaries.filter((b) => b.status === 'scheduled'),
      recent: summaries.filter((b) => !['sending', 'pending_approval', 'scheduled'].includes(b.status)),
    });
  });
  return routes;
}
