import type { SQSEvent } from 'aws-lambda';
import { BatchProcessor } from '@aws-lambda-powertools/batch';
import { describe, expect, it, vi } from 'vitest';
import fanOutTaskEvent from '../../events/sqs/fan-out-task.json';
import sendBroadcastEvent from '../../events/sqs/send-broadcast.json';
import sendReplyEvent from '../../events/sqs/send-reply.json';
import { baseEnvSchema } from '../../shared/config/env.js';
import { fanOutTaskSchema, sendJobSchema, type SendJob } from '../../shared/domain/jobs.js';
import { ValidationError } from '../../shared/domain/errors.js';
import { queueFunction } from '../../shared/runtime/queue-function.js';
import { lambdaContext } from '../support/lambda-context.js';
import { latch } from '../support/latch.js';

const sqsEvent = (fixture: unknown) => structuredClone(fixture) as SQSEvent;

/** A Lambda context carrying a placeholder env, which the middleware replaces with the validated one. */
const context = () => lambdaContext('crier-test-send', baseEnvSchema.parse({}));

describe('job schemas', () => {
  it.each([
    ['send-broadcast', sendBroadcastEvent, sendJobSchema],
    ['send-reply', sendReplyEvent, sendJobSchema],
    ['fan-out-task', fanOutTaskEvent, fanOutTaskSchema],
  ] as const)('accept every record of the %s fixture', (_name, fixture, schema) => {
    // Prepare
    const event = sqsEvent(fixture);

    // Act
    const results = event.Records.map((record) => schema.safeParse(JSON.parse(record.body)));

    // Assess
    expect(results.every((result) => result.success)).toBe(true);
  });

  it.each([
    ['no recipients', { kind: 'broadcast', broadcastId: 'bc-1', recipients: [] }],
    ['a recipient not in E.164', { kind: 'broadcast', broadcastId: 'bc-1', recipients: [{ phone: '07700900101', channel: 'sms' }] }],
    ['an unknown channel', { kind: 'broadcast', broadcastId: 'bc-1', recipients: [{ phone: '+447700900101', channel: 'fax' }] }],
    ['an unknown reply purpose', { kind: 'reply', messageId: 'r-1', to: '+447700900101', channel: 'sms', body: 'hi', purpose: 'marketing' }],
    ['an unknown kind', { kind: 'email', to: 'someone@example.org' }],
  ])('refuse a send job with %s', (_case, job) => {
    // Prepare
    const body = structuredClone(job);

    // Act
    const result = sendJobSchema.safeParse(body);

    // Assess
    expect(result.success).toBe(false);
  });
});

