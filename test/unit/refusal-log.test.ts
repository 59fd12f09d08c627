import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import getTopicEvent from '../../events/apigw/get-topic.json';
import { baseEnvSchema } from '../../shared/config/env.js';
import { AuthenticationError, ForbiddenError, NotFoundError, ValidationError } from '../../shared/domain/errors.js';
import { httpFunction } from '../../shared/runtime/http/http-function.js';
import { maskPhoneNumbers } from '../../shared/runtime/http/refusal-log.js';
import { logger } from '../../shared/runtime/logger.js';

/**
 * Every 401 and 403 a route answers writes one `request refused` line, and nothing else does; a
 * key the gateway's authorizer refused was logged by the authorizer (test/unit/authorizer.test.ts
 * follows one through both functions).
 */

const context = { awsRequestId: 'req-1', functionName: 'crier-topics', getRemainingTimeInMillis: () => 5_000 } as unknown as Context;

function routeThrowing(error: unknown) {
  return httpFunction({
    envSchema: baseEnvSchema,
    dependencies: () => ({}),
    routes: {
      'GET /v1/topics/{id}': async () => {
        throw error;
      },
    },
  });
}

function event(change: (event: APIGatewayProxyEventV2) => void = () => undefined): APIGatewayProxyEventV2 {
  const request = structuredClone(getTopicEvent) as APIGatewayProxyEventV2;
  change(request);
  return request;
}

beforeEach(() => {
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
  vi.spyOn(logger, 'warn').mockImplementation(() => undefined);
  vi.spyOn(logger, 'error').mockImplementation(() => undefined);
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe('the refusal line of a route', () => {
  it.each([
    { case: 'AuthenticationError', error: new AuthenticationError(), status: 401 },
    { case: 'ForbiddenError', error: new ForbiddenError('a viewer key may not create topics'), status: 403 },
  ])('a $case answers $status and writes exactly one line: route, reason, source, key id', async ({ error, status }) => {
    // Prepare
    const handler = routeThrowing(error);
    const request = event((candidate) => {
      candidate.headers['cloudfront-viewer-address'] = '198.51.100.7:51234';
      (candidate.requestContext as unknown as { authorizer: unknown }).authorizer = { lambda: { keyId: 'key-roads' } };
    });

    // Act
    const response = await handler(request, context);

    // Assess
    expect(response.statusCode).toBe(status);
    expect(logger.warn).toHaveBeenCalledExactlyOnceWith('request refused', {
      status,
      route: 'GET /v1/topics/{id}',
      reason: error.message,
      sourceIp: '203.0.113.10',
      viewerAddress: '198.51.100.7:51234',
      keyId: 'key-roads',
      requestId: 'Rk3xq3EFLPEEMfw=',
    });
  });

  it('names the revoked key a route refused itself, and never writes the key', async () => {
    // Prepare
    const handler = routeThrowing(new AuthenticationError('the API key is not valid (unknown or revoked)', { keyId: 'key-leaver' }));

    // Act
    await handler(event(), context);

    // Assess
    const [, line] = vi.mocked(logger.warn).mock.calls[0]!;
    expect(line).toMatchObject({ status: 401, keyId: 'key-leaver' });
    expect(JSON.stringify(line)).not.toContain('crier_op_example-not-a-real-key');
  });

  it('masks a phone number in the reason (a forged webhook, a refused resident lookup)', async () => {
    // Prepare
    const handler = routeThrowing(new ForbiddenError('a test key may not read +447700900123'));

    // Act
    await handler(event(), context);

    // Assess
    expect(logger.warn).toHaveBeenCalledExactlyOnceWith('request refused', expect.objectContaining({ reason: 'a test key may not read +•••••••••123' }));
  });

  it("writes no second line for a key the authorizer refused (it wrote the one), and still answers crier's 401", async () => {
    // Prepare
    const handler = routeThrowing(new Error('the route must not run'));
    const refused = event((candidate) => {
      (candidate.requestContext as unknown as { authorizer: unknown }).authorizer = {
        lambda: { refusal: 'the API key is not valid (unknown or revoked)', keyId: 'key-leaver' },
      };
    });

    // Act
    const response = await handler(refused, context);

    // Assess
    expect(response).toMatchObject({ statusCode: 401, body: JSON.stringify({ error: 'the API key is not valid (unknown or revoked)', details: [] }) });
    expect(logger.warn).not.toHaveBeenCalledWith('request refused', expect.anything());
  });

  it.each([
    { case: 'a 400', error: new ValidationError('the request body is invalid') },
    { case: 'a 404', error: new NotFoundError('no topic "nope"') },
  ])('writes no refusal line for $case', async ({ error }) => {
    // Prepare
    const handler = routeThrowing(error);

    // Act
    const response = await handler(event(), context);

    // Assess
    expect(response.statusCode).toBeGreaterThanOrEqual(400);
    expect(logger.warn).not.toHaveBeenCalledWith('request refused', expect.anything());
  });
});

describe('maskPhoneNumbers', () => {
  it.each([
    ['+447700900123', '+•••••••••123'],
    ['07700 900123', '••••••••123'],
    ['call 020-7946-0958 now', 'call ••••••••958 now'],
    ['key-roads may not read this', 'key-roads may not read this'],
    ['limit 500000 reached', 'limit 500000 reached'],
  ])('%s → %s', (text, expected) => {
    // Prepare / Act
    const masked = maskPhoneNumbers(text);

    // Assess
    expect(masked).toBe(expected);
  });
});
