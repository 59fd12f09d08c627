import { Sandbox } from './sandbox.js';
import { openOutboxFile } from './sandbox-outbox-file.js';
import type { LocalStackOptions } from './local-stack-options.js';

const LOCAL_ACCOUNT_SID = `AC${'0'.repeat(32)}`;
/** Where the sandbox providers send (local/sandbox.ts): `sandbox` and `sandbox-b`. */
const SANDBOX_SEND_PATH = /^\/sandbox(\/b)?\/api\/messages$/;

/** The sandbox providers, keeping what they sent in DATA_DIR's outbox file when there is one. */
export function startSandbox(options: LocalStackOptions, baseUrl: string, log: (line: string) => void, edgeToken?: string): Sandbox {
  const outboxFile = options.dataDir ? openOutboxFile(options.dataDir, new Date()) : undefined;
  if (outboxFile && outboxFile.dropped.unreadable > 0) log(`sandbox outbox: ${outboxFile.dropped.unreadable} unreadable line(s) skipped`);
  return new Sandbox({
    ...(outboxFile ? { outboxStore: outboxFile.store } : {}),
    messagesPerSecond: options.sandbox.messagesPerSecond,
    failureRate: options.sandbox.failureRate,
    failureRateB: options.sandbox.failureRateB,
    receiptDelayMs: options.sandbox.receiptDelayMs,
    ...(options.sandbox.receipts ? { receipts: options.sandbox.receipts } : {}),
    latencyMs: options.sandbox.latencyMs,
    random: options.sandbox.random,
    localBaseUrl: () => baseUrl,
    authToken: options.twilio.authToken,
    accountSid: options.twilio.accountSid ?? LOCAL_ACCOUNT_SID,
    smsFrom: options.twilio.smsFrom ?? 'CRIER',
    whatsappFrom: options.twilio.whatsappFrom ?? 'whatsapp:+447700900000',
    ...(edgeToken ? { edgeToken } : {}),
  });
}

/** Whether a request goes to either sandbox's send endpoint on this stack. */
export function sandboxSend(baseUrl: string): (url: URL) => boolean {
  const baseOrigin = new URL(baseUrl).origin;
  return (url) => url.origin === baseOrigin && SANDBOX_SEND_PATH.test(url.pathname);
}
