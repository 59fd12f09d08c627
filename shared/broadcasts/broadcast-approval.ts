import { ConflictError, ForbiddenError } from '../domain/errors.js';
import { refusalFor } from './broadcast-lifecycle.js';
import type { ApprovalLevel, Broadcast, Principal } from '../domain/model.js';
import { authorize } from '../staff/access.js';
import { recordAudit } from '../staff/audit.js';
import { estimateAudience } from './broadcast-audience.js';
import { releaseBroadcast } from './broadcast-start.js';
import { getBroadcast } from './broadcast-reads.js';
import { departmentsOf, effectiveLimits } from '../usage/department-limits.js';
import type { BroadcastDependencies } from '../ports/dependencies.js';

/**
 * Sends a draft on its way: to a second person where a topic asks for the two-person rule, or to
 * an operator when the audience is above a department's threshold; otherwise released at once.
 */
export async function submitBroadcast(deps: BroadcastDependencies, principal: Principal, id: string): Promise<Broadcast> {
  const broadcast = await getBroadcast(deps, principal, id);
  for (const department of departmentsOf(broadcast)) authorize(principal, 'broadcasts:create', { department, mode: broadcast.mode });
  if (broadcast.status !== 'draft') throw new ConflictError(refusalFor('submit', broadcast.status));
  const submitted = await submitDraft(deps, broadcast);
  await recordAudit(deps, principal, 'broadcast.submit', { type: 'broadcast', id }, {
    before: { status: 'draft' },
    after: { status: submitted.status, approval: submitted.approval, audience: submitted.audience, startsAt: submitted.startsAt },
  });
  return submitted;
}

/** The submission itself, shared with `createBroadcast` for broadcasts not kept as drafts. */
export async function submitDraft(deps: BroadcastDependencies, broadcast: Broadcast): Promise<Broadcast> {
  const audience = await estimateAudience(deps, broadcast);
  const approval = await approvalNeeded(deps, broadcast, audience);
  if (approval === 'none') return releaseBroadcast(deps, broadcast, 'draft', { approval, audience });
  if (!(await deps.stores.broadcasts.transition(broadcast.id, ['draft'], 'pending_approval', { approval, audience }))) {
    throw new ConflictError(`broadcast ${broadcast.id} is no longer a draft`);
  }
  return { ...broadcast, status: 'pending_approval', approval, audience };
}

export async function approveBroadcast(deps: BroadcastDependencies, principal: Principal, id: string): Promise<Broadcast> {
  const broadcast = await getBroadcast(deps, principal, id);
  for (const department of departmentsOf(broadcast)) authorize(principal, 'broadcasts:approve', { department, mode: broadcast.mode });
  checkApprover(principal, broadcast);
  if (broadcast.status !== 'pending_approval') throw new ConflictError(refusalFor('approve', broadcast.status));
  // A topic archived while the broadcast waited takes no broadcasts: approving it is refused.
  const archived = (await Promise.all(broadcast.topics.map((topicId) => deps.stores.topics.get(topicId)))).filter(
    (topic) => topic?.archivedAt !== undefined,
  );
  if (archived.length > 0) {
    throw new ConflictError(`topic "${archived[0]!.id}" has been archived since the broadcast was made; cancel it instead`);
  }
  const approved = await releaseBroadcast(deps, broadcast, 'pending_approval', {
    approval: broadcast.approval,
    audience: broadcast.audience ?? (await estimateAudience(deps, broadcast)),
    approvedBy: principal.keyId,
    approvedAt: deps.clock.now().toISOString(),
  });
  await recordAudit(deps, principal, 'broadcast.approve', { type: 'broadcast', id }, {
    before: { status: broadcast.status },
    after: { status: approved.status, approvedBy: principal.keyId, startsAt: approved.startsAt },
  });
  return approved;
}

/** A second person turns a broadcast down, saying why; the author can make a new one. */
export async function rejectBroadcast(deps: BroadcastDependencies, principal: Principal, id: string, reason: string): Promise<Broadcast> {
  const broadcast = await getBroadcast(deps, principal, id);
  for (const department of departmentsOf(broadcast)) authorize(principal, 'broadcasts:approve', { department, mode: broadcast.mode });
  checkApprover(principal, broadcast);
  const changes = { rejectedBy: principal.keyId, rejectionReason: reason };
  if (!(await deps.stores.broadcasts.transition(id, ['pending_approval'], 'rejected', changes))) {
    throw new ConflictError(refusalFor('reject', (await getBroadcast(deps, principal, id)).status));
  }
  await recordAudit(deps, principal, 'broadcast.reject', { type: 'broadcast', id }, {
    before: { status: broadcast.status },
    after: { status: 'rejected', ...changes },
  });
  return { ...broadcast, status: 'rejected', ...changes };
}

/**
 * Whose approval a broadcast of this audience needs: an operator above a department's threshold,
 * else a department approver where a topic asks for the two-person rule, else nobody's.
 */
export async function approvalNeeded(
  deps: BroadcastDependencies,
  broadcast: Pick<Broadcast, 'topics' | 'department'>,
  audience: number,
): Promise<ApprovalLevel> {
  for (const department of departmentsOf(broadcast)) {
    const { operatorApprovalAbove } = await effectiveLimits(deps, department);
    if (operatorApprovalAbove > 0 && audience > operatorApprovalAbove) return 'operator';
  }
  const topics = await Promise.all(broadcast.topics.map((topicId) => deps.stores.topics.get(topicId)));
  return topics.some((topic) => topic?.requiresApproval) ? 'department' : 'none';
}

/**
 * Why this principal may not approve (or reject) this broadcast under the two-person rule and
 * operator-level approval, or undefined when they may: pages ask it to decide what to offer,
 * and the use cases refuse with it. (A test key never reaches a live broadcast: see getBroadcast.)
 */
export function approvalRefusal(principal: Principal, broadcast: Pick<Broadcast, 'createdBy' | 'approval' | 'audience'>): string | undefined {
  if (broadcast.createdBy === principal.keyId) return 'a broadcast must be approved by someone other than its author';
  if (broadcast.approval === 'operator' && principal.role !== 'operator') {
    return `this broadcast reaches ${broadcast.audience ?? 'more'} residents, above its department's threshold: an operator must approve it`;
  }
  return undefined;
}

function checkApprover(principal: Principal, broadcast: Broadcast): void {
  const refusal = approvalRefusal(principal, broadcast);
  if (refusal !== undefined) throw new ForbiddenError(refusal);
}
