import { randomBytes } from 'node:crypto';
import type { EventLoopTime } from './emulators-in-thread.js';
import { eventLoopOf, typeScriptWorker, WorkerCloser } from './typescript-worker.js';

/*
 * The sandbox provider's edge, on a thread of its own: where the senders' requests arrive and are
 * timed, before the stack's thread (which serves the sandbox) takes them. A provider counts its
 * rate by when requests arrive at its edge. Served on the stack's thread alone, an arrival was
 * timed when that thread got round to it: with the senders on a thread of their own, a moment's
 * work there (a batch of receipts, the table stream) held one request back and not the next, and
 * the sandbox saw two sends the senders had kept a window apart arrive in one (npm run bench:
 * 2 to 4 429s in 1,000 sends at 5 and 10 msg/s, every one of them such). On an idle thread of its
 * own the edge times each arrival as it comes, as a provider's does, and passes the time on.
 */

/** The header the edge passes an arrival's time in: `<token>:<epoch ms>`, the token proving it came from the edge. */
export const ARRIVED_AT_HEADER = 'x-crier-sandbox-arrived-at';

export interface SandboxEdgeStart {
  /** The stack's own base URL, where the edge passes every request on. */
  stackBaseUrl: string;
  token: string;
}

export type SandboxEdgeReply = { kind: 'ready'; url: string } | { kind: 'closed' };

export interface SandboxEdge {
  /** The edge's base URL: the senders' SANDBOX_URL is `<url>/sandbox`. */
  url: string;
  /** What the sandbox checks the arrival header's token against. */
  token: string;
  eventLoop(): EventLoopTime;
  close(): Promise<void>;
}

/** When a request reached the edge, if the header carries the edge's token; undefined otherwise (another caller, or no edge). */
export function arrivedAtFrom(header: string | string[] | undefined, token: string | undefined): number | undefined {
  if (!token || typeof header !== 'string') return undefined;
  const [given, at] = header.split(':');
  const arrivedAt = Number(at);
  return given === token && Number.isFinite(arrivedAt) ? arrivedAt : undefined;
}

/** Starts the edge's thread, passing every request it takes on to the stack at `stackBaseUrl`. */
export async function startSandboxEdge(stackBaseUrl: string): Promise<SandboxEdge> {
  const token = randomBytes(16).toString('hex');
  const thread = typeScriptWorker(new URL('./sandbox-edge-thread.ts', import.meta.url), { workerData: { stackBaseUrl, token } satisfies SandboxEdgeStart });
  let closer: WorkerCloser | undefined;
  const url = await new Promise<string>((resolve, reject) => {
    thread.once('error', reject);
    thread.once('exit', (code) => reject(new Error(`the sandbox's edge stopped as it started (exit code ${code})`)));
    thread.on('message', (reply: SandboxEdgeReply) => (reply.kind === 'ready' ? resolve(reply.url) : closer?.closed()));
  });
  thread.removeAllListeners('error').removeAllListeners('exit');
  closer = new WorkerCloser(thread, { kind: 'close' });
  const started = closer;
  return {
    url,
    token,
    eventLoop: () => eventLoopOf(thread),
    close: () => started.close(),
  };
}
