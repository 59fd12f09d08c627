import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { functionDefinition, type FunctionId } from '../functions/catalog.js';
import { CrierError } from '../shared/domain/errors.js';
import { runAsInvocation, type Invocation } from './invocation-io.js';

export type LambdaHandler<Event, Result> = (event: Event, context: Context) => Promise<Result>;

/** A function as the local stack calls it: an event in, its result out, under its timeout. */
export type LocalInvoke<Event, Result> = (event: Event) => Promise<Result>;

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

/** What Lambda reports when an invocation outlives its timeout (its message is Lambda's own). */
export class FunctionTimeoutError extends CrierError {
  constructor(
    readonly functionId: FunctionId,
    readonly timeoutMs: number,
  ) {
    super(`${functionId}: Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`);
    this.name = 'FunctionTimeoutError';
  }
}

/** What Lambda reports when the runtime process dies under an invocation (a crash, an out-of-memory kill). */
export class FunctionCrashError extends CrierError {
  constructor(readonly functionId: FunctionId) {
    super(`${functionId}: Runtime exited with error: signal: killed`);
    this.name = 'FunctionCrashError';
  }
}

/**
 * A handler invoked as Lambda invokes it: a fresh context whose remaining time counts down from
 * `timeoutMs`, and at the timeout the invocation is abandoned: the caller gets a
 * FunctionTimeoutError, and whoever called it treats that as a failure (an event source leaves
 * the records on the queue, the gateway answers 500, the scheduler logs it); a crash (see
 * InvocationIoGate.crashOnRequest) is the same with a FunctionCrashError. However it ends, what
 * the run left going is frozen (invocation-io.ts): it cannot go on writing to the table or calling
 * a provider once its caller has moved on, as in a frozen or thrown-away Lambda sandbox.
 */
export function asLambda<Event, Result>(
  functionId: FunctionId,
  handler: LambdaHandler<Event, Result>,
  timeoutMs = functionDefinition(functionId).timeoutSeconds * 1000,
): LocalInvoke<Event, Result> {
  return async (event) => {
    let endEarly: (error: Error) => void = () => undefined;
    const endedEarly = new Promise<never>((_resolve, reject) => {
      endEarly = (error) => {
        invocation.ended = true;
        reject(error);
      };
    });
    const invocation: Invocation = { ended: false, crash: () => endEarly(new FunctionCrashError(functionId)) };
    const timer = setTimeout(() => endEarly(new FunctionTimeoutError(functionId, timeoutMs)), timeoutMs);
    const running = runAsInvocation(invocation, () => handler(event, lambdaContext(functionId, timeoutMs)));
    // Once it has ended early, the run's own outcome has nobody to go to, as in Lambda.
    running.catch(() => undefined);
    try {
      return await Promise.race([running, endedEarly]);
    } finally {
      invocation.ended = true;
      clearTimeout(timer);
    }
  };
}

/** A Lambda context as the runtime would pass it, with the function's timeout. */
export function lambdaContext(functionId: FunctionId, timeoutMs = functionDefinition(functionId).timeoutSeconds * 1000): Context {
  const definition = functionDefinition(functionId);
  const deadline = Date.now() + timeoutMs;
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
