import type { SQSEvent } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import sendBroadcastEvent from '../../events/sqs/send-broadcast.json';
import { baseEnvSchema } from '../../shared/config/env.js';
import { EmfWriter, PowertoolsMetrics, crierMetrics } from '../../shared/platform/powertools-metrics.js';
import { queueFunction } from '../../shared/runtime/queue-function.js';
import { localObservabilityEnvironment } from '../../local/observability.js';
import { lambdaContext } from '../support/lambda-context.js';

/** What the function wrote to its log (stdout): each line that is embedded metric format, parsed. */
function capturedEmf() {
  const lines: Record<string, any>[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    for (const line of String(chunk).split('\n')) {
      if (line.includes('"_aws"')) lines.push(JSON.parse(line) as Record<string, any>);
    }
    return true;
  });
  return lines;
}

const writer = () => new EmfWriter({ namespace: 'Crier', serviceName: 'CrierTest' });

beforeEach(() => {
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
});

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('PowertoolsMetrics', () => {
  it('writes one line per set of dimensions, counts added up, under both the service alone and the breakdown', () => {
    // Prepare
    const lines = capturedEmf();
    const metrics = new PowertoolsMetrics(writer());

    // Act
    metrics.record('MessagesSent', { channel: 'sms', provider: 'twilio' });
    metrics.record('MessagesSent', { channel: 'sms', provider: 'twilio' });
    metrics.record('Spend', { channel: 'sms', provider: 'twilio' }, 0.04);
    metrics.record('MessagesSent', { channel: 'whatsapp', provider: 'whatsapp-cloud' });
    metrics.flush();

    // Assess
    expect(lines).toHaveLength(2);
    const twilio = lines.find((line) => line.provider === 'twilio')!;
    expect(twilio).toMatchObject({ service: 'CrierTest', channel: 'sms', MessagesSent: 2, Spend: 0.04 });
    expect(twilio._aws.CloudWatchMetrics[0]).toMatchObject({
      Namespace: 'Crier',
      Dimensions: [['service'], ['service', 'channel', 'provider']],
      Metrics: expect.arrayContaining([{ Name: 'MessagesSent', Unit: 'Count' }, { Name: 'Spend', Unit: 'None' }]),
    });
    expect(lines.find((line) => line.provider === 'whatsapp-cloud')).toMatchObject({ channel: 'whatsapp', MessagesSent: 1 });
  });

  it('keeps every duration, over as many lines as it takes, and forgets them once written', () => {
    // Prepare
    const lines = capturedEmf();
    const metrics = new PowertoolsMetrics(writer());
    const durations = Array.from({ length: 250 }, (_, index) => index);

    // Act
    for (const duration of durations) metrics.record('SendDuration', { channel: 'sms', provider: 'aws-sms' }, duration);
    metrics.flush();
    metrics.flush();

    // Assess
    expect(lines.flatMap((line) => line.SendDuration as number[])).toEqual(durations);
    expect(lines.every((line) => line._aws.CloudWatchMetrics[0].Dimensions.length === 2)).toBe(true);
  });

  it('gathers and writes nothing when metrics are turned off', () => {
    // Prepare
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
    const lines = capturedEmf();
    const metrics = new PowertoolsMetrics(writer());

    // Act
    metrics.record('OptOuts', { channel: 'sms', source: 'keyword' });
    metrics.flush();

    // Assess
    expect(lines).toEqual([]);
  });
});

describe('the runtime flushes what an invocation recorded', () => {
  const context = () => lambdaContext('crier-test-send', baseEnvSchema.parse({}));

  it('at the end of a queue invocation, failed records or not', async () => {
    // Prepare
    const lines = capturedEmf();
    const handler = queueFunction({
      envSchema: baseEnvSchema,
      dependencies: () => ({}),
      jobSchema: z.unknown(),
      processJob: async () => {
        crierMetrics().record('MessagesSkipped', { channel: 'sms', reason: 'opted_out' });
        throw new Error('the table is unreachable');
      },
    });

    // Act
    await handler(structuredClone(sendBroadcastEvent) as SQSEvent, context());

    // Assess
    expect(lines).toEqual([expect.objectContaining({ MessagesSkipped: sendBroadcastEvent.Records.length, reason: 'opted_out' })]);
  });
});

describe('the local stack', () => {
  it.each([
    [{}, 'true'],
    [{ POWERTOOLS_METRICS_DISABLED: 'false' }, 'false'],
  ])('with %o turns metrics off unless asked (%s), and tracing off always', (environment, disabled) => {
    // Prepare / Act
    const local = localObservabilityEnvironment(environment);

    // Assess
    expect(local).toEqual({ POWERTOOLS_METRICS_DISABLED: disabled, POWERTOOLS_TRACE_ENABLED: 'false' });
  });
});
