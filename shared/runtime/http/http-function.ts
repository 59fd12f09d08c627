import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type { z } from 'zod';
import { AuthenticationError, NotFoundError } from '../../domain/errors.js';
import { validateEnvironment, type EnvironmentContext } from '../environment.js';
import { logger } from '../logger.js';
import { memoiseBy } from '../memo.js';
import { observability } from '../observability.js';
import { authorizerRefusal, refusalError } from './authorizer-refusal.js';
import { logRefusal } from './refusal-log.js';
import { routeKeyOf, toHttpRequest, type HttpRequest } from './request.js';
import { errorResponse, type HttpResult } from './responses.js';

export interface RouteContext<Env, Deps> {
  env: Env;
  deps: Deps;
  request: HttpRequest;
}

export type RouteHandler<Env, Deps> = (context: RouteContext<Env, Deps>) => Promise<HttpResult>;

export interface HttpFunctionOptions<S extends z.ZodObject, Deps> {
  envSchema: S;
  /** Builds adapters once per container from the validated environment. */
  dependencies: (env: z.infer<S>) => Deps;
  /** One handler per route key of the function's catalog entry. */
  routes: Record<string, RouteHandler<z.infer<S>, Deps>>;
  /** Larger bodies are refused with 413 before anything is parsed. */
  maxBodyBytes?: number;
}

const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

/**
 * The shape of every HTTP function: validate the environment, decode the request, dispatch on
 * the route key (or, on a function URL, the method and path), and map any error to a response by its class. Route handlers stay thin: parse,
 * call one use case, shape the result. A request the gateway's authorizer refused (it carries
 * only the refusal) is answered 401 before anything else: no route looked up, no body decoded,
 * nothing read.
 */
export function httpFunction<S extends z.ZodObject, Deps>(options: HttpFunctionOptions<S, Deps>) {
  const dependenciesFor = memoiseBy(options.dependencies);
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;

  const dispatch = async (
    event: APIGatewayProxyEventV2,
    context: Context & EnvironmentContext<z.infer<S>>,
  ): Promise<HttpResult> => {
    const refusal = authorizerRefusal(authorizerContext(event));
    if (refusal) throw refusalError(refusal);
    const routeKey = routeKeyOf(event);
    const route = options.routes[routeKey];
    if (!route) throw new NotFoundError(`no route for ${routeKey}`);
    const request = toHttpRequest(event, maxBodyBytes);
    return route({ env: context.env, deps: dependenciesFor(context.env), request });
  };

  return middy<APIGatewayProxyEventV2, HttpResult, Error, Context & EnvironmentContext<z.infer<S>>>(dispatch)
    .use(observability())
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(validateEnvironment(options.envSchema))
    .use({
      onError: (request) => {
        const response = errorResponse(request.error, request.event.requestContext?.requestId ?? 'unknown');
        // A request the authorizer refused was logged there: one line per refusal.
        const loggedByAuthorizer = authorizerRefusal(authorizerContext(request.event)) !== undefined;
        if ((response.statusCode === 401 || response.statusCode === 403) && !loggedByAuthorizer) {
          const error = request.error as Error;
          logRefusal(request.event, {
            status: response.statusCode,
            reason: error.message,
            keyId: error instanceof AuthenticationError ? error.keyId : undefined,
          });
        }
        request.response = response;
      },
    });
}

/** `requestContext.authorizer`, which API Gateway sets only on routes behind an authorizer. */
function authorizerContext(event: APIGatewayProxyEventV2): unknown {
  return event.requestContext && 'authorizer' in event.requestContext ? event.requestContext.authorizer : undefined;
}
