import type { CoreDependencies } from '../shared/ports/dependencies.js';
import { localTime } from './views-model/format.js';

export interface AnsweredBroadcast {
  id: string;
  href: string;
  /** The start of its message and when it went, as a person recognises it. */
  label: string;
}

/**
 * The broadcasts inbox entries answer (decided at receipt: shared/inbox/deliver-to-inbox.ts), named
 * for a page: the first line of each one's message and when it started. One read per broadcast.
 */
export async function answeredBroadcasts(deps: CoreDependencies, ids: readonly (string | undefined)[], timeZone: string): Promise<(id: string | undefined) => AnsweredBroadcast | undefined> {
  const found = new Map<string, AnsweredBroadcast>();
  await Promise.all(
    [...new Set(ids.filter((id): id is string => id !== undefined))].map(async (id) => {
      const broadcast = await deps.stores.broadcasts.get(id);
      if (!broadcast) return;
      found.set(id, { id, href: `/console/broadcasts/${id}`, label: broadcastLabel(broadcast, timeZone) });
    }),
  );
  return (id) => (id === undefined ? undefined : found.get(id));
}

export function broadcastLabel(broadcast: { body: string; startsAt?: string | undefined; createdAt: string }, timeZone: string): string {
  const firstLine = broadcast.body.split('\n')[0] ?? '';
  const excerpt = firstLine.length > 50 ? `${firstLine.slice(0, 49)}…` : firstLine;
  return `“${excerpt}”, ${localTime(broadcast.startsAt ?? broadcast.createdAt, timeZone)}`;
}
