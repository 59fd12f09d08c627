import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { httpRoutes, type FunctionId, type HttpRoute } from '../functions/catalog.js';

/** The largest request body the local gateway reads. */
export const MAX_BODY_BYTES = 1024 * 1024;

interface CompiledRoute {
  method: string;
  pattern: RegExp;
  parameterNames: string[];
  routeKey: string;
  functionId: FunctionId;
  authorizer: HttpRoute['authorizer'];
}

/**
 * The catalog's routes, matched as API Gateway v2 matches them: `{name}` is one path segment,
 * `{name+}` the rest of the path, and a route with a greedy parameter is tried only after every
 * route without one, the longest fixed prefix first (API Gateway prefers the most specific match:
 * `/console/operations/{proxy+}` before `/console/{proxy+}`).
 */
export function compileRoutes(): CompiledRoute[] {
  const compiled = httpRoutes().map(({ routeKey, functionId, authorizer }) => {
    const [method, path] = routeKey.split(' ') as [string, string];
    const parameterNames: string[] = [];
    const pattern = new RegExp(
      `^${path.replace(/\{(\w+)(\+?)\}/g, (_match, name: string, greedy: string) => {
        parameterNames.push(greedy ? `${name}+` : name);
        return greedy ? '(.+)' : '([^/]+)';
      })}$`,
    );
    return { method, pattern, parameterNames, routeKey, functionId, authorizer };
  });
  const isGreedy = (route: CompiledRoute) => route.parameterNames.some((name) => name.endsWith('+'));
  const prefixLength = (route: CompiledRoute) => route.routeKey.indexOf('{');
  return [...compiled.filter((route) => !isGreedy(route)), ...compiled.filter(isGreedy).sort((a, b) => prefixLength(b) - prefixLength(a))];
}

export interface MatchedRoute {
  route: CompiledRoute;
  pathParameters: Record<string, string>;
}

export function matchRoute(routes: CompiledRoute[], method: string, path: string): MatchedRoute | undefined {
  const matched = matchExactly(routes, method, path);
  // API Gateway routes `/console/` as `/console` (a route key may not end in `/`), and hands the
  // function the path as asked (rawPath keeps the slash): the console's home is `/console/`.
  if (!matched && path.length > 1 && path.endsWith('/')) return matchExactly(routes, method, path.slice(0, -1));
  return matched;
}

function matchExactly(routes: CompiledRoute[], method: string, path: string): MatchedRoute | undefined {
  for (const route of routes) {
    if (route.method !== method) continue;
    const match = route.pattern.exec(path);
    if (!match) continue;
    // API Gateway names a greedy parameter without its `+` (`{proxy+}` arrives as `proxy`).
    const pathParameters = Object.fromEntries(
      route.parameterNames.map((name, index) => [name.replace(/\+$/, ''), decodeURIComponent(match[index + 1] ?? '')]),
    );
    return { route, pathParameters };
  }
  return undefined;
}

/** The API Gateway v2 (payload format 2.0) event for a request, as HTTP APIs deliver it to Lambda. */
export function toApiGatewayEvent(
  request: IncomingMessage,
  url: URL,
  body: Buffer,
  matched: MatchedRoute,
): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  // Payload format 2.0 hands cookies over as a list, not as a header.
  const cookies = headers.cookie?.split(/;\s*/).filter(Boolean);
  delete headers.cookie;
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) query[name] = query[name] === undefined ? value : `${query[name]},${value}`;
  const contentType = headers['content-type'] ?? '';
  const isText = body.length === 0 || /^(text\/|application\/(json|x-www-form-urlencoded|xml))/.test(contentType);
  const now = new Date();
  return {
    version: '2.0',
    routeKey: matched.route.routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ''),
    ...(cookies?.length ? { cookies } : {}),
    headers,
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    ...(matched.route.parameterNames.length ? { pathParameters: matched.pathParameters } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: url.host,
      domainPrefix: url.hostname.split('.')[0] ?? 'localhost',
      http: {
        method: request.method ?? 'GET',
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: matched.route.routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(body.length ? { body: isText ? body.toString('utf8') : body.toString('base64') } : {}),
    isBase64Encoded: !isText,
  };
}

export function normaliseResult(result: APIGatewayProxyStructuredResultV2 | string | undefined): APIGatewayProxyStructuredResultV2 {
  if (result === undefined) return { statusCode: 200 };
  if (typeof result === 'string') return { statusCode: 200, body: result };
  return result;
}

/** The request's body, or undefined when it is larger than API Gateway takes. */
export async function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Writes a Lambda proxy result to the HTTP response, as API Gateway does (`cookies` become Set-Cookie headers). */
export function respond(response: ServerResponse, result: APIGatewayProxyStructuredResultV2): void {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name] = String(value);
  if (result.cookies?.length) headers['set-cookie'] = result.cookies;
  response.writeHead(result.statusCode ?? 200, headers);
  const body = result.body === undefined ? undefined : result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body;
  response.end(body);
}

/** Seconds a client is asked to wait while the local stack is still starting. */
export const STARTING_RETRY_AFTER_SECONDS = 1;

/** The answer to a request that arrives before the stack is ready: come back shortly, as a load balancer says of a target still starting. */
export function startingResult(): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: 503,
    headers: { 'content-type': 'application/json; charset=utf-8', 'retry-after': String(STARTING_RETRY_AFTER_SECONDS) },
    body: JSON.stringify({ error: 'crier is starting; try again in a moment', details: [] }),
  };
}
