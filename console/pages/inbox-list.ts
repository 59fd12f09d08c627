import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { inboxEntryIdPattern } from '../../shared/inbox/entry-id.js';
import type { Principal } from '../../shared/domain/model.js';
import { entryAsSeenBy, showsResidentNumbers } from '../../shared/inbox/conversation.js';
import { exportInbox } from '../../shared/inbox/export-inbox.js';
import { setSeveralHandled } from '../../shared/inbox/handle-several.js';
import { inboxDepartmentOf } from '../../shared/inbox/handling.js';
import { filterQueryString, inboxFilterSchema, inboxQueryOf, withoutEmptyFields, type InboxFilter } from '../../shared/inbox/inbox-filter.js';
import type { InboxEntry } from '../../shared/inbox/inbox-store.js';
import { departmentsOf } from '../../shared/usage/department-limits.js';
import { listBroadcasts } from '../../shared/broadcasts/broadcast-reads.js';
import { listInbox } from '../../shared/inbox/inbox-and-reply-texts.js';
import { answeredBroadcasts, broadcastLabel, type AnsweredBroadcast } from '../answered.js';
import type { ConsoleEnv } from '../console-env.js';
import type { ConsoleDependencies } from '../dependencies.js';
import { page } from '../page.js';
import { namesOf } from '../people.js';
import { signedIn } from '../signed-in.js';
import type { FormBody } from '../views-model/broadcast-draft.js';
import { fieldErrorsOf, formErrors } from '../views-model/form-errors.js';
import { localTime } from '../views-model/format.js';
import { may } from '../views-model/permissions.js';

/** How many of each kind the list shows at once; the rest are a page further. */
const LIST_PAGE = 50;
/** How many of the department's recent broadcasts the "answers" filter offers. */
const BROADCAST_CHOICES = 20;

const idsForm = z.object({ ids: z.array(z.string().regex(inboxEntryIdPattern)).min(1), action: z.enum(['handle', 'reopen']) });

/** The filter's fields as the form labels them, in the form's order, for the error summary. */
const filterFields = {
  status: { label: 'Show' },
  topic: { label: 'Topic' },
  broadcast: { label: 'Answering' },
  receivedFrom: { label: 'Received from' },
  receivedTo: { label: 'Received to' },
  assignedTo: { label: 'Assigned to you' },
};

/**
 * The inbox list: the department's received texts (unhandled first, newest first), filtered by
 * what the query string says (so a filtered view can be bookmarked), each naming the broadcast it
 * answers and who it is assigned to; several handled or reopened at once; and the same selection
 * as a CSV download, numbers masked unless the person may read residents' numbers.
 */
