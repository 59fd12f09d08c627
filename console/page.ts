import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ConsoleEnv } from './console-env.js';
import { personView } from './person.js';
import { renderView } from './render.js';
import { may } from './views-model/permissions.js';

/**
 * The navigation's links: what exists for this person, the current section marked. In the
 * contract's order: Broadcasts, Inbox, Templates, Topics, Residents, Team. A link is offered only
 * to those its pages' use case would let in (`may` asks the same `authorize`).
 */
async function navigation(c: Context<ConsoleEnv>) {
  const person = c.get('person');
  if (!person) return [];
  const path = c.req.path;
  const section = (href: string, text: string) => ({ href, text, current: path === href || path.startsWith(`${href}/`) });
  const unhandled = await c.get('unhandledInbox')?.();
  return [
    { href: '/console/', text: 'Broadcasts', current: path === '/console/' || path.startsWith('/console/broadcasts') },
    ...(unhandled === undefined
      ? []
      : [
          {
            href: '/console/inbox',
            // The link's words stay "Inbox" for scripts and training notes; the count follows, and
            // says what it counts to a screen reader.
            html: `Inbox${unhandled === '0' ? '' : ` <strong class="govuk-tag govuk-tag--blue crier-count">${unhandled}<span class="govuk-visually-hidden"> unhandled</span></strong>`}`,
            current: path.startsWith('/console/inbox'),
          },
        ]),
    ...(may(person.principal, 'templates:read') ? [section('/console/templates', 'Templates')] : []),
    { href: '/console/topics', text: 'Topics', current: path.startsWith('/console/topics') },
    ...(may(person.principal, 'subscribers:read') || may(person.principal, 'subscribers:import') ? [section('/console/residents', 'Residents')] : []),
    // Offered to those the team's use cases allow (live operators): the page never offers what is refused.
    ...(may(person.principal, 'staff:manage') ? [{ href: '/console/team', text: 'Team', current: path.startsWith('/console/team') || path.startsWith('/console/keys') || path.startsWith('/console/usage') }] : []),
    // Operators (whom the providers' view lets in): after Team.
    ...(may(person.principal, 'providers:read') ? [section('/console/operations', 'Operations')] : []),
  ];
}

/** Renders a page in the console's layout with what every page shows: the service, the person, the CSRF token, the CSP nonce. */
export async function page(c: Context<ConsoleEnv>, view: string, context: Record<string, unknown>, status: ContentfulStatusCode = 200) {
  const person = c.get('person');
  const html = renderView(view, {
    ...context,
    serviceName: c.get('serviceName'),
    cspNonce: c.get('secureHeadersNonce'),
    navigation: await navigation(c),
    ...(person ? { person: personView(person), csrfToken: person.session.csrfToken, sessionIdleMinutes: c.get('sessionIdleMinutes') } : {}),
  });
  return c.html(html, status);
}

/** A page that says what went wrong and what to do, in the layout. */
export function messagePage(
  c: Context<ConsoleEnv>,
  status: ContentfulStatusCode,
  heading: string,
  paragraphs: string[],
  link?: { href: string; text: string },
) {
  return page(c, 'error.njk', { pageTitle: heading, heading, paragraphs, link }, status);
}
