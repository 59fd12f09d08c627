import type { LocalStack } from '../local/stack.js';

/** The admin API as a member of staff calls it: JSON over HTTP with the operator key. */
export class AdminApi {
  constructor(private readonly stack: LocalStack) {}

  async call<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<{ status: number; json: T }> {
    const response = await fetch(`${this.stack.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.stack.operatorKey}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    return { status: response.status, json: (text ? JSON.parse(text) : undefined) as T };
  }

  /** Like `call`, but a status other than the expected one is an error (the bench cannot go on). */
  async expect<T = Record<string, unknown>>(status: number, method: string, path: string, body?: unknown): Promise<T> {
    const result = await this.call<T>(method, path, body);
    if (result.status !== status) {
      throw new Error(`${method} ${path} answered ${result.status}, expected ${status}: ${JSON.stringify(result.json)}`);
    }
    return result.json;
  }
}

export interface BroadcastView {
  id: string;
  status: string;
  createdAt: string;
  counts: { targeted: number; sent: number; delivered: number; undelivered: number; failed: number; skipped: number };
}
