import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A key for a stack with no data directory (tests): one per process, gone with it, as its data is. */
let inMemoryKey: string | undefined;

/**
 * The local stack's key for hashing phone numbers (what a deployment keeps in Secrets Manager):
 * created at first start in DATA_DIR/hash-key, readable by its owner alone, and the same on every
 * start after, since erasure tombstones are found by it. Created exclusively (`wx`), so two
 * stacks starting on one directory cannot each write their own.
 */
export function localPhoneHashKey(dataDir: string | undefined): string {
  if (dataDir === undefined) return (inMemoryKey ??= randomBytes(32).toString('hex'));
  const file = join(dataDir, 'hash-key');
  try {
    writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return readFileSync(file, 'utf8').trim();
}
