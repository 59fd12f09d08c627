import { startLocalStack, type LocalStack } from '../../local/stack.js';
import type { LocalStackOptions } from '../../local/local-stack-options.js';
import { startFakeTwilioApi, type FakeTwilioApi } from './fake-twilio-api.js';
import { LocalStackClient } from './local-stack-client.js';

export interface FakeTwilioStack {
  twilioApi: FakeTwilioApi;
  stack: LocalStack;
  client: LocalStackClient;
}

/**
 * A local stack whose Twilio provider is the fake Twilio API (sending from `ourNumber`, the sandbox
 * never failing), and a client that signs webhooks as that account. `options` adds to or replaces
 * the stack's. Stop both in afterAll: `stack.stop()`, then `twilioApi.close()`.
 */
export async function startFakeTwilioStack(ourNumber: string, options: Partial<LocalStackOptions> = {}): Promise<FakeTwilioStack> {
  const twilioApi = await startFakeTwilioApi();
  try {
    const stack = await startLocalStack({
      port: 0,
      twilio: { authToken: twilioApi.authToken, accountSid: twilioApi.accountSid, smsFrom: ourNumber, apiBaseUrl: twilioApi.baseUrl },
      sandbox: { failureRate: 0 },
      ...options,
    });
    return { twilioApi, stack, client: new LocalStackClient(stack, twilioApi.authToken, twilioApi.accountSid) };
  } catch (error) {
    await twilioApi.close();
    throw error;
  }
}
