import { createTopicRequest } from '../../shared/api/schemas.js';
import { adminEnvSchema } from '../../shared/config/env.js';
import { topicIdSchema } from '../../shared/domain/model.js';
import { httpFunction } from '../../shared/runtime/http/http-function.js';
import { parseJsonBody, parseParameter } from '../../shared/runtime/http/request.js';
import { json } from '../../shared/runtime/http/responses.js';
import { createTopic, getTopic, listTopics } from '../../shared/usecases/topics.js';
import { authenticated } from './admin-route.js';
import { bootstrapKeyHash, coreDependencies } from '../wiring.js';

export const handler = httpFunction({
  envSchema: adminEnvSchema,
  dependencies: (env) => ({ core: coreDependencies(env), bootstrapKeyHash: bootstrapKeyHash(env) }),
  routes: {
    'POST /v1/topics': authenticated(async ({ deps, request }, principal) =>
      json(201, await createTopic(deps.core, principal, parseJsonBody(request, createTopicRequest))),
    ),
    'GET /v1/topics': authenticated(async ({ deps }, principal) => json(200, { topics: await listTopics(deps.core, principal) })),
    'GET /v1/topics/{id}': authenticated(async ({ deps, request }, principal) =>
      json(200, await getTopic(deps.core, principal, parseParameter(request.pathParameters.id, 'id', topicIdSchema))),
    ),
  },
});
