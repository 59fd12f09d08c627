import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../../local/stack.js';
import { ConfigurationError } from '../../shared/domain/errors.js';
import type { FakeTwilioApi } from '../support/fake-twilio-api.js';
import { startFakeTwilioStack } from '../support/fake-twilio-stack.js';
import type { LocalStackClient } from '../support/local-stack-client.js';
import { crier, isolatedEnv } from './cli-run.js';

describe('the local stack checks every listed provider before it starts', () => {
  it('refuses to start, having started nothing, when a provider failover would move to lacks its settings', async () => {
    // Prepare: the settings of AWS End User Messaging SMS are nowhere in the local stack's environment.
    delete process.env.AWS_SMS_CONFIGURATION_SET;
    // The stack points the AWS SDK at its emulators' region only once the check has passed.
    delete process.env.AWS_REGION;

    // Act
    const starting = startLocalStack({
      port: 0,
      twilio: { authToken: 'e2e-providers-token' },
      sandbox: { failureRate: 0 },
      settings: { smsProviders: [{ name: 'sandbox' }, { name: 'aws-sms' }] },
    });

    // Assess
    await expect(starting).rejects.toThrow(
      new ConfigurationError('SMS_PROVIDERS lists aws-sms, which is missing AWS_SMS_CONFIGURATION_SET and AWS_REGION'),
    );
  });

  it("refuses to start when the sender identities do not add up: a department's number and no default", async () => {
    // Prepare
    delete process.env.AWS_REGION;
    const youthNumber = { id: 'youth', provider: 'sandbox' as const, channel: 'sms' as const, from: '+447700900200', kind: 'long_code' as const, departments: ['youth'] };

    // Act
    const starting = startLocalStack({
      port: 0,
      twilio: { authToken: 'e2e-providers-token' },
      sandbox: { failureRate: 0 },
      settings: { senders: [youthNumber] },
    });

    // Assess
    const outcome = await starting.then(
      async (stack) => {
        await stack.stop();
        return 'started';
      },
      (error: unknown) => error,
    );
    expect(outcome).toEqual(
      new ConfigurationError('sender identities: SENDERS: every sandbox:sms identity names departments; leave departments out of one, the default for the others'),
    );
    expect(process.env.AWS_REGION).toBeUndefined();
  });
});

/**
 * SANDBOX_FAILOVER=on with Twilio credentials: Twilio stays SMS's first provider and sandbox-b is
 * added behind it (it used to replace Twilio with the sandbox). The providers view and the CLI
 * show both channels' lists as the senders read them.
 */
describe('GET /v1/providers and crier providers status on the local stack', () => {
  let twilioApi: FakeTwilioApi;
  let stack: LocalStack;
  let client: LocalStackClient;
  let home: string;

  beforeAll(async () => {
    ({ twilioApi, stack, client } = await startFakeTwilioStack('+447700900000', {
      sandboxFailover: true,
    }));
    home = mkdtempSync(join(tmpdir(), 'crier-providers-'));
  });
  afterAll(async () => {
    await stack?.stop();
    await twilioApi?.close();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it("answers an operator with each channel's providers: Twilio first for SMS with sandbox-b behind it", async () => {
    // Act
    const response = await client.api('GET', '/v1/providers');

    // Assess
    expect(response.status).toBe(200);
    expect(response.json.failover).toMatchObject({ errors: 50, windowSeconds: 60, cooldownSeconds: 300 });
    expect(response.json.channels).toEqual([
      {
        channel: 'sms',
        setting: 'SMS_PROVIDERS',
        mode: 'ordered',
        providers: [
          { name: 'twilio', state: 'active', failures: { current: 0, previous: 0 } },
          { name: 'sandbox-b', state: 'standby', failures: { current: 0, previous: 0 } },
        ],
        shifts: [],
        senderIdentities: expect.arrayContaining([expect.objectContaining({ provider: 'twilio', kind: 'long_code', address: '+447700900000', source: 'TWILIO_SMS_FROM' })]),
      },
      {
        channel: 'whatsapp',
        setting: 'WHATSAPP_PROVIDERS',
        mode: 'ordered',
        providers: [
          { name: 'sandbox', state: 'active', failures: { current: 0, previous: 0 } },
          { name: 'sandbox-b', state: 'standby', failures: { current: 0, previous: 0 } },
        ],
        shifts: [],
        senderIdentities: expect.arrayContaining([expect.objectContaining({ provider: 'sandbox' }), expect.objectContaining({ provider: 'sandbox-b' })]),
      },
    ]);
    expect(response.json).not.toHaveProperty('senderIdentitiesProblem');
  });

  it('refuses a key that is not an operator\'s', async () => {
    // Prepare
    const created = await client.api('POST', '/v1/keys', { name: 'youth sender', role: 'sender', department: 'youth' });

    // Act
    const response = await client.api('GET', '/v1/providers', undefined, created.json.key);

    // Assess
    expect(created.status).toBe(201);
    expect(response.status).toBe(403);
    expect(response.json.error).toBe("a sender key may not read the providers' status");
  });

  it('prints the same through crier providers status', async () => {
    // Prepare
    const env = isolatedEnv(home, { CRIER_URL: stack.baseUrl, CRIER_API_KEY: stack.operatorKey });

    // Act
    const run = await crier(['providers', 'status'], env);

    // Assess
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('SMS (SMS_PROVIDERS, in failover order)');
    expect(run.stdout).toMatch(/^ {2}twilio\s+active\s+0\/0$/m);
    expect(run.stdout).toMatch(/^ {2}sandbox-b\s+standby\s+0\/0$/m);
    expect(run.stdout).toMatch(/^ {2}sends from: .*twilio long_code \+447700900000/m);
    expect(run.stdout).toContain('WhatsApp (WHATSAPP_PROVIDERS, in failover order)');
    expect(run.stdout).toContain('Traffic moves off a provider after more than 50 failures in 60 s; it is tried again after 300 s.');
  });
});
