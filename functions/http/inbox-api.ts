import type { CountryCode } from 'libphonenumber-js';
import { z } from 'zod';
import { assignRequest, handleSeveralRequest, inboxExportQuery, noteRequest } from '../../shared/api/inbox-schemas.js';
import type { ResidentsApiEnv } from '../../shared/config/env.js';
import { ValidationError } from '../../shared/domain/errors.js';
import { inboxEntryIdPattern } from '../../shared/inbox/entry-id.js';
import type { Principal } from '../../shared/domain/model.js';
import { toE164 } from '../../shared/domain/phone.js';
import { assignInboxEntry } from '../../shared/inbox/assign.js';
import { conversation, entryAsSeenBy, showsResidentNumbers } from '../../shared/inbox/conversation.js';
import { exportInbox } from '../../shared/inbox/export-inbox.js';
import { setSeveralHandled } from '../../shared/inbox/handle-several.js';
import { inboxDepartmentOf, reopenInboxEntry } from '../../shared/inbox/handling.js';
import { inboxFilterSchema, inboxQueryOf, type InboxSelection } from '../../shared/inbox/inbox-filter.js';
import { addInboxNote } from '../../shared/inbox/notes.js';
import { replyRefusalSentences } from '../../shared/inbox/reply-rules.js';
import type { InboxEntry } from '../../shared/inbox/inbox-store.js';
import type { RouteContext } from '../../shared/runtime/http/http-function.js';
import { issuesOf, parseJsonBody, parseParameter, parseQuery } from '../../shared/runtime/http/request.js';
import { csvFile, json, type HttpResult } from '../../shared/runtime/http/responses.js';
import { authenticated as authenticatedRoute, type AdminDependencies } from './admin-route.js';

export const inboxIdSchema = z.string().regex(inboxEntryIdPattern, 'is not an inbox message id');

/** An entry as this key may see it: the number masked unless it may read residents (as the console shows it). */
export function seenBy(principal: Principal, entry: InboxEntry): InboxEntry {
  return entryAsSeenBy(entry, showsResidentNumbers(principal, entry.department));
}

/**
 * The listing's and the export's filters, checked as the console checks them (the same schema),
 * a bad one refused naming its query field: the days become instants in the deployment's time zone.
 */
export function inboxSelectionOf(query: z.output<typeof inboxExportQuery>, principal: Principal, env: ResidentsApiEnv): InboxSelection & { handled?: boolean } {
  const parsed = inboxFilterSchema.safeParse({
    status: query.handled === undefined ? 'all' : query.handled ? 'handled' : 'unhandled',
    topic: query.topic,
    broadcast: query.broadcast,
    receivedFrom: query.receivedFrom,
    receivedTo: query.receivedTo,
    assignedTo: query.assignedTo,
  });
  if (!parsed.success) throw new ValidationError('the query string is invalid', issuesOf(parsed.error, 'query'));
  const from = query.from === undefined ? undefined : toE164(query.from, env.DEFAULT_COUNTRY as CountryCode);
  if (query.from !== undefined && from === undefined) {
    throw new ValidationError('the query string is invalid', [{ field: 'query.from', message: `"${query.from}" is not a valid phone number` }]);
  }
  const department = inboxDepartmentOf(principal, query.department);
  return {
    ...inboxQueryOf(parsed.data, { principal, department, timeZone: env.TIME_ZONE }),
    ...(query.handled === undefined ? {} : { handled: query.handled }),
    ...(from === undefined ? {} : { from }),
  };
}

type Route = RouteContext<ResidentsApiEnv, AdminDependencies>;
const authenticated = authenticatedRoute<ResidentsApiEnv, AdminDependencies>;
const idOf = ({ request }: Route) => parseParameter(request.pathParameters.id, 'id', inboxIdSchema);

/**
 * The inbox's routes beyond listing and replying: one conversation, reopen, assign, notes, several
 * handled at once, and the export as CSV. Every one is its use case; every entry answered is masked
 * unless the key may read residents' numbers.
 */
export const inboxRoutes: Record<string, (context: Route) => Promise<HttpResult>> = {
  'GET /v1/inbox/export': authenticated(async ({ deps, env, request }, principal) => {
    const query = parseQuery(request, inboxExportQuery);
    const selection = inboxSelectionOf({ ...query, handled: query.handled === undefined ? undefined : query.handled }, principal, env);
    const { csv, truncated } = await exportInbox(deps.core, principal, selection);
    return csvFile(`inbox-${selection.department}.csv`, csv, {
      // Residents' words (and numbers, for some): no cache on the way keeps a copy.
      'cache-control': 'no-store',
      ...(truncated ? { 'x-crier-truncated': 'true' } : {}),
    });
  }),
  'POST /v1/inbox/handled': authenticated(async ({ deps, request }, principal) => {
    const { ids, handled } = parseJsonBody(request, handleSeveralRequest);
    const entries = await setSeveralHandled(deps.core, principal, ids, handled);
    return json(200, { messages: entries.map((entry) => seenBy(principal, entry)) });
  }),
  'GET /v1/inbox/{id}': authenticated(async (context, principal) => {
    const view = await conversation(context.deps.core, principal, idOf(context));
    const { refusal, ...rest } = view;
    return json(200, { ...rest, ...(refusal ? { refusal: replyRefusalSentences[refusal] } : {}) });
  }),
  'POST /v1/inbox/{id}/reopen': authenticated(async (context, principal) => json(200, seenBy(principal, await reopenInboxEntry(context.deps.core, principal, idOf(context))))),
  'POST /v1/inbox/{id}/assign': authenticated(async (context, principal) => {
    const { assignee } = parseJsonBody(context.request, assignRequest);
    return json(200, seenBy(principal, await assignInboxEntry(context.deps.core, principal, idOf(context), assignee ?? undefined)));
  }),
  'POST /v1/inbox/{id}/notes': authenticated(async (context, principal) => {
    const { text } = parseJsonBody(context.request, noteRequest);
    return json(201, seenBy(principal, await addInboxNote(context.deps.core, principal, idOf(context), text)));
  }),
};
