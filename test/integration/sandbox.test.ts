import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Sandbox, type SandboxMessage, type SandboxOptions } from '../../local/sandbox.js';
import { ARRIVED_AT_HEADER } from '../../local/sandbox-edge.js';
import { SandboxProvider } from '../../shared/adapters/providers/sandbox/adapter.js';
import { verifyTwilioSignature } from '../../shared/adapters/providers/twilio/webhooks.js';
import { ProviderError } from '../../shared/domain/errors.js';
import type { OutboundText } from '../../shared/ports/messaging-provider.js';
import { aPhone } from '../support/builders.js';

/**
 * The sandbox provider end to end over HTTP: the SandboxProvider adapter talks to the local
 * stack's Sandbox, served here by a tiny node:http server that also catches the receipts the
 * sandbox posts back.
 */

const AUTH_TOKEN = 'sandbox-test-token';
const ACCOUNT_SID = `AC${'0'.repeat(32)}`;
const STATUS_URL = 'https://crier.example.gov.uk/webhooks/twilio/status';

interface CaughtRequest {
  pathAndQuery: string;
  headers: IncomingHttpHeaders;
  params: Record<string, string>;
}

interface RunningSandbox {
  baseUrl: string;
  sandbox: Sandbox;
  provider: SandboxProvider;
  receipts: CaughtRequest[];
  outbox(to?: string): Promise<SandboxMessage[]>;
  close(): Promise<void>;
}

const running: RunningSandbox[] = [];

afterEach(async () => {
  for (const stack of running.splice(0)) await stack.close();
});

async function startSandbox(options: Partial<SandboxOptions> = {}): Promise<RunningSandbox> {
  let baseUrl = '';
  const receipts: CaughtRequest[] = [];
  const sandbox = new Sandbox({
    messagesPerSecond: undefined,
    failureRate: 0,
    receiptDelayMs: undefined,
    localBaseUrl: () => baseUrl,
    authToken: AUTH_TOKEN,
    accountSid: ACCOUNT_SID,
    smsFrom: 'CRIER',
    whatsappFrom: 'whatsapp:+447700900000',
    ...options,
  });
  const server = createServer((request, response) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks);
      const url = new URL(request.url ?? '/', baseUrl);
      if (await sandbox.handle(request, response, url, body)) return;
      // Anything else is the status webhook the sandbox posts receipts to.
      receipts.push({
        pathAndQuery: `${url.pathname}${url.search}`,
        headers: request.headers,
        params: Object.fromEntries(new URLSearchParams(body.toString('utf8'))),
      });
      response.writeHead(200).end();
    })();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const stack: RunningSandbox = {
    baseUrl,
    sandbox,
    provider: new SandboxProvider(`${baseUrl}/sandbox`),
    receipts,
    outbox: async (to) => {
      const response = await fetch(`${baseUrl}/sandbox/messages${to ? `?to=${encodeURIComponent(to)}` : ''}`);
      return ((await response.json()) as { messages: SandboxMessage[] }).messages;
    },
    close: async () => {
      sandbox.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  running.push(stack);
  return stack;
}

let sequence = 0;
function outbound(overrides: Partial<OutboundText> = {}): OutboundText {
  sequence += 1;
  const messageId = `bc-1-${sequence}`;
  return {
    messageId,
    to: aPhone(101),
    channel: 'sms',
    body: 'Queues on the A470.\nReply STOP to stop.',
    statusCallbackUrl: `${STATUS_URL}?messageId=${messageId}`,
    ...overrides,
  };
}

async function providerError(attempt: Promise<unknown>): Promise<ProviderError> {
  const error = await attempt.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof ProviderError)) throw new Error(`expected a ProviderError, got ${String(error)}`);
  return error;
}

/** How long a test waits for the sandbox to get somewhere (a request hung, a receipt posted). */
const WAIT = { timeout: 3_000, interval: 10 };

