import { z } from 'zod';
import { functionDefinition, visibilityTimeoutSeconds, type FunctionId } from '../functions/catalog.js';
import type { QueueId } from '../functions/catalog-types.js';

const scale = (name: string) =>
  z
    .number()
    .positive(`queueTimeScale.${name} must be above 0`)
    .max(1, `queueTimeScale.${name} must be at most 1: it shortens time, never lengthens it`)
    .default(1);

/**
 * How much shorter than in AWS time runs on the queue side of the local stack, for tests:
 * - `visibility` multiplies every queue's visibility timeout, so a batch whose invocation crashed
 *   or timed out is received again in seconds rather than minutes;
 * - `functionTimeouts` multiplies the queue functions' timeouts.
 * The same factor for both keeps AWS's proportion (visibility 6× the timeout). But the sender
 * plans by the time it has left (it starts no send in its last 10 s), so with its timeout scaled
 * below about 1/8 it would hand every batch back unsent: a test of a crash scales `visibility`
 * alone. A batch that then outlives the visibility timeout is received again while it still runs,
 * which is SQS's at-least-once delivery, and the engine must survive it anyway.
 *
 * HTTP and scheduled functions keep the catalog's timeouts: nothing redelivers their work, so
 * shortening them would only make requests fail on a busy machine. `npm start` runs at 1.
 */
export const queueTimeScaleSchema = z
  .object({ visibility: scale('visibility'), functionTimeouts: scale('functionTimeouts') })
  .default({ visibility: 1, functionTimeouts: 1 });
export type QueueTimeScale = z.infer<typeof queueTimeScaleSchema>;

/** A function's timeout on the local stack, in milliseconds. */
export function localTimeoutMs(functionId: FunctionId, timeScale: QueueTimeScale): number {
  const definition = functionDefinition(functionId);
  const factor = definition.trigger.kind === 'queue' ? timeScale.functionTimeouts : 1;
  return Math.round(definition.timeoutSeconds * 1000 * factor);
}

/** A queue's visibility timeout on the local stack: whole seconds (as SQS takes it), never below 1. */
export function localVisibilityTimeoutSeconds(queue: QueueId, timeScale: QueueTimeScale): number {
  // Rounded up: with both scaled alike it stays at least 6× the consumer's timeout.
  return Math.max(1, Math.ceil(visibilityTimeoutSeconds(queue) * timeScale.visibility));
}
