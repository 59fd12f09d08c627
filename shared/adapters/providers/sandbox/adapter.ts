import { z } from 'zod';
import { ProviderError } from '../../../domain/errors.js';
import type { MessagingProvider, OutboundText, ProviderAcceptance } from '../../../ports/messaging-provider.js';

const acceptedSchema = z.object({ id: z.string().min(1) });
const REQUEST_TIMEOUT_MS = 5_000;

/**
 * The sandbox provider: sends nothing to a phone. It posts each message to the sandbox API of the
 * local stack (`/sandbox/api/messages`), which records it in the outbox, can answer 429 above a
 * rate and fail a share of sends, and posts delivery receipts back like a real provider would.
 */
export class SandboxProvider implements MessagingProvider {
  /**
   * @param sandboxUrl the sandbox's base URL (`…/sandbox`, or `…/sandbox/b` for the second sandbox)
   * @param name `sandbox-b` for the second sandbox, which failover moves traffic to locally
   */
  constructor(
    private readonly sandboxUrl: string,
    readonly name: 'sandbox' | 'sandbox-b' = 'sandbox',
  ) {}

  async sendText(message: OutboundText): Promise<ProviderAcceptance> {
    let response: Response;
    try {
      response = await fetch(`${this.sandboxUrl}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(message),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      // A timeout means the request left and no answer came: the sandbox may have recorded it.
      if ((error as Error).name === 'TimeoutError') {
        throw new ProviderError(this.name, 'outcomeUnknown', 'sandbox gave no answer in time', { cause: error });
      }
      throw new ProviderError(this.name, 'connectionFailed', `sandbox unreachable: ${(error as Error).message}`, { cause: error });
    }
    if (response.status === 429) throw new ProviderError(this.name, 'throttled', 'sandbox rate limit exceeded', { providerCode: 429 });
    if (response.status >= 500) {
      throw new ProviderError(this.name, 'connectionFailed', `sandbox answered ${response.status}`, { providerCode: response.status });
    }
    if (!response.ok) {
      throw new ProviderError(this.name, 'rejected', `sandbox refused the message (${response.status})`, { providerCode: response.status });
    }
    const parsed = acceptedSchema.safeParse(await response.json().catch(() => undefined));
    if (!parsed.success) throw new ProviderError(this.name, 'rejected', 'sandbox answered with an unexpected body');
    return { provider: this.name, providerMessageId: parsed.data.id };
  }
}
