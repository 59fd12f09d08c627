import middy from '@middy/core';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { z } from 'zod';
import { ValidationError } from '../domain/errors.js';
import { validateEnvironment, type EnvironmentContext } from './environment.js';
import { issuesOf } from './http/request.js';
import { logger } from './logger.js';
import { memoiseBy } from './memo.js';
import { observability } from './observability.js';

export interface QueueFunctionOptions<S extends z.ZodObject, Deps, J extends z.ZodType> {
  envSchema: S;
  dependencies: (env: z.infer<S>) => Deps;
  jobSchema: J;
  /** Handles one job; throwing reports the record as failed, and SQS redelivers it later. */
  processJob: (job: z.infer<J>, record: SQSRecord, deps: Deps, context: Context) => Promise<void>;
  /**
   * One record at a time rather than all at once (Powertools' default): for the senders, whose
   * jobs share one paced schedule and gain nothing from racing each other for it.
   */
  oneRecordAtATime?: boolean;
  /**
   * Errors no retry can fix, for queues fed by someone else (an SNS topic): such a record is
   * logged and deleted rather than received again and again into the dead-letter queue. Queues
   * crier feeds itself leave this out: a bad job there is a bug worth a dead letter.
   */
  discard?: (error: unknown) => boolean;
}

/**
 * The shape of every queue consumer: each record's body is validated as a job, records are
 * processed independently, and only the failed ones are reported back (partial batch failure),
 * so one bad record never makes a whole batch run again.
 */
export function queueFunction<S extends z.ZodObject, Deps, J extends z.ZodType>(options: QueueFunctionOptions<S, Deps, J>) {
  const dependenciesFor = memoiseBy(options.dependencies);

  const handle = async (event: SQSEvent, context: Context & EnvironmentContext<z.infer<S>>): Promise<SQSBatchResponse> => {
    const deps = dependenciesFor(context.env);
    return processPartialResponse(
      event,
      async (record: SQSRecord) => {
        try {
          await options.processJob(parseJob(options.jobSchema, record), record, deps, context);
        } catch (error) {
          if (!options.discard?.(error)) throw error;
          logger.warn('queue message discarded: retrying cannot fix it', { messageId: record.messageId, error });
        }
      },
      // A processor per invocation: it keeps the batch's failures on itself, and the local stack
      // (unlike a Lambda container) runs several invocations of one handler at once.
      new BatchProcessor(EventType.SQS),
      // A batch where every record failed is reported like any other, rather than thrown: the
      // event source retries exactly the failed records either way.
      { context, throwOnFullBatchFailure: false, processInParallel: !options.oneRecordAtATime },
    );
  };

  return middy<SQSEvent, SQSBatchResponse, Error, Context & EnvironmentContext<z.infer<S>>>(handle)
    .use(observability())
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(validateEnvironment(options.envSchema));
}

function parseJob<J extends z.ZodType>(schema: J, record: SQSRecord): z.infer<J> {
  let json: unknown;
  try {
    json = JSON.parse(record.body);
  } catch (error) {
    throw new ValidationError(`queue message ${record.messageId} is not JSON`, [], { cause: error });
  }
  const result = schema.safeParse(json);
  if (!result.success) {
    throw new ValidationError(`queue message ${record.messageId} is not a valid job`, issuesOf(result.error));
  }
  return result.data;
}
