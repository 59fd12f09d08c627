import { Hono, type Context } from 'hono';
import { NotFoundError, ValidationError } from '../../shared/domain/errors.js';
import type { Topic } from '../../shared/domain/model.js';
import { phoneNumberField, toE164, type E164 } from '../../shared/domain/phone.js';
import { parseParameter } from '../../shared/runtime/http/request.js';
import { authorize } from '../../shared/staff/access.js';
import { eraseSubscriber, getSubscriber, type SubscriberView } from '../../shared/residents/subscribers.js';
import type { ConsoleEnv } from '../console-env.js';
import type { ConsoleDependencies } from '../dependencies.js';
import { messagePage, page } from '../page.js';
import type { FieldError } from '../views-model/field-error.js';
import { namesOf } from '../people.js';
import { sentence } from '../sentence.js';
import { signedIn } from '../signed-in.js';
import { may } from '../views-model/permissions.js';
import { actorsOf, phoneForPeople, residentPath, residentView } from '../views-model/resident.js';
import { recentImportBatches } from '../../shared/residents/import-subscribers/import-batches.js';
import { importBatchLine } from '../views-model/import-batch.js';
import { messagesToResident } from '../../shared/residents/messages-to-resident.js';
import { residentMessagesView } from '../views-model/resident-messages.js';

/** Recent imports the residents page lists. */
const RECENT_IMPORTS = 10;

const FIND = '/console/residents';

