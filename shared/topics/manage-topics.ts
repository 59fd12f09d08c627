import { ConflictError, ForbiddenError, NotFoundError } from '../domain/errors.js';
import { generalDepartment, type Principal, type Topic } from '../domain/model.js';
import type { TopicSubscriberCounts } from './topic-store.js';
import type { Page } from '../ports/page.js';
import { authorize } from '../staff/access.js';
import { recordAudit } from '../staff/audit.js';
import type { CoreDependencies } from '../ports/dependencies.js';

/**
 * A new topic, as the admin API's request (createTopicRequest) and the console's form give it once
 * validated: declared here, not taken from either's wire format; tsc checks the API's parsed
 * request against it where the handler passes one on.
 */
export interface CreateTopicInput {
  id: string;
  name: string;
  keywords: string[];
  /** Absent: the principal's department (an operator's topic: the general one). */
  department?: string | undefined;
  requiresApproval: boolean;
  confirmedOptIn: boolean;
  aliases: Topic['aliases'];
}

/** A change to a topic: only the fields given change; `keywords` and `aliases` are replaced whole. */
export type UpdateTopicInput = {
  name?: string | undefined;
  keywords?: string[] | undefined;
  aliases?: Topic['aliases'] | undefined;
  requiresApproval?: boolean | undefined;
  confirmedOptIn?: boolean | undefined;
  department?: string | undefined;
};

/** A topic with its subscriptions counted: `subscribers` is `subscriberCounts.total`, kept for callers that read it. */
export type TopicView = Topic & { subscribers: number; subscriberCounts: TopicSubscriberCounts };

const noSubscribers: TopicSubscriberCounts = { total: 0, byChannel: { sms: 0, whatsapp: 0 }, byLanguage: { en: 0, cy: 0, es: 0, none: 0 } };

/** The topic with its counts: one read of its counters (the total, by channel and by language together). */
async function counted(deps: CoreDependencies, topic: Topic): Promise<TopicView> {
  const subscriberCounts = await deps.stores.topics.subscriberCounts(topic.id);
  return { ...topic, subscribers: subscriberCounts.total, subscriberCounts };
}


export async function createTopic(deps: CoreDependencies, principal: Principal, input: CreateTopicInput): Promise<TopicView> {
  const department = input.department ?? (principal.role === 'operator' ? generalDepartment : principal.department);
  authorize(principal, 'topics:create', { department });
  const topic: Topic = {
    id: input.id,
    name: input.name,
    keywords: input.keywords,
    department,
    requiresApproval: input.requiresApproval,
    confirmedOptIn: input.confirmedOptIn,
    aliases: input.aliases,
    createdAt: deps.clock.now().toISOString(),
  };
  await deps.stores.topics.create(topic);
  await recordAudit(deps, principal, 'topic.create', { type: 'topic', id: topic.id }, { department: topic.department, after: { ...topic } });
  return { ...topic, subscribers: 0, subscriberCounts: structuredClone(noSubscribers) };
}

export interface TopicListQuery {
  archived?: boolean;
  limit: number;
  cursor?: string;
}

/** A page of the topics the key reaches, in id order; archived ones only when asked for. */
export async function listTopics(deps: CoreDependencies, principal: Principal, query: TopicListQuery): Promise<Page<TopicView>> {
  authorize(principal, 'topics:read');
  const page = await deps.stores.topics.page({
    limit: query.limit,
    cursor: query.cursor,
    includeArchived: query.archived === true,
    department: principal.role === 'operator' ? undefined : principal.department,
  });
  const items = await Promise.all(page.items.map((topic) => counted(deps, topic)));
  return { items, cursor: page.cursor };
}

export async function getTopic(deps: CoreDependencies, principal: Principal, id: string): Promise<TopicView> {
  const topic = await deps.stores.topics.get(id);
  if (!topic) throw new NotFoundError(`no topic "${id}"`);
  authorize(principal, 'topics:read', { department: topic.department });
  return counted(deps, topic);
}

/**
 * Changes a topic's name, keywords, aliases or settings. Keywords stay unique across the
 * deployment: one another topic holds is a ConflictError naming that topic. Moving a topic to
 * another department, and switching its two-person rule off, take an operator: otherwise a
 * department could take over another's topic, or a sender's approver could wave the rule away
 * for good rather than approve one broadcast.
 */
export async function updateTopic(deps: CoreDependencies, principal: Principal, id: string, input: UpdateTopicInput): Promise<TopicView> {
  const at = deps.clock.now().toISOString();
  const result = await deps.stores.topics.update(id, (current) => {
    authorize(principal, 'topics:update', { department: current.department });
    if (current.archivedAt !== undefined) throw new ConflictError(`topic "${id}" is archived`);
    if (input.department !== undefined && input.department !== current.department && principal.role !== 'operator') {
      throw new ForbiddenError('only an operator key may move a topic to another department');
    }
    if (input.requiresApproval === false && current.requiresApproval && principal.role !== 'operator') {
      throw new ForbiddenError('only an operator key may switch off the two-person rule on a topic');
    }
    return {
      ...current,
      ...definedOnly(input),
      updatedAt: at,
    };
  });
  if (!result) throw new NotFoundError(`no topic "${id}"`);
  await recordAudit(deps, principal, 'topic.update', { type: 'topic', id }, { department: result.after.department, before: auditView(result.before), after: auditView(result.after) });
  return counted(deps, result.after);
}

/**
 * Archives a topic: residents can no longer join it (JOIN gets the unknown-topic answer), it
 * leaves HELP and TOPICS, it cannot be broadcast to, and its keywords are released for other
 * topics. Its subscriptions stay, so residents who have it can still STOP. Archiving an archived
 * topic changes nothing.
 */
export async function archiveTopic(deps: CoreDependencies, principal: Principal, id: string): Promise<TopicView> {
  const at = deps.clock.now().toISOString();
  let already: Topic | undefined;
  const result = await deps.stores.topics.update(id, (current) => {
    authorize(principal, 'topics:archive', { department: current.department });
    if (current.archivedAt !== undefined) already = current;
    return current.archivedAt !== undefined ? current : { ...current, archivedAt: at, updatedAt: at };
  });
  if (!result) throw new NotFoundError(`no topic "${id}"`);
  if (!already) {
    await recordAudit(deps, principal, 'topic.archive', { type: 'topic', id }, { department: result.after.department, before: auditView(result.before), after: auditView(result.after) });
  }
  return counted(deps, result.after);
}

function definedOnly<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as Partial<T>;
}

function auditView(topic: Topic): Record<string, unknown> {
  return JSON.parse(JSON.stringify(topic)) as Record<string, unknown>;
}
