import { parentPort, workerData } from 'node:worker_threads';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { functionDefinition } from '../functions/catalog.js';
import type { QueueId } from '../functions/catalog-types.js';
import { awsClients } from '../shared/adapters/aws-clients.js';
import { InvocationIoGate } from './invocation-io.js';
import { asLambda, loadHandler } from './lambda-runtime.js';
import { QueuePoller } from './queue-poller.js';
import type { SendersThreadReply, SendersThreadRequest, SendersThreadStart } from './senders-in-thread.js';

/*
 * The body of the senders' thread (see senders-in-thread.ts): a consumer per sending function,
 * with the AWS clients and the Lambda-like invocation of the stack's thread, told to start, stop
 * and lose deletes by it, and telling it when each is busy.
 */

const port = parentPort;
if (!port) throw new Error('senders-thread.ts runs as a worker thread, not on its own');
const { functions, instruments } = workerData as SendersThreadStart;
const post = (reply: SendersThreadReply) => port.postMessage(reply);

if (instruments) {
  const module = (await import(instruments)) as { install?: (report: (report: unknown) => void) => void | Promise<void> };
  if (typeof module.install !== 'function') throw new Error(`${instruments} exports no install(report) for the senders' thread`);
  await module.install((report) => post({ kind: 'report', report }));
}

const { dynamo, sqs, secrets } = awsClients();
// As on the stack's thread: a run that has ended (its timeout) can no longer reach a provider, the table or the queues.
InvocationIoGate.install([dynamo, sqs, secrets]);

const pollers = new Map<QueueId, QueuePoller>();
for (const { id, queueId, queue, concurrency, timeoutMs } of functions) {
  const { trigger } = functionDefinition(id);
  if (trigger.kind !== 'queue') throw new Error(`${id} is not a queue function`);
  const handler = asLambda<SQSEvent, SQSBatchResponse | void>(id, await loadHandler(id), timeoutMs);
  const poller = new QueuePoller(sqs, id, queue, trigger, handler, (error) => post({ kind: 'error', line: `${id}: ${(error as Error).message}` }), concurrency);
  poller.onBusyChange((busy) => post({ kind: 'busy', queue: queueId, busy, stats: { ...poller.stats } }));
  pollers.set(queueId, poller);
}

port.on('message', (request: SendersThreadRequest) => {
  if (request.kind === 'close') {
    void Promise.all([...pollers.values()].map((poller) => poller.stop())).then(() => post({ kind: 'closed' }));
    return;
  }
  const poller = pollers.get(request.queue);
  if (!poller) return post({ kind: 'error', line: `the senders' thread has no consumer for the ${request.queue} queue` });
  if (request.kind === 'start') poller.start();
  else if (request.kind === 'loseDeletes') poller.loseNextDeletes(request.batches);
  else void poller.stop().then(() => post({ kind: 'stopped', queue: request.queue }));
});
for (const poller of pollers.values()) poller.start();
post({ kind: 'ready' });
