import { logger } from '../logger.js';

/** The parts of an API Gateway v2 event (a route's or an authorizer's) a refusal line reads. */
export interface RefusedRequest {
  routeKey?: string;
  headers?: Record<string, string | undefined> | null;
  requestContext?: {
    requestId?: string;
    http?: { sourceIp?: string };
    authorizer?: unknown;
  };
}

/** One line per 401/403, whatever refused the request: the authorizer, a route, a webhook's signature check. */
export interface RefusalLine {
  status: 401 | 403;
  /** The route key (`GET /v1/subscribers/{phone}`): the template, never the path, which may hold a number. */
  route: string;
  /** Why, as the caller was told; any phone number in it masked. */
  reason: string;
  /** Who connected to API Gateway: behind CloudFront, an edge server. */
  sourceIp: string | undefined;
  /**
   * The viewer's address and port as CloudFront saw them (its CloudFront-Viewer-Address header).
   * Trustworthy only when `sourceIp` is CloudFront's: a caller reaching API Gateway directly can
   * send the header itself.
   */
  viewerAddress: string | undefined;
  /** The API key that was refused or was not allowed, when known; never the key itself. */
  keyId: string | undefined;
  requestId: string | undefined;
}

/**
 * Writes the refusal line. It is the only place a 401 or 403 is logged, so an operator can count
 * them, and find who is knocking, from one message: `request refused`.
 */
export function logRefusal(request: RefusedRequest, refusal: { status: 401 | 403; reason: string; keyId?: string | undefined }): RefusalLine {
  const line: RefusalLine = {
    status: refusal.status,
    route: request.routeKey ?? 'unknown',
    reason: maskPhoneNumbers(refusal.reason),
    sourceIp: request.requestContext?.http?.sourceIp,
    viewerAddress: headerValue(request.headers, 'cloudfront-viewer-address'),
    keyId: refusal.keyId ?? authorizedKeyId(request.requestContext?.authorizer),
    requestId: request.requestContext?.requestId,
  };
  logger.warn('request refused', { ...line });
  return line;
}

/**
 * Every run of seven or more digits (spaces, dashes and a leading `+` allowed between them) keeps
 * only its last three: a refusal's reason never carries a resident's number in full.
 */
export function maskPhoneNumbers(text: string): string {
  return text.replace(/\+?\d(?:[\s-]?\d){6,}/g, (number) => {
    const digits = number.replace(/\D/g, '');
    return `${number.startsWith('+') ? '+' : ''}${'•'.repeat(digits.length - 3)}${digits.slice(-3)}`;
  });
}

/** The key the gateway's authorizer accepted, when a route refuses what that key asked for. */
function authorizedKeyId(authorizer: unknown): string | undefined {
  if (!authorizer || typeof authorizer !== 'object' || !('lambda' in authorizer)) return undefined;
  const { lambda } = authorizer as { lambda?: { keyId?: unknown } };
  return typeof lambda?.keyId === 'string' ? lambda.keyId : undefined;
}

function headerValue(headers: RefusedRequest['headers'], name: string): string | undefined {
  return Object.entries(headers ?? {}).find(([key]) => key.toLowerCase() === name)?.[1];
}
