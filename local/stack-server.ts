import { createServer, type RequestListener, type Server } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { LocalStackStartError } from '../shared/domain/errors.js';
import { respond, startingResult } from './http-gateway.js';

export class PortInUseError extends LocalStackStartError {
  constructor(port: number) {
    super(`port ${port} is already in use — is crier already running? Stop it, or start this one with PORT=<another port>.`);
    this.name = 'PortInUseError';
  }
}

/** The local stack's HTTP server, and how to hand it the real request listener once the stack is ready. */
export interface StartingServer {
  server: Server;
  open(listener: RequestListener): void;
}

/**
 * The port is bound first, long before the handlers are loaded: until they are, every request is
 * told to come back shortly. A request with no listener would hang for ever.
 */
export function startingServer(): StartingServer {
  const server = createServer();
  let ready: RequestListener | undefined;
  server.on('request', (request, response) => (ready ? ready(request, response) : respond(response, startingResult())));
  return {
    server,
    open: (listener) => {
      ready = listener;
    },
  };
}

export async function listen(server: Server, port: number, host: string): Promise<{ address: string; port: number }> {
  server.listen(port, host);
  try {
    await once(server, 'listening');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new PortInUseError(port);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
      throw new LocalStackStartError(`HOST ${host} is not an address of this machine. Leave HOST unset to listen on 127.0.0.1, or set it to 0.0.0.0 for every interface.`, { cause: error });
    }
    throw error;
  }
  const { address, port: bound } = server.address() as AddressInfo;
  return { address, port: bound };
}

export function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
