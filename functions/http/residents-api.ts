import { z } from 'zod';
import { adminEnvSchema, type AdminEnv } from '../../shared/config/env.js';
import { languageSchema } from '../../shared/domain/model.js';
import { replyIds } from '../../shared/domain/replies.js';
import { httpFunction } from '../../shared/runtime/http/http-function.js';
import { parseJsonBody, parseParameter, parseQuery } from '../../shared/runtime/http/request.js';
import { json } from '../../shared/runtime/http/responses.js';
import { listInbox, listReplyTexts, setReplyText } from '../../shared/usecases/residents-admin.js';
import { authenticated as authenticatedRoute, type AdminDependencies } from './admin-route.js';
import { bootstrapKeyHash, coreDependencies } from '../wiring.js';

const inboxQuery = z.object({
  department: z.string().min(1).max(40).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
const replyIdSchema = z.enum(replyIds);
const replyTextBody = z.object({ text: z.string().trim().min(1, 'must not be empty').max(640) }).strict();

const authenticated = authenticatedRoute<AdminEnv, AdminDependencies>;

export const handler = httpFunction({
  envSchema: adminEnvSchema,
  dependencies: (env) => ({ core: coreDependencies(env), bootstrapKeyHash: bootstrapKeyHash(env) }),
  routes: {
    'GET /v1/inbox': authenticated(async ({ deps, request }, principal) => {
      const query = parseQuery(request, inboxQuery);
      return json(200, { messages: await listInbox(deps.core, principal, query) });
    }),
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
