import type { z } from 'zod';
import {
  templateResponse,
  templatesResponse,
  templateVersionsResponse,
  type createTemplateRequest,
  type editTemplateRequest,
} from '../../shared/api/template-schemas.js';
import { queryString, type KeyedClient } from './keyed-client.js';

export type SavedTemplate = z.infer<typeof templateResponse>;
export type SavedTemplateVersion = z.infer<typeof templateVersionsResponse>['versions'][number];

/** Saved templates and their versions. */
export function templateCalls(client: KeyedClient) {
  return {
    createTemplate(input: z.input<typeof createTemplateRequest>) {
      return client.call(templateResponse, 'POST', '/v1/templates', input);
    },

    listTemplates(query: { department?: string; folder?: string; archived?: boolean } = {}) {
      return client.call(templatesResponse, 'GET', `/v1/templates${queryString({ ...query, archived: query.archived ? 'true' : undefined })}`);
    },

    getTemplate(id: string) {
      return client.call(templateResponse, 'GET', `/v1/templates/${encodeURIComponent(id)}`);
    },

    editTemplate(id: string, input: z.input<typeof editTemplateRequest>) {
      return client.call(templateResponse, 'PUT', `/v1/templates/${encodeURIComponent(id)}`, input);
    },

    archiveTemplate(id: string) {
      return client.call(templateResponse, 'POST', `/v1/templates/${encodeURIComponent(id)}/archive`);
    },

    templateVersions(id: string) {
      return client.call(templateVersionsResponse, 'GET', `/v1/templates/${encodeURIComponent(id)}/versions`);
    },
  };
}
export type TemplateCalls = ReturnType<typeof templateCalls>;
