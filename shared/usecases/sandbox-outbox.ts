import type { SandboxRecord } from '../adapters/providers/sandbox/recording-adapter.js';
import type { Principal } from '../domain/model.js';
import type { Page } from '../ports/stores.js';
import { authorize } from './access.js';
import type { CoreDependencies } from './dependencies.js';

/** What a deployment's sandbox recorded: the messages test keys' broadcasts "sent". */
export type SandboxOutbox = (query: { day: string; limit: number; cursor: string | undefined }) => Promise<Page<SandboxRecord>>;

/**
 * A day of the deployed sandbox's outbox (UTC day, today unless named), newest first. Any key that
 * reads broadcasts may look: only test messages are there, and no resident received them.
 */
export async function listSandboxOutbox(
  deps: CoreDependencies & { sandboxOutbox: SandboxOutbox },
  principal: Principal,
  query: { day?: string; limit: number; cursor?: string },
): Promise<Page<SandboxRecord>> {
  authorize(principal, 'broadcasts:read');
  return deps.sandboxOutbox({ day: query.day ?? deps.clock.now().toISOString().slice(0, 10), limit: query.limit, cursor: query.cursor });
}
