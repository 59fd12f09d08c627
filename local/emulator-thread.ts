import { parentPort, workerData } from 'node:worker_threads';
import { startDynamo, startSqs } from './emulators.js';
import { listenToTableChanges } from './dynalite-changes.js';
import type { EmulatorThreadReply, EmulatorThreadRequest, EmulatorThreadStart } from './emulators-in-thread.js';

/*
 * The body of the emulators' thread (see emulators-in-thread.ts): dynalite and the SQS emulator,
 * each listening on a port of its own, and every change dynalite makes to an item posted to the
 * stack's thread for its table-stream consumers, in the order dynalite made them.
 */

const port = parentPort;
if (!port) throw new Error('emulator-thread.ts runs as a worker thread, not on its own');
const { dynamoPath } = workerData as EmulatorThreadStart;

const post = (reply: EmulatorThreadReply) => port.postMessage(reply);
listenToTableChanges((table, before, after) => post({ kind: 'change', table, before, after }));

const [dynamo, sqs] = await Promise.all([startDynamo(dynamoPath), startSqs()]);
port.on('message', (request: EmulatorThreadRequest) => {
  // One port, in order: by the time a flush is answered, every change posted before it has been.
  if (request.kind === 'flush') post({ kind: 'flushed', id: request.id });
  else
    void Promise.all([dynamo.close(), sqs.close()]).then(
      () => post({ kind: 'closed' }),
      (error: unknown) => post({ kind: 'closed', error: String(error) }),
    );
});
post({ kind: 'ready', dynamoEndpoint: dynamo.endpoint, sqsEndpoint: sqs.endpoint });
