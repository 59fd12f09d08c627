import type { MiddlewareObj } from '@middy/core';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { crierMetrics } from '../platform/powertools-metrics.js';
import { tracer } from '../platform/tracer.js';

/**
 * What every function's runtime wraps its handler in, outermost: an X-Ray subsegment for the
 * invocation (where the process traces: see tracesHere), and the metrics it recorded written at its end, whether it succeeded or failed.
 *
 * The handler's response and errors are kept out of traces: a response may hold a resident's
 * profile, and an error message a number (a provider's "The 'To' number +44… is not valid"). X-Ray
 * keeps traces for 30 days where erasure cannot reach them; the log has the error under the
 * request id, and the trace still shows the invocation failed.
 */
export function observability(): MiddlewareObj[] {
  return [...(tracer ? [captureLambdaHandler(tracer, { captureResponse: false })] : []), flushMetrics()];
}

/**
 * Powertools' own `logMetrics` middleware publishes one Powertools Metrics instance; crier's
 * metrics gather per dimension set first (see PowertoolsMetrics), so they are flushed here.
 */
function flushMetrics(): MiddlewareObj {
  const flush = () => crierMetrics().flush();
  return { after: flush, onError: flush };
}
