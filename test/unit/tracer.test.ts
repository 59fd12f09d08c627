import { describe, expect, it } from 'vitest';
import { awsClients } from '../../shared/adapters/aws-clients.js';
import { observability } from '../../shared/runtime/observability.js';
import { tracer, tracesHere } from '../../shared/platform/tracer.js';

describe('X-Ray tracing: only inside Lambda', () => {
  it.each([
    ['inside Lambda', { AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs20.x' }, true],
    ['inside Lambda, turned off by POWERTOOLS_TRACE_ENABLED=false', { AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs20.x', POWERTOOLS_TRACE_ENABLED: 'false' }, false],
    ['inside Lambda, POWERTOOLS_TRACE_ENABLED=true', { AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs20.x', POWERTOOLS_TRACE_ENABLED: 'true' }, true],
    ['outside Lambda (the local stack, the tests, the bench)', {}, false],
    ['another AWS runtime', { AWS_EXECUTION_ENV: 'AWS_ECS_FARGATE' }, false],
  ] as const)('%s', (_case, environment, expected) => {
    // Act
    const traces = tracesHere(environment);

    // Assess
    expect(traces).toBe(expected);
  });

  it('outside Lambda loads no X-Ray SDK, so no async hook follows every promise, and the clients and handlers still work untraced', () => {
    // Prepare: this process is outside Lambda, as the local stack is.
    const namespaces = () => (process as NodeJS.Process & { namespaces?: Record<string, unknown> }).namespaces ?? {};

    // Act
    const clients = awsClients();
    const middlewares = observability();

    // Assess: cls-hooked (the X-Ray SDK's context) registers its namespace, and its hook, as it loads.
    expect(tracer).toBeUndefined();
    expect(Object.keys(namespaces())).not.toContain('AWSXRay');
    expect(clients.dynamo.config).toBeDefined();
    expect(middlewares).toHaveLength(1);
  });
});
