import { z } from 'zod';
import { residentsApiEnvSchema, type ResidentsApiEnv } from '../../shared/config/env.js';
import type { ReplySendJob } from '../../shared/domain/jobs.js';
import { replyRequestSchema } from '../../shared/inbox/reply-rules.js';
import { replyToResident } from '../../shared/inbox/reply-to-resident.js';
import { inboxQuery } from '../../shared/api/inbox-schemas.js';
import { languageSchema } from '../../shared/domain/language.js';
import { replyIds } from '../../shared/domain/replies.js';
import { httpFunction } from '../../shared/runtime/http/http-function.js';
import { parseJsonBody, parseParameter, parseQuery } from '../../shared/runtime/http/request.js';
import { json } from '../../shared/runtime/http/responses.js';
import type { JobQueue } from '../../shared/ports/job-queue.js';
import { listInbox, listReplyTexts, markInboxHandled, setReplyText } from '../../shared/inbox/inbox-and-reply-texts.js';
import { authenticated as authenticatedRoute, type AdminDependencies } from './admin-route.js';
import { inboxIdSchema, inboxRoutes, inboxSelectionOf, seenBy } from './inbox-api.js';
import { bootstrapKeyUnknownToRoutes, coreDependencies, jobQueue } from '../wiring.js';

const replyIdSchema = z.enum(replyIds);
const replyTextBody = z.object({ text: z.string().trim().min(1, 'must not be empty').max(640) }).strict();

interface ResidentsApiDependencies extends AdminDependencies {
  replies: JobQueue<ReplySendJob>;
}

const authenticated = authenticatedRoute<ResidentsApiEnv, ResidentsApiDependencies>;

export const handler = httpFunction({
  envSchema: residentsApiEnvSchema,
  dependencies: (env): ResidentsApiDependencies => ({
    core: coreDependencies(env),
    bootstrapKeyHash: bootstrapKeyUnknownToRoutes,
    replies: jobQueue<ReplySendJob>(env.SEND_URGENT_QUEUE_URL),
  }),
  routes: {
    'GET /v1/inbox': authenticated(async ({ deps, env, request }, principal) => {
      const { limit, cursor, ...filters } = parseQuery(request, inboxQuery);
      const page = await listInbox(deps.core, principal, { ...inboxSelectionOf(filters, principal, env), limit, cursor });
      // Masked unless the key may read residents' numbers, as the console shows them.
      return json(200, { messages: page.items.map((entry) => seenBy(principal, entry)), ...(page.cursor === undefined ? {} : { cursor: page.cursor }) });
    }),
    'POST /v1/inbox/{id}/handled': authenticated(async ({ deps, request }, principal) =>
      json(200, seenBy(principal, await markInboxHandled(deps.core, principal, parseParameter(request.pathParameters.id, 'id', inboxIdSchema)))),
    ),
    'POST /v1/inbox/{id}/reply': authenticated(async ({ deps, request }, principal) => {
      const id = parseParameter(request.pathParameters.id, 'id', inboxIdSchema);
      const reply = parseJsonBody(request, replyRequestSchema);
      return json(201, seenBy(principal, await replyToResident({ ...deps.core, replies: deps.replies }, principal, id, reply.body ?? { templateId: reply.templateId ?? '' })));
    }),
    ...inboxRoutes,
    'GET /v1/replies': authenticated(async ({ deps }, principal) => json(200, { replies: await listReplyTexts(deps.core, principal) })),
    'PUT /v1/replies/{language}/{replyId}': authenticated(async ({ deps, request }, principal) => {
      const language = parseParameter(request.pathParameters.language, 'language', languageSchema);
      const replyId = parseParameter(request.pathParameters.replyId, 'replyId', replyIdSchema);
      const { text } = parseJsonBody(request, replyTextBody);
      await setReplyText(deps.core, principal, language, replyId, text);
      return json(200, { language, id: replyId, override: text });
    }),
    'DELETE /v1/replies/{language}/{replyId}': authenticated(async ({ deps, request }, principal) => {
      const language = parseParameter(request.pathParameters.language, 'language', languageSchema);
      const replyId = parseParameter(request.pathParameters.replyId, 'replyId', replyIdSchema);
      await setReplyText(deps.core, principal, language, replyId, undefined);
      return { statusCode: 204 };
    }),
  },
});
