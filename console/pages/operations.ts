import { Hono, type Context } from 'hono';
import { authorize } from '../../shared/staff/access.js';
import type { ConsoleEnv } from '../console-env.js';
import type { ConsoleDependencies } from '../dependencies.js';
import type { OperationsDependencies } from '../operations-dependencies.js';
import { page } from '../page.js';
import { signedIn } from '../signed-in.js';
import { may } from '../views-model/permissions.js';
import { providerChannels } from '../views-model/providers.js';
import { deadLetterPages } from './dead-letters.js';
import { replyWordingPages } from './reply-wording.js';

/**
 * Operations (operators): the providers, the dead letters and the wording of replies, served only
 * where `operations` is given (the console's operations function, which alone holds the
 * dead-letter queues' grants). Each page asks its own use case, so the permissions are the API's.
 */
export function operationsPages(deps: ConsoleDependencies) {
  const routes = new Hono<ConsoleEnv>();
  const operations = deps.operations;
  if (!operations) return routes;

  routes.get('/console/operations', (c) => {
    const { principal } = signedIn(c);
    authorize(principal, 'providers:read');
    return page(c, 'operations/hub.njk', {
      pageTitle: 'Operations',
      sections: [
        { href: '/console/operations/providers', text: 'Providers', hint: "Each channel's providers and sender identities: which carries traffic, failures, and when traffic moved.", offered: may(principal, 'providers:read') },
        { href: '/console/operations/dead-letters', text: 'Dead letters', hint: 'Jobs the queues gave up on, and why; send them back to be tried again.', offered: may(principal, 'deadLetters:manage') },
        { href: '/console/operations/replies', text: 'Reply wording', hint: 'What residents are sent back (HELP, STOP and the rest), in each language, with a preview.', offered: may(principal, 'replies:write') },
      ].filter((section) => section.offered),
    });
  });

  routes.get('/console/operations/providers', async (c) => providersPage(c, operations, deps.broadcasts.window.timeZone));

  routes.route('/', deadLetterPages(deps, operations));
  routes.route('/', replyWordingPages(deps, operations));
  return routes;
}

async function providersPage(c: Context<ConsoleEnv>, operations: OperationsDependencies, timeZone: string) {
  const status = await operations.providersStatus(signedIn(c).principal);
  return page(c, 'operations/providers.njk', {
    pageTitle: 'Providers',
    backLink: '/console/operations',
    channels: providerChannels(status, timeZone),
    failover: status.failover,
    identitiesProblem: status.senderIdentitiesProblem,
  });
}
