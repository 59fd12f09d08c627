import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Context } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { InvocationIoGate } from '../../local/invocation-io.js';
import { asLambda, FunctionCrashError, FunctionTimeoutError } from '../../local/lambda-runtime.js';
import { latch } from '../support/latch.js';
import { freshQueue, localSqs, receiveAll } from './sqs-support.js';

/**
 * The local stack invokes functions as Lambda does: under their timeout, and a run that has ended
 * (timed out, crashed, or answered early) is frozen, so it reaches neither a provider (fetch) nor
 * AWS (the SDK clients) once its caller has moved on. Against a real local-aws-sqs and a small
 * HTTP server that counts requests.
 */
describe('invoking a function on the local stack', () => {
  let sqs: SQSClient;
  let server: Server;
  let serverUrl: string;
  let requestsSeen: string[];
  let gate: InvocationIoGate | undefined;

  beforeAll(async () => {
    sqs = localSqs();
    server = createServer((request, response) => {
      requestsSeen.push(request.url ?? '');
      response.writeHead(200).end('ok');
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(() => {
    gate?.uninstall();
    gate = undefined;
  });
  afterAll(async () => {
    sqs.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('hands the handler a context whose remaining time counts down from the timeout, and returns its result', async () => {
    // Prepare
    let remaining = -1;
    const invoke = asLambda('sendUrgent', async (event: { n: number }, context: Context) => {
      remaining = context.getRemainingTimeInMillis();
      return event.n * 2;
    }, 2_000);

    // Act
    const result = await invoke({ n: 21 });

    // Assess
    expect(result).toBe(42);
    expect(remaining).toBeGreaterThan(0);
    expect(remaining).toBeLessThanOrEqual(2_000);
  });

  it('rejects with Lambda’s timeout error when the handler outlives its timeout', async () => {
    // Prepare
    const timedOut = latch();
    const invoke = asLambda('fanOut', async () => {
      await timedOut.opened;
      return 'too late';
    }, 50);

    // Act / Assess
    await expect(invoke({})).rejects.toEqual(new FunctionTimeoutError('fanOut', 50));
    await expect(invoke({})).rejects.toThrow('fanOut: Task timed out after 0.05 seconds');
    timedOut.open();
  });

  it('freezes a timed-out run: what it sends afterwards reaches neither an HTTP server nor SQS, while a live run’s does', async () => {
    // Prepare
    requestsSeen = [];
    gate = InvocationIoGate.install([sqs]);
    const queue = await freshQueue(sqs);
    const progress = { attempted: false, completed: false };
    const [timedOut, attempting] = [latch(), latch()];
    const abandoned = asLambda('sendUrgent', async () => {
      await timedOut.opened;
      progress.attempted = true;
      attempting.open();
      await fetch(`${serverUrl}/from-the-abandoned-run`);
      await sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'from the abandoned run' }));
      progress.completed = true;
    }, 50);
    const live = asLambda('sendUrgent', async () => {
      await fetch(`${serverUrl}/from-a-live-run`);
      await sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'from a live run' }));
    }, 5_000);

    // Act
    await expect(abandoned({})).rejects.toBeInstanceOf(FunctionTimeoutError);
    timedOut.open();
    await attempting.opened;
    // A live run's requests after the frozen one's: had the frozen one gone out, it would be seen first.
    await live({});
    const messages = await receiveAll(sqs, queue.url, 2, 1_000);

    // Assess
    expect(requestsSeen).toEqual(['/from-a-live-run']);
    expect(messages.map((message) => message.Body)).toEqual(['from a live run']);
    expect(progress.completed).toBe(false);
  });

  it('freezes work a run left going when it answered, as Lambda freezes the environment between invocations', async () => {
    // Prepare
    requestsSeen = [];
    gate = InvocationIoGate.install([sqs]);
    const progress = { attempted: false, completed: false };
    const [answered, attempting] = [latch(), latch()];
    const answersEarly = asLambda('twilioStatus', async () => {
      void (async () => {
        await answered.opened;
        progress.attempted = true;
        attempting.open();
        await fetch(`${serverUrl}/left-behind`);
        progress.completed = true;
      })();
      return 'answered';
    });

    // Act
    const answer = await answersEarly({});
    answered.open();
    await attempting.opened;
    await fetch(`${serverUrl}/from-a-test`);

    // Assess
    expect(answer).toBe('answered');
    expect(requestsSeen).toEqual(['/from-a-test']);
    expect(progress.completed).toBe(false);
  });

  it('crashes the invocation that makes the nth matching request: that request never leaves, and the run goes no further', async () => {
    // Prepare: the second request to /send crashes whichever run makes it.
    requestsSeen = [];
    gate = InvocationIoGate.install([sqs]);
    const crashed = gate.crashOnRequest((url) => url.pathname === '/send', 2);
    const progress = { sends: 0, finished: false };
    const sender = asLambda('sendBulk', async () => {
      await fetch(`${serverUrl}/other`);
      for (let n = 1; n <= 3; n += 1) {
        await fetch(`${serverUrl}/send`);
        progress.sends = n;
      }
      progress.finished = true;
    }, 5_000);

    // Act
    const outcome = await sender({}).catch((error: unknown) => error);
    await crashed;
    await fetch(`${serverUrl}/from-a-test`);

    // Assess
    expect(outcome).toEqual(new FunctionCrashError('sendBulk'));
    expect(requestsSeen).toEqual(['/other', '/send', '/from-a-test']);
    expect(progress).toEqual({ sends: 1, finished: false });
  });

  it('lets callers outside any invocation through, and undoes the freeze when asked', async () => {
    // Prepare
    requestsSeen = [];
    const realFetch = globalThis.fetch;
    const installed = InvocationIoGate.install([sqs]);

    // Act
    await fetch(`${serverUrl}/from-a-test`);
    installed.uninstall();

    // Assess
    expect(requestsSeen).toEqual(['/from-a-test']);
    expect(globalThis.fetch).toBe(realFetch);
    // The SDK refuses a second middleware of the same name: the first one is gone.
    expect(() => InvocationIoGate.install([sqs]).uninstall()).not.toThrow();
  });
});
