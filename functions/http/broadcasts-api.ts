import { z } from 'zod';
import {
  broadcastListQuery,
  createBroadcastRequest,
  deliveryReportQuery,
  departmentLimitsRequest,
  previewBroadcastRequest,
  rejectBroadcastRequest,
  sandboxOutboxQuery,
} from '../../shared/api/broadcast-schemas.js';
import { broadcastsEnvSchema, type BroadcastsEnv } from '../../shared/config/env.js';
import type { Broadcast } from '../../shared/domain/model.js';
import { shownCounts } from '../../shared/broadcasts/shown-counts.js';
import { httpFunction } from '../../shared/runtime/http/http-function.js';
import { parseJsonBody, parseParameter, parseQuery } from '../../shared/runtime/http/request.js';
import { csvFile, json, type HttpResult } from '../../shared/runtime/http/responses.js';
import { approveBroadcast, rejectBroadcast, submitBroadcast } from '../../shared/broadcasts/broadcast-approval.js';
import { previewBroadcast, previewRequest } from '../../shared/broadcasts/broadcast-preview.js';
import { cancelBroadcast, createBroadcast } from '../../shared/broadcasts/broadcasts.js';
import { getBroadcast, listBroadcasts } from '../../shared/broadcasts/broadcast-reads.js';
import { costView } from '../../shared/api/costs.js';
import { listSandboxOutbox } from '../../shared/sending/sandbox-outbox.js';
import { deliveryReport, deliveryReportCsv } from '../../shared/broadcasts/delivery-report.js';
import { getDepartmentLimits, setDepartmentLimits } from '../../shared/usage/department-limits.js';
import { usageQuery } from '../../shared/api/usage-schemas.js';
import { usageFileName, usageView } from '../../shared/api/usage-view.js';
import { usageCsv } from '../../shared/usage/usage-csv.js';
import { usageReport } from '../../shared/usage/usage-report.js';
import { authenticated as authenticatedRoute } from './admin-route.js';
import { bootstrapKeyUnknownToRoutes, broadcastDependencies } from '../wiring.js';

const broadcastIdSchema = z.string().regex(/^[0-9a-z]{26}$/, 'must be a broadcast id (26 characters)');
const departmentSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be a department name (lowercase letters, digits, dashes)');

/**
 * What the API shows of a broadcast: internal fan-out and cap bookkeeping stays inside; the counts
 * as shownCounts derives them, so they never contradict each other while it sends. The cost is
 * the sum of its sent messages' estimates (none yet: 0 in the deployment's currency).
 */
function view(broadcast: Broadcast, currency: string) {
  const { fanOutPending, department: _department, capDay: _capDay, cost, counts, ...visible } = broadcast;
  return { ...visible, counts: shownCounts(counts, fanOutPending <= 0), cost: costView(cost ?? { currency, estimatedMicros: 0 }) };
}
const viewIn = (deps: { currency: string }) => (broadcast: Broadcast) => view(broadcast, deps.currency);

/**
 * A page of a delivery report as CSV, to save as a file; when more follow, the next page's address
 * in a Link header (RFC 8288), so a script (or `crier broadcasts report`) follows it to the end.
 */
function reportCsv(id: string, page: Awaited<ReturnType<typeof deliveryReport>>, limit: number): HttpResult {
  const next = page.cursor === undefined ? undefined : `/v1/broadcasts/${id}/report?${new URLSearchParams({ cursor: page.cursor, limit: String(limit) })}`;
  return csvFile(`broadcast-${id}-report.csv`, deliveryReportCsv(page.rows), {
    // Residents' numbers: no cache on the way keeps a copy.
    'cache-control': 'no-store',
    ...(next ? { link: `<${next}>; rel="next"` } : {}),
  });
}

function dependencies(env: BroadcastsEnv) {
  const broadcasts = broadcastDependencies(env);
  return { core: broadcasts, bootstrapKeyHash: bootstrapKeyUnknownToRoutes, broadcasts, currency: env.PRICE_TABLE.currency };
}
const authenticated = authenticatedRoute<BroadcastsEnv, ReturnType<typeof dependencies>>;
const idOf = (parameters: Record<string, string | undefined>) => parseParameter(parameters.id, 'id', broadcastIdSchema);

