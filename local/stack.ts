import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { QueueId } from '../functions/catalog-types.js';
import { awsClients } from '../shared/adapters/aws-clients.js';
import { buildConsoleAssets } from '../console/build-assets.js';
import { lockDataDir, type DataDirLock } from './data-dir-lock.js';
import type { RunningEmulator } from './emulators.js';
import { startEmulators, type EventLoopTime } from './emulators-in-thread.js';
import { DEFAULT_HOST, listenUrls } from './listen-address.js';
import { InvocationIoGate } from './invocation-io.js';
import { ensureQueues, ensureTable, type ProvisionedQueue } from './provision.js';
import type { Sandbox } from './sandbox.js';
import { settled } from './settled.js';
import { localDeploymentSettings } from './local-settings.js';
import type { LocalStackOptions } from './local-stack-options.js';
import { queueTimeScaleSchema } from './time-scale.js';
import { loadFunctions, StackWorkers } from './stack-functions.js';
import { gatewayListener } from './stack-http.js';
import { startSandboxEdge, type SandboxEdge } from './sandbox-edge.js';
import { sandboxSend, startSandbox } from './stack-sandbox.js';
import { closeServer, listen, startingServer } from './stack-server.js';
import { checkProvidersAndSenders, exportFunctionsEnvironment, LOCAL_AWS_SMS_TOPIC_ARN, localBindings, pointAwsSdkAt, TABLE_NAME } from './stack-settings.js';
import { prepareSignIn } from './stack-sign-in.js';

export { PortInUseError } from './stack-server.js';
export { LOCAL_CONSOLE_CLIENT_ID, LOCAL_ISSUER_PATH } from './stack-settings.js';

export interface LocalStack {
  baseUrl: string;
  /** Where the server listens, as the operating system bound it. */
  listening: { address: string; port: number };
  publicBaseUrl: string;
  operatorKey: string;
  /** What staff sign in with at the embedded identity provider (`/oidc`). */
  staffPassword: string;
  /** Whether this start created the three local staff accounts (there were no staff). */
  staffSeeded: boolean;
  sandbox: Sandbox;
  queues: Record<QueueId, ProvisionedQueue>;
  tableName: string;
  /**
   * The topic the AWS SMS notifications function accepts. There is no SNS locally: a test plays
   * the topic by putting SNS notifications of this ARN on `queues.awsSmsNotifications`.
   */
  awsSmsTopicArn: string;
  /** Resolves once no queue function is working and the queues look empty. */
  settled(timeoutMs?: number): Promise<void>;
  /** The emulators' own thread's event loop so far (busy and idle ms); undefined when they run on the stack's thread (emulatorsInThread). */
  emulatorsEventLoop(): EventLoopTime | undefined;
  /** The senders' own thread's event loop so far; undefined when they run on the stack's thread (sendersInThread). */
  sendersEventLoop(): EventLoopTime | undefined;
  /** The sandbox's edge's thread's event loop so far; undefined without one (sandboxEdgeInThread). */
  sandboxEdgeEventLoop(): EventLoopTime | undefined;
  /**
   * Disables a queue's event source, as disabling a Lambda event source mapping does: nothing more
   * is received from it, and this resolves once the invocations under way have ended. Tests use it
   * to hold jobs on a queue (to tamper with them, or to act before they are sent).
   */
  pauseConsumer(queue: QueueId): Promise<void>;
  resumeConsumer(queue: QueueId): void;
  /**
   * The invocation that makes the `nth` send to either sandbox from now (1: the next) dies as it
   * makes it, as a sender whose process is killed mid-batch: the send never leaves, the invocation
   * ends in error (its records come back after their visibility timeout), and what it left going
   * is frozen. Its claim on that resident stays as it was. Resolves once it has crashed.
   */
  crashOnSandboxSend(nth: number): Promise<void>;
  /** The next `batches` batches the queue's consumer finishes are received again later (QueuePoller.loseNextDeletes). */
  loseDeletes(queue: QueueId, batches: number): void;
  /** What a queue's consumer has been handed so far: records, and how many of them were redeliveries. */
  consumerStats(queue: QueueId): { records: number; redelivered: number };
  stop(): Promise<void>;
}

let started = false;

