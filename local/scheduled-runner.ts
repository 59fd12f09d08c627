import { randomUUID } from 'node:crypto';
import type { ScheduledEvent } from 'aws-lambda';
import type { FunctionId } from '../functions/catalog.js';
import type { LocalInvoke } from './lambda-runtime.js';

export interface ScheduledRunnerOptions {
  /** Time between runs (the catalog's `everyMinutes`, or faster in tests). */
  intervalMs: number;
  /** The first run, shortly after start rather than a whole interval later. */
  firstRunAfterMs: number;
}

/**
 * Runs a scheduled function the way an EventBridge rule does, on a timer: an EventBridge
 * "Scheduled Event" each tick. A run that throws is reported and the timer goes on, as in AWS;
 * a tick that comes while the last run is still going is skipped, so runs never overlap (a run
 * that outlives its timeout has ended, as far as the runner knows: see `asLambda`).
 */
export class ScheduledRunner {
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly functionId: FunctionId,
    private readonly handler: LocalInvoke<ScheduledEvent, unknown>,
    private readonly options: ScheduledRunnerOptions,
    private readonly onError: (error: unknown) => void,
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule(this.options.firstRunAfterMs);
  }

  /** Stops the timer and waits for a run under way to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.current;
  }

  get busy(): boolean {
    return this.current !== undefined;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => this.tick(), delayMs);
    // The runner never keeps a process alive on its own: the stack's servers do, until stop().
    this.timer.unref();
  }

  private tick(): void {
    // The next tick is set from this one, like a rate: a slow run shifts nothing but itself.
    this.schedule(this.options.intervalMs);
    if (this.current) return;
    this.current = this.run().finally(() => {
      this.current = undefined;
    });
  }

  private async run(): Promise<void> {
    try {
      await this.handler(scheduledEvent(this.functionId));
    } catch (error) {
      this.onError(error);
    }
  }
}

/** What EventBridge sends when a `rate(…)` rule fires (times to the second, as EventBridge writes them). */
function scheduledEvent(functionId: FunctionId): ScheduledEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: '000000000000',
    time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: 'eu-west-2',
    resources: [`arn:aws:events:eu-west-2:000000000000:rule/crier-local-${functionId}`],
    detail: {},
  };
}
