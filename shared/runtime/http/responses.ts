import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ZodError } from 'zod';
import {
  AuthenticationError,
  ConfigurationError,
  ConflictError,
  LimitExceededError,
  ForbiddenError,
  NotFoundError,
  PayloadTooLargeError,
  ValidationError,
  type FieldIssue,
} from '../../domain/errors.js';
import { logger } from '../logger.js';
import { issuesOf } from './request.js';

export type HttpResult = APIGatewayProxyStructuredResultV2;

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResult {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(body),
  };
}

/** A CSV file to save (named `fileName`); `headers` adds to or overrides the two it sets. */
export function csvFile(fileName: string, body: string, headers: Record<string, string> = {}): HttpResult {
  return {
    statusCode: 200,
    headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${fileName}"`, ...headers },
    body,
  };
}

/** Twilio expects TwiML; an empty `<Response/>` acknowledges without replying inline. */
export function emptyTwiml(): HttpResult {
  return {
    statusCode: 200,
    headers: { 'content-type': 'text/xml; charset=utf-8' },
    body: '<?xml version="1.0" encoding="UTF-8"?><Response/>',
  };
}

/** The error body every route uses: `{ error, details[] }`, details naming the fields. */
export interface ErrorBody {
  error: string;
  details: FieldIssue[];
  requestId?: string;
}

/**
 * Maps an error to a response by class. Unknown errors become a 500 whose body says nothing
 * about internals (the log has them, under the request id).
 */
export function errorResponse(error: unknown, requestId: string): HttpResult {
  if (error instanceof ValidationError) return json(400, body(error.message, error.details));
  if (error instanceof ZodError) return json(400, body('the request is invalid', issuesOf(error)));
  if (error instanceof AuthenticationError) {
    return json(401, body(error.message), { 'www-authenticate': 'Bearer' });
  }
  if (error instanceof ForbiddenError) return json(403, body(error.message));
  if (error instanceof NotFoundError) return json(404, body(error.message));
  if (error instanceof ConflictError) return json(409, body(error.message));
  if (error instanceof PayloadTooLargeError) return json(413, body(error.message));
  // Like GOV.UK Notify's daily limit: 429, and the message says which limit and how far over.
  if (error instanceof LimitExceededError) return json(429, body(error.message, error.details));
  if (error instanceof ConfigurationError) {
    logger.error('configuration error', { error, requestId });
    return json(500, { ...body('the service is misconfigured; the operator has been told'), requestId });
  }
  logger.error('unhandled error', { error, requestId });
  return json(500, { ...body('internal error'), requestId });
}

function body(error: string, details: FieldIssue[] = []): ErrorBody {
  return { error, details };
}
