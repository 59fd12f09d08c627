import { afterAll, beforeAll } from 'vitest';
import { startLocalStack, type LocalStack } from '../../local/stack.js';
import type { LocalStackOptions } from '../../local/local-stack-options.js';
import { LocalStackClient } from './local-stack-client.js';

const AUTH_TOKEN = 'delivery-faults-token';

/**
 * One local stack for a file of fault tests: started (then `setUp`) before its tests, stopped
 * after them. Read `stack` and `client` inside hooks and tests, not at the describe's top level.
 */
export function localStackForFile(
  options: Omit<LocalStackOptions, 'port' | 'twilio'>,
  setUp: (stack: LocalStack, client: LocalStackClient) => Promise<void> = async () => undefined,
): { readonly stack: LocalStack; readonly client: LocalStackClient } {
  let running: { stack: LocalStack; client: LocalStackClient } | undefined;
  beforeAll(async () => {
    const stack = await startLocalStack({ port: 0, twilio: { authToken: AUTH_TOKEN }, ...options });
    running = { stack, client: new LocalStackClient(stack, AUTH_TOKEN) };
    await setUp(running.stack, running.client);
  });
  afterAll(async () => {
    await running?.stack.stop();
  });
  const started = () => {
    if (!running) throw new Error('the local stack is not running: use it inside a hook or a test');
    return running;
  };
  return {
    get stack() {
      return started().stack;
    },
    get client() {
      return started().client;
    },
  };
}
