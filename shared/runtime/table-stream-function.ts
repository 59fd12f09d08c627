import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { ValidationError } from '../domain/errors.js';
import { validateEnvironment, type EnvironmentContext } from './environment.js';
import { issuesOf } from './http/request.js';
import { logger } from './logger.js';
import { memoiseBy } from './memo.js';
import { observability } from './observability.js';

/** An item image as the stream carries it: attribute name → DynamoDB attribute value. */
const imageSchema = z.record(z.string(), z.unknown());

/**
 * What Lambda hands a function on the table's change stream, as far as crier reads it. The event
 * source runs with a tumbling window (see the catalog's `tableStream` trigger): that is what makes
 * Lambda name the shard the records come from, and a shard's sequence numbers are what lets a
 * consumer tell a record it has already handled from a new one.
 */
export const tableStreamEventSchema = z.object({
  Records: z.array(
    z.object({
      eventName: z.enum(['INSERT', 'MODIFY', 'REMOVE']),
      dynamodb: z.object({
        SequenceNumber: z.string().regex(/^\d{1,40}$/),
        OldImage: imageSchema.optional(),
        NewImage: imageSchema.optional(),
      }),
    }),
  ),
  shardId: z.string().min(1),
});

export type TableStreamEvent = z.infer<typeof tableStreamEventSchema>;
export type TableStreamRecord = TableStreamEvent['Records'][number];

/** A tumbling window's answer: its state (Lambda fails an answer without one) and no partial failures. */
export interface TableStreamResponse {
  state: Record<string, string>;
  batchItemFailures: { itemIdentifier: string }[];
}

export interface TableStreamFunctionOptions<S extends z.ZodObject, Deps> {
  envSchema: S;
  dependencies: (env: z.infer<S>) => Deps;
  /**
   * One batch of one shard, in stream order. Throwing fails the batch: Lambda hands the same
   * records out again (until they expire), so handling a record twice must change nothing.
   */
  processBatch: (event: TableStreamEvent, deps: Deps) => Promise<void>;
}

/**
 * The shape of a table-stream consumer: validate the environment and the event, handle the batch
 * whole. Not Powertools' batch processor: that one handles records one at a time, and the point
 * of reading the stream is to handle many records with one write.
 */
export function tableStreamFunction<S extends z.ZodObject, Deps>(options: TableStreamFunctionOptions<S, Deps>) {
  const dependenciesFor = memoiseBy(options.dependencies);

  const handle = async (event: unknown, context: Context & EnvironmentContext<z.infer<S>>): Promise<TableStreamResponse> => {
    const parsed = tableStreamEventSchema.safeParse(event);
    if (!parsed.success) throw new ValidationError('the event is not a batch of the table’s change stream', issuesOf(parsed.error));
    await options.processBatch(parsed.data, dependenciesFor(context.env));
    // The window's state stays empty: each batch is counted as it comes, not kept to the window's end.
    return { state: {}, batchItemFailures: [] };
  };

  return middy<unknown, TableStreamResponse, Error, Context & EnvironmentContext<z.infer<S>>>(handle)
    .use(observability())
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(validateEnvironment(options.envSchema));
}
