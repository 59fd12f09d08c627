import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import getTopicEvent from '../../events/apigw/get-topic.json';
import postTopicEvent from '../../events/apigw/post-topic.json';
import twilioInboundEvent from '../../events/apigw/twilio-inbound-base64.json';
import functionUrlEvent from '../../events/lambda-url/twilio-status.json';
import { createTopicRequest } from '../../shared/api/topic-schemas.js';
import { baseEnvSchema } from '../../shared/config/env.js';
import {
  AuthenticationError,
  ConfigurationError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  PayloadTooLargeError,
  ProviderError,
  ValidationError,
} from '../../shared/domain/errors.js';
import { httpFunction } from '../../shared/runtime/http/http-function.js';
import { parseFormBody, parseJsonBody, parseParameter, toHttpRequest, type HttpRequest } from '../../shared/runtime/http/request.js';
import { csvFile, errorResponse } from '../../shared/runtime/http/responses.js';
import { logger } from '../../shared/runtime/logger.js';
import { RetryLaterError } from '../../shared/sending/send.js';

const event = (fixture: unknown) => structuredClone(fixture) as APIGatewayProxyEventV2;

afterEach(() => {
  vi.restoreAllMocks();
});

describe('errorResponse', () => {
  const zodError = z.object({ id: z.string() }).safeParse({ id: 1 }).error;

  it.each<[string, number, string, unknown]>([
    ['ValidationError', 400, 'the request body is invalid', new ValidationError('the request body is invalid', [{ field: 'id', message: 'too long' }])],
    ['ZodError', 400, 'the request is invalid', zodError],
    ['AuthenticationError', 401, 'a valid API key is required (Authorization: Bearer <key>)', new AuthenticationError()],
    ['ForbiddenError', 403, 'a viewer key may not create topics', new ForbiddenError('a viewer key may not create topics')],
    ['NotFoundError', 404, 'no topic "nope"', new NotFoundError('no topic "nope"')],
    ['ConflictError', 409, 'keyword TRAFFIC is already used by topic "traffic"', new ConflictError('keyword TRAFFIC is already used by topic "traffic"')],
    ['PayloadTooLargeError', 413, 'request body is larger than 1024 bytes', new PayloadTooLargeError(1024)],
    ['ConfigurationError', 500, 'the service is misconfigured; the operator has been told', new ConfigurationError('TWILIO_AUTH_TOKEN is not set')],
    ['ProviderError', 500, 'internal error', new ProviderError('twilio', 'misconfigured', 'Twilio 20003: authenticate')],
    ['RetryLaterError', 500, 'internal error', new RetryLaterError(new ProviderError('sandbox', 'throttled', 'slow down'))],
    ['a plain Error', 500, 'internal error', new Error('connect ECONNREFUSED 10.0.3.7:8000')],
    ['an Error merely named like a known class', 500, 'internal error', Object.assign(new Error('secret detail'), { name: 'ValidationError' })],
    ['a thrown string', 500, 'internal error', 'table crier-prod is missing'],
  ])('maps %s to %i', (_case, status, message, error) => {
    // Prepare
    vi.spyOn(logger, 'error').mockImplementation(() => undefined);

    // Act
    const response = errorResponse(error, 'req-1');

    // Assess
    expect(response.statusCode).toBe(status);
    expect(response.headers?.['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(String(response.body)).error).toBe(message);
  });

  it('names the offending fields of a validation error', () => {
    // Prepare
    const error = new ValidationError('the broadcast names topics that do not exist', [{ field: 'topics.1', message: 'no topic "nope"' }]);

    // Act
    const response = errorResponse(error, 'req-1');

    // Assess
    expect(JSON.parse(String(response.body))).toEqual({
      error: 'the broadcast names topics that do not exist',
      details: [{ field: 'topics.1', message: 'no topic "nope"' }],
    });
  });

  it('names the field of a ZodError by its path', () => {
    // Prepare / Act
    const response = errorResponse(zodError, 'req-1');

    // Assess
    expect(JSON.parse(String(response.body)).details).toEqual([{ field: 'id', message: expect.any(String) }]);
  });

  it('asks for a bearer token on 401', () => {
    // Prepare / Act
    const response = errorResponse(new AuthenticationError(), 'req-1');

    // Assess
    expect(response.headers?.['www-authenticate']).toBe('Bearer');
  });

  it('says nothing about an unknown error but the request id, and logs it under that id', () => {
    // Prepare
    const log = vi.spyOn(logger, 'error').mockImplementation(() => undefined);
    const error = new Error('ConditionalCheckFailed on table crier-prod-Table-1A2B3C, key SUB#+447700900101');

    // Act
    const response = errorResponse(error, 'req-42');

    // Assess
    expect(JSON.parse(String(response.body))).toEqual({ error: 'internal error', details: [], requestId: 'req-42' });
    expect(String(response.body)).not.toContain('crier-prod');
    expect(String(response.body)).not.toContain('+447700900101');
    expect(log).toHaveBeenCalledWith('unhandled error', { error, requestId: 'req-42' });
  });

  it('does not repeat a configuration error’s message to the caller', () => {
    // Prepare
    vi.spyOn(logger, 'error').mockImplementation(() => undefined);

    // Act
    const response = errorResponse(new ConfigurationError('the provider secret arn:aws:secretsmanager:… is invalid'), 'req-7');

    // Assess
    expect(String(response.body)).not.toContain('secretsmanager');
    expect(JSON.parse(String(response.body)).requestId).toBe('req-7');
  });
});

describe('csvFile', () => {
  it('answers a CSV attachment under the name given, with the headers the caller adds', () => {
    // Prepare
    const body = 'number,status\r\n';

    // Act
    const response = csvFile('inbox-roads.csv', body, { 'cache-control': 'no-store' });

    // Assess
    expect(response).toEqual({
      statusCode: 200,
      headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="inbox-roads.csv"', 'cache-control': 'no-store' },
      body,
    });
  });
});

describe("httpFunction, for a request the gateway's authorizer refused", () => {
  const lambdaContext = { awsRequestId: 'req-1', functionName: 'crier-topics', getRemainingTimeInMillis: () => 5_000 } as unknown as Context;
  const refusal = { refusal: 'the API key is not valid (unknown or revoked)', keyId: 'key-leaver' };

  function functionUnderTest() {
    const dependencies = vi.fn(() => ({}));
    const route = vi.fn(async () => ({ statusCode: 200, body: '{}' }));
    const handler = httpFunction({ envSchema: baseEnvSchema, dependencies, routes: { 'POST /v1/topics': route } });
    return { handler, dependencies, route };
  }

  function refusedEvent(change: (event: APIGatewayProxyEventV2) => void): APIGatewayProxyEventV2 {
    const refused = event(postTopicEvent);
    (refused.requestContext as unknown as { authorizer: unknown }).authorizer = { lambda: refusal };
    change(refused);
    return refused;
  }

  it.each<{ case: string; change: (refused: APIGatewayProxyEventV2) => void }>([
    { case: 'a route it serves', change: () => undefined },
    {
      case: 'a route it does not serve (not 404)',
      change: (refused) => {
        refused.routeKey = 'GET /v1/nowhere';
      },
    },
    {
      case: 'a body over the limit (not 413)',
      change: (refused) => {
        refused.body = 'x'.repeat(65 * 1024);
      },
    },
  ])("answers crier's 401 before any other work, for $case: no dependencies built, no route run", async ({ change }) => {
    // Prepare
    vi.spyOn(logger, 'warn').mockImplementation(() => undefined);
    const { handler, dependencies, route } = functionUnderTest();

    // Act
    const response = await handler(refusedEvent(change), lambdaContext);

    // Assess
    expect(response).toMatchObject({
      statusCode: 401,
      headers: expect.objectContaining({ 'www-authenticate': 'Bearer' }),
      body: JSON.stringify({ error: refusal.refusal, details: [] }),
    });
    expect(dependencies).not.toHaveBeenCalled();
    expect(route).not.toHaveBeenCalled();
  });
});

describe('toHttpRequest', () => {
  it.each([
    ['a function URL', functionUrlEvent, 'POST /webhooks/twilio/status', functionUrlEvent.requestContext.domainName],
    ['API Gateway', twilioInboundEvent, 'POST /webhooks/twilio/inbound', undefined],
    ['a $default route of API Gateway (no function URL host)', { ...twilioInboundEvent, routeKey: '$default' }, '$default', undefined],
  ])('through %s: the route key and the function URL host', (_case, fixture, routeKey, functionUrlHost) => {
    // Prepare
    const incoming = event(fixture);

    // Act
    const request = toHttpRequest(incoming, 64 * 1024);

    // Assess
    expect(request.routeKey).toBe(routeKey);
    expect(request.functionUrlHost).toBe(functionUrlHost);
  });

  it('decodes a base64 body, as API Gateway passes a form post', () => {
    // Prepare
    const inbound = event(twilioInboundEvent);

    // Act
    const request = toHttpRequest(inbound, 64 * 1024);

    // Assess
    expect(request.rawBody).toContain('Body=JOIN+TRAFFIC');
    expect(parseFormBody(request)).toMatchObject({ From: '+447700900101', Body: 'JOIN TRAFFIC', NumMedia: '0' });
  });

  it('lower-cases header names and keeps their values', () => {
    // Prepare
    const inbound = event(twilioInboundEvent);

    // Act
    const request = toHttpRequest(inbound, 64 * 1024);

    // Assess
    expect(request.headers['x-twilio-signature']).toBe('0/KCTR6DLpKmkAf8muzZqo1nDgQ=');
    expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.keys(request.headers).every((name) => name === name.toLowerCase())).toBe(true);
  });

  it('passes a plain body, path and query parameters and the request id through', () => {
    // Prepare
    const getTopic = event(getTopicEvent);

    // Act
    const request = toHttpRequest(getTopic, 64 * 1024);

    // Assess
    expect(request).toMatchObject({
      routeKey: 'GET /v1/topics/{id}',
      pathParameters: { id: 'traffic' },
      query: { include: 'counts', lang: 'cy' },
      rawQueryString: 'include=counts&lang=cy',
      rawBody: '',
      requestId: 'Rk3xq3EFLPEEMfw=',
    });
  });

  it('refuses a body over the limit with 413, counting the decoded bytes', () => {
    // Prepare
    const inbound = event(twilioInboundEvent);
    const decodedBytes = Buffer.from(inbound.body ?? '', 'base64').length;

    // Act
    const atLimit = () => toHttpRequest(event(twilioInboundEvent), decodedBytes);
    const overLimit = () => toHttpRequest(inbound, decodedBytes - 1);

    // Assess
    expect(atLimit).not.toThrow();
    expect(overLimit).toThrow(PayloadTooLargeError);
    expect(errorResponse(new PayloadTooLargeError(decodedBytes - 1), 'req-1').statusCode).toBe(413);
  });

  it('counts bytes, not characters, of a multi-byte body', () => {
    // Prepare
    const post = event(postTopicEvent);
    post.body = JSON.stringify({ name: 'Newyddion ieuenctid 🚸' });
    const characters = post.body.length;

    // Act
    const attempt = () => toHttpRequest(post, characters);

    // Assess
    expect(attempt).toThrow(PayloadTooLargeError);
  });
});

describe('parseJsonBody', () => {
  const requestWith = (rawBody: string): HttpRequest => ({ ...toHttpRequest(event(postTopicEvent), 64 * 1024), rawBody });

  it('parses a valid body with the schema, defaults and all', () => {
    // Prepare
    const request = toHttpRequest(event(postTopicEvent), 64 * 1024);

    // Act
    const topic = parseJsonBody(request, createTopicRequest);

    // Assess
    expect(topic).toEqual({
      id: 'traffic',
      name: 'Traffic alerts',
      keywords: ['TRAFFIC'],
      requiresApproval: false,
      confirmedOptIn: false,
      aliases: {},
    });
  });

  it.each([
    ['not JSON', '{"id": "traffic",', 'the request body is not valid JSON', [{ field: 'body', message: 'must be a JSON object' }]],
    ['empty', '', 'the request body is empty', [{ field: 'body', message: 'a JSON object is required' }]],
  ])('refuses a body that is %s, naming the body', (_case, rawBody, message, details) => {
    // Prepare
    const request = requestWith(rawBody);

    // Act
    const attempt = () => parseJsonBody(request, createTopicRequest);

    // Assess
    const error = catchError(attempt);
    expect(error.message).toBe(message);
    expect(error.details).toEqual(details);
  });

  it.each([
    ['a bad id', { id: 'Traffic Alerts', name: 'Traffic' }, ['id']],
    ['a reserved keyword', { id: 'traffic', name: 'Traffic', keywords: ['TRAFFIC', 'STOP'] }, ['keywords.1']],
    ['a missing name', { id: 'traffic' }, ['name']],
    ['an unknown field', { id: 'traffic', name: 'Traffic', colour: 'red' }, ['body']],
    ['a JSON array', [], ['body']],
  ])('refuses %s, naming the field', (_case, body, fields) => {
    // Prepare
    const request = requestWith(JSON.stringify(body));

    // Act
    const error = catchError(() => parseJsonBody(request, createTopicRequest));

    // Assess
    expect(error.message).toBe('the request body is invalid');
    expect(error.details.map((issue) => issue.field)).toEqual(fields);
  });
});

describe('parseParameter', () => {
  it('names the parameter in its error', () => {
    // Prepare
    const schema = z.string().regex(/^[a-z]+$/);

    // Act
    const error = catchError(() => parseParameter('NOT OK', 'topic id', schema));

    // Assess
    expect(error.message).toBe('the topic id is invalid');
    expect(error.details[0]?.field).toBe('topic id');
  });
});

function catchError(attempt: () => unknown): ValidationError {
  try {
    attempt();
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('expected a ValidationError');
}
