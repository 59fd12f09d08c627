import type { DeploymentSettings } from '../functions/catalog-types.js';
import type { SandboxOptions } from './sandbox.js';

/*
 * How a local stack is started. In a module of its own: the stack (stack.ts) and the settings it
 * derives (local-settings.ts) both read it, and neither imports the other's for it.
 */

export interface LocalStackOptions {
  /** 0 picks a free port. */
  port: number;
  /** The address to listen on; default 127.0.0.1, this machine only (`0.0.0.0` or `::` for every interface). */
  host?: string;
  /** The URL providers call; defaults to http://localhost:<port>. */
  publicBaseUrl?: string;
  /**
   * Runs dynalite and the SQS emulator on a thread of their own (emulators-in-thread.ts), off the
   * thread every function runs on, as `npm start` and the bench do. Most tests leave them on the
   * stack's thread, which starts a moment sooner; first-path.test.ts starts its stack as npm start does.
   */
  emulatorsInThread?: boolean;
  /**
   * Runs the sending functions (the urgent and bulk lanes) on a thread of their own
   * (senders-in-thread.ts), as `npm start` and the bench do: their timers pace the provider, and
   * there they wait for nothing else the stack does. Tests leave them on the stack's thread, where
   * `crashOnSandboxSend` can reach them.
   */
  sendersInThread?: boolean;
  /**
   * Puts the sandbox's edge on a thread of its own (sandbox-edge.ts): the senders send to it, and
   * it times each send as it arrives, as a provider does, before the stack's thread serves it. As
   * `npm start` and the bench do, with the senders on their own thread.
   */
  sandboxEdgeInThread?: boolean;
  /** The bench's instruments for the senders' thread: a module it imports first, and what its reports reach. */
  sendersThreadInstruments?: { module: string; onReport: (report: unknown) => void };
  /** Where DynamoDB keeps its files; undefined keeps everything in memory (tests). */
  dataDir?: string;
  /** The operator API key; generated (and kept in dataDir) when not given. */
  bootstrapKey?: string;
  /** The file that keeps the operator key, which `crier keys rotate-bootstrap` rewrites; unset, rotating is refused. */
  operatorKeyFile?: string;
  /**
   * The password every member of staff signs in with at the embedded identity provider; generated
   * per start when not given. At the first start (no staff at all) the three local accounts are made.
   */
  staffPassword?: string;
  twilio: {
    authToken: string;
    accountSid?: string;
    smsFrom?: string;
    whatsappFrom?: string;
    apiBaseUrl?: string;
  };
  /** What Meta's webhooks are checked with: the dashboard's verify token and the app secret. */
  whatsapp?: { verifyToken: string; appSecret: string };
  /** `failureRateB` is the second sandbox's (`sandbox-b`): list it in `settings.smsProviders`, or set `sandboxFailover`, to fail over to it. */
  /** `random`: where the failure share's draws come from (Math.random unless a test wants them predictable). */
  sandbox: { messagesPerSecond?: number; failureRate: number; failureRateB?: number; receiptDelayMs?: number; receipts?: SandboxOptions['receipts']; latencyMs?: number; random?: () => number };
  settings?: Partial<DeploymentSettings>;
  /**
   * Adds the second sandbox, `sandbox-b`, as each channel's failover target behind whatever carries
   * it (the sandbox, or real Twilio when its credentials are set). `settings` lists win over it.
   */
  sandboxFailover?: boolean;
  /** Cap on concurrent invocations per queue function (the catalog's maxConcurrency is for AWS). */
  maxLocalConcurrency?: number;
  /**
   * How long a stream consumer's records gather before a batch, at most (its catalog window caps
   * it). Default a quarter of a second, so receipts show on a broadcast's counters at once; the
   * bench passes Infinity, each consumer's catalog window, so its write counts are AWS's.
   */
  streamBatchingWindowMs?: number;
  /** Runs every scheduled function this often instead of its catalog interval (tests). */
  schedulerIntervalMs?: number;
  /**
   * Tests: shortens the queues' visibility timeouts (and, if asked, the queue functions' timeouts),
   * e.g. `{ visibility: 0.01 }`: a batch whose invocation crashed is received again in seconds.
   * See time-scale.ts. Default 1: AWS's times.
   */
  queueTimeScale?: { visibility?: number; functionTimeouts?: number };
  log?: (line: string) => void;
}
