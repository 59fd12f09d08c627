import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARRIVED_AT_HEADER, arrivedAtFrom, startSandboxEdge, type SandboxEdge } from '../../local/sandbox-edge.js';

// The sandbox's edge times each send as it arrives and passes it on to the stack with that time.
describe("the sandbox's edge", () => {
  const seen: { method: string | undefined; path: string | undefined; headers: IncomingHttpHeaders; body: string }[] = [];
  const stack = createServer((request, response) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      seen.push({ method: request.method, path: request.url, headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      response.writeHead(429, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify({ code: 20429 }));
    })();
  });
  let edge: SandboxEdge;

  beforeAll(async () => {
    stack.listen(0, '127.0.0.1');
    await once(stack, 'listening');
    edge = await startSandboxEdge(`http://127.0.0.1:${(stack.address() as AddressInfo).port}`);
  });
  afterAll(async () => {
    await edge.close();
    stack.close();
  });

  it('passes a send on with the time it arrived and its token, and hands the answer back as it came', async () => {
    // Prepare
    const before = Date.now();

    // Act
    const response = await fetch(`${edge.url}/sandbox/api/messages?x=1`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"messageId":"m-1"}' });
    const after = Date.now();

    // Assess
    expect(response.status).toBe(429);
    expect(await response.json()).toEqual({ code: 20429 });
    const [passedOn] = seen;
    expect(passedOn).toMatchObject({ method: 'POST', path: '/sandbox/api/messages?x=1', body: '{"messageId":"m-1"}' });
    expect(passedOn!.headers['content-type']).toBe('application/json');
    const arrivedAt = arrivedAtFrom(passedOn!.headers[ARRIVED_AT_HEADER], edge.token);
    expect(arrivedAt).toBeGreaterThanOrEqual(before);
    expect(arrivedAt).toBeLessThanOrEqual(after);
  });

  it.each([
    ['the edge’s token and a time', 'tok:1700000000000', 'tok', 1_700_000_000_000],
    ['another token', 'other:1700000000000', 'tok', undefined],
    ['no time', 'tok:soon', 'tok', undefined],
    ['no header', undefined, 'tok', undefined],
    ['no edge', 'tok:1700000000000', undefined, undefined],
  ] as const)('reads an arrival header with %s', (_case, header, token, expected) => {
    // Act
    const arrivedAt = arrivedAtFrom(header, token);

    // Assess
    expect(arrivedAt).toBe(expected);
  });
});
