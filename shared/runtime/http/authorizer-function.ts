import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type {
  APIGatewayRequestAuthorizerEventV2,
  APIGatewaySimpleAuthorizerResult,
  APIGatewaySimpleAuthorizerWithContextResult,
  Context,
} from 'aws-lambda';
import { z } from 'zod';
import { AuthenticationError } from '../../domain/errors.js';
import { validateEnvironment, type EnvironmentContext } from '../environment.js';
import { logger } from '../logger.js';
import { memoiseBy } from '../memo.js';
import { observability } from '../observability.js';
import { refusalContext } from './authorizer-refusal.js';
import { logRefusal } from './refusal-log.js';

/** What a simple-response authorizer may put in its context: flat values only. */
export type AuthorizerContext = Record<string, string | number | boolean>;

export type AuthorizerResult = APIGatewaySimpleAuthorizerResult | APIGatewaySimpleAuthorizerWithContextResult<AuthorizerContext>;

/** The parts of an HTTP API authorizer event (payload format 2.0) an authorizer reads. */
const authorizerEventSchema = z.object({
  headers: z.record(z.string(), z.string()).optional(),
  identitySource: z.array(z.string()).nullish(),
  routeKey: z.string(),
  requestContext: z.object({ requestId: z.string() }),
});

export interface AuthorizerFunctionOptions<S extends z.ZodObject, Deps> {
  envSchema: S;
  dependencies: (env: z.infer<S>) => Deps;
  /**
   * The caller's context for API Gateway to hand the route. A bad key is an AuthenticationError:
   * the request is refused. Any other throw is a fault (the table is unreachable), not a bad key:
   * API Gateway answers 500 and the function's error alarm goes off.
   */
  authorize: (authorization: string | undefined, deps: Deps) => Promise<AuthorizerContext>;
}

/**
 * The shape of an HTTP API Lambda authorizer with simple responses: validate the environment,
 * read the Authorization header, answer `{ isAuthorized, context }`. A bad key is let through
 * carrying only its refusal (`refusalContext`), which the route's function answers with crier's
 * `401 {error, details}` before doing any work: API Gateway could only answer `isAuthorized: false`
 * with a bare 403, which would break the contract's 401. The refusal line is written here, once
 * (`logRefusal`); the route's function does not write it again.
 */
export function authorizerFunction<S extends z.ZodObject, Deps>(options: AuthorizerFunctionOptions<S, Deps>) {
  const dependenciesFor = memoiseBy(options.dependencies);

  const handle = async (
    event: APIGatewayRequestAuthorizerEventV2,
    context: Context & EnvironmentContext<z.infer<S>>,
  ): Promise<AuthorizerResult> => {
    const request = authorizerEventSchema.parse(event);
    const authorization = headerValue(request.headers, 'authorization') ?? request.identitySource?.[0];
    try {
      return { isAuthorized: true, context: await options.authorize(authorization, dependenciesFor(context.env)) };
    } catch (error) {
      if (!(error instanceof AuthenticationError)) throw error;
      logRefusal(event, { status: 401, reason: error.message, keyId: error.keyId });
      return { isAuthorized: true, context: refusalContext(error) };
    }
  };

  return middy<APIGatewayRequestAuthorizerEventV2, AuthorizerResult, Error, Context & EnvironmentContext<z.infer<S>>>(handle)
    .use(observability())
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(validateEnvironment(options.envSchema));
}

/** HTTP APIs send header names in lower case; a hand-built event may not. */
function headerValue(headers: Record<string, string> | undefined, name: string): string | undefined {
  return Object.entries(headers ?? {}).find(([key]) => key.toLowerCase() === name)?.[1];
}
