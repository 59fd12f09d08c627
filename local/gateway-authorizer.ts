import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { z } from 'zod';
import { bearerKey, keyRefusals } from '../shared/platform/api-key-shape.js';
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
 * What a request to a route behind the Lambda authorizer meets in AWS, so the local stack runs
 * the same authorizer code and answers as AWS does. First CloudFront's viewer-request function
 * (CrierEdge): no bearer token, or a token no key could be, gets crier's own 401 there. Then API
 * Gateway: its identity source is the Authorization header (no cache), so it calls the authorizer
 * for every request that carries one. Accepted, the route's event carries the context as
 * `requestContext.authorizer.lambda`: a principal, or for an unknown or revoked key only the
 * refusal, which the route's function answers with crier's 401 without doing anything else (so
 * local and AWS answer a bad key alike). `isAuthorized: false`, 403; a throw or a malformed
 * answer, 500: those bodies are API Gateway's own (crier's authorizer never answers false).
 */
export async function authorizeAtGateway(
  authorizer: LocalInvoke<APIGatewayRequestAuthorizerEventV2, unknown>,
  event: APIGatewayProxyEventV2,
  log: (line: string) => void,
): Promise<GatewayAuthorization> {
  const bearer = bearerKey(event.headers?.authorization);
  if ('refusal' in bearer) return { authorized: false, response: edgeRefusal(keyRefusals[bearer.refusal]) };
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
    identitySource: event.headers?.authorization ? [event.headers.authorization] : [],
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

/** CloudFront's answer to a missing or malformed key: crier's own error format. */
function edgeRefusal(message: string): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: 401,
    headers: { 'content-type': 'application/json; charset=utf-8', 'www-authenticate': 'Bearer', 'cache-control': 'no-store' },
    body: JSON.stringify({ error: message, details: [] }),
  };
}

function gatewayError(statusCode: number, message: string): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message }) };
}