export const handler = httpFunction({
  envSchema: broadcastsEnvSchema,
  dependencies,
  routes: {
    'POST /v1/broadcasts': authenticated(async ({ deps, request }, principal) =>
      json(201, viewIn(deps)(await createBroadcast(deps.broadcasts, principal, parseJsonBody(request, createBroadcastRequest)))),
    ),
    'POST /v1/broadcasts/preview': authenticated(async ({ deps, request }, principal) =>
      json(200, await previewRequest(deps.broadcasts, principal, parseJsonBody(request, previewBroadcastRequest))),
    ),
    'GET /v1/broadcasts/{id}/preview': authenticated(async ({ deps, request }, principal) =>
      json(200, await previewBroadcast(deps.broadcasts, principal, idOf(request.pathParameters))),
    ),
    'GET /v1/broadcasts': authenticated(async ({ deps, request }, principal) => {
      const { items, cursor } = await listBroadcasts(deps.core, principal, parseQuery(request, broadcastListQuery));
      return json(200, { broadcasts: items.map(viewIn(deps)), ...(cursor ? { cursor } : {}) });
    }),
    'GET /v1/broadcasts/{id}': authenticated(async ({ deps, request }, principal) =>
      json(200, viewIn(deps)(await getBroadcast(deps.core, principal, idOf(request.pathParameters)))),
    ),
    'GET /v1/broadcasts/{id}/report': authenticated(async ({ deps, request }, principal) => {
      const id = idOf(request.pathParameters);
      const query = parseQuery(request, deliveryReportQuery);
      return reportCsv(id, await deliveryReport(deps.core, principal, id, query), query.limit);
    }),
    'POST /v1/broadcasts/{id}/submit': authenticated(async ({ deps, request }, principal) =>
      json(200, viewIn(deps)(await submitBroadcast(deps.broadcasts, principal, idOf(request.pathParameters)))),
    ),
    'POST /v1/broadcasts/{id}/approve': authenticated(async ({ deps, request }, principal) =>
      json(200, viewIn(deps)(await approveBroadcast(deps.broadcasts, principal, idOf(request.pathParameters)))),
    ),
    'POST /v1/broadcasts/{id}/reject': authenticated(async ({ deps, request }, principal) => {
      const { reason } = parseJsonBody(request, rejectBroadcastRequest);
      return json(200, viewIn(deps)(await rejectBroadcast(deps.broadcasts, principal, idOf(request.pathParameters), reason)));
    }),
    'POST /v1/broadcasts/{id}/cancel': authenticated(async ({ deps, request }, principal) =>
      json(200, viewIn(deps)(await cancelBroadcast(deps.core, principal, idOf(request.pathParameters)))),
    ),
    'GET /v1/sandbox/messages': authenticated(async ({ deps, request }, principal) => {
      const { items, cursor } = await listSandboxOutbox(deps.broadcasts, principal, parseQuery(request, sandboxOutboxQuery));
      return json(200, { messages: items, ...(cursor ? { cursor } : {}) });
    }),
    'GET /v1/departments/{id}/limits': authenticated(async ({ deps, request }, principal) => {
      const department = parseParameter(request.pathParameters.id, 'id', departmentSchema);
      const { costToday, ...limits } = await getDepartmentLimits(deps.broadcasts, principal, department);
      return json(200, { ...limits, costToday: { ...costView(costToday), replies: costView(costToday.replies) } });
    }),
    'PUT /v1/departments/{id}/limits': authenticated(async ({ deps, request }, principal) => {
      const department = parseParameter(request.pathParameters.id, 'id', departmentSchema);
      return json(200, await setDepartmentLimits(deps.broadcasts, principal, department, parseJsonBody(request, departmentLimitsRequest)));
    }),
    'GET /v1/usage': authenticated(async ({ deps, request }, principal) => {
      const { format, ...query } = parseQuery(request, usageQuery);
      const report = await usageReport({ ...deps.broadcasts, currency: deps.currency }, principal, query);
      const csv = format === 'csv' || (request.headers.accept ?? '').includes('text/csv');
      if (!csv) return json(200, usageView(report));
      return csvFile(usageFileName(report, query.department), usageCsv(report.rows));
    }),
  },
});
