import { Hono, type Context } from 'hono';
import { rejectBroadcastRequest } from '../../shared/api/broadcast-schemas.js';
import { ForbiddenError, NotFoundError } from '../../shared/domain/errors.js';
import { languageNames, type Language } from '../../shared/domain/language.js';
import type { Broadcast } from '../../shared/domain/model.js';
import { approvalRefusal, approveBroadcast, rejectBroadcast } from '../../shared/broadcasts/broadcast-approval.js';
import { previewBroadcast } from '../../shared/broadcasts/broadcast-preview.js';
import { cancelBroadcast } from '../../shared/broadcasts/broadcasts.js';
import { getBroadcast } from '../../shared/broadcasts/broadcast-reads.js';
import { departmentsOf } from '../../shared/usage/department-limits.js';
import type { ConsoleEnv } from '../console-env.js';
import type { ConsoleDependencies } from '../dependencies.js';
import { messagePage, page } from '../page.js';
import type { FieldError } from '../views-model/field-error.js';
import { namesOf } from '../people.js';
import { signedIn } from '../signed-in.js';
import { checkView } from '../views-model/broadcast-check.js';
import { peopleOf, progressView, timeline } from '../views-model/broadcast-progress.js';
import { fieldMessage, type FormBody } from '../views-model/broadcast-draft.js';
import { may } from '../views-model/permissions.js';
import { plural } from '../views-model/format.js';
import { sentence } from '../sentence.js';
import { DELIVERY_REPORT_MAX_PAGE, deliveryReport, deliveryReportCsv, type DeliveryReportRow } from '../../shared/broadcasts/delivery-report.js';

/**
 * The most rows the console puts in one download: about 3.5 MB of CSV, within what API Gateway
 * carries back from a function (6 MB) and a request's time. A larger report is read a page at a
 * time through the API or `crier broadcasts report`, which the page then says.
 */
const CONSOLE_REPORT_MAX_ROWS = 50 * DELIVERY_REPORT_MAX_PAGE;

/** Ids as the stores make them (ULIDs; tests' sequential ids): anything else is no broadcast. */
const BROADCAST_ID = /^[0-9A-Za-z-]{1,64}$/;

/** Statuses a broadcast can still be stopped from (cancelBroadcast's own list). */
const stoppable = ['draft', 'pending_approval', 'scheduled', 'sending'];

/**
 * One broadcast: its page (timeline, live progress, what it says), the progress as JSON for the
 * page's script, Stop sending, and the approver's Approve and Reject. Every action goes through
 * its use case as the person; the page only offers what `authorize` would allow.
 */