describe('SandboxProvider and the local Sandbox', () => {
  it.each([
    ['sms', 'CRIER'],
    ['whatsapp', 'whatsapp:+447700900000'],
  ] as const)('takes a %s message, answers with a Twilio-shaped id and keeps it in the outbox', async (channel, from) => {
    // Prepare
    const { provider, outbox } = await startSandbox();
    const message = outbound({ channel });

    // Act
    const accepted = await provider.sendText(structuredClone(message));

    // Assess
    expect(accepted.provider).toBe('sandbox');
    expect(accepted.providerMessageId).toMatch(/^SM[0-9a-f]{32}$/);
    expect(await outbox()).toEqual([
      {
        id: accepted.providerMessageId,
        provider: 'sandbox',
        messageId: message.messageId,
        to: message.to,
        from,
        channel,
        body: message.body,
        status: 'sent',
        createdAt: expect.any(String),
      },
    ]);
  });

  it('serves a second sandbox, sandbox-b, at /sandbox/b/ with its own failure rate, and records which one carried each message', async () => {
    // Prepare: the primary is down, the second sandbox is well.
    const { baseUrl, sandbox, provider, outbox } = await startSandbox({ failureRate: 1, failureRateB: 0 });
    const second = new SandboxProvider(`${baseUrl}/sandbox/b`, 'sandbox-b');

    // Act
    const onPrimary = await providerError(provider.sendText(outbound()));
    const accepted = await second.sendText(outbound());
    sandbox.setFailureRate('sandbox', 0);
    sandbox.setFailureRate('sandbox-b', 1);
    const afterRecovery = await provider.sendText(outbound());
    const onSecond = await providerError(second.sendText(outbound()));

    // Assess
    expect(onPrimary).toMatchObject({ provider: 'sandbox', kind: 'connectionFailed' });
    expect(accepted.provider).toBe('sandbox-b');
    expect(afterRecovery.provider).toBe('sandbox');
    expect(onSecond).toMatchObject({ provider: 'sandbox-b', kind: 'connectionFailed', retryable: true });
    expect((await outbox()).map((message) => message.provider)).toEqual(['sandbox-b', 'sandbox']);
  });

  it('answers 429 above SANDBOX_MPS, which the adapter reports as a retryable throttle', async () => {
    // Prepare
    const { provider, sandbox, outbox } = await startSandbox({ messagesPerSecond: 2 });
    await provider.sendText(outbound());
    await provider.sendText(outbound());

    // Act
    const error = await providerError(provider.sendText(outbound()));

    // Assess
    expect(error).toMatchObject({ provider: 'sandbox', kind: 'throttled', retryable: true, providerCode: '429' });
    expect(sandbox.stats).toEqual({ accepted: 2, throttled: 1, failed: 0, hung: 0 });
    expect(await outbox()).toHaveLength(2);
    // The bench reads which send opened the second a 429 fell in, to compare when the two left.
    const [first] = (await outbox()).map((message) => message.messageId);
    expect(sandbox.rateRefusals).toEqual([
      { messageId: expect.any(String), arrivedAt: expect.any(Number), windowOpenedBy: { messageId: first, arrivedAt: expect.any(Number) } },
    ]);
    const [refusal] = sandbox.rateRefusals;
    expect(refusal!.arrivedAt - refusal!.windowOpenedBy.arrivedAt).toBeLessThan(1000);
  });

  it('keeps no rate refusal for a burst of 429s a test armed', async () => {
    // Prepare
    const { provider, sandbox } = await startSandbox({ messagesPerSecond: 2 });
    sandbox.throttle('sandbox', { sends: 1 });

    // Act
    const error = await providerError(provider.sendText(outbound()));

    // Assess
    expect(error.kind).toBe('throttled');
    expect(sandbox.rateRefusals).toEqual([]);
  });

  it('answers 429 to a burst of the next N sends, then takes sends again', async () => {
    // Prepare
    const { provider, sandbox, outbox } = await startSandbox();
    sandbox.throttle('sandbox', { sends: 2 });

    // Act
    const first = await providerError(provider.sendText(outbound()));
    const second = await providerError(provider.sendText(outbound()));
    const third = await provider.sendText(outbound());

    // Assess
    expect([first.kind, second.kind]).toEqual(['throttled', 'throttled']);
    expect(third.provider).toBe('sandbox');
    expect(sandbox.stats).toEqual({ accepted: 1, throttled: 2, failed: 0, hung: 0 });
    expect(await outbox()).toHaveLength(1);
  });

  it('answers 429 to every send during a timed burst, and takes sends again once it is over', async () => {
    // Prepare
    const { provider, sandbox, outbox } = await startSandbox();
    sandbox.throttle('sandbox', { forMs: 60_000 });

    // Act
    const during = await Promise.all([1, 2, 3].map(() => providerError(provider.sendText(outbound()))));
    sandbox.throttle('sandbox', { forMs: 0 });
    const after = await provider.sendText(outbound());

    // Assess
    expect(during.map((error) => error.providerCode)).toEqual(['429', '429', '429']);
    expect(after.provider).toBe('sandbox');
    expect(await outbox()).toHaveLength(1);
  });

  it('leaves the nth send without an answer and unrecorded, while the sends around it go through', async () => {
    // Prepare
    const stack = await startSandbox();
    const { baseUrl, provider, sandbox, outbox } = stack;
    sandbox.hangSend('sandbox', 2);
    const before = await provider.sendText(outbound({ body: 'before' }));

    // Act: the raw request, so the adapter's own timeout does not end the wait first.
    let answered = false;
    const hung = fetch(`${baseUrl}/sandbox/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(outbound({ body: 'hung' })),
    }).then(() => {
      answered = true;
    });
    await expect.poll(() => sandbox.stats.hung, WAIT).toBe(1);
    const after = await provider.sendText(outbound({ body: 'after' }));

    // Assess
    expect(answered).toBe(false);
    expect([before.provider, after.provider]).toEqual(['sandbox', 'sandbox']);
    expect((await outbox()).map((message) => message.body)).toEqual(['before', 'after']);
    // Closing the sandbox lets the hung request go: the caller sees the connection end, not an answer.
    await stack.close();
    running.splice(running.indexOf(stack), 1);
    await expect(hung).rejects.toThrow();
    expect(answered).toBe(false);
  });

  it('refuses to hang a send that is not a whole number from 1', async () => {
    // Prepare
    const { sandbox } = await startSandbox();

    // Act / Assess
    expect(() => sandbox.hangSend('sandbox', 0)).toThrow('nth must be a whole number from 1, not 0');
  });

  it('fails every send at a failure rate of 1, which the adapter reports as a retryable connection failure', async () => {
    // Prepare
    const { provider, sandbox, outbox } = await startSandbox({ failureRate: 1 });

    // Act
    const error = await providerError(provider.sendText(outbound()));

    // Assess
    expect(error).toMatchObject({ kind: 'connectionFailed', retryable: true, providerCode: '503' });
    expect(sandbox.stats.failed).toBe(1);
    expect(await outbox()).toEqual([]);
  });

  it.each([
    [0.29, 'fails'],
    [0.3, 'accepts'],
  ])('with a failure rate of 0.3 and a random draw of %d, %s', async (draw, outcome) => {
    // Prepare
    const { provider } = await startSandbox({ failureRate: 0.3, random: () => draw });

    // Act
    const result = await provider.sendText(outbound()).then(
      () => 'accepts',
      () => 'fails',
    );

    // Assess
    expect(result).toBe(outcome);
  });

  it('reports a sandbox that is not there as a retryable connection failure', async () => {
    // Prepare
    const stack = await startSandbox();
    await stack.close();
    running.splice(running.indexOf(stack), 1);

    // Act
    const error = await providerError(stack.provider.sendText(outbound()));

    // Assess
    expect(error).toMatchObject({ kind: 'connectionFailed', retryable: true });
  });

  it('reports a message the sandbox refuses as rejected, not to be retried', async () => {
    // Prepare
    const { provider } = await startSandbox();

    // Act
    const error = await providerError(provider.sendText(outbound({ body: '' })));

    // Assess
    expect(error).toMatchObject({ kind: 'rejected', retryable: false, providerCode: '400' });
  });

  it('filters the outbox by recipient, and empties it on DELETE', async () => {
    // Prepare
    const { provider, outbox, baseUrl } = await startSandbox();
    const [alice, bob] = [aPhone(101), aPhone(102)];
    await provider.sendText(outbound({ to: alice, body: 'one' }));
    await provider.sendText(outbound({ to: bob, body: 'two' }));
    await provider.sendText(outbound({ to: alice, body: 'three' }));

    // Act
    const forAlice = await outbox(alice);
    const forBob = await outbox(bob);
    const everyone = await outbox();
    await fetch(`${baseUrl}/sandbox/messages`, { method: 'DELETE' });

    // Assess
    expect(forAlice.map((message) => message.body)).toEqual(['one', 'three']);
    expect(forBob.map((message) => message.body)).toEqual(['two']);
    expect(everyone).toHaveLength(3);
    expect(await outbox()).toEqual([]);
  });

  it('posts a delivered receipt to the local server, signed like Twilio over the URL the sender asked for', async () => {
    // Prepare
    const { provider, receipts, outbox } = await startSandbox({ receiptDelayMs: 0 });
    const message = outbound();

    // Act
    const accepted = await provider.sendText(message);
    await expect.poll(() => receipts.length, WAIT).toBeGreaterThan(0);

    // Assess
    const [receipt] = receipts;
    expect(receipt?.pathAndQuery).toBe(`/webhooks/twilio/status?messageId=${message.messageId}`);
    expect(receipt?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(receipt?.params).toEqual({ AccountSid: ACCOUNT_SID, MessageSid: accepted.providerMessageId, MessageStatus: 'delivered', To: message.to });
    const signature = String(receipt?.headers['x-twilio-signature']);
    expect(verifyTwilioSignature({ authToken: AUTH_TOKEN, signature, url: message.statusCallbackUrl, params: receipt!.params })).toBe(true);
    expect(verifyTwilioSignature({ authToken: 'another-token', signature, url: message.statusCallbackUrl, params: receipt!.params })).toBe(false);
    await expect.poll(async () => (await outbox())[0]?.status).toBe('delivered');
  });

  it('posts "sent" half-way and then "delivered", as Twilio calls back, when asked for both', async () => {
    // Prepare
    const { provider, receipts, outbox } = await startSandbox({ receiptDelayMs: 100, receipts: 'sent-and-delivered' });
    const message = outbound();

    // Act
    const accepted = await provider.sendText(message);
    await expect.poll(() => receipts.length, WAIT).toBeGreaterThanOrEqual(2);

    // Assess
    expect(receipts.map((receipt) => receipt.params.MessageStatus)).toEqual(['sent', 'delivered']);
    expect(receipts.every((receipt) => receipt.params.MessageSid === accepted.providerMessageId)).toBe(true);
    for (const receipt of receipts) {
      const signature = String(receipt.headers['x-twilio-signature']);
      expect(verifyTwilioSignature({ authToken: AUTH_TOKEN, signature, url: message.statusCallbackUrl, params: receipt.params })).toBe(true);
    }
    await expect.poll(async () => (await outbox())[0]?.status).toBe('delivered');
  });

  it('posts no receipt when receipts are off, nor after it is closed', async () => {
    // Prepare
    const off = await startSandbox();
    const closing = await startSandbox({ receiptDelayMs: 100 });
    await off.provider.sendText(outbound());
    await closing.provider.sendText(outbound());

    // Act
    closing.sandbox.close();
    await new Promise((resolve) => setTimeout(resolve, 250));

    // Assess
    expect(off.receipts).toEqual([]);
    expect(closing.receipts).toEqual([]);
  });
});

describe('sends timed at the sandbox’s edge', () => {
  const EDGE_TOKEN = 'edge-token';

  /** A send as the edge passes it on: the arrival header, when given, with its token and time. */
  async function sendArriving(baseUrl: string, arrival?: { token: string; at: number }): Promise<number> {
    const response = await fetch(`${baseUrl}/sandbox/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(arrival ? { [ARRIVED_AT_HEADER]: `${arrival.token}:${arrival.at}` } : {}) },
      body: JSON.stringify(outbound()),
    });
    return response.status;
  }

  it('counts a send at the time it reached the edge, not when the sandbox got to it', async () => {
    // Prepare
    const { baseUrl } = await startSandbox({ messagesPerSecond: 1, edgeToken: EDGE_TOKEN });
    const at = Date.now();

    // Act: taken one after the other, but arrived 1.1 s apart at the edge.
    const statuses = [await sendArriving(baseUrl, { token: EDGE_TOKEN, at }), await sendArriving(baseUrl, { token: EDGE_TOKEN, at: at + 1_100 })];

    // Assess
    expect(statuses).toEqual([201, 201]);
  });

  it('times a send whose arrival header does not carry the edge’s token when it is taken', async () => {
    // Prepare
    const { baseUrl, sandbox } = await startSandbox({ messagesPerSecond: 1, edgeToken: EDGE_TOKEN });
    const at = Date.now();

    // Act
    const statuses = [await sendArriving(baseUrl, { token: EDGE_TOKEN, at }), await sendArriving(baseUrl, { token: 'someone-else', at: at + 1_100 })];

    // Assess
    expect(statuses).toEqual([201, 429]);
    expect(sandbox.rateRefusals).toHaveLength(1);
  });

  it('counts a send taken after a later one in the window it arrived in', async () => {
    // Prepare
    const { baseUrl, sandbox } = await startSandbox({ messagesPerSecond: 2, edgeToken: EDGE_TOKEN });
    const at = Date.now();
    const arriving = (offset: number) => sendArriving(baseUrl, { token: EDGE_TOKEN, at: at + offset });

    // Act: windows open at +0 and +1,500; the send of +900 is taken last.
    const statuses = [await arriving(0), await arriving(1_500), await arriving(1_600), await arriving(900)];

    // Assess: the window of +0 held two sends, that of +1,500 two: nothing over the rate.
    expect(statuses).toEqual([201, 201, 201, 201]);
    expect(sandbox.rateRefusals).toEqual([]);
  });
});
