import { openApiDocument } from '../../shared/api/openapi.js';
import { baseEnvSchema } from '../../shared/config/env.js';
import { httpFunction } from '../../shared/runtime/http/http-function.js';
import { json } from '../../shared/runtime/http/responses.js';

export const handler = httpFunction({
  envSchema: baseEnvSchema,
  // Built once per container: the document only changes with the code.
  dependencies: () => ({ document: openApiDocument() }),
  routes: {
    'GET /v1/openapi.json': async ({ deps }) => json(200, deps.document),
  },
});