/**
 * The whole gateway on one machine, with the same handler code as AWS: dynalite for DynamoDB,
 * local-aws-sqs for SQS, an HTTP server that turns requests into API Gateway v2 events, pollers
 * that feed the queues to their functions, timers that run the scheduled ones, and the sandbox
 * provider. Built from the function
 * catalog, like the CDK stack. One per process: the AWS SDK is pointed at it through the
 * environment.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  if (started) throw new Error('a local stack is already running in this process');
  started = true;
  const log = options.log ?? (() => undefined);
  let gate: InvocationIoGate | undefined;
  const { server, open } = startingServer();
  const emulators: RunningEmulator[] = [];
  const workers = new StackWorkers();
  let sandbox: Sandbox | undefined;
  let edge: SandboxEdge | undefined;
  let dataDirLock: DataDirLock | undefined;
  try {
    const timeScale = queueTimeScaleSchema.parse(options.queueTimeScale);
    // The port first, so a second start fails at once with a clear message and touches nothing.
    const listening = await listen(server, options.port, options.host ?? DEFAULT_HOST);
    const { baseUrl, defaultPublicBaseUrl } = listenUrls(listening.address, listening.port);
    const publicBaseUrl = (options.publicBaseUrl ?? defaultPublicBaseUrl).replace(/\/$/, '');
    // Then DATA_DIR, before anything opens a file in it: a second stack on the same data is refused as one on the same port is.
    if (options.dataDir) dataDirLock = lockDataDir(options.dataDir, listening.port);
    log(`listening on ${baseUrl}; starting (requests are answered 503 until ready)…`);

    const settings = localDeploymentSettings(options);
    checkProvidersAndSenders(settings, options, baseUrl);

    // The console's stylesheet and scripts (compiled from Sass; skipped when already current).
    buildConsoleAssets();
    const { dynamo, sqs: sqsEmulator, flushed, eventLoop } = await startEmulators(options.dataDir ? join(options.dataDir, 'dynamodb') : undefined, options.emulatorsInThread ?? false);
    emulators.push(dynamo, sqsEmulator);
    pointAwsSdkAt(dynamo.endpoint, sqsEmulator.endpoint);

    const { dynamo: dynamoClient, documents, sqs, secrets } = awsClients();
    // On fetch and the clients the handlers share: a run that has ended can no longer reach a provider, the table or the queues.
    gate = InvocationIoGate.install([dynamoClient, sqs, secrets]);
    await ensureTable(dynamoClient, TABLE_NAME);
    const queues = await ensureQueues(sqs, 'crier-local', timeScale);

    const consoleClientSecret = randomBytes(24).toString('base64url');
    const bindings = localBindings(queues, publicBaseUrl, options, settings, consoleClientSecret);
    // The sandbox's edge first, if it has one: the senders send to it, and the sandbox checks its token.
    if (options.sandboxEdgeInThread) edge = await startSandboxEdge(baseUrl);
    exportFunctionsEnvironment(bindings, options, baseUrl, edge?.url);

    const { operatorKey, staffPassword, staffSeeded, identityProvider } = await prepareSignIn(documents, bindings, consoleClientSecret, options, settings);
    sandbox = startSandbox(options, baseUrl, log, edge?.token);
    const functions = await loadFunctions({ sqs, queues, settings, options, timeScale, log }, workers);
    open(gatewayListener({ ...functions, baseUrl, identityProvider, sandbox, log }));

    const activeSandbox = sandbox;
    const activeGate = gate;
    const isSandboxSend = sandboxSend(baseUrl);
    return {
      baseUrl,
      listening,
      publicBaseUrl,
      operatorKey,
      staffPassword,
      staffSeeded,
      sandbox,
      queues,
      tableName: TABLE_NAME,
      awsSmsTopicArn: LOCAL_AWS_SMS_TOPIC_ARN,
      emulatorsEventLoop: () => eventLoop?.(),
      sandboxEdgeEventLoop: () => edge?.eventLoop(),
      sendersEventLoop: () => workers.sendersThread?.eventLoop(),
      settled: (timeoutMs = 30_000) => settled(sqs, queues, workers.all(), timeoutMs, flushed),
      pauseConsumer: (queue) => workers.consumer(queue).stop(),
      resumeConsumer: (queue) => workers.consumer(queue).start(),
      loseDeletes: (queue, batches) => workers.consumer(queue).loseNextDeletes(batches),
      consumerStats: (queue) => ({ ...workers.consumer(queue).stats }),
      crashOnSandboxSend: (nth) => {
        // The gate that crashes an invocation is this thread's; the senders' thread has its own.
        if (workers.sendersThread) throw new Error('crashOnSandboxSend needs the senders on the stack\'s thread (sendersInThread off)');
        return activeGate.crashOnRequest(isSandboxSend, nth);
      },
      stop: async () => {
        await workers.stop();
        activeGate.uninstall();
        activeSandbox.close();
        await edge?.close();
        await closeServer(server);
        for (const emulator of emulators.reverse()) await emulator.close();
        dataDirLock?.release();
        started = false;
      },
    };
  } catch (error) {
    await workers.stop();
    gate?.uninstall();
    sandbox?.close();
    await edge?.close().catch(() => undefined);
    if (server.listening) await closeServer(server);
    for (const emulator of emulators.reverse()) await emulator.close().catch(() => undefined);
    dataDirLock?.release();
    started = false;
    throw error;
  }
}
