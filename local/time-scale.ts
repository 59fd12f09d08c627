import { z } from 'zod';
import { functionDefinition, visibilityTimeoutSeconds, type FunctionId } from '../functions/catalog.js';
import type { QueueId } from '../functions/catalog-types.js';

/**
 * How much shorter than in AWS the queue side of the local stack keeps time: a queue function's
 * timeout and its queue's visibility timeout are both multiplied by it, so they keep the catalog's
 * proportion (visibility 6× the timeout) and a batch abandoned at its timeout reappears in seconds
 * rather than minutes. Tests of crashes use it; `npm start` runs at 1.
 *
 * HTTP and scheduled functions keep the catalog's timeouts: nothing redelivers their work, so
 * shortening them would only make requests fail on a busy machine.
 */
export const queueTimeScaleSchema = z
  .number()
  .positive('queueTimeScale must be above 0')
  .max(1, 'queueTimeScale must be at most 1: it shortens time, never lengthens it')
  .default(1);

/** A function's timeout on the local stack, in milliseconds. */
export function localTimeoutMs(functionId: FunctionId, queueTimeScale: number): number {
  const definition = functionDefinition(functionId);
  const scale = definition.trigger.kind === 'queue' ? queueTimeScale : 1;
  return Math.round(definition.timeoutSeconds * 1000 * scale);
}

/** A queue's visibility timeout on the local stack: whole seconds (as SQS takes it), never below 1. */
export function localVisibilityTimeoutSeconds(queue: QueueId, queueTimeScale: number): number {
  // Rounded up, so it stays at least 6× the (scaled) timeout of the queue's consumer.
  return Math.max(1, Math.ceil(visibilityTimeoutSeconds(queue) * queueTimeScale));
}
