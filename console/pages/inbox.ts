import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { z } from 'zod';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../shared/domain/errors.js';
import { inboxEntryIdPattern } from '../../shared/domain/inbox.js';
import { languageNames } from '../../shared/domain/language.js';
import { conversation, entryAsSeenBy, showsResidentNumbers } from '../../shared/inbox/conversation.js';
import { inboxDepartmentOf, reopenInboxEntry, unhandledCount } from '../../shared/inbox/handling.js';
import { replyRefusalSentences } from '../../shared/inbox/reply-rules.js';
import { replyToResident } from '../../shared/inbox/reply-to-resident.js';
import type { InboxEntry } from '../../shared/ports/stores.js';
import { listInbox, markInboxHandled } from '../../shared/usecases/residents-admin.js';
import type { ConsoleEnv } from '../app.js';
import type { ConsoleDependencies } from '../dependencies.js';
import { page, type FieldError } from '../page.js';
import { namesOf } from '../people.js';
import { sentence } from '../sentence.js';
import { signedIn } from '../signed-in.js';
import { fieldMessage, type FormBody } from '../views-model/broadcast-draft.js';
import { localTime, plural } from '../views-model/format.js';
import { may } from '../views-model/permissions.js';
import { replyTemplatePicker } from './inbox-reply-template.js';

/** How many of each kind the list shows at once; the rest are a page further. */
const LIST_PAGE = 50;

const statusFilter = z.enum(['all', 'unhandled', 'handled']).catch('all');
const idsForm = z.object({ ids: z.array(z.string().regex(inboxEntryIdPattern)).min(1), action: z.enum(['handle', 'reopen']) });

/**
 * The count in the navigation's Inbox link, for a person who may read their department's inbox:
 * one store read (shared/inbox/handling.ts), made only when a page is rendered.
 */
export function unhandledInNavigation(deps: ConsoleDependencies): MiddlewareHandler<ConsoleEnv> {
  return async (c, next) => {
    const person = c.get('person');
    if (person && may(person.principal, 'inbox:read', { department: inboxDepartmentOf(person.principal) })) {
      c.set('unhandledInbox', async () => {
        const { count, more } = await unhandledCount(deps.broadcasts, person.principal);
        return `${count}${more ? '+' : ''}`;
      });
    }
    await next();
  };
}

/**
 * The inbox: the department's received texts (unhandled first, newest first), a conversation per
 * resident with Reply, Send reply, Mark as handled and Reopen, and the list's bulk Mark as handled.
 * Every action is its use case, as the person, audited there.
 */
