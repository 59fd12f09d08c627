import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { z } from 'zod';
import { ValidationError } from '../domain/errors.js';
import { validateEnvironment, type EnvironmentContext } from './environment.js';
import { issuesOf } from './http/request.js';
import { logger } from './logger.js';
import { memoiseBy } from './memo.js';
import { observability } from './observability.js';

/** What EventBridge sends a function on a schedule (a rule's `rate(…)`), as far as it matters here. */
export const scheduledEventSchema = z.object({
  id: z.string().min(1),
  'detail-type': z.literal('Scheduled Event'),
  source: z.literal('aws.events'),
  /** When the schedule fired: the time a run should consider "now" for what is due. */
  time: z.iso.datetime(),
  /** The rule's ARN. */
  resources: z.array(z.string()),
});

export type ScheduledRun = z.infer<typeof scheduledEventSchema>;

export interface ScheduledFunctionOptions<S extends z.ZodObject, Deps> {
  envSchema: S;
  /** Builds adapters once per container from the validated environment. */
  dependencies: (env: z.infer<S>) => Deps;
  /**
   * One run. Throwing fails the invocation: the function's error alarm goes off, and the next
   * run (not a retry) picks up what this one left, so a run must be safe to repeat.
   */
  run: (deps: Deps, event: ScheduledRun) => Promise<void>;
}

/**
 * The shape of every scheduled function: validate the environment, check the event is the
 * schedule's (not something else invoking the function), run, and log a failure before Lambda
 * records it.
 */
export function scheduledFunction<S extends z.ZodObject, Deps>(options: ScheduledFunctionOptions<S, Deps>) {
  const dependenciesFor = memoiseBy(options.dependencies);

  const handle = async (event: ScheduledEvent, context: Context & EnvironmentContext<z.infer<S>>): Promise<void> => {
    const parsed = scheduledEventSchema.safeParse(event);
    if (!parsed.success) throw new ValidationError('the event is not an EventBridge scheduled event', issuesOf(parsed.error));
    try {
      await options.run(dependenciesFor(context.env), parsed.data);
    } catch (error) {
      logger.error('scheduled run failed', { error, scheduledAt: parsed.data.time });
      throw error;
    }
  };

  return middy<ScheduledEvent, void, Error, Context & EnvironmentContext<z.infer<S>>>(handle)
    .use(observability())
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(validateEnvironment(options.envSchema));
}
