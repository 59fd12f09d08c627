import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startLocalStack, type LocalStack } from '../../local/stack.js';
import { broadcastIdIn, crier as crierNow, isolatedEnv, onTestClock, type CrierRun } from './cli-run.js';

/** 10:00 in London on a winter Wednesday (GMT, so London and UTC agree): inside 09:00-12:00. */
const INJECTED_NOW = '2026-01-14T10:00:00.000Z';

/**
 * Quiet hours from the command line: a stack whose quiet hours began an hour ago and end in two.
 * The stack (in this process) and each CLI run read an injected clock that starts at
 * INJECTED_NOW, so the test passes whatever the hour, the date or the season it runs at.
 */
describe('crier broadcasts send during quiet hours', () => {
  const authToken = 'cli-quiet-hours-token';
  const quietEnd = '12:00';
  let stack: LocalStack;
  let home: string;
  let env: NodeJS.ProcessEnv;
  /** The CLI, on the same clock as the stack. */
  const crier = (args: string[], runEnv: NodeJS.ProcessEnv): Promise<CrierRun> => crierNow(args, onTestClock(runEnv));

  beforeAll(async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.parse(INJECTED_NOW), shouldAdvanceTime: true });
    stack = await startLocalStack({
      port: 0,
      twilio: { authToken },
      sandbox: { failureRate: 0 },
      settings: { quietHours: `09:00-${quietEnd}` },
    });
    home = mkdtempSync(join(tmpdir(), 'crier-cli-quiet-'));
    env = isolatedEnv(home, { CRIER_URL: stack.baseUrl, CRIER_API_KEY: stack.operatorKey, TWILIO_AUTH_TOKEN: authToken, PUBLIC_BASE_URL: stack.publicBaseUrl });
    const created = await crier(['topics', 'create', 'bins', '--name', 'Bin collections', '--keyword', 'BINS'], env);
    if (created.code !== 0) throw new Error(created.stderr);
  }, 60_000);
  afterAll(async () => {
    await stack?.stop();
    vi.useRealTimers();
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
    expect(preview.stdout).toMatch(new RegExp(`^starts: Wed 14 Jan 2026 ${quietEnd} GMT \\(Europe/London\\) = 2026-01-14 12:00 UTC \\(in (1 h 5\\d min|2 h 0 min)\\)$`, 'm'));
    expect(sent).toMatchObject({ code: 0, stderr: '' });
    expect(sent.stdout).toMatch(new RegExp(`^broadcast ${id}: scheduled for Wed 14 Jan 2026 ${quietEnd} `, 'm'));
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
