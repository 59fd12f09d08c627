import type { z } from 'zod';
import type { createTopicRequest } from '../api/schemas.js';
import { NotFoundError } from '../domain/errors.js';
import type { Principal, Topic } from '../domain/model.js';
import { authorize } from './access.js';
import { recordAudit } from './audit.js';
import type { CoreDependencies } from './dependencies.js';

export type CreateTopicInput = z.infer<typeof createTopicRequest>;
export type TopicView = Topic & { subscribers: number };

const DEFAULT_DEPARTMENT = 'general';

export async function createTopic(deps: CoreDependencies, principal: Principal, input: CreateTopicInput): Promise<TopicView> {
  const department = input.department ?? (principal.role === 'operator' ? DEFAULT_DEPARTMENT : principal.department);
  authorize(principal, 'topics:create', department);
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
  await recordAudit(deps, principal, 'topic.create', { type: 'topic', id: topic.id }, { after: { ...topic } });
  return { ...topic, subscribers: 0 };
}

export async function listTopics(deps: CoreDependencies, principal: Principal): Promise<TopicView[]> {
  authorize(principal, 'topics:read');
  const topics = (await deps.stores.topics.list()).filter(
    (topic) => principal.role === 'operator' || topic.department === principal.department,
  );
  return Promise.all(topics.map(async (topic) => ({ ...topic, subscribers: await deps.stores.topics.subscriberCount(topic.id) })));
}

export async function getTopic(deps: CoreDependencies, principal: Principal, id: string): Promise<TopicView> {
  const topic = await deps.stores.topics.get(id);
  if (!topic) throw new NotFoundError(`no topic "${id}"`);
  authorize(principal, 'topics:read', topic.department);
  return { ...topic, subscribers: await deps.stores.topics.subscriberCount(id) };
}
