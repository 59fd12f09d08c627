import type { ScheduledEvent } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { scheduledEventSchema } from '../../shared/runtime/scheduled-function.js';
import { ScheduledRunner } from '../../local/scheduled-runner.js';

const options = { intervalMs: 60_000, firstRunAfterMs: 1_000 };

/** A handler whose runs are recorded and take `durationMs` of (fake) time. */
function recordingHandler(durationMs = 0, fail: (run: number) => boolean = () => false) {
  const started: { at: number; event: ScheduledEvent }[] = [];
  let running = 0;
  let overlapped = false;
  const handler = async (event: ScheduledEvent) => {
    started.push({ at: Date.now(), event });
    running += 1;
    overlapped ||= running > 1;
    try {
      if (durationMs > 0) await new Promise((resolve) => setTimeout(resolve, durationMs));
      if (fail(started.length)) throw new Error(`run ${started.length} failed`);
    } finally {
      running -= 1;
    }
  };
  return { handler, started, overlapped: () => overlapped };
}

/** Stops the runner, letting (fake) time pass for a run under way to end. */
async function stopped(runner: ScheduledRunner): Promise<void> {
  const stopping = runner.stop();
  await vi.runAllTimersAsync();
  await stopping;
}

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the local stack runs a scheduled function on a timer', () => {
  it('first shortly after start, then every interval, with an EventBridge scheduled event', async () => {
    // Prepare
    const { handler, started } = recordingHandler();
    const runner = new ScheduledRunner('health', handler, options, () => undefined);

    // Act
    runner.start();
    await vi.advanceTimersByTimeAsync(1_000 + 2 * 60_000);
    await stopped(runner);

    // Assess
    expect(started.map((run) => run.at)).toEqual([1_000, 61_000, 121_000]);
    expect(started.every((run) => scheduledEventSchema.safeParse(run.event).success)).toBe(true);
  });

  it('reports a run that throws and goes on running', async () => {
    // Prepare
    const errors: unknown[] = [];
    const { handler, started } = recordingHandler(0, (run) => run === 1);
    const runner = new ScheduledRunner('health', handler, options, (error) => errors.push(error));

    // Act
    runner.start();
    await vi.advanceTimersByTimeAsync(1_000 + 60_000);
    await stopped(runner);

    // Assess
    expect(started).toHaveLength(2);
    expect(errors).toEqual([new Error('run 1 failed')]);
  });

  it('never starts a run while the last one is still going: it skips that tick', async () => {
    // Prepare
    const { handler, started, overlapped } = recordingHandler(90_000);
    const runner = new ScheduledRunner('health', handler, options, () => undefined);

    // Act
    runner.start();
    await vi.advanceTimersByTimeAsync(1_000 + 3 * 60_000);
    await stopped(runner);

    // Assess
    expect(overlapped()).toBe(false);
    expect(started.map((run) => run.at)).toEqual([1_000, 121_000]);
  });

  it('stops cleanly: waits for the run under way and starts no other', async () => {
    // Prepare
    const { handler, started } = recordingHandler(5_000);
    const runner = new ScheduledRunner('health', handler, options, () => undefined);
    runner.start();
    await vi.advanceTimersByTimeAsync(2_000);

    // Act
    const stopping = runner.stop();
    await vi.advanceTimersByTimeAsync(5_000);
    await stopping;
    await vi.advanceTimersByTimeAsync(10 * 60_000);

    // Assess
    expect(started).toHaveLength(1);
    expect(runner.busy).toBe(false);
  });
});