export function inboxPages(deps: ConsoleDependencies) {
  const routes = new Hono<ConsoleEnv>();
  const { timeZone } = deps.broadcasts.window;
  const replyDeps = { ...deps.broadcasts, replies: deps.replies };

  /** Another department's entry is answered as one that does not exist, as a broadcast is. */
  async function load<T>(c: Context<ConsoleEnv>, read: (id: string) => Promise<T>): Promise<T> {
    const id = c.req.param('id') ?? '';
    if (!inboxEntryIdPattern.test(id)) throw new NotFoundError(`no inbox message ${id}`);
    try {
      return await read(id);
    } catch (error) {
      if (!(error instanceof ForbiddenError)) throw error;
      // One the person can see but may not act on (a viewer's Send reply) is refused as such.
      const entry = await deps.broadcasts.stores.inbox.get(id);
      if (entry && may(signedIn(c).principal, 'inbox:read', { department: entry.department })) throw error;
      throw new NotFoundError(`no inbox message ${id}`);
    }
  }

  function rowOf(entry: InboxEntry) {
    return {
      id: entry.id,
      href: `/console/inbox/${entry.id}`,
      from: entry.from,
      excerpt: entry.body.length > 80 ? `${entry.body.slice(0, 79)}…` : entry.body,
      received: localTime(entry.receivedAt, timeZone),
      channel: entry.channel === 'whatsapp' ? 'WhatsApp' : 'SMS',
      handled: entry.handled,
    };
  }

  routes.get('/console/inbox', async (c) => {
    const { principal } = signedIn(c);
    const status = statusFilter.parse(c.req.query('status'));
    const department = inboxDepartmentOf(principal);
    const cursor = c.req.query('cursor') || undefined;
    const shows = showsResidentNumbers(principal, department);
    const read = async (handled: boolean) => listInbox(deps.broadcasts, principal, { department, handled, limit: LIST_PAGE, ...(status !== 'all' && cursor ? { cursor } : {}) });
    const [unhandled, handled] = await Promise.all([status === 'handled' ? undefined : read(false), status === 'unhandled' ? undefined : read(true)]);
    const more = (which: 'unhandled' | 'handled', list: typeof unhandled) => (list?.cursor ? `/console/inbox?status=${which}&cursor=${encodeURIComponent(list.cursor)}` : undefined);
    return page(c, 'inbox/list.njk', {
      pageTitle: 'Inbox',
      department,
      status,
      mayHandle: may(principal, 'inbox:handle', { department }),
      unhandled: unhandled && { rows: unhandled.items.map((entry) => rowOf(entryAsSeenBy(entry, shows))), more: more('unhandled', unhandled) },
      handled: handled && { rows: handled.items.map((entry) => rowOf(entryAsSeenBy(entry, shows))), more: more('handled', handled) },
      notice: c.req.query('done'),
    });
  });

  // Several at once from the list: each through the use case, so each is checked and audited.
  routes.post('/console/inbox', async (c) => {
    const { principal } = signedIn(c);
    const form = (await c.req.parseBody({ all: true })) as FormBody;
    const parsed = idsForm.safeParse({ ids: [form.ids ?? []].flat(), action: form.action });
    if (!parsed.success) return c.redirect('/console/inbox?done=none', 303);
    for (const id of parsed.data.ids) {
      if (parsed.data.action === 'handle') await markInboxHandled(deps.broadcasts, principal, id);
      else await reopenInboxEntry(deps.broadcasts, principal, id);
    }
    return c.redirect(`/console/inbox?done=${parsed.data.action}-${parsed.data.ids.length}`, 303);
  });

  async function conversationPage(c: Context<ConsoleEnv>, reply = '', errors: FieldError[] = [], status: 200 | 400 | 409 = 200) {
    const { principal } = signedIn(c);
    const view = await load(c, (id) => conversation(deps.broadcasts, principal, id));
    const nameOf = await namesOf(deps.broadcasts, view.lines.flatMap((line) => (line.kind === 'reply' ? [line.by] : [])));
    const { entry } = view;
    const templatePicker = await replyTemplatePicker(deps, c, entry, view);
    return page(
      c,
      'inbox/conversation.njk',
      {
        pageTitle: `Conversation with ${view.number}`,
        backLink: '/console/inbox',
        errors,
        fieldErrors: Object.fromEntries(errors.map((error) => [error.href.slice(1), { text: error.text }])),
        entry,
        number: view.number,
        lines: view.lines.map((line) => ({
          ...line,
          when: localTime(line.at, timeZone),
          ...(line.kind === 'reply' ? { author: nameOf(line.by) } : {}),
        })),
        subscriptions: view.subscriptions.map((s) => `${s.name} (${s.channel === 'whatsapp' ? 'WhatsApp' : 'SMS'})`),
        language: view.language ? languageNames.en[view.language] : 'Not known (English is used)',
        channel: entry.channel === 'whatsapp' ? 'WhatsApp' : 'SMS',
        refusal: view.refusal && replyRefusalSentences[view.refusal],
        mayReply: may(principal, 'inbox:reply', { department: entry.department }),
        mayHandle: may(principal, 'inbox:handle', { department: entry.department }),
        reply: reply || templatePicker.text,
        templatePicker,
        sent: c.req.query('sent') === '1',
        handledBy: entry.handledBy && (await namesOf(deps.broadcasts, [entry.handledBy]))(entry.handledBy),
        handledAt: entry.handledAt && localTime(entry.handledAt, timeZone),
        messagesCount: plural(view.lines.filter((line) => line.kind === 'resident').length, 'message'),
      },
      status,
    );
  }

  routes.get('/console/inbox/:id', async (c) => conversationPage(c));

  routes.post('/console/inbox/:id/reply', async (c) => {
    const form = (await c.req.parseBody({ all: true })) as FormBody;
    const typed = typeof form.reply === 'string' ? form.reply : '';
    try {
      const entry = await load(c, (id) => replyToResident(replyDeps, signedIn(c).principal, id, typed));
      return c.redirect(`/console/inbox/${entry.id}?sent=1`, 303);
    } catch (error) {
      if (error instanceof ValidationError) {
        return conversationPage(c, typed, error.details.map((issue) => ({ text: fieldMessage('Reply', issue.message), href: '#reply' })), 400);
      }
      // A rule said no (opted out, the WhatsApp window): the page says why, and keeps what was typed.
      if (error instanceof ConflictError) return conversationPage(c, typed, [{ text: sentence(error.message), href: '#reply' }], 409);
      throw error;
    }
  });

  routes.post('/console/inbox/:id/handled', async (c) => {
    const entry = await load(c, (id) => markInboxHandled(deps.broadcasts, signedIn(c).principal, id));
    return c.redirect(`/console/inbox/${entry.id}`, 303);
  });

  routes.post('/console/inbox/:id/reopen', async (c) => {
    const entry = await load(c, (id) => reopenInboxEntry(deps.broadcasts, signedIn(c).principal, id));
    return c.redirect(`/console/inbox/${entry.id}`, 303);
  });

  return routes;
}
