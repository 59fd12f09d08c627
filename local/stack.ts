import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  APIGatewayRequestAuthorizerEventV2,
  ScheduledEvent,
  SQSBatchResponse,
  SQSEvent,
} from 'aws-lambda';
import { authorizerFunctionId, functionDefinition, functionIds, functionUrlFunctions, providerListEnvironment, sendersEnvironment, sendRatesEnvironment, type FunctionId } from '../functions/catalog.js';
import { concurrencyOf, type DeploymentBindings, type DeploymentSettings, type QueueId } from '../functions/catalog-types.js';
import { awsClients } from '../shared/adapters/aws-clients.js';
import { dynamoStores } from '../shared/adapters/dynamo/stores.js';
import { buildListedProviders } from '../shared/adapters/providers/listed-providers.js';
import { configuredSenderIdentities } from '../shared/adapters/providers/sender-identities.js';
import { providerRegistry } from '../shared/adapters/providers/registry.js';
import { providerEnvSchema, sendersEnvSchema, sendRatesEnvSchema } from '../shared/config/env.js';
import { parseEnvironment } from '../shared/runtime/environment.js';
import { mapValues } from '../shared/runtime/records.js';
import { hashApiKey } from '../shared/usecases/authenticate.js';
import { LocalStackStartError } from '../shared/domain/errors.js';
import { lockDataDir, type DataDirLock } from './data-dir-lock.js';
import { startDynamo, startSqs, type RunningEmulator } from './emulators.js';
import { authorizeAtGateway } from './gateway-authorizer.js';
import { compileRoutes, matchRoute, MAX_BODY_BYTES, normaliseResult, readBody, respond, startingResult, toApiGatewayEvent } from './http-gateway.js';
import { DEFAULT_HOST, listenUrls } from './listen-address.js';
import { InvocationIoGate } from './invocation-io.js';
import { asLambda, loadHandler, type LocalInvoke } from './lambda-runtime.js';
import { ensureQueues, ensureTable, type ProvisionedQueue } from './provision.js';
import { QueuePoller } from './queue-poller.js';
import { TableStreamPoller, type TableStreamEvent } from './table-stream.js';
import { ScheduledRunner } from './scheduled-runner.js';
import { Sandbox } from './sandbox.js';
import { openOutboxFile } from './sandbox-outbox-file.js';
import { settled } from './settled.js';
import { localDeploymentSettings, localFunctionsEnvironment, localProviderEnvironment } from './local-settings.js';
import type { LocalStackOptions } from './local-stack-options.js';
import { LOCAL_OPERATOR_KEY_ID } from '../shared/adapters/secrets/bootstrap-key-vaults.js';
import { localTimeoutMs, queueTimeScaleSchema } from './time-scale.js';
import { localObservabilityEnvironment } from './observability.js';
import { buildConsoleAssets } from '../console/build-assets.js';
import { systemClock, ulidGenerator } from '../shared/adapters/ids.js';
import { localIdentityProvider } from './identity-provider.js';
import { generatedStaffPassword, seedLocalStaff } from './local-staff.js';

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

export class PortInUseError extends LocalStackStartError {
  constructor(port: number) {
    super(`port ${port} is already in use — is crier already running? Stop it, or start this one with PORT=<another port>.`);
    this.name = 'PortInUseError';
  }
}

