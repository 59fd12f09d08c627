import { z } from 'zod';
import { queueIds } from '../domain/queues.js';
import { deadLettersQuery, deadLettersResponse, redriveRequest, redriveResultSchema } from './dead-letter-schemas.js';
import { errors, jsonContent } from './openapi-parts.js';

/** The dead-letter routes of the OpenAPI document: operators only, live keys only. */
export const deadLetterPaths = {
  '/v1/dead-letters': {
    get: {
      summary: "Each queue's dead letters: how many, and a look at the first few (operators only, live keys)",
      description:
        'Each message shows its id, when it was sent and first received, how often it was received, and what its job was (kind, broadcast, number of recipients, topic and shard), never a phone number or a message text. Looking leaves the messages in the queue. Recorded in the audit log.',
      requestParams: { query: deadLettersQuery },
      responses: { '200': { description: 'The dead letters of every queue', ...jsonContent(deadLettersResponse) }, ...errors },
    },
  },
  '/v1/dead-letters/{queue}/redrive': {
    post: {
      summary: "Move a queue's dead letters back onto it to be tried again (operators only, live keys)",
      description:
        'Moves up to `limit` (default: all), in batches of ten: each batch is sent to the queue before it leaves the dead-letter queue, so a failure can repeat a job (which the senders ignore for recipients already sent to) but never lose one. One request moves for up to 20 seconds; `stoppedBecause: "timeBudget"` means ask again for the rest. Recorded in the audit log.',
      requestParams: { path: z.object({ queue: z.enum(queueIds).meta({ description: 'The work queue whose dead letters to move' }) }) },
      requestBody: { required: false, ...jsonContent(redriveRequest) },
      responses: { '200': { description: 'How many moved, and why it stopped', ...jsonContent(redriveResultSchema) }, ...errors },
    },
  },
};
