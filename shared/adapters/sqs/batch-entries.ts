const MAX_ATTEMPTS = 5;

/** What SQS's batch actions (SendMessageBatch, DeleteMessageBatch…) answer about entries they did not take. */
export interface BatchAnswer {
  Failed?: { Id?: string; Message?: string }[];
}

/**
 * Calls one SQS batch action until SQS has taken every entry. SQS can refuse single entries of a
 * batch it otherwise accepted (throttling, a passing internal error), so only those are tried
 * again, with a growing pause; what still fails after five attempts makes the call throw, so the
 * caller's own retry takes over rather than an entry being silently dropped.
 */
export async function untilEveryEntryTaken<Entry extends { Id: string }>(
  entries: readonly Entry[],
  call: (entries: Entry[]) => Promise<BatchAnswer>,
  /** What the entries are, for the error: `jobs for <queue URL>`. */
  what: string,
): Promise<void> {
  let pending = [...entries];
  for (let attempt = 1; pending.length > 0; attempt += 1) {
    const response = await call(pending);
    const failedIds = new Set((response.Failed ?? []).map((failure) => failure.Id));
    if (failedIds.size > 0 && attempt >= MAX_ATTEMPTS) {
      throw new Error(`SQS refused ${failedIds.size} ${what}: ${response.Failed?.[0]?.Message}`);
    }
    pending = pending.filter((entry) => failedIds.has(entry.Id));
    if (pending.length > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
  }
}
