import { afterAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../../local/stack.js';

/**
 * Where the local stack's server is bound, as the operating system says (`server.address()`): this
 * machine only unless asked, because /sandbox has no authentication and the dev secrets are public.
 * (One stack per process: a HOST that is honoured is tested through `npm start`, npm-start.test.ts.)
 */
describe('the local stack’s listening address', () => {
  let stack: LocalStack | undefined;
  afterAll(async () => {
    await stack?.stop();
  });

  it('is 127.0.0.1 when no host is given', async () => {
    // Prepare / Act
    stack = await startLocalStack({ port: 0, twilio: { authToken: 'host-test-token' }, sandbox: { failureRate: 0 } });
    const health = await fetch(`${stack.baseUrl}/health`);

    // Assess
    expect(stack.listening.address).toBe('127.0.0.1');
    expect(stack.baseUrl).toBe(`http://127.0.0.1:${stack.listening.port}`);
    expect(health.status).toBe(200);
  });
});