export function inboxListPages(deps: ConsoleDependencies) {
  const routes = new Hono<ConsoleEnv>();
  const { timeZone } = deps.broadcasts.window;

  function filterOf(c: Context<ConsoleEnv>) {
    const raw = withoutEmptyFields(c.req.query());
    const parsed = inboxFilterSchema.safeParse(raw);
    return { raw, parsed };
  }

  async function rowsOf(entries: InboxEntry[], principal: Principal, department: string) {
    const shows = showsResidentNumbers(principal, department);
    const [answered, nameOf] = await Promise.all([
      answeredBroadcasts(deps.broadcasts, entries.map((entry) => entry.broadcastId), timeZone),
      namesOf(deps.broadcasts, entries.flatMap((entry) => (entry.assignedTo ? [entry.assignedTo] : []))),
    ]);
    return entries.map((entry) => {
      const seen = entryAsSeenBy(entry, shows);
      return {
        id: seen.id,
        href: `/console/inbox/${seen.id}`,
        from: seen.from,
        excerpt: seen.body.length > 80 ? `${seen.body.slice(0, 79)}…` : seen.body,
        received: localTime(seen.receivedAt, timeZone),
        channel: seen.channel === 'whatsapp' ? 'WhatsApp' : 'SMS',
        handled: seen.handled,
        answers: answered(seen.broadcastId),
        assignedTo: seen.assignedTo && nameOf(seen.assignedTo),
      };
    });
  }

  /** The choices of the filter's selects: the department's topics and recent broadcasts (and the one filtered by). */
  async function choices(principal: Principal, department: string, filter: Partial<InboxFilter>) {
    const [topics, broadcasts] = await Promise.all([
      deps.broadcasts.stores.topics.page({ limit: 100, cursor: undefined, includeArchived: true, department }),
      may(principal, 'broadcasts:read', { department }) ? listBroadcasts(deps.broadcasts, principal, { limit: 50 }).then((found) => found.items) : Promise.resolve([]),
    ]);
    const recent: AnsweredBroadcast[] = broadcasts
      .filter((broadcast) => broadcast.mode === 'live' && broadcast.startsAt !== undefined && departmentsOf(broadcast).includes(department))
      .slice(0, BROADCAST_CHOICES)
      .map((broadcast) => ({ id: broadcast.id, href: `/console/broadcasts/${broadcast.id}`, label: broadcastLabel(broadcast, timeZone) }));
    const chosen = filter.broadcast;
    if (chosen && !recent.some((one) => one.id === chosen)) {
      const named = (await answeredBroadcasts(deps.broadcasts, [chosen], timeZone))(chosen);
      recent.push(named ?? { id: chosen, href: `/console/broadcasts/${chosen}`, label: chosen });
    }
    return {
      topics: [{ value: '', text: 'Any topic' }, ...topics.items.map((topic) => ({ value: topic.id, text: topic.name, selected: topic.id === filter.topic }))],
      broadcasts: [{ value: '', text: 'Any broadcast, or none' }, ...recent.map((one) => ({ value: one.id, text: one.label, selected: one.id === chosen }))],
    };
  }

  routes.get('/console/inbox', async (c) => {
    const { principal } = signedIn(c);
    const department = inboxDepartmentOf(principal);
    const { raw, parsed } = filterOf(c);
    const filter: Partial<InboxFilter> = parsed.success ? parsed.data : { status: 'all' };
    const base = {
      pageTitle: 'Inbox',
      department,
      filter: { ...raw, status: filter.status ?? 'all' },
      mayHandle: may(principal, 'inbox:handle', { department }),
      notice: c.req.query('done'),
      choices: await choices(principal, department, filter),
    };
    if (!parsed.success) {
      const errors = formErrors(parsed.error.issues, filterFields, raw);
      return page(c, 'inbox/list.njk', { ...base, errors, fieldErrors: fieldErrorsOf(errors), invalid: true }, 400);
    }
    const selection = inboxQueryOf(parsed.data, { principal, department, timeZone });
    const status = parsed.data.status;
    const cursor = c.req.query('cursor') || undefined;
    const read = async (handled: boolean) => listInbox(deps.broadcasts, principal, { ...selection, handled, limit: LIST_PAGE, ...(status !== 'all' && cursor ? { cursor } : {}) });
    const [unhandled, handled] = await Promise.all([status === 'handled' ? undefined : read(false), status === 'unhandled' ? undefined : read(true)]);
    const more = (which: 'unhandled' | 'handled', list: typeof unhandled) =>
      list?.cursor ? `/console/inbox${filterQueryString({ ...parsed.data, status: which }, { cursor: list.cursor })}` : undefined;
    return page(c, 'inbox/list.njk', {
      ...base,
      exportHref: `/console/inbox/export${filterQueryString(parsed.data)}`,
      filtered: filterQueryString({ ...parsed.data, status: 'all' }) !== '',
      unhandled: unhandled && { rows: await rowsOf(unhandled.items, principal, department), more: more('unhandled', unhandled) },
      handled: handled && { rows: await rowsOf(handled.items, principal, department), more: more('handled', handled) },
    });
  });

  // The same selection as a spreadsheet: a filter that does not parse is the list's to explain.
  routes.get('/console/inbox/export', async (c) => {
    const { principal } = signedIn(c);
    const department = inboxDepartmentOf(principal);
    const { parsed } = filterOf(c);
    if (!parsed.success) return c.redirect(`/console/inbox?${new URLSearchParams(c.req.query()).toString()}`, 303);
    const status = parsed.data.status;
    const { csv } = await exportInbox(deps.broadcasts, principal, {
      ...inboxQueryOf(parsed.data, { principal, department, timeZone }),
      ...(status === 'all' ? {} : { handled: status === 'handled' }),
    });
    c.header('content-type', 'text/csv; charset=utf-8');
    c.header('content-disposition', `attachment; filename="inbox-${department}.csv"`);
    return c.body(csv);
  });

  // Several at once from the list: all checked first, then each through its use case, audited.
  routes.post('/console/inbox', async (c) => {
    const { principal } = signedIn(c);
    const form = (await c.req.parseBody({ all: true })) as FormBody;
    const parsed = idsForm.safeParse({ ids: [form.ids ?? []].flat(), action: form.action });
    if (!parsed.success) return c.redirect('/console/inbox?done=none', 303);
    await setSeveralHandled(deps.broadcasts, principal, parsed.data.ids, parsed.data.action === 'handle');
    return c.redirect(`/console/inbox?done=${parsed.data.action}-${parsed.data.ids.length}`, 303);
  });

  return routes;
}
