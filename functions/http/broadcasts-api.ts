import { z } from 'zod';
import { createBroadcastRequest } from '../../shared/api/schemas.js';
import { broadcastsEnvSchema, type BroadcastsEnv } from '../../shared/config/env.js';
import type { FanOutTask } from '../../shared/domain/jobs.js';
import type { Broadcast } from '../../shared/domain/model.js';
import { httpFunction } from '../../shared/runtime/http/http-function.js';
import { parseJsonBody, parseParameter } from '../../shared/runtime/http/request.js';
import { json } from '../../shared/runtime/http/responses.js';
import { approveBroadcast, cancelBroadcast, createBroadcast, getBroadcast } from '../../shared/usecases/broadcasts.js';
import { authenticated as authenticatedRoute } from './admin-route.js';
import { bootstrapKeyHash, coreDependencies, jobQueue } from '../wiring.js';

const broadcastIdSchema = z.string().regex(/^[0-9a-z]{26}$/, 'must be a broadcast id (26 characters)');

/** What the API shows of a broadcast: internal fan-out bookkeeping stays inside. */
function view(broadcast: Broadcast) {
  const { fanOutPending: _fanOutPending, department: _department, ...visible } = broadcast;
  return visible;
}

function dependencies(env: BroadcastsEnv) {
  const core = coreDependencies(env);
  return {
    core,
    bootstrapKeyHash: bootstrapKeyHash(env),
    broadcasts: { ...core, fanOutTasks: jobQueue<FanOutTask>(env.FAN_OUT_QUEUE_URL), topicShards: env.TOPIC_SHARDS },
  };
}
const authenticated = authenticatedRoute<BroadcastsEnv, ReturnType<typeof dependencies>>;

export const handler = httpFunction({
  envSchema: broadcastsEnvSchema,
  dependencies,
  routes: {
    'POST /v1/broadcasts': authenticated(async ({ deps, request }, principal) =>
      json(201, view(await createBroadcast(deps.broadcasts, principal, parseJsonBody(request, createBroadcastRequest)))),
    ),
    'GET /v1/broadcasts/{id}': authenticated(async ({ deps, request }, principal) =>
      json(200, view(await getBroadcast(deps.core, principal, parseParameter(request.pathParameters.id, 'id', broadcastIdSchema)))),
    ),
    'POST /v1/broadcasts/{id}/approve': authenticated(async ({ deps, request }, principal) =>
      json(200, view(await approveBroadcast(deps.broadcasts, principal, parseParameter(request.pathParameters.id, 'id', broadcastIdSchema)))),
    ),
    'POST /v1/broadcasts/{id}/cancel': authenticated(async ({ deps, request }, principal) =>
      json(200, view(await cancelBroadcast(deps.core, principal, parseParameter(request.pathParameters.id, 'id', broadcastIdSchema)))),
    ),
  },
});