export function oneBroadcastPages(deps: ConsoleDependencies) {
  const routes = new Hono<ConsoleEnv>();
  const { timeZone } = deps.broadcasts.window;

  /**
   * The broadcast, as the person may see it. Another department's is answered as one that does
   * not exist (404, as a test key's view of a live one is): a page must not confirm it is there.
   */
  async function load(c: Context<ConsoleEnv>): Promise<Broadcast> {
    const id = c.req.param('id') ?? '';
    if (!BROADCAST_ID.test(id)) throw new NotFoundError(`no broadcast ${id}`);
    try {
      return await getBroadcast(deps.broadcasts, signedIn(c).principal, id);
    } catch (error) {
      if (error instanceof ForbiddenError) throw new NotFoundError(`no broadcast ${id}`);
      throw error;
    }
  }

  function mayApprove(c: Context<ConsoleEnv>, broadcast: Broadcast): boolean {
    const { principal } = signedIn(c);
    return (
      broadcast.status === 'pending_approval' &&
      departmentsOf(broadcast).every((department) => may(principal, 'broadcasts:approve', { department, mode: broadcast.mode })) &&
      approvalRefusal(principal, broadcast) === undefined
    );
  }

  function mayStop(c: Context<ConsoleEnv>, broadcast: Broadcast): boolean {
    const { principal } = signedIn(c);
    return stoppable.includes(broadcast.status) && departmentsOf(broadcast).every((department) => may(principal, 'broadcasts:cancel', { department, mode: broadcast.mode }));
  }

  function texts(broadcast: Broadcast) {
    return [
      { language: languageNames.en.en, text: broadcast.body },
      ...Object.entries(broadcast.variants ?? {}).map(([language, text]) => ({ language: languageNames.en[language as Language], text: text ?? '' })),
    ];
  }

  routes.get('/console/broadcasts/:id', async (c) => {
    const broadcast = await load(c);
    const nameOf = await namesOf(deps.broadcasts, peopleOf(broadcast));
    return page(c, 'broadcasts/broadcast.njk', {
      pageTitle: 'Broadcast',
      backLink: '/console/',
      broadcast,
      texts: texts(broadcast),
      progress: progressView(broadcast),
      timeline: timeline(broadcast, nameOf, timeZone, deps.broadcasts.clock.now()),
      mayApprove: mayApprove(c, broadcast),
      mayStop: mayStop(c, broadcast),
      // Only once sending has begun: before that there is nothing to report.
      ...(['sending', 'sent', 'cancelled'].includes(broadcast.status) ? { reportHref: `/console/broadcasts/${broadcast.id}/report.csv` } : {}),
      scripts: ['progress.js'],
    });
  });

  // The delivery report as one CSV file: the same use case as GET /v1/broadcasts/{id}/report,
  // every page of it, numbers masked unless the person may read residents.
  routes.get('/console/broadcasts/:id/report.csv', async (c) => {
    const broadcast = await load(c);
    const { principal } = signedIn(c);
    const rows: DeliveryReportRow[] = [];
    let cursor: string | undefined;
    do {
      const pageOfRows = await deliveryReport(deps.broadcasts, principal, broadcast.id, { limit: DELIVERY_REPORT_MAX_PAGE, ...(cursor ? { cursor } : {}) });
      rows.push(...pageOfRows.rows);
      cursor = pageOfRows.cursor;
    } while (cursor !== undefined && rows.length < CONSOLE_REPORT_MAX_ROWS);
    if (cursor !== undefined) {
      return messagePage(c, 413, 'This report is too large to download here', [
        `It has more than ${CONSOLE_REPORT_MAX_ROWS.toLocaleString('en-GB')} rows.`,
        `Ask an operator to download it with: crier broadcasts report ${broadcast.id} > report.csv`,
      ], { href: `/console/broadcasts/${broadcast.id}`, text: 'Back to the broadcast' });
    }
    c.header('content-type', 'text/csv; charset=utf-8');
    c.header('content-disposition', `attachment; filename="broadcast-${broadcast.id}-report.csv"`);
    c.header('cache-control', 'no-store');
    return c.body(deliveryReportCsv(rows));
  });

  routes.get('/console/broadcasts/:id/progress', async (c) => c.json(progressView(await load(c))));

  routes.get('/console/broadcasts/:id/stop', async (c) => {
    const broadcast = await load(c);
    return page(c, 'broadcasts/stop.njk', { pageTitle: 'Stop sending this broadcast?', backLink: `/console/broadcasts/${broadcast.id}`, broadcast, progress: progressView(broadcast) });
  });
  routes.post('/console/broadcasts/:id/stop', async (c) => {
    const broadcast = await load(c);
    await cancelBroadcast(deps.broadcasts, signedIn(c).principal, broadcast.id);
    return c.redirect(`/console/broadcasts/${broadcast.id}`, 303);
  });

  async function approvePage(c: Context<ConsoleEnv>, broadcast: Broadcast, errors: FieldError[] = []) {
    const preview = await previewBroadcast(deps.broadcasts, signedIn(c).principal, broadcast.id);
    const topics = await Promise.all(broadcast.topics.map((id) => deps.broadcasts.stores.topics.get(id)));
    const check = checkView(preview, { ...broadcast, topicNames: topics.map((topic, index) => topic?.name ?? broadcast.topics[index]!) }, { timeZone, now: deps.broadcasts.clock.now(), change: undefined });
    const nameOf = await namesOf(deps.broadcasts, [broadcast.createdBy]);
    return page(
      c,
      'broadcasts/approve.njk',
      {
        pageTitle: 'Approve this broadcast',
        backLink: `/console/broadcasts/${broadcast.id}`,
        errors,
        fieldErrors: Object.fromEntries(errors.map((error) => [error.href.slice(1), { text: error.text }])),
        broadcast,
        author: nameOf(broadcast.createdBy),
        check,
        confirmLabel: `I understand this will send to ${plural(check.total, 'resident')}`,
        mayApprove: mayApprove(c, broadcast),
        refusal: broadcast.status !== 'pending_approval' ? 'This broadcast is not waiting for approval.' : sentence(approvalRefusal(signedIn(c).principal, broadcast) ?? 'you cannot approve this broadcast'),
      },
      errors.length ? 400 : 200,
    );
  }

  routes.get('/console/broadcasts/:id/approve', async (c) => approvePage(c, await load(c)));
  routes.post('/console/broadcasts/:id/approve', async (c) => {
    const broadcast = await load(c);
    const form = (await c.req.parseBody({ all: true })) as FormBody;
    if (form.confirm !== 'yes') {
      return approvePage(c, broadcast, [{ text: 'Tick the box to confirm you understand who this will send to', href: '#confirm' }]);
    }
    // The use case decides (the author, another department, a broadcast no longer waiting): its refusal is shown as a page.
    await approveBroadcast(deps.broadcasts, signedIn(c).principal, broadcast.id);
    return c.redirect(`/console/broadcasts/${broadcast.id}`, 303);
  });

  function rejectPage(c: Context<ConsoleEnv>, broadcast: Broadcast, reason = '', errors: FieldError[] = []) {
    return page(
      c,
      'broadcasts/reject.njk',
      {
        pageTitle: 'Reject this broadcast',
        backLink: `/console/broadcasts/${broadcast.id}/approve`,
        errors,
        fieldErrors: Object.fromEntries(errors.map((error) => [error.href.slice(1), { text: error.text }])),
        broadcast,
        reason,
      },
      errors.length ? 400 : 200,
    );
  }
  routes.get('/console/broadcasts/:id/reject', async (c) => rejectPage(c, await load(c)));
  routes.post('/console/broadcasts/:id/reject', async (c) => {
    const broadcast = await load(c);
    const form = (await c.req.parseBody({ all: true })) as FormBody;
    const typed = typeof form.reason === 'string' ? form.reason : '';
    // The API's own rule and words for a reason ("say why, so the author can put it right").
    const parsed = rejectBroadcastRequest.safeParse({ reason: typed });
    if (!parsed.success) return rejectPage(c, broadcast, typed, parsed.error.issues.map((issue) => ({ text: fieldMessage('Reason', issue.message), href: '#reason' })));
    await rejectBroadcast(deps.broadcasts, signedIn(c).principal, broadcast.id, parsed.data.reason);
    return c.redirect(`/console/broadcasts/${broadcast.id}`, 303);
  });
  return routes;
}
