import type { z } from 'zod';
import type { createBroadcastRequest } from '../api/schemas.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../domain/errors.js';
import type { Broadcast, Principal } from '../domain/model.js';
import { authorize } from './access.js';
import { recordAudit } from './audit.js';
import type { BroadcastDependencies, CoreDependencies } from './dependencies.js';

export type CreateBroadcastInput = z.infer<typeof createBroadcastRequest>;

export async function createBroadcast(
  deps: BroadcastDependencies,
  principal: Principal,
  input: CreateBroadcastInput,
): Promise<Broadcast> {
  const topicIds = [...new Set(input.topics)];
  const topics = await Promise.all(topicIds.map((id) => deps.stores.topics.get(id)));
  // The field names the topic's place in the request as sent, before duplicates were dropped.
  const missing = topicIds.flatMap((id, index) =>
    topics[index] ? [] : [{ field: `topics.${input.topics.indexOf(id)}`, message: `no topic "${id}"` }],
  );
  if (missing.length > 0) throw new ValidationError('the broadcast names topics that do not exist', missing);
  const archived = topicIds.flatMap((id, index) =>
    topics[index]?.archivedAt === undefined ? [] : [{ field: `topics.${input.topics.indexOf(id)}`, message: `topic "${id}" is archived` }],
  );
  if (archived.length > 0) throw new ValidationError('the broadcast names archived topics', archived);
  const departments = new Set(topics.map((topic) => topic!.department));
  for (const department of departments) authorize(principal, 'broadcasts:create', department);

  const needsApproval = topics.some((topic) => topic!.requiresApproval);
  const broadcast: Broadcast = {
    id: deps.ids.next(),
    topics: topicIds,
    body: input.body,
    priority: input.priority,
    status: needsApproval ? 'pending_approval' : 'sending',
    department: [...departments].sort().join(','),
    createdBy: principal.keyId,
    createdAt: deps.clock.now().toISOString(),
    approvedBy: undefined,
    mode: principal.mode,
    fanOutPending: topicIds.length * deps.topicShards,
    counts: { targeted: 0, sent: 0, delivered: 0, undelivered: 0, failed: 0, skipped: 0 },
  };
  await deps.stores.broadcasts.create(broadcast);
  if (!needsApproval) {
    try {
      await startFanOut(deps, broadcast);
    } catch (error) {
      // Nothing half-written: a broadcast whose fan-out could not be queued does not exist.
      await deps.stores.broadcasts.delete(broadcast.id);
      throw error;
    }
  }
  await recordAudit(deps, principal, 'broadcast.create', { type: 'broadcast', id: broadcast.id }, { after: auditView(broadcast) });
  return broadcast;
}

export async function approveBroadcast(deps: BroadcastDependencies, principal: Principal, id: string): Promise<Broadcast> {
  const broadcast = await getBroadcast(deps, principal, id);
  authorize(principal, 'broadcasts:approve', departmentOf(broadcast));
  if (broadcast.createdBy === principal.keyId) {
    throw new ForbiddenError('a broadcast must be approved by someone other than its author');
  }
  // A test key reaches only the sandbox: its approval must not send a live broadcast to residents.
  if (principal.mode === 'test' && broadcast.mode === 'live') {
    throw new ForbiddenError('a test key may not approve a live broadcast');
  }
  // A topic archived while the broadcast waited takes no broadcasts: approving it is refused.
  const archived = (await Promise.all(broadcast.topics.map((topicId) => deps.stores.topics.get(topicId)))).filter(
    (topic) => topic?.archivedAt !== undefined,
  );
  if (archived.length > 0) {
    throw new ConflictError(`topic "${archived[0]!.id}" has been archived since the broadcast was made; cancel it instead`);
  }
  if (!(await deps.stores.broadcasts.transition(id, ['pending_approval'], 'sending', { approvedBy: principal.keyId }))) {
    throw new ConflictError(`broadcast ${id} is ${broadcast.status}, not waiting for approval`);
  }
  try {
    await startFanOut(deps, broadcast);
  } catch (error) {
    await deps.stores.broadcasts.transition(id, ['sending'], 'pending_approval');
    throw error;
  }
  await recordAudit(deps, principal, 'broadcast.approve', { type: 'broadcast', id }, {
    before: { status: broadcast.status },
    after: { status: 'sending', approvedBy: principal.keyId },
  });
  return { ...broadcast, status: 'sending', approvedBy: principal.keyId };
}

export async function cancelBroadcast(deps: CoreDependencies, principal: Principal, id: string): Promise<Broadcast> {
  const broadcast = await getBroadcast(deps, principal, id);
  authorize(principal, 'broadcasts:cancel', departmentOf(broadcast));
  if (!(await deps.stores.broadcasts.transition(id, ['pending_approval', 'sending'], 'cancelled'))) {
    throw new ConflictError(`broadcast ${id} is already ${broadcast.status}`);
  }
  await recordAudit(deps, principal, 'broadcast.cancel', { type: 'broadcast', id }, {
    before: { status: broadcast.status },
    after: { status: 'cancelled' },
  });
  return { ...broadcast, status: 'cancelled' };
}

export async function getBroadcast(deps: CoreDependencies, principal: Principal, id: string): Promise<Broadcast> {
  const broadcast = await deps.stores.broadcasts.get(id);
  if (!broadcast) throw new NotFoundError(`no broadcast ${id}`);
  authorize(principal, 'broadcasts:read', departmentOf(broadcast));
  return broadcast;
}

/** What the audit log keeps of a new broadcast: what was to be said, to whom, how. */
function auditView(broadcast: Broadcast): Record<string, unknown> {
  const { id, topics, body, priority, status, department, mode } = broadcast;
  return { id, topics, body, priority, status, department, mode };
}

/** A broadcast over topics of several departments is reachable by operators only. */
function departmentOf(broadcast: Broadcast): string {
  return broadcast.department;
}

/** One fan-out task per topic shard, so shards are read in parallel. */
async function startFanOut(deps: BroadcastDependencies, broadcast: Broadcast): Promise<void> {
  const tasks = broadcast.topics.flatMap((topicId) =>
    Array.from({ length: deps.topicShards }, (_, shard) => ({ broadcastId: broadcast.id, topicId, shard })),
  );
  await deps.fanOutTasks.send(tasks);
}
