import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { queueIdSchema, type QueueId } from '../../shared/domain/queues.js';
import { NotFoundError } from '../../shared/domain/errors.js';
import { authorize } from '../../shared/staff/access.js';
import { listDeadLetters, redriveDeadLetters } from '../../shared/dead-letters/dead-letters.js';
import type { ConsoleEnv } from '../console-env.js';
import type { ConsoleDependencies } from '../dependencies.js';
import type { OperationsDependencies } from '../operations-dependencies.js';
import { page } from '../page.js';
import { signedIn } from '../signed-in.js';
import { deadLetterQueues, queueLabels, redriveNotice } from '../views-model/dead-letters.js';

/** How many of each queue's dead letters the page shows: they stay where they are. */
const PEEK = 10;

/** The banner's facts, from the address bar after a redrive: numbers and a queue, nothing else. */
const redrivenQuery = z.object({ queue: queueIdSchema, moved: z.coerce.number().int().nonnegative(), left: z.coerce.number().int().nonnegative() });

/**
 * Dead letters: what each queue gave up on and why (never a number or a message's words: the use
 * case summarises each job), and a redrive behind a confirmation page. Operators only, live ones.
 */
export function deadLetterPages(deps: ConsoleDependencies, operations: OperationsDependencies) {
  const routes = new Hono<ConsoleEnv>();
  const { timeZone } = deps.broadcasts.window;

  function queueOf(c: Context<ConsoleEnv>): QueueId {
    const parsed = queueIdSchema.safeParse(c.req.param('queue'));
    if (!parsed.success) throw new NotFoundError(`no queue ${c.req.param('queue')}`);
    return parsed.data;
  }

  routes.get('/console/operations/dead-letters', async (c) => {
    const views = await listDeadLetters(operations.deadLetters, signedIn(c).principal, { peek: PEEK });
    const redriven = redrivenQuery.safeParse({ queue: c.req.query('queue'), moved: c.req.query('moved'), left: c.req.query('left') });
    return page(c, 'operations/dead-letters.njk', {
      pageTitle: 'Dead letters',
      backLink: '/console/operations',
      notice: redriven.success ? redriveNotice({ queue: redriven.data.queue, moved: redriven.data.moved, approximateRemaining: redriven.data.left }) : undefined,
      queues: deadLetterQueues(views, timeZone),
    });
  });

  routes.get('/console/operations/dead-letters/:queue/redrive', async (c) => {
    const queue = queueOf(c);
    const { principal } = signedIn(c);
    authorize(principal, 'deadLetters:manage');
    const count = await operations.deadLetters.deadLetters.count(queue);
    return page(c, 'operations/redrive.njk', {
      pageTitle: `Redrive the dead letters of ${queueLabels[queue].name.toLowerCase()}?`,
      backLink: '/console/operations/dead-letters',
      queue: { id: queue, ...queueLabels[queue] },
      count,
    });
  });

  routes.post('/console/operations/dead-letters/:queue/redrive', async (c) => {
    const queue = queueOf(c);
    const result = await redriveDeadLetters(operations.deadLetters, signedIn(c).principal, queue, {});
    const query = new URLSearchParams({ queue, moved: String(result.moved), left: String(result.approximateRemaining) });
    return c.redirect(`/console/operations/dead-letters?${query}`, 303);
  });
  return routes;
}
