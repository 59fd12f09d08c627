import type { Broadcast, BroadcastStatus, Principal } from '../domain/model.js';
import { NotFoundError } from '../domain/errors.js';
import type { Page } from '../ports/page.js';
import { authorize, reaches } from '../staff/access.js';
import { departmentsOf } from '../usage/department-limits.js';
import type { CoreDependencies } from '../ports/dependencies.js';

/*
 * A broadcast as a principal may see it: read here by every step of its lifecycle (create, submit,
 * approve, reject, cancel), so that no step imports another only to read a broadcast.
 */

export async function getBroadcast(deps: CoreDependencies, principal: Principal, id: string): Promise<Broadcast> {
  const broadcast = await deps.stores.broadcasts.get(id);
  // Every use case on a broadcast starts here, so none can show or change a live one to a test key.
  if (!broadcast || !reaches(principal, broadcast)) throw new NotFoundError(`no broadcast ${id}`);
  // A broadcast over topics of several departments is reachable by operators only.
  for (const department of departmentsOf(broadcast)) authorize(principal, 'broadcasts:read', { department, mode: broadcast.mode });
  return broadcast;
}

/** The broadcasts a key can see, newest first, a page at a time: a test key's page holds test broadcasts only. */
export async function listBroadcasts(
  deps: CoreDependencies,
  principal: Principal,
  query: { status?: BroadcastStatus; limit: number; cursor?: string },
): Promise<Page<Broadcast>> {
  authorize(principal, 'broadcasts:read');
  const page = await deps.stores.broadcasts.list({ department: principal.department, status: query.status, limit: query.limit, cursor: query.cursor });
  // Filtered like the department, after the read: a page may hold fewer than `limit`, its cursor still leads on.
  return { ...page, items: page.items.filter((broadcast) => reaches(principal, broadcast)) };
}