/** Each field's error message beside it: the summary's href names the field. */
function fieldErrors(errors: FieldError[]): Record<string, { text: string }> {
  return Object.fromEntries(errors.map((error) => [error.href.replace(/^#/, ''), { text: error.text }]));
}

/** What the find page says when no resident has the number: plainly, and what may explain it. */
function notFoundText(phone: string): string {
  return `No resident has the number ${phoneForPeople(phone)}. They may never have texted, or they may have been erased.`;
}

/** A form field as one string: a field sent twice, or as a file, is read as empty. */
function formText(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/**
 * Residents: find one by number, their page (profile, subscriptions, consent history with its
 * evidence) and erasure with a typed confirmation. Each goes through the use case the admin API's
 * `GET` and `DELETE /v1/subscribers/{phone}` call, as the person, so the same rules decide who may
 * (today operators only, live ones: a resident's number and history are not test data).
 */
export function residentsPages(deps: ConsoleDependencies) {
  const routes = new Hono<ConsoleEnv>();
  const phoneField = phoneNumberField(deps.defaultCountry);
  const { timeZone } = deps.broadcasts.window;

  /**
   * The residents page: find a resident (for those who may read residents), and import from a
   * spreadsheet with the latest imports (for those who may import: senders too, who collect that
   * consent but may not read a resident's history).
   */
  async function findPage(c: Context<ConsoleEnv>, view: { phone?: string; errors?: FieldError[]; notFound?: string } = {}) {
    const { principal } = signedIn(c);
    const mayFind = may(principal, 'subscribers:read');
    const mayImport = may(principal, 'subscribers:import');
    if (!mayFind && !mayImport) authorize(principal, 'subscribers:read');
    const errors = view.errors ?? [];
    const status = errors.length ? 400 : view.notFound ? 404 : 200;
    const batches = mayImport ? await recentImportBatches(deps.broadcasts, principal, RECENT_IMPORTS) : [];
    const nameOf = await namesOf(deps.broadcasts, [...new Set(batches.map((batch) => batch.actor))]);
    return page(
      c,
      'residents/find.njk',
      {
        pageTitle: mayFind ? 'Find a resident' : 'Residents',
        mayFind,
        mayImport,
        imports: batches.map((batch) => importBatchLine(batch, { nameOf, timeZone })),
        ...view,
        errors,
        fieldErrors: fieldErrors(errors),
      },
      status,
    );
  }

  /** The number in the page's path, as the API reads its path: anything but a number is no page at all. */
  function phoneOfPath(c: Context<ConsoleEnv>): E164 {
    const raw = c.req.param('phone') ?? '';
    try {
      return parseParameter(raw, 'phone', phoneField) as E164;
    } catch (error) {
      if (error instanceof ValidationError) throw new NotFoundError(`there is no page for "${raw}"`);
      throw error;
    }
  }

  /** The resident, or undefined when there is none with this number (never texted, or erased). */
  async function find(c: Context<ConsoleEnv>, phone: string): Promise<SubscriberView | undefined> {
    try {
      return await getSubscriber(deps.broadcasts, signedIn(c).principal, phone);
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  }

  function notFoundPage(c: Context<ConsoleEnv>, phone: string) {
    return messagePage(c, 404, 'No resident found', [notFoundText(phone)], { href: FIND, text: 'Find a resident' });
  }

  async function view(subscriber: SubscriberView) {
    const topicIds = [...new Set([...subscriber.subscriptions.map(({ topicId }) => topicId), ...subscriber.consentHistory.flatMap(({ topicId }) => (topicId ? [topicId] : []))])];
    const topics = new Map<string, Topic>();
    await Promise.all(
      topicIds.map(async (id) => {
        const topic = await deps.broadcasts.stores.topics.get(id);
        if (topic) topics.set(id, topic);
      }),
    );
    const nameOf = await namesOf(deps.broadcasts, actorsOf(subscriber.consentHistory));
    return residentView(subscriber, { topics, nameOf, timeZone });
  }

  routes.get(FIND, (c) => findPage(c));

  // A POST, not a GET form: a number in a query string would be kept in browser history and access logs.
  routes.post(FIND, async (c) => {
    authorize(signedIn(c).principal, 'subscribers:read');
    const typed = formText((await c.req.parseBody()).phone).trim();
    if (!typed) return findPage(c, { errors: [{ text: "Enter the resident's phone number", href: '#phone' }] });
    let phone: E164;
    try {
      phone = parseParameter(typed, 'phone', phoneField) as E164;
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      // The API's own words for the same number, so staff and scripts are told the same thing.
      const message = error.details[0]?.message ?? error.message;
      return findPage(c, { phone: typed, errors: [{ text: sentence(message), href: '#phone' }] });
    }
    if (!(await find(c, phone))) return findPage(c, { phone: typed, notFound: notFoundText(phone) });
    return c.redirect(residentPath(phone), 303);
  });

  routes.get(`${FIND}/:phone`, async (c) => {
    const phone = phoneOfPath(c);
    const subscriber = await find(c, phone);
    if (!subscriber) return notFoundPage(c, phone);
    const [resident, sent] = await Promise.all([view(subscriber), messagesToResident(deps.broadcasts, signedIn(c).principal, phone)]);
    const topicNames = new Map(await Promise.all([...new Set(sent.messages.flatMap(({ topicId }) => (topicId ? [topicId] : [])))].map(async (id) => [id, (await deps.broadcasts.stores.topics.get(id))?.name ?? id] as const)));
    return page(c, 'residents/resident.njk', {
      pageTitle: resident.phoneForPeople,
      backLink: FIND,
      resident,
      sent: residentMessagesView(sent, { timeZone, topicName: (id) => topicNames.get(id) ?? id }),
      mayErase: may(signedIn(c).principal, 'subscribers:erase'),
    });
  });

  async function erasePage(c: Context<ConsoleEnv>, subscriber: SubscriberView, confirm = '', errors: FieldError[] = []) {
    const resident = await view(subscriber);
    return page(
      c,
      'residents/erase.njk',
      { pageTitle: 'Erase this resident', backLink: resident.path, resident, confirm, errors, fieldErrors: fieldErrors(errors) },
      errors.length ? 400 : 200,
    );
  }

  routes.get(`${FIND}/:phone/erase`, async (c) => {
    authorize(signedIn(c).principal, 'subscribers:erase');
    const phone = phoneOfPath(c);
    const subscriber = await find(c, phone);
    if (!subscriber) return notFoundPage(c, phone);
    return erasePage(c, subscriber);
  });

  routes.post(`${FIND}/:phone/erase`, async (c) => {
    const { principal } = signedIn(c);
    authorize(principal, 'subscribers:erase');
    const phone = phoneOfPath(c);
    const subscriber = await find(c, phone);
    if (!subscriber) return notFoundPage(c, phone);
    const confirm = formText((await c.req.parseBody()).confirm).trim();
    // The number typed again, in either form, must be this resident's: a slip on the find page
    // (a neighbour's number) is caught here, before anything is deleted.
    if (!confirm) return erasePage(c, subscriber, confirm, [{ text: "Type the resident's number again to confirm", href: '#confirm' }]);
    if (toE164(confirm, deps.defaultCountry) !== phone) {
      return erasePage(c, subscriber, confirm, [{ text: "The number you typed does not match this resident's number", href: '#confirm' }]);
    }
    await eraseSubscriber(deps.broadcasts, principal, phone);
    return page(c, 'residents/erased.njk', { pageTitle: 'Resident erased', phoneForPeople: phoneForPeople(phone) });
  });

  return routes;
}
