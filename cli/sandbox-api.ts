import { z } from 'zod';
import { ApiError, UnexpectedResponseError } from './errors.js';
import { problemsOf } from './arguments.js';
import { apiErrorFrom, type HttpClient, type HttpResponse } from './http.js';

/** One message in the local stack's sandbox outbox (docs/contract.md, `GET /sandbox/messages`). */
export const sandboxMessageSchema = z.object({
  id: z.string(),
  messageId: z.string().optional(),
  to: z.string(),
  from: z.string(),
  channel: z.string(),
  body: z.string(),
  status: z.string(),
  createdAt: z.string(),
});
export type SandboxMessage = z.infer<typeof sandboxMessageSchema>;

const outboxResponse = z.object({ messages: z.array(sandboxMessageSchema) });

/** The sandbox provider's outbox: what the local stack would have sent. No key; it is local only. */
export class SandboxApi {
  constructor(private readonly http: HttpClient) {}

  async messages(to?: string): Promise<{ data: SandboxMessage[]; raw: unknown }> {
    const response = await this.http.request('GET', `/sandbox/messages${to ? `?to=${encodeURIComponent(to)}` : ''}`);
    this.throwUnlessOk(response);
    const parsed = outboxResponse.safeParse(response.json);
    if (!parsed.success) {
      throw new UnexpectedResponseError(`crier at ${this.http.baseUrl} answered GET /sandbox/messages in an unknown shape`, problemsOf(parsed.error));
    }
    return { data: parsed.data.messages, raw: response.json };
  }

  async clear(): Promise<void> {
    const response = await this.http.request('DELETE', '/sandbox/messages');
    this.throwUnlessOk(response);
  }

  private throwUnlessOk(response: HttpResponse): void {
    if (response.status === 404) {
      throw new ApiError(404, `crier at ${this.http.baseUrl} has no sandbox outbox — only the local stack (npm start) has one`);
    }
    if (response.status < 200 || response.status > 299) throw apiErrorFrom(response);
  }
}
