import { subscribersEnvSchema } from '../../shared/config/env.js';
import { phoneNumberField } from '../../shared/domain/phone.js';
import type { CountryCode } from 'libphonenumber-js';
import { httpFunction } from '../../shared/runtime/http/http-function.js';
import { parseParameter, type HttpRequest } from '../../shared/runtime/http/request.js';
import { MAX_IMPORT_BYTES } from '../../shared/domain/subscriber-import.js';
import { ValidationError } from '../../shared/domain/errors.js';
import { importSubscribers } from '../../shared/residents/import-subscribers/import-subscribers.js';
import { json } from '../../shared/runtime/http/responses.js';
import { eraseSubscriber, getSubscriber } from '../../shared/residents/subscribers.js';
import { messagesToResident } from '../../shared/residents/messages-to-resident.js';
import { authenticated } from './admin-route.js';
import { bootstrapKeyUnknownToRoutes, coreDependencies } from '../wiring.js';

export const handler = httpFunction({
  envSchema: subscribersEnvSchema,
  dependencies: (env) => ({ core: coreDependencies(env), bootstrapKeyHash: bootstrapKeyUnknownToRoutes }),
  // Import files are larger than other admin bodies; anything over this is a 413.
  maxBodyBytes: MAX_IMPORT_BYTES,
  routes: {
    'GET /v1/subscribers/{phone}': authenticated(async ({ deps, env, request }, principal) => {
      const phone = parseParameter(request.pathParameters.phone, 'phone', phoneNumberField(env.DEFAULT_COUNTRY as CountryCode));
      return json(200, await getSubscriber(deps.core, principal, phone));
    }),
    'GET /v1/subscribers/{phone}/messages': authenticated(async ({ deps, env, request }, principal) => {
      const phone = parseParameter(request.pathParameters.phone, 'phone', phoneNumberField(env.DEFAULT_COUNTRY as CountryCode));
      return json(200, await messagesToResident(deps.core, principal, phone));
    }),
    'POST /v1/subscribers/import': authenticated(async ({ deps, env, request }, principal) => {
      const summary = await importSubscribers(deps.core, principal, { csv: csvBody(request), defaultCountry: env.DEFAULT_COUNTRY as CountryCode });
      return json(201, summary);
    }),
    'DELETE /v1/subscribers/{phone}': authenticated(async ({ deps, env, request }, principal) => {
      const phone = parseParameter(request.pathParameters.phone, 'phone', phoneNumberField(env.DEFAULT_COUNTRY as CountryCode));
      await eraseSubscriber(deps.core, principal, phone);
      return { statusCode: 204 };
    }),
  },
});

/** The import file, as sent: `text/csv` only (see subscriber-import-schemas.ts for why). */
function csvBody(request: HttpRequest): string {
  const contentType = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (contentType !== 'text/csv') {
    throw new ValidationError('send the file as text/csv', [
      { field: 'content-type', message: `must be text/csv, not ${contentType ? `"${contentType}"` : 'missing'} (curl --data-binary @file.csv -H "content-type: text/csv")` },
    ]);
  }
  return request.rawBody;
}
