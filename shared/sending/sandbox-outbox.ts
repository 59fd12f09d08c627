import type { Principal } from '../domain/model.js';
import type { SandboxQuery, SandboxRecord } from '../ports/sandbox-outbox.js';
import type { Page } from '../ports/page.js';
import { authorize } from '../staff/access.js';
import type { CoreDependencies } from '../ports/dependencies.js';

/** What a deployment's sandbox recorded: the messages test keys' broadcasts "sent". */
export type SandboxOutbox = (query: SandboxQuery) => Promise<Page<SandboxRecord>>;

/**
 * A day of the deployed sandbox's outbox (UTC day, today unless named), newest first. Any key that
 * reads broadcasts may look, at its own department's messages (operators at every department's);
 * a test key at test messages only. A test broadcast goes to the topic's real subscribers (through
 * the sandbox, so nobody receives it), so its records hold live residents' numbers: a test key is
 * shown them masked, enough to tell messages apart, never enough to reach anyone.
 */
export async function listSandboxOutbox(
  deps: CoreDependencies & { sandboxOutbox: SandboxOutbox },
  principal: Principal,
  query: { day?: string; limit: number; cursor?: string },
): Promise<Page<SandboxRecord>> {
  authorize(principal, 'broadcasts:read');
  const page = await deps.sandboxOutbox({
    day: query.day ?? deps.clock.now().toISOString().slice(0, 10),
    limit: query.limit,
    cursor: query.cursor,
    ...(principal.role === 'operator' ? {} : { department: principal.department }),
    ...(principal.mode === 'test' ? { mode: 'test' as const } : {}),
  });
  return principal.mode === 'test' ? { ...page, items: page.items.map(withNumberMasked) } : page;
}

/**
 * The record with the resident's number masked wherever it appears: in `to`, and in the message
 * ids, which are made from the broadcast id and the number (see broadcastMessageId).
 */
function withNumberMasked(record: SandboxRecord): SandboxRecord {
  const digits = record.to.replace(/^\+/, '');
  const masked = maskedDigits(digits);
  return { ...record, to: `+${masked}`, id: record.id.replaceAll(digits, masked), messageId: record.messageId.replaceAll(digits, masked) };
}

/** The first two digits (about the country code) and the last three: "447700900123" → "44xxxxxxx123". */
export function maskedDigits(digits: string): string {
  if (digits.length <= 5) return 'x'.repeat(digits.length);
  return `${digits.slice(0, 2)}${'x'.repeat(digits.length - 5)}${digits.slice(-3)}`;
}
