import { z } from 'zod';
import type { KeySource } from '../config.js';
import { UnexpectedResponseError } from '../errors.js';
import { problemsOf } from '../arguments.js';
import { apiErrorFrom, isKeyRefused, type HttpClient, type HttpResponse } from '../http.js';

/** A response both checked (`data`, typed) and as crier sent it (`raw`, for `--json`). */
export interface ApiResult<T> {
  data: T;
  raw: unknown;
}

/** A body sent as it is (not as JSON), with its content type. */
export class RawBody {
  constructor(
    readonly raw: string,
    readonly contentType: string,
    readonly timeoutMs?: number,
  ) {}
}

/**
 * HTTP to the admin API with one key. Responses are validated with the same schemas the server
 * builds its OpenAPI document from, so a mismatch shows up as a clear error, not as `undefined`
 * printed in a table.
 */
export class KeyedClient {
  constructor(
    private readonly http: HttpClient,
    private readonly key: string,
    private readonly keySource: KeySource | undefined,
  ) {}

  get baseUrl(): string {
    return this.http.baseUrl;
  }

  /** Sends with the key; a refusal becomes an ApiError saying which key was refused. */
  async send(method: string, path: string, body?: unknown, options: { timeoutMs?: number } = {}): Promise<HttpResponse> {
    const sent = body instanceof RawBody ? body : body === undefined ? undefined : { raw: JSON.stringify(body), contentType: 'application/json' };
    const timeoutMs = body instanceof RawBody ? body.timeoutMs : options.timeoutMs;
    const response = await this.http.request(method, path, {
      headers: {
        authorization: `Bearer ${this.key}`,
        ...(sent === undefined ? {} : { 'content-type': sent.contentType }),
      },
      ...(sent === undefined ? {} : { body: sent.raw }),
      ...(timeoutMs ? { timeoutMs } : {}),
    });
    if (response.status < 200 || response.status > 299) {
      const error = apiErrorFrom(response);
      // Say which key was refused: with four places a key can come from, that is the useful part.
      if (isKeyRefused(response) && this.keySource) error.details.push({ field: 'key', message: `the key from ${this.keySource} was refused` });
      throw error;
    }
    return response;
  }

  /** Sends, then checks the answer against `schema`. */
  async call<S extends z.ZodType>(
    schema: S,
    method: string,
    path: string,
    body?: unknown,
    options: { timeoutMs?: number } = {},
  ): Promise<ApiResult<z.infer<S>>> {
    const response = await this.send(method, path, body, options);
    const parsed = schema.safeParse(response.json);
    if (!parsed.success) {
      throw new UnexpectedResponseError(
        `crier at ${this.http.baseUrl} answered ${method} ${path} in a shape this CLI does not know (a different version?)`,
        problemsOf(parsed.error),
      );
    }
    return { data: parsed.data, raw: response.json };
  }
}

/** Answers with no body (a deletion). */
export const noContent = z.undefined();

/** `?name=value&…` of the parameters that are set; empty when none is. */
export function queryString(parameters: Record<string, string | number | undefined>): string {
  const defined = Object.entries(parameters).filter((entry): entry is [string, string | number] => entry[1] !== undefined);
  return defined.length === 0 ? '' : `?${new URLSearchParams(defined.map(([name, value]): [string, string] => [name, String(value)])).toString()}`;
}
