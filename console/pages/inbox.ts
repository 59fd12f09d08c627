import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../shared/domain/errors.js';
import { inboxEntryIdPattern } from '../../shared/inbox/entry-id.js';
import { languageNames } from '../../shared/domain/language.js';
import { conversation } from '../../shared/inbox/conversation.js';
import { inboxDepartmentOf, reopenInboxEntry, unhandledCount } from '../../shared/inbox/handling.js';
import { replyRefusalSentences } from '../../shared/inbox/reply-rules.js';
import { replyToResident, replyTokenPattern } from '../../shared/inbox/reply-to-resident.js';
import { assignInboxEntry } from '../../shared/inbox/assign.js';
import { addInboxNote } from '../../shared/inbox/notes.js';
import { markInboxHandled } from '../../shared/inbox/inbox-and-reply-texts.js';
import type { ConsoleEnv } from '../console-env.js';
import type { ConsoleDependencies } from '../dependencies.js';
import { page } from '../page.js';
import type { FieldError } from '../views-model/field-error.js';
import { namesOf } from '../people.js';
import { sentence } from '../sentence.js';
import { signedIn } from '../signed-in.js';
import { fieldMessage, type FormBody } from '../views-model/broadcast-draft.js';
import { localTime, plural } from '../views-model/format.js';
import { may } from '../views-model/permissions.js';
import { replyTemplatePicker } from './inbox-reply-template.js';
import { conversationWork } from './inbox-work.js';

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
 * The inbox's conversation per resident, with Reply, Send reply, Mark as handled and Reopen, the
 * broadcast the text answers, who it is assigned to and notes for colleagues (inbox-work.ts). The
 * list is inbox-list.ts. Every action is its use case, as the person, audited there.
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

  async function conversationPage(c: Context<ConsoleEnv>, reply = '', errors: FieldError[] = [], status: 200 | 400 | 409 = 200, note = '') {
    const { principal } = signedIn(c);
    const view = await load(c, (id) => conversation(deps.broadcasts, principal, id));
    const nameOf = await namesOf(deps.broadcasts, view.lines.flatMap((line) => (line.kind === 'resident' ? [] : [line.by])));
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
          ...(line.kind === 'resident' ? {} : { author: nameOf(line.by) }),
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
        note,
        ...(await conversationWork(deps, principal, entry)),
      },
      status,
    );
  }

  routes.get('/console/inbox/:id', async (c) => conversationPage(c));

  routes.post('/console/inbox/:id/reply', async (c) => {
    const form = (await c.req.parseBody({ all: true })) as FormBody;
    const typed = typeof form.reply === 'string' ? form.reply : '';
    // A token that is not one (an old form) is no token: the reply then goes once per request.
    const token = typeof form.replyToken === 'string' && replyTokenPattern.test(form.replyToken) ? form.replyToken : undefined;
    try {
      const entry = await load(c, (id) => replyToResident(replyDeps, signedIn(c).principal, id, typed, token ? { token } : {}));
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

  routes.post('/console/inbox/:id/assign', async (c) => {
    const form = (await c.req.parseBody()) as FormBody;
    const assignee = typeof form.assignee === 'string' && form.assignee !== '' ? form.assignee : undefined;
    try {
      const entry = await load(c, (id) => assignInboxEntry(deps.broadcasts, signedIn(c).principal, id, assignee));
      return c.redirect(`/console/inbox/${entry.id}`, 303);
    } catch (error) {
      if (error instanceof ValidationError) return conversationPage(c, '', [{ text: 'Select a colleague from the list', href: '#assignee' }], 400);
      throw error;
    }
  });

  routes.post('/console/inbox/:id/notes', async (c) => {
    const form = (await c.req.parseBody()) as FormBody;
    const typed = typeof form.note === 'string' ? form.note : '';
    try {
      const entry = await load(c, (id) => addInboxNote(deps.broadcasts, signedIn(c).principal, id, typed));
      return c.redirect(`/console/inbox/${entry.id}#notes`, 303);
    } catch (error) {
      if (error instanceof ValidationError) {
        return conversationPage(c, '', error.details.map((issue) => ({ text: fieldMessage('Note for colleagues', issue.message), href: '#note' })), 400, typed);
      }
      throw error;
    }
  });

  routes.post('/console/inbox/:id/reopen', async (c) => {
    const entry = await load(c, (id) => reopenInboxEntry(deps.broadcasts, signedIn(c).principal, id));
    return c.redirect(`/console/inbox/${entry.id}`, 303);
  });

  return routes;
}
