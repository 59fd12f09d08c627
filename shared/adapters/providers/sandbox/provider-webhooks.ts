import type { ProviderWebhooks } from '../../../ports/provider-webhooks.js';
import { twilioWebhooks } from '../twilio/provider-webhooks.js';
import type { WebhookContext } from '../webhook-context.js';

/**
 * The sandbox's webhooks are Twilio's, because that is what reaches crier from it: the sandbox
 * (local/sandbox.ts) posts its delivery receipts to Twilio's status callback URL, as a Twilio form
 * signed with TWILIO_AUTH_TOKEN over the URL the sender gave it, and residents' texts reach the
 * local stack the same way (`crier text` and the tests post Twilio's incoming-message webhook). So
 * a sandbox receipt is verified and read exactly as a Twilio one, and a forged one is refused the
 * same way; its ids are Twilio-shaped (`SM…`) and what it carries is recorded as Twilio's.
 */
export function sandboxWebhooks(context: WebhookContext): ProviderWebhooks {
  return twilioWebhooks(context);
}
