import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SandboxMessage } from '../../local/sandbox.js';
import { OUTBOX_FILE, OUTBOX_KEPT_DAYS, OUTBOX_KEPT_MESSAGES, openOutboxFile } from '../../local/sandbox-outbox-file.js';

/** The sandbox outbox's file in DATA_DIR, on a real directory. */
describe('the sandbox outbox kept in DATA_DIR', () => {
  const now = new Date('2026-12-06T12:00:00.000Z');
  const directories: string[] = [];
  afterEach(() => {
    for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
  });

  function aDataDir(): string {
    const directory = mkdtempSync(join(tmpdir(), 'crier-outbox-'));
    directories.push(directory);
    return directory;
  }

  function aMessage(overrides: Partial<SandboxMessage> = {}): SandboxMessage {
    return {
      id: `SM${Math.random().toString(16).slice(2).padEnd(32, '0')}`,
      provider: 'sandbox',
      messageId: 'msg-1',
      to: '+447700900123',
      from: 'CRIER',
      channel: 'sms',
      body: 'You are subscribed to Traffic alerts.',
      status: 'sent',
      createdAt: now.toISOString(),
      ...overrides,
    };
  }

  function writeJournal(dataDir: string, lines: unknown[]): void {
    writeFileSync(join(dataDir, OUTBOX_FILE), lines.map((line) => (typeof line === 'string' ? `${line}\n` : `${JSON.stringify(line)}\n`)).join(''));
  }

  it('gives back what was recorded, in order, with the last change of each message', () => {
    // Prepare
    const dataDir = aDataDir();
    const first = aMessage({ to: '+447700900101' });
    const second = aMessage({ to: '+447700900102' });
    const opened = openOutboxFile(dataDir, now);
    opened.store.record(first);
    opened.store.record(second);
    opened.store.record({ ...first, status: 'delivered' });
    opened.store.close();

    // Act
    const reopened = openOutboxFile(dataDir, now);
    reopened.store.close();

    // Assess
    expect(reopened.store.restored).toEqual([{ ...first, status: 'delivered' }, second]);
  });

  it(`drops messages older than ${OUTBOX_KEPT_DAYS} days, and rewrites the file without them`, () => {
    // Prepare
    const dataDir = aDataDir();
    const old = aMessage({ createdAt: new Date(now.getTime() - (OUTBOX_KEPT_DAYS * 24 + 1) * 3600_000).toISOString() });
    const recent = aMessage({ createdAt: new Date(now.getTime() - (OUTBOX_KEPT_DAYS * 24 - 1) * 3600_000).toISOString() });
    writeJournal(dataDir, [old, recent]);

    // Act
    const opened = openOutboxFile(dataDir, now);
    opened.store.close();

    // Assess
    expect(opened.store.restored).toEqual([recent]);
    expect(opened.dropped).toEqual({ expired: 1, unreadable: 0 });
    expect(readFileSync(join(dataDir, OUTBOX_FILE), 'utf8')).toBe(`${JSON.stringify(recent)}\n`);
  });

  it(`keeps the newest ${OUTBOX_KEPT_MESSAGES.toLocaleString('en-GB')} messages at most`, () => {
    // Prepare
    const dataDir = aDataDir();
    const messages = Array.from({ length: OUTBOX_KEPT_MESSAGES + 5 }, (_, index) => aMessage({ id: `SM${index}` }));
    writeJournal(dataDir, messages);

    // Act
    const opened = openOutboxFile(dataDir, now);
    opened.store.close();

    // Assess
    expect(opened.store.restored).toHaveLength(OUTBOX_KEPT_MESSAGES);
    expect(opened.store.restored[0]?.id).toBe('SM5');
    expect(opened.dropped.expired).toBe(5);
  });

  it('skips a line it cannot read (one cut short by a crash) and keeps the rest', () => {
    // Prepare
    const dataDir = aDataDir();
    const whole = aMessage();
    writeJournal(dataDir, [whole, '{"id":"SM1","provider":"sand']);

    // Act
    const opened = openOutboxFile(dataDir, now);
    opened.store.close();

    // Assess
    expect(opened.store.restored).toEqual([whole]);
    expect(opened.dropped).toEqual({ expired: 0, unreadable: 1 });
  });

  it('keeps fields of the record it does not itself name', () => {
    // Prepare
    const dataDir = aDataDir();
    const withMore = { ...aMessage(), department: 'roads' };
    writeJournal(dataDir, [withMore]);

    // Act
    const opened = openOutboxFile(dataDir, now);
    opened.store.close();

    // Assess
    expect(opened.store.restored).toEqual([withMore]);
  });

  it('is empty after the outbox is emptied', () => {
    // Prepare
    const dataDir = aDataDir();
    const opened = openOutboxFile(dataDir, now);
    opened.store.record(aMessage());
    opened.store.clear();
    const afterClear = aMessage({ to: '+447700900109' });
    opened.store.record(afterClear);
    opened.store.close();

    // Act
    const reopened = openOutboxFile(dataDir, now);
    reopened.store.close();

    // Assess
    expect(reopened.store.restored).toEqual([afterClear]);
  });
});
