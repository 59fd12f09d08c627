import { Hono, type Context } from 'hono';
import { topicIdSchema } from '../../shared/domain/model.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../../shared/domain/errors.js';
import { authorize } from '../../shared/staff/access.js';
import { archiveTopic, createTopic, getTopic, listTopics, updateTopic, type TopicView } from '../../shared/topics/manage-topics.js';
import type { ConsoleEnv } from '../console-env.js';
import type { ConsoleDependencies } from '../dependencies.js';
import { page } from '../page.js';
import type { FieldError } from '../views-model/field-error.js';
import { signedIn } from '../signed-in.js';
import { sentence } from '../sentence.js';
import type { FormBody } from '../views-model/broadcast-draft.js';
import { may } from '../views-model/permissions.js';
import { conflictField, createRequestOf, emptyTopicForm, topicFormFrom, topicFormOf, updateRequestOf, type TopicForm } from '../views-model/topic-form.js';
import { allKeywords, topicListView, topicView } from '../views-model/topic-view.js';

const BASE = '/console/topics';
/** Pages of topics read for the list: 100 a page, as the API's largest. */
const LIST_PAGE = 100;

function fieldErrors(errors: FieldError[]): Record<string, { text: string }> {
  return Object.fromEntries(errors.map((error) => [error.href.replace(/^#/, ''), { text: error.text }]));
}

/**
 * The topics: the list (the person's department's; an operator's, all), a topic's page, create,
 * edit and archive. Every action goes through the topics' use cases as the person, and a form is
 * checked by the API's own request schemas, so the rules and messages are the API's.
 */
export function topicPages(deps: ConsoleDependencies) {
  const routes = new Hono<ConsoleEnv>();
  const core = deps.broadcasts;

  /**
   * The topic, as the person may see it. Another department's is answered as one that does not
   * exist (404): a page must not confirm it is there.
   */
  async function load(c: Context<ConsoleEnv>): Promise<TopicView> {
    const id = c.req.param('id') ?? '';
    if (!topicIdSchema.safeParse(id).success) throw new NotFoundError(`no topic "${id}"`);
    try {
      return await getTopic(core, signedIn(c).principal, id);
    } catch (error) {
      if (error instanceof ForbiddenError) throw new NotFoundError(`no topic "${id}"`);
      throw error;
    }
  }

  /** An archived topic cannot change (the use case says so too): its pages offer nothing. */
  function mayChange(c: Context<ConsoleEnv>, topic: TopicView, permission: 'topics:update' | 'topics:archive'): boolean {
    return topic.archivedAt === undefined && may(signedIn(c).principal, permission, { department: topic.department });
  }

  routes.get(BASE, async (c) => {
    const { principal } = signedIn(c);
    const topics: TopicView[] = [];
    let cursor: string | undefined;
    do {
      const found = await listTopics(core, principal, { archived: true, limit: LIST_PAGE, ...(cursor ? { cursor } : {}) });
      topics.push(...found.items);
      cursor = found.cursor;
    } while (cursor !== undefined);
    return page(c, 'topics/list.njk', {
      pageTitle: 'Topics',
      mayCreate: may(principal, 'topics:create'),
      ...topicListView(topics, { showDepartment: principal.role === 'operator' }),
    });
  });

  function formPage(c: Context<ConsoleEnv>, mode: 'create' | 'edit', form: TopicForm, errors: FieldError[] = [], topic?: TopicView) {
    const { principal } = signedIn(c);
    const heading = mode === 'create' ? 'Create a topic' : `Change ${topic?.name ?? 'the topic'}`;
    return page(
      c,
      'topics/form.njk',
      {
        pageTitle: heading,
        heading,
        backLink: mode === 'create' ? BASE : `${BASE}/${topic?.id}`,
        action: mode === 'create' ? `${BASE}/new` : `${BASE}/${topic?.id}/edit`,
        mode,
        form,
        errors,
        fieldErrors: fieldErrors(errors),
        isOperator: principal.role === 'operator',
        // Switching the two-person rule off takes an operator (updateTopic): said beside the box.
        approvalLocked: mode === 'edit' && principal.role !== 'operator' && topic?.requiresApproval === true,
      },
      errors.length ? 400 : 200,
    );
  }

  /** A refusal the store gives about what was typed (a keyword another topic holds, an ID in use) goes beside that field. */
  function conflictErrors(form: TopicForm, error: unknown): FieldError[] {
    if (!(error instanceof ConflictError) || !/^(keyword \S+ |topic "[^"]+" already exists)/.test(error.message)) throw error;
    return [{ text: sentence(error.message), href: conflictField(form, error.message) }];
  }

  routes.get(`${BASE}/new`, async (c) => {
    authorize(signedIn(c).principal, 'topics:create');
    return formPage(c, 'create', emptyTopicForm);
  });
  routes.post(`${BASE}/new`, async (c) => {
    const { principal } = signedIn(c);
    authorize(principal, 'topics:create');
    const form = topicFormFrom((await c.req.parseBody({ all: true })) as FormBody);
    const request = createRequestOf(form, principal.role === 'operator');
    if (!request.ok) return formPage(c, 'create', form, request.errors);
    try {
      const topic = await createTopic(core, principal, request.request);
      return c.redirect(`${BASE}/${topic.id}`, 303);
    } catch (error) {
      return formPage(c, 'create', form, conflictErrors(form, error));
    }
  });

  routes.get(`${BASE}/:id`, async (c) => {
    const topic = await load(c);
    const mayEdit = mayChange(c, topic, 'topics:update');
    return page(c, 'topics/topic.njk', {
      pageTitle: topic.name,
      backLink: BASE,
      topic,
      mayEdit,
      mayArchive: mayChange(c, topic, 'topics:archive'),
      ...topicView(topic, { editHref: mayEdit ? `${BASE}/${topic.id}/edit` : undefined, timeZone: core.window.timeZone, mayMove: signedIn(c).principal.role === 'operator' }),
    });
  });

  routes.get(`${BASE}/:id/edit`, async (c) => {
    const topic = await load(c);
    authorize(signedIn(c).principal, 'topics:update', { department: topic.department });
    if (topic.archivedAt !== undefined) throw new ConflictError(`topic "${topic.id}" is archived: it cannot be changed`);
    return formPage(c, 'edit', topicFormOf(topic), [], topic);
  });
  routes.post(`${BASE}/:id/edit`, async (c) => {
    const topic = await load(c);
    const { principal } = signedIn(c);
    authorize(principal, 'topics:update', { department: topic.department });
    const form = { ...topicFormFrom((await c.req.parseBody({ all: true })) as FormBody), id: topic.id };
    const request = updateRequestOf(form, topic, principal.role === 'operator');
    if (!request.ok) return formPage(c, 'edit', form, request.errors, topic);
    try {
      await updateTopic(core, principal, topic.id, request.request);
      return c.redirect(`${BASE}/${topic.id}`, 303);
    } catch (error) {
      return formPage(c, 'edit', form, conflictErrors(form, error), topic);
    }
  });

  routes.get(`${BASE}/:id/archive`, async (c) => {
    const topic = await load(c);
    authorize(signedIn(c).principal, 'topics:archive', { department: topic.department });
    return page(c, 'topics/archive.njk', { pageTitle: `Archive ${topic.name}?`, backLink: `${BASE}/${topic.id}`, topic, keywords: allKeywords(topic) });
  });
  routes.post(`${BASE}/:id/archive`, async (c) => {
    const topic = await load(c);
    await archiveTopic(core, signedIn(c).principal, topic.id);
    return c.redirect(`${BASE}/${topic.id}`, 303);
  });

  return routes;
}
