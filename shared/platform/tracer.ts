import { Tracer } from '@aws-lambda-powertools/tracer';

/**
 * One X-Ray tracer per process. It traces only inside Lambda with active tracing (it turns itself
 * off where there is no Lambda execution environment, and POWERTOOLS_TRACE_ENABLED=false turns it
 * off outright: the local stack and the tests), so nothing ever looks for an X-Ray daemon there.
 * Outbound HTTP (the providers' APIs) is traced as subsegments: method, host, path and status.
 */
export const tracer = new Tracer();
