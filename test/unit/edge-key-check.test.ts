import { runInNewContext } from 'node:vm';
import { describe, expect, it, vi } from 'vitest';
import viewerRequest from '../../events/cloudfront/viewer-request.json';
import { edgeKeyCheckSource } from '../../infra/constructs/edge-key-check.js';
import { bearerKey, keyRefusals } from '../../shared/platform/api-key-shape.js';

/** CloudFront's viewer-request function, run as CloudFront runs it: a script defining `handler`. */

type Request = typeof viewerRequest.request & { headers: Record<string, { value: string }> };

function edgeFunction(openPaths: string[] = ['/v1/openapi.json']) {
  const log = vi.fn<(line: string) => void>();
  const sandbox: Record<string, unknown> = { console: { log } };
  runInNewContext(edgeKeyCheckSource(openPaths), sandbox);
  const handler = sandbox.handler as (event: unknown) => Record<string, any>;
  return {
    log,
    run: (change: (request: Request) => void) => {
      const event = structuredClone(viewerRequest) as typeof viewerRequest & { request: Request };
      change(event.request);
      return handler(event);
    },
  };
}

const withAuthorization = (value: string | undefined) => (request: Request) => {
  if (value !== undefined) request.headers.authorization = { value };
};

describe("the edge's key check agrees with bearerKey, case by case", () => {
  it.each([
    ['no header', undefined],
    ['an empty header', ''],
    ['a Basic header', 'Basic b3BlcmF0b3I6c2VjcmV0'],
    ['an empty bearer token', 'Bearer '],
    ['a token too short', 'Bearer not-a-key'],
    ['a token too long', `Bearer ${'A'.repeat(129)}`],
    ['a token with a quote', "Bearer crier_live_'OR'1'='1'--x"],
    ['a token with a dot', 'Bearer crier_live_abc.def.ghi.jkl'],
    ['a live key', 'Bearer crier_live_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG'],
    ['a bootstrap key', 'Bearer Kq3ZpX9aB7cD1eF5gH2iJ8kL4mN6oP0qR3sT7uV9wX1yZ5aB'],
    ['a lower-case scheme', 'bearer crier_test_0123456789abcdefghijklmnop'],
    ['the shortest key', `Bearer ${'a'.repeat(16)}`],
    ['the longest key', `Bearer ${'a'.repeat(128)}`],
  ])('%s', (_case, authorization) => {
    // Prepare
    const edge = edgeFunction();
    const expected = bearerKey(authorization);

    // Act
    const result = edge.run(withAuthorization(authorization));

    // Assess
    if ('refusal' in expected) {
      expect(result).toEqual({
        statusCode: 401,
        statusDescription: 'Unauthorized',
        headers: {
          'content-type': { value: 'application/json; charset=utf-8' },
          'www-authenticate': { value: 'Bearer' },
          'cache-control': { value: 'no-store' },
        },
        body: { encoding: 'text', data: JSON.stringify({ error: keyRefusals[expected.refusal], details: [] }) },
      });
    } else {
      expect(result).toMatchObject({ method: 'GET', uri: '/v1/topics', headers: { authorization: { value: authorization } } });
    }
  });
});

describe('the edge passes on what is not its to check', () => {
  it.each([
    ['the OpenAPI document', '/v1/openapi.json'],
    ['the health check', '/health'],
    ['a webhook', '/webhooks/twilio/inbound'],
    // A browser has no key: the console checks its own session cookie.
    ['the root', '/'],
    ['the console', '/console'],
    ['a console page', '/console/broadcasts/new'],
    ["the console's assets", '/console/assets/crier.0123456789ab.css'],
  ])('%s, without a key', (_case, uri) => {
    // Prepare
    const edge = edgeFunction();

    // Act
    const result = edge.run((request) => {
      request.uri = uri;
    });

    // Assess
    expect(result).toMatchObject({ uri });
    expect(edge.log).not.toHaveBeenCalled();
  });

  it('refuses to be built with an open path it could not match literally', () => {
    // Prepare / Act
    const build = () => edgeKeyCheckSource(['/v1/things/{id}']);

    // Assess
    expect(build).toThrow('open path /v1/things/{id} must be a literal path under /v1/');
  });
});

describe("the edge's refusal line", () => {
  it('names the method and path with a phone number masked, the reason and the viewer, never the header', () => {
    // Prepare
    const edge = edgeFunction();

    // Act
    edge.run((request) => {
      request.uri = '/v1/subscribers/+447700900123';
      request.headers.authorization = { value: 'Bearer not-a-key' };
    });

    // Assess
    expect(edge.log).toHaveBeenCalledOnce();
    const line = JSON.parse(edge.log.mock.calls[0]![0]);
    expect(line).toEqual({
      message: 'request refused',
      status: 401,
      route: 'GET /v1/subscribers/+•••••••••123',
      reason: keyRefusals.invalid,
      viewerAddress: '198.51.100.7',
    });
    expect(edge.log.mock.calls[0]![0]).not.toContain('not-a-key');
  });
});
