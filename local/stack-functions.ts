import type { SQSClient } from '@aws-sdk/client-sqs';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  APIGatewayRequestAuthorizerEventV2,
  ScheduledEvent,
  SQSBatchResponse,
  SQSEvent,
} from 'aws-lambda';
import { authorizerFunctionId, functionDefinition, functionIds, type FunctionId } from '../functions/catalog.js';
import { concurrencyOf, type DeploymentSettings, type QueueId } from '../functions/catalog-types.js';
import { asLambda, loadHandler, type LocalInvoke } from './lambda-runtime.js';
import type { LocalStackOptions } from './local-stack-options.js';
import type { ProvisionedQueue } from './provision.js';
import { QueuePoller, type QueueConsumer } from './queue-poller.js';
import { SENDER_QUEUES, startSendersThread, type SenderFunction, type SendersThread } from './senders-in-thread.js';
import { ScheduledRunner } from './scheduled-runner.js';
import { TableStreamPoller, type TableStreamEvent } from './table-stream.js';
import { localTimeoutMs, type QueueTimeScale } from './time-scale.js';
import { TABLE_NAME } from './stack-settings.js';

/** Scheduled functions first run this soon after start, not a whole interval later. */
const FIRST_SCHEDULED_RUN_MS = 1_000;
/** A stream consumer's batching window locally: receipts show on a broadcast's counters within a moment. */
const LOCAL_STREAM_BATCHING_WINDOW_MS = 250;

export type HttpInvoke = LocalInvoke<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>;
export type AuthorizerInvoke = LocalInvoke<APIGatewayRequestAuthorizerEventV2, unknown>;

/**
 * What runs the functions that are not called over HTTP: a poller per queue, a poller per table
 * stream, a timer per schedule. Filled as the functions are loaded, so a start that fails half way
 * stops those already going.
 */
export class StackWorkers {
  readonly pollers = new Map<QueueId, QueueConsumer>();
  readonly runners: ScheduledRunner[] = [];
  readonly streamPollers: TableStreamPoller[] = [];
  /** The sending functions' own thread, when they run on one (LocalStackOptions.sendersInThread). */
  sendersThread: SendersThread | undefined;

  /** Every worker, in the order `settled` looks at them. */
  all(): (QueueConsumer | ScheduledRunner | TableStreamPoller)[] {
    return [...this.pollers.values(), ...this.runners, ...this.streamPollers];
  }

  async stop(): Promise<void> {
    await Promise.all([...this.runners, ...this.pollers.values(), ...this.streamPollers].map((worker) => worker.stop()));
    await this.sendersThread?.close();
  }

  consumer(queue: QueueId): QueueConsumer {
    const poller = this.pollers.get(queue);
    if (!poller) throw new Error(`no local consumer polls the ${queue} queue`);
    return poller;
  }
}

export interface LoadedFunctions {
  httpHandlers: Map<FunctionId, HttpInvoke>;
  authorizer: AuthorizerInvoke;
}

export interface FunctionsContext {
  sqs: SQSClient;
  queues: Record<QueueId, ProvisionedQueue>;
  settings: DeploymentSettings;
  options: LocalStackOptions;
  timeScale: QueueTimeScale;
  log: (line: string) => void;
}

/**
 * Every function of the catalog, loaded and wired to its trigger as on AWS: HTTP ones handed back
 * for the gateway, queue, stream and scheduled ones started on `workers`.
 */
export async function loadFunctions({ sqs, queues, settings, options, timeScale, log }: FunctionsContext, workers: StackWorkers): Promise<LoadedFunctions> {
  // Every function is invoked as Lambda would, under its timeout.
  const load = async <Event, Result>(id: FunctionId): Promise<LocalInvoke<Event, Result>> =>
    asLambda(id, await loadHandler<Event, Result>(id), localTimeoutMs(id, timeScale));
  const httpHandlers = new Map<FunctionId, HttpInvoke>();
  const onSendersThread: SenderFunction[] = [];
  const authorizer = await load<APIGatewayRequestAuthorizerEventV2, unknown>(authorizerFunctionId());
  for (const id of functionIds) {
    const { trigger } = functionDefinition(id);
    switch (trigger.kind) {
      case 'http':
        httpHandlers.set(id, await load(id));
        break;
      case 'queue': {
        const concurrency = Math.min(concurrencyOf(trigger, settings), options.maxLocalConcurrency ?? 4);
        if (options.sendersInThread && SENDER_QUEUES.has(trigger.queue)) {
          onSendersThread.push({ id, queueId: trigger.queue, queue: queues[trigger.queue], concurrency, timeoutMs: localTimeoutMs(id, timeScale) });
          break;
        }
        const handler = await load<SQSEvent, SQSBatchResponse | void>(id);
        const poller = new QueuePoller(sqs, id, queues[trigger.queue], trigger, handler, (error) => log(`${id}: ${(error as Error).message}`), concurrency);
        workers.pollers.set(trigger.queue, poller);
        poller.start();
        break;
      }
      case 'tableStream': {
        const poller = new TableStreamPoller(
          TABLE_NAME,
          id,
          trigger,
          await load<TableStreamEvent, unknown>(id),
          (error) => log(`${id}: ${(error as Error).message}`),
          Math.min(trigger.batchingWindowSeconds * 1000, options.streamBatchingWindowMs ?? LOCAL_STREAM_BATCHING_WINDOW_MS),
        );
        workers.streamPollers.push(poller);
        poller.start();
        break;
      }
      case 'authorizer':
        // Loaded above: the gateway calls it before each `apiKey` route.
        break;
      case 'schedule': {
        const intervalMs = options.schedulerIntervalMs ?? trigger.everyMinutes * 60_000;
        const runner = new ScheduledRunner(
          id,
          await load<ScheduledEvent, unknown>(id),
          { intervalMs, firstRunAfterMs: Math.min(FIRST_SCHEDULED_RUN_MS, intervalMs) },
          (error) => log(`${id}: scheduled run failed: ${(error as Error).stack ?? String(error)}`),
        );
        workers.runners.push(runner);
        runner.start();
        break;
      }
    }
  }
  if (onSendersThread.length > 0) {
    workers.sendersThread = await startSendersThread(onSendersThread, log, options.sendersThreadInstruments);
    for (const [queue, consumer] of workers.sendersThread.consumers) workers.pollers.set(queue, consumer);
  }
  return { httpHandlers, authorizer };
}