const TABLE_NAME = 'crier-local';
/** Where the embedded OpenID provider answers, and the console's client id there. */
export const LOCAL_ISSUER_PATH = '/oidc';
export const LOCAL_CONSOLE_CLIENT_ID = 'crier-console';
const LOCAL_AWS_SMS_TOPIC_ARN = 'arn:aws:sns:eu-west-2:000000000000:crier-local-aws-sms';
const LOCAL_ACCOUNT_SID = `AC${'0'.repeat(32)}`;
/** Where the sandbox providers send (local/sandbox.ts): `sandbox` and `sandbox-b`. */
const SANDBOX_SEND_PATH = /^\/sandbox(\/b)?\/api\/messages$/;
/** Scheduled functions first run this soon after start, not a whole interval later. */
const FIRST_SCHEDULED_RUN_MS = 1_000;
/** A stream consumer's batching window locally: receipts show on a broadcast's counters within a moment. */
const LOCAL_STREAM_BATCHING_WINDOW_MS = 250;
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
  const server = createServer();
  // The port is bound first (below), long before the handlers are loaded: until they are, every
  // request is told to come back shortly. A request with no listener would hang for ever.
  let ready: RequestListener | undefined;
  server.on('request', (request, response) => (ready ? ready(request, response) : respond(response, startingResult())));
  const emulators: RunningEmulator[] = [];
  const pollers = new Map<QueueId, QueuePoller>();
  const runners: ScheduledRunner[] = [];
  const streamPollers: TableStreamPoller[] = [];
  let sandbox: Sandbox | undefined;
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
    // Every listed provider's settings, and the identities the senders will send from, before
    // anything else starts: a provider that failover would move traffic onto, or a sender ID
    // nobody can text STOP back to, must not first be found wanting at a send.
    const providerSettings = parseEnvironment(providerEnvSchema, { ...process.env, ...providerListEnvironment(settings), ...localProviderEnvironment(options, baseUrl) });
    buildListedProviders(providerSettings, providerRegistry);
    const identitySettings = parseEnvironment(sendersEnvSchema.extend(sendRatesEnvSchema.shape), {
      ...process.env,
      ...sendRatesEnvironment(settings),
      ...sendersEnvironment(settings),
    });
    configuredSenderIdentities({ ...providerSettings, ...identitySettings });

    // The console's stylesheet and scripts (compiled from Sass; skipped when already current).
    buildConsoleAssets();
    const dynamo = await startDynamo(options.dataDir ? join(options.dataDir, 'dynamodb') : undefined);
    emulators.push(dynamo);
    const sqsEmulator = await startSqs();
    emulators.push(sqsEmulator);
    pointAwsSdkAt(dynamo.endpoint, sqsEmulator.endpoint);

    const { dynamo: dynamoClient, documents, sqs, secrets } = awsClients();
    // On fetch and the clients the handlers share: a run that has ended can no longer reach a provider, the table or the queues.
    gate = InvocationIoGate.install([dynamoClient, sqs, secrets]);
    await ensureTable(dynamoClient, TABLE_NAME);
    const queues = await ensureQueues(sqs, 'crier-local', timeScale);

    const consoleClientSecret = randomBytes(24).toString('base64url');
    const bindings: DeploymentBindings = {
      tableName: TABLE_NAME,
      queueUrls: mapValues(queues, (queue) => queue.url),
      deadLetterQueueUrls: mapValues(queues, (queue) => queue.deadLetterUrl),
      publicBaseUrl,
      // The local gateway serves a function URL's routes itself, at the same paths: one address for every caller.
      functionUrls: Object.fromEntries(functionUrlFunctions().map((functionId) => [functionId, publicBaseUrl])),
      secretArns: {},
      ...(options.operatorKeyFile ? { operatorKeyFile: options.operatorKeyFile } : {}),
      awsSmsTopicArn: LOCAL_AWS_SMS_TOPIC_ARN,
      // The embedded OpenID provider (local/identity-provider.ts) on this same server; the
      // console's client secret is made afresh at each start, as the provider's keys are.
      signIn: { issuer: `${publicBaseUrl}${LOCAL_ISSUER_PATH}`, clientId: LOCAL_CONSOLE_CLIENT_ID, clientSecret: consoleClientSecret },
      settings,
    };
    Object.assign(process.env, localFunctionsEnvironment(bindings, options, baseUrl));
    Object.assign(process.env, localObservabilityEnvironment(process.env));

    const operatorKey = options.bootstrapKey ?? generatedOperatorKey();
    const stores = dynamoStores(documents, TABLE_NAME, settings.topicShards);
    // Stored hashed like every other key, under the id `operator`, so it is listed and revocable.
    await stores.apiKeys.create(hashApiKey(operatorKey), {
      keyId: LOCAL_OPERATOR_KEY_ID,
      name: 'local operator key',
      role: 'operator',
      department: '*',
      mode: 'live',
      createdAt: new Date().toISOString(),
      revoked: false,
    });
    const staffSeeded = await seedLocalStaff({ stores, clock: systemClock, ids: ulidGenerator() });
    const staffPassword = options.staffPassword ?? generatedStaffPassword();
    const identityProvider = localIdentityProvider({
      mountPath: LOCAL_ISSUER_PATH,
      issuer: bindings.signIn.issuer,
      client: { clientId: LOCAL_CONSOLE_CLIENT_ID, clientSecret: consoleClientSecret, redirectUri: `${publicBaseUrl}/console/auth/callback` },
      staff: stores.staff,
      password: staffPassword,
      serviceName: settings.serviceName,
    });

    const outboxFile = options.dataDir ? openOutboxFile(options.dataDir, new Date()) : undefined;
    if (outboxFile && outboxFile.dropped.unreadable > 0) log(`sandbox outbox: ${outboxFile.dropped.unreadable} unreadable line(s) skipped`);
    sandbox = new Sandbox({
      ...(outboxFile ? { outboxStore: outboxFile.store } : {}),
      messagesPerSecond: options.sandbox.messagesPerSecond,
      failureRate: options.sandbox.failureRate,
      failureRateB: options.sandbox.failureRateB,
      receiptDelayMs: options.sandbox.receiptDelayMs,
      ...(options.sandbox.receipts ? { receipts: options.sandbox.receipts } : {}),
      latencyMs: options.sandbox.latencyMs,
      random: options.sandbox.random,
      localBaseUrl: () => baseUrl,
      authToken: options.twilio.authToken,
      accountSid: options.twilio.accountSid ?? LOCAL_ACCOUNT_SID,
      smsFrom: options.twilio.smsFrom ?? 'CRIER',
      whatsappFrom: options.twilio.whatsappFrom ?? 'whatsapp:+447700900000',
    });

    // Every function is invoked as Lambda would, under its timeout.
    const load = async <Event, Result>(id: FunctionId): Promise<LocalInvoke<Event, Result>> =>
      asLambda(id, await loadHandler<Event, Result>(id), localTimeoutMs(id, timeScale));
    const httpHandlers = new Map<FunctionId, LocalInvoke<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>>();
    const authorizer = await load<APIGatewayRequestAuthorizerEventV2, unknown>(authorizerFunctionId());
    for (const id of functionIds) {
      const { trigger } = functionDefinition(id);
      switch (trigger.kind) {
        case 'http':
          httpHandlers.set(id, await load(id));
          break;
        case 'queue': {
          const handler = await load<SQSEvent, SQSBatchResponse | void>(id);
          const concurrency = Math.min(concurrencyOf(trigger, settings), options.maxLocalConcurrency ?? 4);
          const poller = new QueuePoller(sqs, id, queues[trigger.queue], trigger, handler, (error) => log(`${id}: ${(error as Error).message}`), concurrency);
          pollers.set(trigger.queue, poller);
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
          streamPollers.push(poller);
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
          runners.push(runner);
          runner.start();
          break;
        }
      }
    }

    const routes = compileRoutes();
    const activeSandbox = sandbox;
    const activeGate = gate;
    const baseOrigin = new URL(baseUrl).origin;
    ready = (request, response) => {
      void serve(request, response).catch((error: unknown) => {
        log(`request failed: ${(error as Error).stack ?? String(error)}`);
        if (!response.headersSent) respond(response, { statusCode: 500, body: JSON.stringify({ error: 'internal error', details: [] }) });
      });
    };

    async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
      const url = new URL(request.url ?? '/', baseUrl);
      // The identity provider reads its own bodies (oidc-provider parses its endpoints' forms).
      if (identityProvider.handles(url)) {
        await identityProvider.handle(request, response, url);
        return;
      }
      const body = await readBody(request);
      if (body === undefined) {
        respond(response, { statusCode: 413, body: JSON.stringify({ error: `request body is larger than ${MAX_BODY_BYTES} bytes`, details: [] }) });
        return;
      }
      if (await activeSandbox.handle(request, response, url, body)) return;
      const matched = matchRoute(routes, request.method ?? 'GET', url.pathname);
      if (!matched) {
        respond(response, { statusCode: 404, body: JSON.stringify({ error: `no route for ${request.method} ${url.pathname}`, details: [] }) });
        return;
      }
      const handler = httpHandlers.get(matched.route.functionId);
      if (!handler) throw new Error(`no handler loaded for ${matched.route.functionId}`);
      let event = toApiGatewayEvent(request, url, body, matched);
      if (matched.route.authorizer === 'apiKey') {
        const authorization = await authorizeAtGateway(authorizer, event, log);
        if (!authorization.authorized) {
          respond(response, authorization.response);
          return;
        }
        event = authorization.event;
      }
      const result = await handler(event);
      respond(response, normaliseResult(result));
    }

    const stack: LocalStack = {
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
      settled: (timeoutMs = 30_000) => settled(sqs, queues, [...pollers.values(), ...runners, ...streamPollers], timeoutMs),
      pauseConsumer: (queue) => consumerPoller(queue).stop(),
      resumeConsumer: (queue) => consumerPoller(queue).start(),
      loseDeletes: (queue, batches) => consumerPoller(queue).loseNextDeletes(batches),
      consumerStats: (queue) => ({ ...consumerPoller(queue).stats }),
      crashOnSandboxSend: (nth) => activeGate.crashOnRequest((url) => url.origin === baseOrigin && SANDBOX_SEND_PATH.test(url.pathname), nth),
      stop: async () => {
        await Promise.all([...runners, ...pollers.values(), ...streamPollers].map((worker) => worker.stop()));
        activeGate.uninstall();
        activeSandbox.close();
        await closeServer(server);
        for (const emulator of emulators.reverse()) await emulator.close();
        dataDirLock?.release();
        started = false;
      },
    };
    function consumerPoller(queue: QueueId): QueuePoller {
      const poller = pollers.get(queue);
      if (!poller) throw new Error(`no local consumer polls the ${queue} queue`);
      return poller;
    }
    return stack;
  } catch (error) {
    await Promise.all([...runners, ...pollers.values(), ...streamPollers].map((worker) => worker.stop()));
    gate?.uninstall();
    sandbox?.close();
    if (server.listening) await closeServer(server);
    for (const emulator of emulators.reverse()) await emulator.close().catch(() => undefined);
    dataDirLock?.release();
    started = false;
    throw error;
  }
}

function pointAwsSdkAt(dynamoEndpoint: string, sqsEndpoint: string): void {
  Object.assign(process.env, {
    AWS_REGION: 'eu-west-2',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: dynamoEndpoint,
    AWS_ENDPOINT_URL_SQS: sqsEndpoint,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  });
}

function generatedOperatorKey(): string {
  return `crier_op_${randomBytes(24).toString('base64url')}`;
}

async function listen(server: Server, port: number, host: string): Promise<{ address: string; port: number }> {
  server.listen(port, host);
  try {
    await once(server, 'listening');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new PortInUseError(port);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
      throw new LocalStackStartError(`HOST ${host} is not an address of this machine. Leave HOST unset to listen on 127.0.0.1, or set it to 0.0.0.0 for every interface.`, { cause: error });
    }
    throw error;
  }
  const { address, port: bound } = server.address() as AddressInfo;
  return { address, port: bound };
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
