import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { z } from 'zod';
import { fanOutEnvSchema, tableEnvSchema, webhookEnvSchema } from '../../shared/config/env.js';
import { ConfigurationError } from '../../shared/domain/errors.js';
import { parseEnvironment, validateEnvironment, type EnvironmentContext } from '../../shared/runtime/environment.js';
import { lambdaContext } from '../support/lambda-context.js';

afterEach(() => {
  vi.unstubAllEnvs();
});

type TableEnv = z.infer<typeof tableEnvSchema>;

/** A Lambda context carrying a placeholder env, which the middleware must replace. */
const context = () => lambdaContext('crier-test', tableEnvSchema.parse({ TABLE_NAME: 'placeholder' }), { memoryMb: 128, remainingMs: 10_000 });

describe('parseEnvironment', () => {
  it('parses a complete environment, filling in defaults', () => {
    // Prepare
    const source = {
      TABLE_NAME: 'crier-prod',
      FAN_OUT_QUEUE_URL: 'https://sqs.eu-west-2.amazonaws.com/1/f',
      SEND_URGENT_QUEUE_URL: 'https://sqs.eu-west-2.amazonaws.com/1/u',
      SEND_BULK_QUEUE_URL: 'https://sqs.eu-west-2.amazonaws.com/1/b',
    };

    // Act
    const env = parseEnvironment(fanOutEnvSchema, source);

    // Assess
    expect(env).toMatchObject({ TABLE_NAME: 'crier-prod', TOPIC_SHARDS: 8, RECIPIENTS_PER_SEND_MESSAGE: 250, DEFAULT_COUNTRY: 'GB' });
  });

  it.each([
    ['TABLE_NAME', {}],
    ['TOPIC_SHARDS', { TABLE_NAME: 'crier-prod', TOPIC_SHARDS: 'eight' }],
    ['TOPIC_SHARDS', { TABLE_NAME: 'crier-prod', TOPIC_SHARDS: '65' }],
    ['DEFAULT_COUNTRY', { TABLE_NAME: 'crier-prod', DEFAULT_COUNTRY: 'uk' }],
  ])('names %s when it is missing or malformed', (variable, source) => {
    // Prepare
    const environment = structuredClone(source);

    // Act
    const attempt = () => parseEnvironment(tableEnvSchema, environment);

    // Assess
    expect(attempt).toThrow(ConfigurationError);
    expect(attempt).toThrow(new RegExp(`^invalid environment: .*${variable}: `));
  });

  it('names every missing variable at once', () => {
    // Prepare
    const source = { TABLE_NAME: 'crier-prod' };

    // Act
    const attempt = () => parseEnvironment(webhookEnvSchema, source);

    // Assess
    expect(attempt).toThrow(/PUBLIC_BASE_URL: .*; SEND_URGENT_QUEUE_URL: /);
  });
});

describe('validateEnvironment', () => {
  const echoEnv = () => {
    const handler = async (_event: unknown, ctx: Context & EnvironmentContext<TableEnv>): Promise<TableEnv> => ctx.env;
    return middy<unknown, TableEnv, Error, Context & EnvironmentContext<TableEnv>>(handler).use(validateEnvironment(tableEnvSchema));
  };

  it('puts the typed environment on the context', async () => {
    // Prepare
    vi.stubEnv('TABLE_NAME', 'crier-prod');
    vi.stubEnv('TOPIC_SHARDS', '16');
    const handler = echoEnv();

    // Act
    const env = await handler({}, context());

    // Assess
    expect(env).toMatchObject({ TABLE_NAME: 'crier-prod', TOPIC_SHARDS: 16 });
  });

  it('fails the invocation with a message naming the missing variable', async () => {
    // Prepare
    vi.stubEnv('TABLE_NAME', undefined);
    const handler = echoEnv();

    // Act
    const attempt = handler({}, context());

    // Assess
    await expect(attempt).rejects.toThrow(ConfigurationError);
    await expect(handler({}, context())).rejects.toThrow(/TABLE_NAME: /);
  });

  it('validates once per container, not on every invocation', async () => {
    // Prepare
    vi.stubEnv('TABLE_NAME', 'crier-first');
    const handler = echoEnv();
    await handler({}, context());
    vi.stubEnv('TABLE_NAME', 'crier-second');

    // Act
    const env = await handler({}, context());

    // Assess
    expect(env).toMatchObject({ TABLE_NAME: 'crier-first' });
  });
});
