import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LOCK_FILE, lockDataDir } from '../../local/data-dir-lock.js';
import { LocalStackStartError } from '../../shared/domain/errors.js';

/** The DATA_DIR lock on a real directory, with real processes as the other holders. */
describe('the DATA_DIR lock', () => {
  const directories: string[] = [];
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
    for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
  });

  function aDataDir(): string {
    const directory = mkdtempSync(join(tmpdir(), 'crier-lock-'));
    directories.push(directory);
    return directory;
  }

  /** A process that is running (until the test ends), as another stack would be. */
  async function aRunningPid(): Promise<number> {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => undefined, 60_000)'], { stdio: 'ignore' });
    children.push(child);
    await once(child, 'spawn');
    return child.pid!;
  }

  /** A process that has ended, as a stack killed with kill -9 has. */
  async function anEndedPid(): Promise<number> {
    const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
    await once(child, 'exit');
    return child.pid!;
  }

  function writeLock(dataDir: string, holder: unknown): void {
    writeFileSync(join(dataDir, LOCK_FILE), JSON.stringify(holder));
  }

  function readLock(dataDir: string): unknown {
    return JSON.parse(readFileSync(join(dataDir, LOCK_FILE), 'utf8'));
  }

  it('claims a free directory with this process’s pid and port, and gives it up on release', () => {
    // Prepare
    const dataDir = aDataDir();

    // Act
    const lock = lockDataDir(dataDir, 3000);
    const held = readLock(dataDir);
    lock.release();

    // Assess
    expect(held).toMatchObject({ pid: process.pid, port: 3000 });
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false);
  });

  it('refuses a directory a running process holds, naming DATA_DIR, its port and its pid, and leaves its lock alone', async () => {
    // Prepare
    const dataDir = aDataDir();
    const pid = await aRunningPid();
    const holder = { pid, port: 3001, startedAt: '2026-12-06T09:00:00.000Z' };
    writeLock(dataDir, holder);

    // Act
    const claim = () => lockDataDir(dataDir, 3002);

    // Assess
    expect(claim).toThrow(LocalStackStartError);
    expect(claim).toThrow(`DATA_DIR ${dataDir} is in use by the crier running on port 3001 (pid ${pid}, started 2026-12-06T09:00:00.000Z).`);
    expect(readLock(dataDir)).toEqual(holder);
  });

  it('takes over the lock of a process that has ended', async () => {
    // Prepare
    const dataDir = aDataDir();
    writeLock(dataDir, { pid: await anEndedPid(), port: 3001, startedAt: '2026-12-06T09:00:00.000Z' });

    // Act
    const lock = lockDataDir(dataDir, 3002);

    // Assess
    expect(readLock(dataDir)).toMatchObject({ pid: process.pid, port: 3002 });
    lock.release();
  });

  it('refuses a lock it cannot read, saying which file to delete', () => {
    // Prepare
    const dataDir = aDataDir();
    writeFileSync(join(dataDir, LOCK_FILE), 'not json');

    // Act
    const claim = () => lockDataDir(dataDir, 3002);

    // Assess
    expect(claim).toThrow(`DATA_DIR ${dataDir} is locked by ${join(dataDir, LOCK_FILE)}, which cannot be read.`);
  });

  it('leaves a lock another process has since taken over when released', async () => {
    // Prepare
    const dataDir = aDataDir();
    const lock = lockDataDir(dataDir, 3000);
    const other = { pid: await aRunningPid(), port: 3001, startedAt: '2026-12-06T09:00:00.000Z' };
    writeLock(dataDir, other);

    // Act
    lock.release();

    // Assess
    expect(readLock(dataDir)).toEqual(other);
  });
});
