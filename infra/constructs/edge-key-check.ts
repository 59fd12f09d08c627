import { apiKeyShape, keyRefusals } from '../../shared/platform/api-key-shape.js';

/** The admin API: every path under it needs a key, but those listed as open. */
export const guardedPathPrefix = '/v1/';

/**
 * The source of CloudFront's viewer-request function for the admin API: a request whose
 * Authorization header holds no bearer token, or a token no key could be, gets crier's own
 * `401 {error, details}` at the edge, before any Lambda or table read. A token of a key's shape
 * goes on to API Gateway and its authorizer, which looks it up.
 *
 * Written by hand, because a CloudFront Function is plain JavaScript in its own runtime that can
 * import nothing; it embeds the shape and the wording from `shared/platform/api-key-shape.ts`,
 * and test/unit/edge-key-check.test.ts runs it against `bearerKey` case by case so the two
 * cannot drift. Its log line (CloudWatch Logs, us-east-1) is the edge's 401 line: method, path
 * with any long digit run masked, reason and the viewer's address; never the header.
 */
export function edgeKeyCheckSource(openPaths: readonly string[]): string {
  for (const path of openPaths) {
    if (!path.startsWith(guardedPathPrefix) || path.includes('{')) {
      throw new Error(`open path ${path} must be a literal path under ${guardedPathPrefix}`);
    }
  }
  return `var guardedPrefix = ${JSON.stringify(guardedPathPrefix)};
var openPaths = ${JSON.stringify(openPaths)};
var keyShape = ${apiKeyShape.toString()};
var bearerScheme = /^Bearer\\s+(\\S+)\\s*$/i;
var refusals = ${JSON.stringify(keyRefusals)};

function refusalOf(authorization) {
  var match = bearerScheme.exec(authorization || '');
  var token = match ? match[1] : '';
  if (!token) return 'missing';
  return keyShape.test(token) ? undefined : 'invalid';
}

function masked(path) {
  return path.replace(/\\d{7,}/g, function (digits) {
    return digits.slice(0, -3).replace(/\\d/g, '\\u2022') + digits.slice(-3);
  });
}

function handler(event) {
  var request = event.request;
  if (request.uri.indexOf(guardedPrefix) !== 0 || openPaths.indexOf(request.uri) !== -1) return request;
  var header = request.headers.authorization;
  var refusal = refusalOf(header ? header.value : undefined);
  if (!refusal) return request;
  console.log(JSON.stringify({
    message: 'request refused',
    status: 401,
    route: request.method + ' ' + masked(request.uri),
    reason: refusals[refusal],
    viewerAddress: event.viewer ? event.viewer.ip : undefined,
  }));
  return {
    statusCode: 401,
    statusDescription: 'Unauthorized',
    headers: {
      'content-type': { value: 'application/json; charset=utf-8' },
      'www-authenticate': { value: 'Bearer' },
      'cache-control': { value: 'no-store' },
    },
    body: { encoding: 'text', data: JSON.stringify({ error: refusals[refusal], details: [] }) },
  };
}
`;
}
