import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What every fake provider API (Twilio, Meta's Graph API) needs from its HTTP server. */

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

export async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Stops a fake: its scripted delays first, then the server. */
export async function stopFakeServer(server: Server, timers: Set<NodeJS.Timeout>): Promise<void> {
  for (const timer of timers) clearTimeout(timer);
  timers.clear();
  // Keep-alive sockets (fetch and Node's global agent keep them) would hold close() open.
  server.closeAllConnections();
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
}

/** Starts the fake on a free port of the loopback interface and returns the port. */
export async function listenLocally(server: Server, name: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address: AddressInfo | string | null = server.address();
  if (address === null || typeof address === 'string') throw new Error(`${name}: no TCP address`);
  return address.port;
}

/** A bare HTML error page, as a load balancer in front of a provider's API answers. */
export function sendHtmlStatus(response: ServerResponse, status: number): void {
  response.writeHead(status, { 'content-type': 'text/html' });
  response.end(`<html><body>${status}</body></html>`);
}

/** A scripted delay, held in `timers` so that stopping the fake cancels it (stopFakeServer). */
export async function scriptedDelay(ms: number, timers: Set<NodeJS.Timeout>): Promise<void> {
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      resolve();
    }, ms);
    timers.add(timer);
  });
}
