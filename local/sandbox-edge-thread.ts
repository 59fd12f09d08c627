import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
import { ARRIVED_AT_HEADER, type SandboxEdgeReply, type SandboxEdgeStart } from './sandbox-edge.js';
import { closeServer } from './stack-server.js';

/*
 * The body of the sandbox's edge thread (see sandbox-edge.ts): an HTTP server that times each
 * request as it arrives and passes it on to the stack's server with that time, then hands the
 * stack's answer back as it came.
 */

const port = parentPort;
if (!port) throw new Error('sandbox-edge-thread.ts runs as a worker thread, not on its own');
const { stackBaseUrl, token } = workerData as SandboxEdgeStart;
const post = (reply: SandboxEdgeReply) => port.postMessage(reply);

/** Hop-by-hop headers, and those fetch sets itself. */
const NOT_PASSED_ON = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'host']);

async function passOn(request: IncomingMessage, response: ServerResponse, arrivedAt: number): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (typeof value === 'string' && !NOT_PASSED_ON.has(name)) headers.set(name, value);
  }
  headers.set(ARRIVED_AT_HEADER, `${token}:${arrivedAt}`);
  try {
    const answer = await fetch(new URL(request.url ?? '/', stackBaseUrl), {
      method: request.method ?? 'GET',
      headers,
      ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
    });
    const body = Buffer.from(await answer.arrayBuffer());
    response.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/octet-stream' });
    response.end(body);
  } catch {
    // The stack is stopping: the sender sees the connection fail, as it would at a provider's outage.
    response.destroy();
  }
}

const server = createServer((request, response) => {
  // Timed first, before anything else this thread does with it.
  const arrivedAt = Date.now();
  void passOn(request, response, arrivedAt);
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('the sandbox edge has no port');
  post({ kind: 'ready', url: `http://127.0.0.1:${address.port}` });
});
port.on('message', () => {
  void closeServer(server).finally(() => post({ kind: 'closed' }));
});
