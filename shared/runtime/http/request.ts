import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { z } from 'zod';
import { PayloadTooLargeError, ValidationError, type FieldIssue } from '../../domain/errors.js';

/** The parts of an API Gateway v2 event a route handler may use, decoded and normalised. */
export interface HttpRequest {
  routeKey: string;
  pathParameters: Record<string, string>;
  query: Record<string, string>;
  /** The query string exactly as sent (signatures are computed over it). */
  rawQueryString: string;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  /** The body as the client sent it (base64 already decoded). */
  rawBody: string;
  requestId: string;
  /**
   * What the gateway's authorizer said about the caller (`requestContext.authorizer`), as it
   * came: unset where no authorizer ran. Admin routes parse it (see `authenticated`).
   */
  authorizer?: unknown;
  /**
   * The host of the Lambda function URL the request came to (`<id>.lambda-url.<region>.on.aws`);
   * unset for one through API Gateway (or the local gateway). Nothing rewrites a function URL's
   * host on the way, so it is the one the caller used (and a provider signed).
   */
  functionUrlHost?: string;
}

/** A function URL's own host, as AWS names them: `<url-id>.lambda-url.<region>.on.aws`. */
const FUNCTION_URL_HOST = /^[a-z0-9]+\.lambda-url\.[a-z0-9-]+\.on\.aws$/;

/**
 * The route key a request is for. API Gateway names the route it matched; a function URL has no
 * routes (it sends `$default`, with the same payload format 2.0), so the method and path are it:
 * a function served on one answers only its literal routes, never one with `{parameters}`.
 */
export function routeKeyOf(event: APIGatewayProxyEventV2): string {
  if (!functionUrlHostOf(event)) return event.routeKey;
  return `${event.requestContext.http.method} ${event.rawPath}`;
}

/** The function URL's host when the event came through one, else undefined. */
function functionUrlHostOf(event: APIGatewayProxyEventV2): string | undefined {
  const domainName = event.requestContext?.domainName;
  return event.routeKey === '$default' && domainName && FUNCTION_URL_HOST.test(domainName) ? domainName : undefined;
}

export function toHttpRequest(event: APIGatewayProxyEventV2, maxBodyBytes: number): HttpRequest {
  const rawBody = event.body
    ? event.isBase64Encoded
      ? Buffer.from(event.body, 'base64').toString('utf8')
      : event.body
    : '';
  if (Buffer.byteLength(rawBody, 'utf8') > maxBodyBytes) throw new PayloadTooLargeError(maxBodyBytes);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) {
    if (value !== undefined) headers[name.toLowerCase()] = value;
  }
  const functionUrlHost = functionUrlHostOf(event);
  return {
    routeKey: routeKeyOf(event),
    pathParameters: definedValues(event.pathParameters),
    query: definedValues(event.queryStringParameters),
    rawQueryString: event.rawQueryString ?? '',
    headers,
    rawBody,
    requestId: event.requestContext?.requestId ?? 'unknown',
    ...(event.requestContext && 'authorizer' in event.requestContext ? { authorizer: event.requestContext.authorizer } : {}),
    ...(functionUrlHost ? { functionUrlHost } : {}),
  };
}

function definedValues(record: Record<string, string | undefined> | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(record ?? {})) if (value !== undefined) result[key] = value;
  return result;
}

export function issuesOf(error: z.ZodError, prefix?: string): FieldIssue[] {
  return error.issues.map((issue) => ({
    field: [prefix, ...issue.path.map(String)].filter(Boolean).join('.') || (prefix ?? 'body'),
    message: issue.message,
  }));
}

/** Parses a JSON body with a schema; a body that is not JSON, or not of the shape, is a 400. */
export function parseJsonBody<S extends z.ZodType>(request: HttpRequest, schema: S): z.infer<S> {
  let json: unknown;
  try {
    json = request.rawBody === '' ? undefined : JSON.parse(request.rawBody);
  } catch (error) {
    throw new ValidationError('the request body is not valid JSON', [{ field: 'body', message: 'must be a JSON object' }], {
      cause: error,
    });
  }
  if (json === undefined) {
    throw new ValidationError('the request body is empty', [{ field: 'body', message: 'a JSON object is required' }]);
  }
  const result = schema.safeParse(json);
  if (!result.success) throw new ValidationError('the request body is invalid', issuesOf(result.error));
  return result.data;
}

/** Parses one path or query parameter with a schema, naming it in the error. */
export function parseParameter<S extends z.ZodType>(value: string | undefined, name: string, schema: S): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new ValidationError(`the ${name} is invalid`, issuesOf(result.error, name));
  return result.data;
}

/** A form-encoded body (as Twilio posts webhooks) as a flat record; repeated keys keep the last. */
export function parseFormBody(request: Pick<HttpRequest, 'rawBody'>): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(request.rawBody));
}

/** Parses the query string parameters with a schema; errors name each parameter. */
export function parseQuery<S extends z.ZodType>(request: HttpRequest, schema: S): z.infer<S> {
  const result = schema.safeParse(request.query);
  if (!result.success) throw new ValidationError('the query string is invalid', issuesOf(result.error, 'query'));
  return result.data;
}
