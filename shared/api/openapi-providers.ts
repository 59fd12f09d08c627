import { providersResponse } from './provider-schemas.js';
import { errors, jsonContent } from './openapi-parts.js';

/** The providers route of the OpenAPI document: operators only. */
export const providerPaths = {
  '/v1/providers': {
    get: {
      summary: "Each channel's providers: their order or weights, which carry traffic, failures and shifts (operators only)",
      description:
        'Per channel: the providers as listed (with weights when they share traffic), which are active, on standby, open (resting after too many failures) or on trial, the failures counting towards failover in the current and previous window, and how often traffic has moved between them.',
      responses: { '200': { description: 'The providers of every channel', ...jsonContent(providersResponse) }, ...errors },
    },
  },
};
