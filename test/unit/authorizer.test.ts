import 'aws-sdk-client-mock-vitest/extend';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import authorizerRequest from '../../events/apigw/authorizer-request.json';
import getTopicEvent from '../../events/apigw/get-topic.json';
import { handler } from '../../functions/http/authorizer.js';
import { handler as topicsHandler } from '../../functions/http/topics-api.js';
import { BOOTSTRAP_KEY_TTL_MS } from '../../functions/wiring.js';
import { keys } from '../../shared/adapters/dynamo/keys.js';
import { authorizerEnvSchema } from '../../shared/config/env.js';
import { logger } from '../../shared/runtime/logger.js';
import { hashApiKey } from '../../shared/staff/authenticate.js';
import { lambdaContext } from '../support/lambda-context.js';

/** The authorizer as Lambda runs it: its real wiring, with DynamoDB and Secrets Manager faked. */

const TABLE = 'crier-prod';
const BOOTSTRAP_SECRET_ARN = 'arn:aws:secretsmanager:eu-west-2:123456789012:secret:Crier/bootstrap-key-AbCdEf';
const BOOTSTRAP_KEY = 'generated-operator-key-0123456789abcdefghijklmnopqrstuv';
const SENDER_KEY = 'crier_live_roads-sender-key';
const REVOKED_KEY = 'crier_live_leaver-key';

const dynamo = mockClient(DynamoDBDocumentClient);
const secrets = mockClient(SecretsManagerClient);

const storedKeys: Record<string, Record<string, unknown>> = {
  [hashApiKey(SENDER_KEY)]: { keyId: 'key-roads', name: 'Roads team', role: 'sender', department: 'roads', mode: 'live', createdAt: '2025-03-01T09:00:00.000Z', revoked: false },
  [hashApiKey(REVOKED_KEY)]: { keyId: 'key-leaver', name: 'Leaver', role: 'approver', department: 'roads', mode: 'live', createdAt: '2025-03-01T09:00:00.000Z', revoked: true, revokedAt: '2025-03-02T09:00:00.000Z' },
};

/** A Lambda context carrying a placeholder env, which the middleware replaces with the validated one. */
const context = lambdaContext('crier-authorizer', authorizerEnvSchema.parse({ TABLE_NAME: 'placeholder' }), { remainingMs: 5_000 });

function requestWith(authorization: string | undefined): APIGatewayRequestAuthorizerEventV2 {
  const event = structuredClone(authorizerRequest) as APIGatewayRequestAuthorizerEventV2;
  if (authorization === undefined) {
    delete event.headers?.authorization;
    event.identitySource = [];
  } else {
    event.headers = { ...event.headers, authorization };
    event.identitySource = [authorization];
  }
  return event;
}

