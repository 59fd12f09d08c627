import { createTopicRequest, topicListQuery, updateTopicRequest } from '../../shared/api/topic-schemas.js';
import { adminEnvSchema } from '../../shared/config/env.js';
import { topicIdSchema } from '../../shared/domain/model.js';
import { httpFunction } from '../../shared/runtime/http/http-function.js';
import { parseJsonBody, parseParameter, parseQuery } from '../../shared/runtime/http/request.js';
import { json } from '../../shared/runtime/http/responses.js';
import { archiveTopic, createTopic, getTopic, listTopics, updateTopic } from '../../shared/topics/manage-topics.js';
import { authenticated } from './admin-route.js';
import { bootstrapKeyUnknownToRoutes, coreDependencies } from '../wiring.js';

export const handler = httpFunction({
  envSchema: adminEnvSchema,
  dependencies: (env) => ({ core: coreDependencies(env), bootstrapKeyHash: bootstrapKeyUnknownToRoutes }),
  routes: {
    'POST /v1/topics': authenticated(async ({ deps, request }, principal) =>
      json(201, await createTopic(deps.core, principal, parseJsonBody(request, createTopicRequest))),
    ),
    'GET /v1/topics': authenticated(async ({ deps, request }, principal) => {
      const { items, cursor } = await listTopics(deps.core, principal, parseQuery(request, topicListQuery));
      return json(200, { topics: items, ...(cursor ? { cursor } : {}) });
    }),
    'GET /v1/topics/{id}': authenticated(async ({ deps, request }, principal) =>
      json(200, await getTopic(deps.core, principal, parseParameter(request.pathParameters.id, 'id', topicIdSchema))),
    ),
    'PATCH /v1/topics/{id}': authenticated(async ({ deps, request }, principal) => {
      const id = parseParameter(request.pathParameters.id, 'id', topicIdSchema);
      return json(200, await updateTopic(deps.core, principal, id, parseJsonBody(request, updateTopicRequest)));
    }),
    'POST /v1/topics/{id}/archive': authenticated(async ({ deps, request }, principal) =>
      json(200, await archiveTopic(deps.core, principal, parseParameter(request.pathParameters.id, 'id', topicIdSchema))),
    ),
  },
});
