import { z } from 'zod';
import { localDayBounds } from '../domain/local-days.js';
import { topicIdSchema, type Principal } from '../domain/model.js';
import type { InboxListInput } from './inbox-and-reply-texts.js';

/** A broadcast's or a staff member's id as a filter takes it from a query string. */
const idSchema = z.string().trim().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be an id (letters, digits, - or _)');
const daySchema = z.iso.date({ error: 'must be a real date, like 2026-03-27' });

/**
 * What the inbox can be filtered by, as the console's query string and the API's carry it, so a
 * filtered view can be bookmarked: handled or not, the topic, the broadcast a text answers, the
 * days received (in the deployment's time zone, both inclusive) and who it is assigned to (`me`:
 * the person asking).
 */
export const inboxFilterSchema = z
  .object({
    status: z.enum(['all', 'unhandled', 'handled'], { error: 'must be all, unhandled or handled' }).default('all'),
    topic: topicIdSchema.optional(),
    broadcast: idSchema.optional(),
    receivedFrom: daySchema.optional(),
    receivedTo: daySchema.optional(),
    assignedTo: idSchema.optional(),
  })
  .superRefine((filter, ctx) => {
    if (filter.receivedFrom && filter.receivedTo && filter.receivedFrom > filter.receivedTo) {
      ctx.addIssue({ code: 'custom', path: ['receivedTo'], message: 'must be the same as or after the from date' });
    }
  });
export type InboxFilter = z.output<typeof inboxFilterSchema>;

/** The filter's fields as a form or query string names them, for error messages and links. */
export const inboxFilterFields = ['status', 'topic', 'broadcast', 'receivedFrom', 'receivedTo', 'assignedTo'] as const;

/** Empty strings are what an unfilled form field sends: they mean "not filtered", not "invalid". */
export function withoutEmptyFields(raw: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(raw).filter(([, value]) => typeof value !== 'string' || value.trim() !== ''));
}

/** Which of a department's messages a listing or an export reads (all but paging and handled). */
export type InboxSelection = Omit<InboxListInput, 'limit' | 'cursor' | 'handled' | 'department'> & { department: string };

/** What a status filter asks of the store: undefined for all. */
export function handledOf(status: InboxFilter['status']): boolean | undefined {
  return status === 'all' ? undefined : status === 'handled';
}

/**
 * The listing's query for a filter: days become the instants their first and last moments are in
 * `timeZone` (where the people reading the inbox are), and `me` the person's own id.
 */
export function inboxQueryOf(
  filter: InboxFilter,
  context: { principal: Principal; department: string; timeZone: string },
): InboxSelection {
  const { receivedFrom, receivedTo } = filter;
  return {
    department: context.department,
    ...(filter.topic === undefined ? {} : { topic: filter.topic }),
    ...(filter.broadcast === undefined ? {} : { broadcastId: filter.broadcast }),
    ...(filter.assignedTo === undefined ? {} : { assignedTo: filter.assignedTo === 'me' ? context.principal.keyId : filter.assignedTo }),
    ...(receivedFrom === undefined ? {} : { receivedFrom: localDayBounds(receivedFrom, context.timeZone).start }),
    ...(receivedTo === undefined ? {} : { receivedTo: localDayBounds(receivedTo, context.timeZone).end }),
  };
}

/** The filter as a query string (without the defaults), for bookmarkable links such as the next page's. */
export function filterQueryString(filter: Partial<InboxFilter>, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const field of inboxFilterFields) {
    const value = filter[field];
    if (value !== undefined && !(field === 'status' && value === 'all')) params.set(field, value);
  }
  for (const [key, value] of Object.entries(extra)) params.set(key, value);
  const text = params.toString();
  return text ? `?${text}` : '';
}
