import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { z } from 'zod';
import type { LocalInvoke } from './lambda-runtime.js';

/** A simple response (payload format 2.0), checked as API Gateway checks it. */
const simpleResponse = z.object({
  isAuthorized: z.boolean(),
  context: z.record(z.string(), z.unknown()).optional(),
});

export type GatewayAuthorization =
  | { authorized: true; event: APIGatewayProxyEventV2 }
  | { authorized: false; response: APIGatewayProxyStructuredResultV2 };

/**
 * What an HTTP API does with a route behind a Lambda authorizer, so the local stack runs the
 * same authorizer code as AWS and answers as AWS does. The CDK stack gives the authorizer no
 * identity source (no cache), so API Gateway calls it for every request, with or without an
 * Authorization header. Refused, 403; a throw or a malformed answer, 500; accepted, the route's
 * event carries the context as `requestContext.authorizer.lambda`. The bodies are API Gateway's own.
 */
export async function authorizeAtGateway(
  authorizer: LocalInvoke<APIGatewayRequestAuthorizerEventV2, unknown>,
  event: APIGatewayProxyEventV2,
  log: (line: string) => void,
): Promise<GatewayAuthorization> {
  let answer: unknown;
  try {
    answer = await authorizer(authorizerEvent(event));
  } catch (error) {
    log(`authorizer failed: ${(error as Error).stack ?? String(error)}`);
    return { authorized: false, response: gatewayError(500, 'Internal Server Error') };
  }
  const parsed = simpleResponse.safeParse(answer);
  if (!parsed.success) {
    log(`authorizer answered something that is not a simple response: ${JSON.stringify(answer)}`);
    return { authorized: false, response: gatewayError(500, 'Internal Server Error') };
  }
  if (!parsed.data.isAuthorized) return { authorized: false, response: gatewayError(403, 'Forbidden') };
  const requestContext = { ...event.requestContext, authorizer: { lambda: parsed.data.context ?? {} } };
  return { authorized: true, event: { ...event, requestContext } };
}

/** The authorizer's event (payload format 2.0) for a request, as HTTP APIs build it. */
function authorizerEvent(event: APIGatewayProxyEventV2): APIGatewayRequestAuthorizerEventV2 {
  const { requestContext } = event;
  return {
    version: '2.0',
    type: 'REQUEST',
    routeArn: `arn:aws:execute-api:eu-west-2:${requestContext.accountId}:${requestContext.apiId}/${requestContext.stage}/${requestContext.http.method}${requestContext.http.path}`,
    // No identity source is configured, so none is evaluated.
    identitySource: [],
    routeKey: event.routeKey,
    rawPath: event.rawPath,
    rawQueryString: event.rawQueryString,
    cookies: event.cookies ?? [],
    headers: event.headers,
    ...(event.queryStringParameters ? { queryStringParameters: event.queryStringParameters } : {}),
    ...(event.pathParameters ? { pathParameters: event.pathParameters } : {}),
    requestContext,
  };
}

function gatewayError(statusCode: number, message: string): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message }) };
}
