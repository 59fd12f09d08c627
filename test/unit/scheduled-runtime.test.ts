import type { ScheduledEvent } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { z } from 'zod';
import scheduledEventFixture from '../../events/eventbridge/scheduled-event.json';
import sqsEventFixture from '../../events/sqs/fan-out-task.json';
import { tableEnvSchema } from '../../shared/config/env.js';
import { ConfigurationError, ValidationError } from '../../shared/domain/errors.js';
import { logger } from '../../shared/runtime/logger.js';
import { scheduledFunction, type ScheduledRun } from '../../shared/runtime/scheduled-function.js';
import { lambdaContext } from '../support/lambda-context.js';

type TableEnv = z.infer<typeof tableEnvSchema>;

/** A Lambda context carrying a placeholder env, which the middleware replaces with the validated one. */
const context = () => lambdaContext('crier-test-scheduler', tableEnvSchema.parse({ TABLE_NAME: 'placeholder' }), { remainingMs: 50_000 });

const scheduledEvent = () => structuredClone(scheduledEventFixture) as ScheduledEvent;

function scheduled(run: (deps: { table: string }, event: ScheduledRun) => Promise<void> = async () => undefined) {
  const runs: { deps: { table: string }; event: ScheduledRun }[] = [];
  const dependencies = vi.fn((env: TableEnv) => ({ table: env.TABLE_NAME }));
  const handler = scheduledFunction({
    envSchema: tableEnvSchema,
    dependencies,
    run: async (deps, event) => {
      runs.push({ deps, event });
      await run(deps, event);
    },
  });
  return { handler, runs, dependencies };
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('scheduledFunction', () => {
  it('runs with dependencies built from the validated environment, once per container, and the schedule time', async () => {
    // Prepare
    vi.stubEnv('TABLE_NAME', 'crier-prod');
    const { handler, runs, dependencies } = scheduled();

    // Act
    await handler(scheduledEvent(), context());
    await handler(scheduledEvent(), context());

    // Assess
    expect(runs).toHaveLength(2);
    expect(runs[0]).toMatchObject({ deps: { table: 'crier-prod' }, event: { time: '2025-03-01T09:00:00Z', 'detail-type': 'Scheduled Event' } });
    expect(dependencies).toHaveBeenCalledTimes(1);
  });

  it.each([
    { case: 'an SQS event', event: () => structuredClone(sqsEventFixture) },
    { case: 'another EventBridge event', event: () => ({ ...scheduledEvent(), 'detail-type': 'EC2 Instance State-change Notification', source: 'aws.ec2' }) },
    { case: 'a schedule event without its time', event: () => ({ ...scheduledEvent(), time: 'yesterday' }) },
  ])('refuses $case without running', async ({ event }) => {
    // Prepare
    vi.stubEnv('TABLE_NAME', 'crier-prod');
    const { handler, runs } = scheduled();

    // Act
    const act = handler(event() as ScheduledEvent, context());

    // Assess
    await expect(act).rejects.toThrow(ValidationError);
    expect(runs).toEqual([]);
  });

  it('logs a failed run and fails the invocation, so the error alarm sees it', async () => {
    // Prepare
    vi.stubEnv('TABLE_NAME', 'crier-prod');
    const logged = vi.spyOn(logger, 'error').mockImplementation(() => undefined);
    const { handler } = scheduled(async () => {
      throw new Error('table unreachable');
    });

    // Act
    const act = handler(scheduledEvent(), context());

    // Assess
    await expect(act).rejects.toThrow('table unreachable');
    expect(logged).toHaveBeenCalledWith('scheduled run failed', expect.objectContaining({ scheduledAt: '2025-03-01T09:00:00Z' }));
  });

  it('refuses to run with an invalid environment', async () => {
    // Prepare
    vi.stubEnv('TABLE_NAME', '');
    const { handler, runs } = scheduled();

    // Act
    const act = handler(scheduledEvent(), context());

    // Assess
    await expect(act).rejects.toThrow(ConfigurationError);
    expect(runs).toEqual([]);
  });
});
