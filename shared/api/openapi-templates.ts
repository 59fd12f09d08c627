import { conflict, errors, idParameter, jsonContent, notFound } from './openapi-parts.js';
import {
  createTemplateRequest,
  editTemplateRequest,
  templateListQuery,
  templateResponse,
  templatesResponse,
  templateVersionsResponse,
} from './template-schemas.js';

/** The saved templates' routes of the OpenAPI document: read by every role, written by senders and operators. */
export const templatePaths = {
  '/v1/templates': {
    post: {
      summary: 'Save a message template (senders and operators)',
      description:
        "((name)) placeholders are filled once per broadcast started from it; {{area}}, {{age_band}} and {{topic}} per resident, as in a broadcast. Welsh (cy) and Spanish (es) variants, and the WhatsApp template to send outside a resident's 24-hour window, are optional. Recorded in the audit log.",
      requestBody: jsonContent(createTemplateRequest),
      responses: { '201': { description: 'Saved, as version 1', ...jsonContent(templateResponse) }, ...errors },
    },
    get: {
      summary: "Your department's templates, by folder and name (archived ones only with ?archived=true)",
      requestParams: { query: templateListQuery },
      responses: { '200': { description: 'The templates', ...jsonContent(templatesResponse) }, ...errors },
    },
  },
  '/v1/templates/{id}': {
    get: {
      summary: 'One template, its latest version',
      description: "Another department's template is answered 404, as one that does not exist.",
      requestParams: idParameter('id', 'template id'),
      responses: { '200': { description: 'The template', ...jsonContent(templateResponse) }, ...errors, ...notFound },
    },
    put: {
      summary: 'Change a template: a new version (senders and operators)',
      description:
        'Send the whole content and the `version` you read. If someone changed it since, the answer is 409 and nothing changes: read it again and make your change on the latest version. An edit that changes nothing makes no version. Recorded in the audit log with before and after.',
      requestParams: idParameter('id', 'template id'),
      requestBody: jsonContent(editTemplateRequest),
      responses: { '200': { description: 'The template as changed', ...jsonContent(templateResponse) }, ...errors, ...notFound, ...conflict },
    },
  },
  '/v1/templates/{id}/archive': {
    post: {
      summary: 'Archive a template: no longer offered, kept with its versions (senders and operators)',
      requestParams: idParameter('id', 'template id'),
      responses: { '200': { description: 'The archived template', ...jsonContent(templateResponse) }, ...errors, ...notFound, ...conflict },
    },
  },
  '/v1/templates/{id}/versions': {
    get: {
      summary: 'Who changed what: every version of a template, newest first',
      requestParams: idParameter('id', 'template id'),
      responses: { '200': { description: 'The versions', ...jsonContent(templateVersionsResponse) }, ...errors, ...notFound },
    },
  },
};
