import { refusalFor } from './broadcast-lifecycle.js';
import { ConflictError, ValidationError } from '../domain/errors.js';
import type { MessageContent } from '../domain/message-content.js';
import type { Broadcast, Principal, Priority } from '../domain/model.js';
import type { TargetingFilters } from '../domain/targeting.js';
import { authorize } from '../staff/access.js';
import { recordAudit } from '../staff/audit.js';
import { submitDraft } from './broadcast-approval.js';
import { getBroadcast } from './broadcast-reads.js';
import { departmentsOf, releaseDailyCap } from '../usage/department-limits.js';
import type { BroadcastDependencies, CoreDependencies } from '../ports/dependencies.js';
import { templateVersion } from '../templates/manage-templates.js';

/**
 * A new broadcast, as the admin API's request (createBroadcastRequest) and the console's form
 * give it once validated: declared here so the use case does not depend on either's wire format;
 * tsc checks the API's parsed request against it where the handler passes one on.
 */
export interface CreateBroadcastInput extends MessageContent {
  topics: string[];
  filters?: TargetingFilters | undefined;
  priority: Priority;
  /** When to start (ISO 8601 with an offset); absent: as soon as it is released. */
  sendAt?: string | undefined;
  /** Keep it as a draft instead of submitting it; absent means submit. */
  draft?: boolean | undefined;
  /** The saved template (and its version) it was written from. */
  fromTemplate?: { id: string; version: number } | undefined;
}

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
  for (const department of departments) authorize(principal, 'broadcasts:create', { department });

  const now = deps.clock.now();
  if (input.sendAt !== undefined) checkSendAt(input.sendAt, now);
  // The template it came from must be one the author may read (another department's is 404), at a version it had.
  const fromTemplate = input.fromTemplate && (await templateVersion(deps, principal, input.fromTemplate.id, input.fromTemplate.version));
  const broadcast: Broadcast = {
    id: deps.ids.next(),
    topics: topicIds,
    body: input.body,
    variants: input.variants,
    whatsappTemplate: input.whatsappTemplate,
    filters: input.filters,
    ...(fromTemplate ? { fromTemplate: { id: fromTemplate.id, version: fromTemplate.version, name: fromTemplate.name } } : {}),
    priority: input.priority,
    status: 'draft',
    department: [...departments].sort().join(','),
    createdBy: principal.keyId,
    createdAt: now.toISOString(),
    sendAt: input.sendAt === undefined ? undefined : new Date(input.sendAt).toISOString(),
    startsAt: undefined,
    approval: 'none',
    approvedBy: undefined,
    audience: undefined,
    mode: principal.mode,
    fanOutPending: topicIds.length * deps.topicShards,
    counts: { targeted: 0, sent: 0, delivered: 0, undelivered: 0, failed: 0, skipped: 0, skippedBy: {} },
  };
  await deps.stores.broadcasts.create(broadcast);
  let created = broadcast;
  if (!input.draft) {
    try {
      created = await submitDraft(deps, broadcast);
    } catch (error) {
      // Nothing half-written: a broadcast that could not be submitted (over a limit, its fan-out
      // not queued) does not exist.
      await deps.stores.broadcasts.delete(broadcast.id);
      throw error;
    }
  }
  await recordAudit(deps, principal, 'broadcast.create', { type: 'broadcast', id: broadcast.id }, { after: auditView(created) });
  return created;
}

export async function cancelBroadcast(deps: CoreDependencies, principal: Principal, id: string): Promise<Broadcast> {
  const broadcast = await getBroadcast(deps, principal, id);
  for (const department of departmentsOf(broadcast)) authorize(principal, 'broadcasts:cancel', { department, mode: broadcast.mode });
  const changes = { cancelledBy: principal.keyId, cancelledAt: deps.clock.now().toISOString() };
  // A scheduled broadcast is cancelled by its own move, so that one the scheduler started a moment
  // ago is not mistaken for one that never started (whose cap and start are given back).
  if (await deps.stores.broadcasts.transition(id, ['scheduled'], 'cancelled', changes)) {
    if (broadcast.startsAt !== undefined) await deps.stores.broadcasts.clearScheduledStart({ broadcastId: id, startsAt: broadcast.startsAt });
    await releaseDailyCap(deps, broadcast);
  } else if (!(await deps.stores.broadcasts.transition(id, ['draft', 'pending_approval', 'sending'], 'cancelled', changes))) {
    throw new ConflictError(refusalFor('cancel', (await getBroadcast(deps, principal, id)).status));
  }
  await recordAudit(deps, principal, 'broadcast.cancel', { type: 'broadcast', id }, {
    before: { status: broadcast.status },
    after: { status: 'cancelled' },
  });
  return { ...broadcast, status: 'cancelled', ...changes };
}

/** How far ahead a broadcast may be scheduled: further than this is more likely a typo than a plan. */
const MAX_SCHEDULE_DAYS = 90;

/** Refuses a start in the past or too far ahead (ValidationError on `sendAt`); the console asks it at the "when" step. */
export function checkSendAt(sendAt: string, now: Date): void {
  const at = Date.parse(sendAt);
  if (at <= now.getTime()) {
    throw new ValidationError('the broadcast is scheduled in the past', [{ field: 'sendAt', message: `must be after now (${now.toISOString()})` }]);
  }
  if (at > now.getTime() + MAX_SCHEDULE_DAYS * 24 * 3600 * 1000) {
    throw new ValidationError('the broadcast is scheduled too far ahead', [{ field: 'sendAt', message: `must be within ${MAX_SCHEDULE_DAYS} days` }]);
  }
}

/** What the audit log keeps of a new broadcast: what was to be said, to whom, how. */
function auditView(broadcast: Broadcast): Record<string, unknown> {
  const { id, topics, body, variants, whatsappTemplate, filters, fromTemplate, priority, status, department, mode, sendAt, startsAt, approval, audience } = broadcast;
  return { id, topics, body, variants, whatsappTemplate, filters, fromTemplate, priority, status, department, mode, sendAt, startsAt, approval, audience };
}

