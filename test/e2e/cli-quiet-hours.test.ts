import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../../local/stack.js';
import { broadcastIdIn, crier, isolatedEnv } from './cli-run.js';

/** HH:MM in Europe/London, `minutes` from now. */
function londonClock(minutes: number): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
    new Date(Date.now() + minutes * 60_000),
  );
}

/**
 * Quiet hours from the command line: a stack whose quiet hours began an hour ago and end in two,
 * whatever the time the test runs at.
 */
describe('crier broadcasts send during quiet hours', () => {
  const authToken = 'cli-quiet-hours-token';
  let stack: LocalStack;
  let home: string;
  let env: NodeJS.ProcessEnv;
  let quietEnd: string;

  beforeAll(async () => {
    quietEnd = londonClock(120);
    stack = await startLocalStack({
      port: 0,
      twilio: { authToken },
      sandbox: { failureRate: 0 },
      settings: { quietHours: `${londonClock(-60)}-${quietEnd}` },
    });
    home = mkdtempSync(join(tmpdir(), 'crier-cli-quiet-'));
    env = isolatedEnv(home, { CRIER_URL: stack.baseUrl, CRIER_API_KEY: stack.operatorKey, TWILIO_AUTH_TOKEN: authToken, PUBLIC_BASE_URL: stack.publicBaseUrl });
    const created = await crier(['topics', 'create', 'bins', '--name', 'Bin collections', '--keyword', 'BINS'], env);
    if (created.code !== 0) throw new Error(created.stderr);
  }, 60_000);
  afterAll(async () => {
    await stack?.stop();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('schedules a normal broadcast for the end of quiet hours and says why; preview says when it would start', async () => {
    // Prepare
    const options = ['--topic', 'bins', '--body', 'Bins are collected a day late this week.'];

    // Act
    const preview = await crier(['broadcasts', 'preview', ...options], env);
    const sent = await crier(['broadcasts', 'send', ...options], env);
    const id = broadcastIdIn(sent.stdout);
    const cancelled = await crier(['broadcasts', 'cancel', id], env);

    // Assess
    expect(preview.stdout).toMatch(new RegExp(`^starts: \\w{3} \\d+ \\w{3} \\d{4} ${quietEnd} (GMT|BST) \\(Europe/London\\) = .* UTC \\(in (1 h 5\\d min|2 h 0 min)\\)$`, 'm'));
    expect(sent).toMatchObject({ code: 0, stderr: '' });
    expect(sent.stdout).toMatch(new RegExp(`^broadcast ${id}: scheduled for \\w{3} \\d+ \\w{3} \\d{4} ${quietEnd} `, 'm'));
    expect(sent.stdout).toMatch(/^quiet hours: a normal-priority broadcast waits until they end \(--urgent does not\); it starts in (1 h 5\d min|2 h 0 min)\naudience: 0 residents$/m);
    expect(cancelled.code).toBe(0);
  });

  it('sends an urgent broadcast at once, through quiet hours', async () => {
    // Prepare / Act
    const sent = await crier(['broadcasts', 'send', '--topic', 'bins', '--body', 'Flooding on Bute Street: collections stopped.', '--urgent'], env);

    // Assess
    expect(sent).toMatchObject({ code: 0, stderr: '' });
    expect(sent.stdout).toMatch(/^broadcast \w{26}: sending\nsending now to 0 residents$/m);
  });
});
