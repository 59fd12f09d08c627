import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { functionDefinition, type FunctionId } from '../functions/catalog.js';

export type LambdaHandler<Event, Result> = (event: Event, context: Context) => Promise<Result>;

const repositoryRoot = resolve(import.meta.dirname, '..');

/** Loads a function's handler from its catalog entry, the file CDK bundles for AWS. */
export async function loadHandler<Event, Result>(functionId: FunctionId): Promise<LambdaHandler<Event, Result>> {
  const definition = functionDefinition(functionId);
  const module = (await import(pathToFileURL(resolve(repositoryRoot, definition.entry)).href)) as {
    handler?: LambdaHandler<Event, Result>;
  };
  if (typeof module.handler !== 'function') throw new Error(`${definition.entry} does not export a handler`);
  return module.handler;
}

/** A Lambda context as the runtime would pass it, with the function's configured timeout. */
export function lambdaContext(functionId: FunctionId): Context {
  const definition = functionDefinition(functionId);
  const deadline = Date.now() + definition.timeoutSeconds * 1000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: `crier-local-${functionId}`,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:eu-west-2:000000000000:function:crier-local-${functionId}`,
    memoryLimitInMB: String(definition.memoryMb),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/crier-local-${functionId}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
