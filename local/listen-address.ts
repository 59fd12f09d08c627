import { isIPv6 } from 'node:net';

/** Where `npm start` listens unless `HOST` says otherwise: this machine only. */
export const DEFAULT_HOST = '127.0.0.1';

/** The addresses that mean "every interface" rather than one. */
const WILDCARDS: Record<string, string> = { '0.0.0.0': '127.0.0.1', '::': '::1' };

export interface ListenUrls {
  /** How this process reaches its own server (the sandbox's receipts, the providers' sandbox URL). */
  baseUrl: string;
  /** What providers are told to call when PUBLIC_BASE_URL is not set. */
  defaultPublicBaseUrl: string;
}

/**
 * The URLs of a server listening on `address` (what `server.address()` says once bound). On a
 * wildcard the process reaches itself over loopback; on one specific address, only that address
 * reaches it (a server bound to a LAN address does not answer on 127.0.0.1), so both URLs name it.
 */
export function listenUrls(address: string, port: number): ListenUrls {
  const own = WILDCARDS[address] ?? address;
  const baseUrl = `http://${urlHost(own)}:${port}`;
  const loopback = own === '127.0.0.1' || own === '::1';
  return { baseUrl, defaultPublicBaseUrl: loopback ? `http://localhost:${port}` : baseUrl };
}

/** True when `address` is reachable from other machines (anything but loopback). */
export function listensBeyondThisMachine(address: string): boolean {
  return !(address === '::1' || address.startsWith('127.'));
}

/** An address as it is written before `:port` (IPv6 in brackets). */
export function urlHost(address: string): string {
  return isIPv6(address) ? `[${address}]` : address;
}
