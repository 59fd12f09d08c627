import { adminEnvSchema } from '../../shared/config/env.js';
import { phoneNumberField } from '../../shared/domain/phone.js';
import type { CountryCode } from 'libphonenumber-js';
import { httpFunction } from '../../shared/runtime/http/http-function.js';
import { parseParameter } from '../../shared/runtime/http/request.js';
import { json } from '../../shared/runtime/http/responses.js';
import { eraseSubscriber, getSubscriber } from '../../shared/usecases/subscribers.js';
import { authenticated } from './admin-route.js';
import { bootstrapKeyHash, coreDependencies } from '../wiring.js';

export const handler = httpFunction({
  envSchema: adminEnvSchema,
  dependencies: (env) => ({ core: coreDependencies(env), bootstrapKeyHash: bootstrapKeyHash(env) }),
  routes: {
    'GET /v1/subscribers/{phone}': authenticated(async ({ deps, env, request }, principal) => {
      const phone = parseParameter(request.pathParameters.phone, 'phone', phoneNumberField(env.DEFAULT_COUNTRY as CountryCode));
      return json(200, await getSubscriber(deps.core, principal, phone));
    }),
    'DELETE /v1/subscribers/{phone}': authenticated(async ({ deps, env, request }, principal) => {
      const phone = parseParameter(request.pathParameters.phone, 'phone', phoneNumberField(env.DEFAULT_COUNTRY as CountryCode));
      await eraseSubscriber(deps.core, principal, phone);
      return { statusCode: 204 };
    }),
  },
});
