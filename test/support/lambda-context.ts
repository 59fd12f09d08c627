import type { Context } from 'aws-lambda';
import type { EnvironmentContext } from '../../shared/runtime/environment.js';

/**
 * The Lambda context a handler is given when a test calls it directly, carrying a placeholder env
 * that the environment middleware replaces with the validated one. The function's name and its
 * time left vary between tests; the rest is what Lambda always sends.
 */
export function lambdaContext<Env>(functionName: string, env: Env, { memoryMb = 512, remainingMs = 60_000 } = {}): Context & EnvironmentContext<Env> {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:eu-west-2:123456789012:function:${functionName}`,
    memoryLimitInMB: String(memoryMb),
    awsRequestId: 'req-1',
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'test',
    getRemainingTimeInMillis: () => remainingMs,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
    env,
  };
}
