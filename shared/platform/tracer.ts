import type { Tracer } from '@aws-lambda-powertools/tracer';

/**
 * Whether this process traces in X-Ray: only inside Lambda (its runtime sets AWS_EXECUTION_ENV
 * before any code loads), and not where POWERTOOLS_TRACE_ENABLED=false turns it off outright.
 */
export function tracesHere(environment: NodeJS.ProcessEnv): boolean {
  return (environment.AWS_EXECUTION_ENV ?? '').startsWith('AWS_Lambda_') && environment.POWERTOOLS_TRACE_ENABLED !== 'false';
}

/**
 * One X-Ray tracer per process where it traces (see tracesHere), none elsewhere: the local stack,
 * the tests and the bench. Outbound HTTP (the providers' APIs) is traced as subsegments: method,
 * host, path and status. Loaded only where it traces, because loading the X-Ray SDK switches on an
 * async hook (cls-hooked) that follows every promise's creation and destruction, whether anything
 * is traced or not: in the local stack, which traces nothing, that hook and the garbage it made
 * took about a tenth of the functions' one thread at 40 msg/s (a CPU profile of `npm run bench`).
 */
export const tracer: Tracer | undefined = tracesHere(process.env) ? new (await import('@aws-lambda-powertools/tracer')).Tracer() : undefined;

/** `client`, traced in X-Ray where this process traces (a subsegment per call: service, operation, never the items). */
export function traced<Client>(client: Client): Client {
  return tracer ? tracer.captureAWSv3Client(client) : client;
}