beforeAll(() => {
  vi.stubEnv('TABLE_NAME', TABLE);
  vi.stubEnv('BOOTSTRAP_KEY_SECRET_ARN', BOOTSTRAP_SECRET_ARN);
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
  vi.stubEnv('AWS_REGION', 'eu-west-2');
});
afterAll(() => {
  vi.unstubAllEnvs();
});
beforeEach(() => {
  vi.restoreAllMocks();
  vi.spyOn(logger, 'info').mockImplementation(() => undefined);
  vi.spyOn(logger, 'warn').mockImplementation(() => undefined);
  dynamo.reset();
  secrets.reset();
  dynamo.on(GetCommand).callsFake((input: { Key: { pk: string; sk: string } }) => {
    const hash = input.Key.pk.replace(/^APIKEY#/, '');
    return { Item: storedKeys[hash] ? { ...keys.apiKey(hash), ...storedKeys[hash] } : undefined };
  });
  secrets.on(GetSecretValueCommand, { SecretId: BOOTSTRAP_SECRET_ARN }).resolves({ SecretString: `${BOOTSTRAP_KEY}\n` });
});

describe('the admin API authorizer', () => {
  it('authorizes a valid key and hands the routes its principal', async () => {
    // Prepare
    const event = requestWith(`Bearer ${SENDER_KEY}`);

    // Act
    const result = await handler(event, context);

    // Assess
    expect(result).toEqual({
      isAuthorized: true,
      context: { keyId: 'key-roads', name: 'Roads team', role: 'sender', department: 'roads', mode: 'live' },
    });
    expect(dynamo).toHaveReceivedCommandWith(GetCommand, { TableName: TABLE, Key: keys.apiKey(hashApiKey(SENDER_KEY)), ConsistentRead: true });
  });

  it('authorizes the bootstrap operator key from its secret', async () => {
    // Prepare
    const event = requestWith(`Bearer ${BOOTSTRAP_KEY}`);

    // Act
    const result = await handler(event, context);

    // Assess
    expect(result).toEqual({
      isAuthorized: true,
      context: { keyId: 'bootstrap', name: 'bootstrap operator key', role: 'operator', department: '*', mode: 'live' },
    });
  });

  it.each([
    { case: 'a revoked key', authorization: `Bearer ${REVOKED_KEY}`, keyId: 'key-leaver', refusal: { refusal: 'the API key is not valid (unknown or revoked)', keyId: 'key-leaver' } },
    { case: 'an unknown key', authorization: 'Bearer crier_live_made-up', keyId: undefined, refusal: { refusal: 'the API key is not valid (unknown or revoked)' } },
  ])("refuses $case after one read: through to the route with only the refusal, which answers crier's 401", async ({ authorization, keyId, refusal }) => {
    // Prepare
    const event = requestWith(authorization);

    // Act
    const result = await handler(event, context);

    // Assess
    expect(result).toEqual({ isAuthorized: true, context: refusal });
    expect(dynamo).toHaveReceivedCommandTimes(GetCommand, 1);
    expect(logger.warn).toHaveBeenCalledExactlyOnceWith('request refused', {
      status: 401,
      route: 'GET /v1/topics/{id}',
      reason: 'the API key is not valid (unknown or revoked)',
      sourceIp: '203.0.113.10',
      viewerAddress: undefined,
      keyId,
      requestId: 'Rk3xq3EFLPEEMfx=',
    });
  });

  it.each([
    { case: 'no Authorization header', authorization: undefined, reason: 'a valid API key is required (Authorization: Bearer <key>)' },
    { case: 'a header that is not a bearer token', authorization: `Basic ${Buffer.from('operator:secret').toString('base64')}`, reason: 'a valid API key is required (Authorization: Bearer <key>)' },
    { case: 'an empty bearer token', authorization: 'Bearer ', reason: 'a valid API key is required (Authorization: Bearer <key>)' },
    { case: 'a token too short to be a key', authorization: 'Bearer not-a-key', reason: 'the API key is not valid (unknown or revoked)' },
    { case: 'a token too long to be a key', authorization: `Bearer crier_live_${'A'.repeat(200)}`, reason: 'the API key is not valid (unknown or revoked)' },
    { case: 'a token with characters no key has', authorization: "Bearer crier_live_'OR'1'='1'--x", reason: 'the API key is not valid (unknown or revoked)' },
  ])('refuses $case without reading the table or the bootstrap secret', async ({ authorization, reason }) => {
    // Prepare
    const event = requestWith(authorization);

    // Act
    const result = await handler(event, context);

    // Assess
    expect(result).toEqual({ isAuthorized: true, context: { refusal: reason } });
    expect(dynamo).not.toHaveReceivedCommand(GetCommand);
    expect(secrets).not.toHaveReceivedCommand(GetSecretValueCommand);
    expect(logger.warn).toHaveBeenCalledExactlyOnceWith('request refused', expect.objectContaining({ status: 401, reason, keyId: undefined }));
  });

  it('logs the viewer address CloudFront passes on, and never the Authorization header', async () => {
    // Prepare
    const event = requestWith(`Bearer ${REVOKED_KEY}`);
    event.headers = { ...event.headers, 'cloudfront-viewer-address': '198.51.100.7:51234' };

    // Act
    await handler(event, context);

    // Assess
    const [, line] = vi.mocked(logger.warn).mock.calls[0]!;
    expect(line).toMatchObject({ sourceIp: '203.0.113.10', viewerAddress: '198.51.100.7:51234', keyId: 'key-leaver' });
    expect(JSON.stringify(line)).not.toContain(REVOKED_KEY);
  });

  it('fails (API Gateway answers 500) rather than refuse when the table cannot be read', async () => {
    // Prepare
    dynamo.on(GetCommand).rejects(new Error('ProvisionedThroughputExceededException'));
    const event = requestWith(`Bearer ${SENDER_KEY}`);

    // Act
    const act = handler(event, context);

    // Assess
    await expect(act).rejects.toThrow('ProvisionedThroughputExceededException');
  });

  it('takes a rotated bootstrap key within a minute, not at the end of the container: the old key is refused from then on', async () => {
    // Prepare
    vi.useFakeTimers({ toFake: ['Date'] });
    const rotatedKey = 'rotated-operator-key-abcdefghijklmnopqrstuvwxyz0123456789';
    expect(await handler(requestWith(`Bearer ${BOOTSTRAP_KEY}`), context)).toMatchObject({ context: { keyId: 'bootstrap' } });
    secrets.on(GetSecretValueCommand, { SecretId: BOOTSTRAP_SECRET_ARN }).resolves({ SecretString: rotatedKey });

    // Act
    vi.advanceTimersByTime(BOOTSTRAP_KEY_TTL_MS);
    const oldKey = await handler(requestWith(`Bearer ${BOOTSTRAP_KEY}`), context);
    const newKey = await handler(requestWith(`Bearer ${rotatedKey}`), context);
    vi.useRealTimers();

    // Assess
    expect(BOOTSTRAP_KEY_TTL_MS).toBeLessThanOrEqual(5 * 60_000);
    expect(oldKey).toEqual({ isAuthorized: true, context: { refusal: expect.stringMatching(/API key/) } });
    expect(newKey).toMatchObject({ isAuthorized: true, context: { keyId: 'bootstrap', role: 'operator' } });
  });
});

describe('a refused key from the authorizer through the route, as API Gateway runs them', () => {
  /** The route's event as API Gateway builds it after the authorizer's answer. */
  function routeEventAfter(answer: unknown, authorization: string): APIGatewayProxyEventV2 {
    const event = structuredClone(getTopicEvent) as APIGatewayProxyEventV2;
    event.headers = { ...event.headers, authorization };
    const { context: lambda } = answer as { context: Record<string, unknown> };
    (event.requestContext as unknown as { authorizer: unknown }).authorizer = { lambda };
    return event;
  }

  it.each([
    { case: 'a revoked key', key: REVOKED_KEY },
    { case: 'an unknown key', key: 'crier_live_made-up' },
  ])("answers $case with crier's 401, one table read in all and one refusal line", async ({ key }) => {
    // Prepare
    const authorization = `Bearer ${key}`;
    const answer = await handler(requestWith(authorization), context);

    // Act
    const response = await topicsHandler(routeEventAfter(answer, authorization), context);

    // Assess
    expect(response).toMatchObject({
      statusCode: 401,
      headers: expect.objectContaining({ 'www-authenticate': 'Bearer' }),
      body: JSON.stringify({ error: 'the API key is not valid (unknown or revoked)', details: [] }),
    });
    expect(dynamo).toHaveReceivedCommandTimes(GetCommand, 1);
    expect(vi.mocked(logger.warn).mock.calls.filter(([message]) => message === 'request refused')).toHaveLength(1);
  });
});
