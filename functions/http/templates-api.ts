import { createTemplateRequest, editTemplateRequest, templateListQuery } from '../../shared/api/template-schemas.js';
import { adminEnvSchema } from '../../shared/config/env.js';
import { httpFunction } from '../../shared/runtime/http/http-function.js';
import { parseJsonBody, parseParameter, parseQuery } from '../../shared/runtime/http/request.js';
import { json } from '../../shared/runtime/http/responses.js';
import {
  archiveTemplate,
  createTemplate,
  editTemplate,
  getTemplate,
  listTemplates,
  templateVersions,
} from '../../shared/templates/manage-templates.js';
import { placeholdersOf } from '../../shared/templates/placeholders.js';
import { templateIdSchema, templateTexts, type MessageTemplate } from '../../shared/templates/template.js';
import { authenticated } from './admin-route.js';
import { bootstrapKeyUnknownToRoutes, coreDependencies } from '../wiring.js';

/** A template as the API shows it: with the placeholders a broadcast from it must fill. */
const shown = (template: MessageTemplate) => ({ ...template, placeholders: placeholdersOf(templateTexts(template)).map((placeholder) => placeholder.name) });

export const handler = httpFunction({
  envSchema: adminEnvSchema,
  dependencies: (env) => ({ core: coreDependencies(env), bootstrapKeyHash: bootstrapKeyUnknownToRoutes }),
  routes: {
    'POST /v1/templates': authenticated(async ({ deps, request }, principal) =>
      json(201, shown(await createTemplate(deps.core, principal, parseJsonBody(request, createTemplateRequest)))),
    ),
    'GET /v1/templates': authenticated(async ({ deps, request }, principal) =>
      json(200, { templates: (await listTemplates(deps.core, principal, parseQuery(request, templateListQuery))).map(shown) }),
    ),
    'GET /v1/templates/{id}': authenticated(async ({ deps, request }, principal) =>
      json(200, shown(await getTemplate(deps.core, principal, parseParameter(request.pathParameters.id, 'id', templateIdSchema)))),
    ),
    'PUT /v1/templates/{id}': authenticated(async ({ deps, request }, principal) => {
      const id = parseParameter(request.pathParameters.id, 'id', templateIdSchema);
      return json(200, shown(await editTemplate(deps.core, principal, id, parseJsonBody(request, editTemplateRequest))));
    }),
    'POST /v1/templates/{id}/archive': authenticated(async ({ deps, request }, principal) =>
      json(200, shown(await archiveTemplate(deps.core, principal, parseParameter(request.pathParameters.id, 'id', templateIdSchema)))),
    ),
    'GET /v1/templates/{id}/versions': authenticated(async ({ deps, request }, principal) =>
      json(200, { versions: await templateVersions(deps.core, principal, parseParameter(request.pathParameters.id, 'id', templateIdSchema)) }),
    ),
  },
});
