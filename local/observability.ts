/**
 * The local stack prints its own readable lines: no metric blobs in `npm start`'s output (unless
 * POWERTOOLS_METRICS_DISABLED=false asks for them, say to check a dashboard's figures), and never
 * a trace, since there is no X-Ray daemon to send one to.
 */
export function localObservabilityEnvironment(environment: NodeJS.ProcessEnv): Record<string, string> {
  return {
    POWERTOOLS_METRICS_DISABLED: environment.POWERTOOLS_METRICS_DISABLED ?? 'true',
    POWERTOOLS_TRACE_ENABLED: 'false',
  };
}
