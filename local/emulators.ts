import { once } from 'node:events';
import type { AddressInfo, Server } from 'node:net';
import { mkdirSync } from 'node:fs';
import dynalite from 'dynalite';
import { createSqsServer } from 'local-aws-sqs';

export interface RunningEmulator {
  endpoint: string;
  close(): Promise<void>;
}

async function listen(server: Server, port: number): Promise<string> {
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function closer(server: Server): () => Promise<void> {
  return () =>
    new Promise((resolve, reject) => {
      (server as Server & { closeAllConnections?: () => void }).closeAllConnections?.();
      server.close((error) => (error ? reject(error) : resolve()));
    });
}

/** The DynamoDB API (dynalite), kept on disk under `path`, or in memory without one. */
export async function startDynamo(path: string | undefined, port = 0): Promise<RunningEmulator> {
  if (path) mkdirSync(path, { recursive: true });
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, ...(path ? { path } : {}) });
  const endpoint = await listen(server, port);
  return { endpoint, close: closer(server) };
}

/** The SQS API (local-aws-sqs), in memory: queued messages do not outlive the process. */
export async function startSqs(port = 0): Promise<RunningEmulator> {
  const server = await createSqsServer({ port, hostname: '127.0.0.1', emulateQueueCreationLifecycle: false });
  if (!server.listening) await once(server, 'listening');
  return { endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: closer(server) };
}
