import { errorResponseSchema } from '../shared/api/error-schema.js';
import { ApiError, UnreachableError } from './errors.js';

export interface HttpResponse {
  status: number;
  text: string;
  /** The body parsed as JSON, or undefined when it is empty or not JSON. */
  json: unknown;
  /** The response's headers (a report's Link to its next page). */
  headers?: Headers;
}

export interface HttpRequestInit {
  headers?: Record<string, string>;
  body?: string;
  /** For a call known to take longer than most (an import). */
  timeoutMs?: number;
}

/** Long enough for a cold Lambda behind API Gateway, short enough that a hung server is noticed. */
const DEFAULT_TIMEOUT_MS = 15_000;

/** Plain HTTP to one crier, turning "nobody answered" into an error that says what to do. */
export class HttpClient {
  constructor(
    readonly baseUrl: string,
    private readonly timeoutMs = DEFAULT_TIMEOUT_MS,
  ) {}

  async request(method: string, path: string, init: HttpRequestInit = {}): Promise<HttpResponse> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: init.headers,
        body: init.body,
        signal: AbortSignal.timeout(init.timeoutMs ?? this.timeoutMs),
      });
    } catch (error) {
      throw unreachable(this.baseUrl, error, init.timeoutMs ?? this.timeoutMs);
    }
    const text = await response.text();
    return { status: response.status, text, json: parseJson(text), headers: response.headers };
  }
}

/**
 * True when crier turned the API key away: the API's own 401, or what API Gateway answers
 * before any route runs (401 without a key when called at its own address; 403
 * `{"message":"Forbidden"}` from an authorizer that refuses outright, as a deployment of an
 * earlier build did for unknown and revoked keys).
 */
export function isKeyRefused(response: HttpResponse): boolean {
  return response.status === 401 || (response.status === 403 && gatewayMessage(response) === 'Forbidden');
}

/** The API's own `{ error, details[] }` when it sent one; otherwise the status and the start of the body. */
export function apiErrorFrom(response: HttpResponse): ApiError {
  const body = errorResponseSchema.safeParse(response.json);
  if (body.success) return new ApiError(response.status, body.data.error, body.data.details);
  if (isKeyRefused(response)) return new ApiError(response.status, 'the API key was refused (missing, unknown or revoked)');
  const excerpt = response.text.trim().slice(0, 200);
  return new ApiError(response.status, `crier answered HTTP ${response.status}${excerpt ? `: ${excerpt}` : ''}`);
}

function unreachable(baseUrl: string, error: unknown, timeoutMs: number): UnreachableError {
  if (error instanceof Error && error.name === 'TimeoutError') {
    return new UnreachableError(`crier at ${baseUrl} did not answer within ${timeoutMs / 1000} s`, { cause: error });
  }
  const code = networkErrorCode(error);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new UnreachableError(`cannot reach crier at ${baseUrl} — the host ${new URL(baseUrl).hostname} is not known`, { cause: error });
  }
  const because = code && code !== 'ECONNREFUSED' ? ` (${code})` : '';
  return new UnreachableError(`cannot reach crier at ${baseUrl} — is it running? (npm start)${because}`, { cause: error });
}

/** fetch hides the socket error in `cause`; with both IPv4 and IPv6 tried, in `cause.errors`. */
function networkErrorCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: unknown; errors?: { code?: unknown }[] } } | undefined)?.cause;
  const code = cause?.code ?? cause?.errors?.[0]?.code;
  return typeof code === 'string' ? code : undefined;
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** API Gateway's own error body, `{"message": "…"}`, when that is what came back. */
function gatewayMessage(response: HttpResponse): string | undefined {
  const body = response.json;
  return body && typeof body === 'object' && 'message' in body && typeof body.message === 'string' ? body.message : undefined;
}
