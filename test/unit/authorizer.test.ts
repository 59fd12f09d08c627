import 'aws-sdk-client-mock-vitest/extend';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayRequestAuthorizerEventV2, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import authorizerRequest from '../../events/apigw/authorizer-request.json';
import { handler } from '../../functions/http/authorizer.js';
import { BOOTSTRAP_KEY_TTL_MS } from '../../functions/wiring.js';
import { keys } from '../../shared/adapters/dynamo/keys.js';
import { authorizerEnvSchema, type AuthorizerEnv } from '../../shared/config/env.js';
import type { EnvironmentContext } from '../../shared/runtime/environment.js';
import { logger } from '../../shared/runtime/logger.js';
import { hashApiKey } from '../../shared/usecases/authenticate.js';

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
const context: Context & EnvironmentContext<AuthorizerEnv> = {
  callbackWaitsForEmptyEventLoop: false,
  functionName: 'crier-authorizer',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-2:123456789012:function:crier-authorizer',
  memoryLimitInMB: '512',
  awsRequestId: 'req-1',
  logGroupName: '/aws/lambda/crier-authorizer',
  logStreamName: 'test',
  getRemainingTimeInMillis: () => 5_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
  env: authorizerEnvSchema.parse({ TABLE_NAME: 'placeholder' }),
};

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
  vi.spyOn(logger, 'info').mockImplementation(() => undefined);
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
    { case: 'a revoked key', authorization: `Bearer ${REVOKED_KEY}` },
    { case: 'an unknown key', authorization: 'Bearer crier_live_made-up' },
    { case: 'no Authorization header', authorization: undefined },
    { case: 'a header that is not a bearer token', authorization: `Basic ${Buffer.from('operator:secret').toString('base64')}` },
    { case: 'an empty bearer token', authorization: 'Bearer ' },
  ])('refuses $case: through to the route with only the refusal, which answers 401', async ({ authorization }) => {
    // Prepare
    const event = requestWith(authorization);

    // Act
    const result = await handler(event, context);

    // Assess
    expect(result).toEqual({ isAuthorized: true, context: { refusal: expect.stringMatching(/API key/) } });
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
