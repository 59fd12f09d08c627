import { deadLettersQuery, redriveRequest } from '../../shared/api/dead-letter-schemas.js';
import { deadLettersEnvSchema, type DeadLettersEnv } from '../../shared/config/env.js';
import { queueIdSchema } from '../../shared/domain/queues.js';
import { awsClients } from '../../shared/adapters/aws-clients.js';
import { SqsDeadLetterQueues } from '../../shared/adapters/sqs/sqs-dead-letters.js';
import { httpFunction } from '../../shared/runtime/http/http-function.js';
import { parseJsonBody, parseParameter, parseQuery, type HttpRequest } from '../../shared/runtime/http/request.js';
import { json } from '../../shared/runtime/http/responses.js';
import { listDeadLetters, redriveDeadLetters } from '../../shared/dead-letters/dead-letters.js';
import type { DeadLetterDependencies } from '../../shared/ports/dependencies.js';
import { authenticated as authenticatedRoute } from './admin-route.js';
import { bootstrapKeyUnknownToRoutes, coreDependencies } from '../wiring.js';

function dependencies(env: DeadLettersEnv) {
  const core = coreDependencies(env);
  const deadLetters: DeadLetterDependencies = {
    ...core,
    deadLetters: new SqsDeadLetterQueues(awsClients().sqs, {
      fanOut: { url: env.FAN_OUT_QUEUE_URL, deadLetterUrl: env.FAN_OUT_DLQ_URL },
      sendUrgent: { url: env.SEND_URGENT_QUEUE_URL, deadLetterUrl: env.SEND_URGENT_DLQ_URL },
      sendBulk: { url: env.SEND_BULK_QUEUE_URL, deadLetterUrl: env.SEND_BULK_DLQ_URL },
      awsSmsNotifications: { url: env.AWS_SMS_NOTIFICATIONS_QUEUE_URL, deadLetterUrl: env.AWS_SMS_NOTIFICATIONS_DLQ_URL },
    }),
  };
  return { core, bootstrapKeyHash: bootstrapKeyUnknownToRoutes, deadLetters };
}
const authenticated = authenticatedRoute<DeadLettersEnv, ReturnType<typeof dependencies>>;

/** Operators' view of what the queues gave up on, and the way to try it again. */
export const handler = httpFunction({
  envSchema: deadLettersEnvSchema,
  dependencies,
  routes: {
    'GET /v1/dead-letters': authenticated(async ({ deps, request }, principal) =>
      json(200, { queues: await listDeadLetters(deps.deadLetters, principal, parseQuery(request, deadLettersQuery)) }),
    ),
    'POST /v1/dead-letters/{queue}/redrive': authenticated(async ({ deps, request }, principal) => {
      const queue = parseParameter(request.pathParameters.queue, 'queue', queueIdSchema);
      return json(200, await redriveDeadLetters(deps.deadLetters, principal, queue, redriveBody(request)));
    }),
  },
});

/** The body is optional: none (or an empty one) redrives everything. */
function redriveBody(request: HttpRequest) {
  return request.rawBody.trim() === '' ? {} : parseJsonBody(request, redriveRequest);
}