describe('queueFunction', () => {
  function consumer(fail: (job: SendJob) => boolean = () => false) {
    const processed: SendJob[] = [];
    const handler = queueFunction({
      envSchema: baseEnvSchema,
      dependencies: () => ({ processed }),
      jobSchema: sendJobSchema,
      processJob: async (job, _record, deps) => {
        if (fail(job)) throw new Error('the provider is down');
        deps.processed.push(job);
      },
    });
    return { handler, processed };
  }

  it('processes every record of a batch and reports no failures', async () => {
    // Prepare
    const { handler, processed } = consumer();
    const event = sqsEvent(sendBroadcastEvent);

    // Act
    const response = await handler(event, context());

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(processed).toHaveLength(2);
  });

  it('keeps each invocation’s failures its own when invocations of one handler overlap (as in the local stack)', async () => {
    // Prepare: invocation A fails one record at once and finishes its other one later; invocation B
    // starts once A's failure is recorded and ends before A does. A shared processor would let B's
    // start wipe A's recorded failure.
    const aFailureRecorded = latch();
    const bEnded = latch();
    const failureHandler = BatchProcessor.prototype.failureHandler;
    vi.spyOn(BatchProcessor.prototype, 'failureHandler').mockImplementation(function (this: BatchProcessor, ...args) {
      const result = failureHandler.apply(this, args);
      aFailureRecorded.open();
      return result;
    });
    const handler = queueFunction({
      envSchema: baseEnvSchema,
      dependencies: () => ({}),
      jobSchema: sendJobSchema,
      processJob: async (job) => {
        if (job.kind === 'reply') return;
        if (job.recipients.length === 1) throw new Error('throttled');
        await bEnded.opened;
      },
    });
    const a = sqsEvent(sendBroadcastEvent);
    const b = sqsEvent(sendReplyEvent);
    const failingRecord = a.Records.find((record) => (JSON.parse(record.body) as { recipients: unknown[] }).recipients.length === 1);

    // Act
    const fromA = handler(a, context());
    await aFailureRecorded.opened;
    const fromB = await handler(b, context());
    bEnded.open();

    // Assess
    expect((await fromA)?.batchItemFailures).toEqual([{ itemIdentifier: failingRecord?.messageId }]);
    expect(fromB).toEqual({ batchItemFailures: [] });
  });

  it('reports only the record that failed, so SQS redelivers that one alone', async () => {
    // Prepare
    const { handler, processed } = consumer((job) => job.kind === 'broadcast' && job.recipients.length === 1);
    const event = sqsEvent(sendBroadcastEvent);

    // Act
    const response = await handler(event, context());

    // Assess
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: event.Records[1]?.messageId }] });
    expect(processed).toHaveLength(1);
  });

  it.each([
    ['is not JSON', '{"kind": "broadcast",'],
    ['is not a valid job', JSON.stringify({ kind: 'broadcast', broadcastId: 'bc-1', recipients: [] })],
  ])('reports a record whose body %s as failed, and processes the rest', async (_case, body) => {
    // Prepare
    const { handler, processed } = consumer();
    const event = sqsEvent(sendBroadcastEvent);
    const [first] = event.Records;
    if (!first) throw new Error('the fixture has records');
    first.body = body;

    // Act
    const response = await handler(event, context());

    // Assess
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: first.messageId }] });
    expect(processed).toHaveLength(1);
  });

  describe('with discard, for queues fed by someone else', () => {
    function discarding(fail: (job: SendJob) => Error | undefined) {
      const processed: SendJob[] = [];
      const handler = queueFunction({
        envSchema: baseEnvSchema,
        dependencies: () => ({ processed }),
        jobSchema: sendJobSchema,
        processJob: async (job, _record, deps) => {
          const error = fail(job);
          if (error) throw error;
          deps.processed.push(job);
        },
        discard: (error) => error instanceof ValidationError,
      });
      return { handler, processed };
    }

    it('deletes a record no retry can fix (here: not JSON) instead of reporting it, and processes the rest', async () => {
      // Prepare
      const { handler, processed } = discarding(() => undefined);
      const event = sqsEvent(sendBroadcastEvent);
      const [first] = event.Records;
      if (!first) throw new Error('the fixture has records');
      first.body = '{"kind": "broadcast",';

      // Act
      const response = await handler(event, context());

      // Assess
      expect(response).toEqual({ batchItemFailures: [] });
      expect(processed).toHaveLength(1);
    });

    it('still reports any other failure, so SQS retries it', async () => {
      // Prepare
      const { handler } = discarding((job) => (job.kind === 'broadcast' && job.recipients.length === 1 ? new Error('table unavailable') : undefined));
      const event = sqsEvent(sendBroadcastEvent);

      // Act
      const response = await handler(event, context());

      // Assess
      expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: event.Records[1]?.messageId }] });
    });
  });

  it('reports a batch where every record failed instead of throwing', async () => {
    // Prepare
    const { handler } = consumer(() => true);
    const event = sqsEvent(sendReplyEvent);

    // Act
    const response = await handler(event, context());

    // Assess
    expect(response).toEqual({ batchItemFailures: event.Records.map((record) => ({ itemIdentifier: record.messageId })) });
  });
});
