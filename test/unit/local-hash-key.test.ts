import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { localPhoneHashKey } from '../../local/hash-key.js';

describe('the local stack key for hashing phone numbers', () => {
  const dirs: string[] = [];
  const aDataDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'crier-hash-key-'));
    dirs.push(dir);
    return dir;
  };

  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('is created at first start in DATA_DIR/hash-key, readable by its owner alone', () => {
    // Prepare
    const dataDir = aDataDir();

    // Act
    const key = localPhoneHashKey(dataDir);

    // Assess
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(join(dataDir, 'hash-key')).mode & 0o777).toBe(0o600);
  });

  it('is the same on every start after, so tombstones are found again', () => {
    // Prepare
    const dataDir = aDataDir();
    const first = localPhoneHashKey(dataDir);

    // Act
    const again = localPhoneHashKey(dataDir);

    // Assess
    expect(again).toBe(first);
  });

  it('differs between data directories, and without one is kept for the process alone', () => {
    // Prepare
    const [one, other] = [aDataDir(), aDataDir()];

    // Act
    const keys = [localPhoneHashKey(one), localPhoneHashKey(other), localPhoneHashKey(undefined)];

    // Assess
    expect(new Set(keys).size).toBe(3);
    expect(localPhoneHashKey(undefined)).toBe(keys[2]);
  });
});
