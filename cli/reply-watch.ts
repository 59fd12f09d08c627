import { ApiError } from './errors.js';
import type { SandboxApi, SandboxMessage } from './sandbox-api.js';

const POLL_INTERVAL_MS = 200;

/**
 * The ids already in the sandbox outbox for a number, so only new replies are shown; undefined
 * when there is no outbox (a deployed crier, whose replies go through the real provider).
 */
export async function outboxIds(sandbox: SandboxApi, to: string): Promise<Set<string> | undefined> {
  try {
    return new Set((await sandbox.messages(to)).data.map((message) => message.id));
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return undefined;
    throw error;
  }
}

/**
 * Waits for replies the gateway queues after an inbound text. It returns one poll after the first
 * reply shows up, so a second reply (rare) is caught without waiting out the whole timeout.
 */
export async function waitForReplies(sandbox: SandboxApi, to: string, known: Set<string>, timeoutMs: number): Promise<SandboxMessage[]> {
  const deadline = Date.now() + timeoutMs;
  let replies: SandboxMessage[] = [];
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
    const fresh = (await sandbox.messages(to)).data.filter((message) => !known.has(message.id));
    if (replies.length > 0 && fresh.length === replies.length) return fresh;
    replies = fresh;
    if (Date.now() >= deadline) return replies;
  }
}
