import { Command, InvalidArgumentError, Option } from 'commander';
import { BROADCAST_TOPICS } from './population.js';
import type { SeedMode } from './seed-report.js';

export interface Options {
  subscribers: number;
  mps: number;
  topics: number;
  shards: number;
  quick?: boolean;
  jsonOut: string;
  seedMode: SeedMode;
  concurrency: number;
  receiptDelayMs: number;
  receipts: 'delivered' | 'sent-and-delivered';
  latencyMs: number;
  timeoutMin: number;
  urgent: boolean;
  memoryCheck?: boolean;
  requestCapacity: boolean;
  fanOutOnly?: boolean;
  memoryCheckSizes: number[];
  /** One broadcast per cell of rates × latencies, each on a fresh local stack (see sweep.ts). */
  sweep?: boolean;
  sweepRates: number[];
  sweepLatencies: number[];
}

/** The provider rates (msg/s) and answer times (ms) a sweep covers by default: those of the delivery goal. */
export const SWEEP_RATES = [5, 10, 20, 40, 100];
export const SWEEP_LATENCIES = [0, 300];

function integer(minimum: number) {
  return (value: string) => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < minimum) throw new InvalidArgumentError(`must be a whole number ≥ ${minimum}`);
    return parsed;
  };
}

function list(element: (value: string) => number) {
  return (value: string) => value.split(',').map((part) => element(part.trim()));
}

export function parseOptions(argv: string[]): Options {
  const program = new Command('npm run bench --')
    .description('crier delivery benchmark: a broadcast through the local stack, measured against the delivery goals')
    .option('--subscribers <n>', 'residents to seed', integer(10), 50_000)
    .option('--quick', 'a short run: 2,000 residents')
    .option('--mps <n>', "the provider's rate limit in messages per second (0: unlimited)", integer(0), 100)
    .option('--topics <n>', 'topics the broadcast goes to (1–3, overlapping audiences)', integer(1), 3)
    .option('--shards <n>', 'topic index shards (settings.topicShards)', integer(1), 8)
    .option('--json-out <path>', 'where to write the results', 'bench/results.json')
    .addOption(new Option('--seed-mode <mode>', 'batch: same items as the store, checked against it, 25 a request; store: through DynamoSubscriberStore').choices(['batch', 'store']).default('batch'))
    .option('--concurrency <n>', 'maxLocalConcurrency: invocations at once per queue function', integer(1), 10)
    .option('--receipt-delay-ms <n>', 'the sandbox posts a delivered receipt this long after each send', integer(0), 200)
    .addOption(
      new Option('--receipts <which>', 'sent-and-delivered: a "sent" receipt half-way and then "delivered", as Twilio calls back for every SMS; delivered: that one alone')
        .choices(['sent-and-delivered', 'delivered'])
        .default('sent-and-delivered'),
    )
    .option('--latency-ms <n>', "the provider API's answer time for each accepted send", integer(0), 0)
    .option('--timeout-min <n>', 'give up waiting for a broadcast after this many minutes', integer(1), 15)
    .option('--no-urgent', 'skip the second run (an urgent broadcast during a bulk backlog)')
    .option('--memory-check', 'also compare fan-out peak memory at 10,000 and 100,000 residents (child processes; slow)')
    .option('--no-request-capacity', 'do not ask DynamoDB for consumed capacity; estimate units from item sizes')
    .option('--sweep', 'one normal broadcast per cell of --sweep-rates × --sweep-latencies, each on a fresh local stack, residents sized per cell; prints one table')
    .option('--sweep-rates <list>', 'provider rates (msg/s) for --sweep, comma-separated', list(integer(1)), SWEEP_RATES)
    .option('--sweep-latencies <list>', 'provider answer times (ms) for --sweep, comma-separated', list(integer(0)), SWEEP_LATENCIES)
    .addOption(new Option('--fan-out-only', 'seed, fan out one broadcast, report memory (used by --memory-check)').hideHelp())
    .addOption(
      new Option('--memory-check-sizes <list>', 'residents for --memory-check, comma-separated')
        .argParser(list(integer(10)))
        .default([10_000, 100_000]),
    )
    .parse(argv);
  const options = program.opts<Options>();
  if (options.topics > BROADCAST_TOPICS.length) program.error(`--topics must be between 1 and ${BROADCAST_TOPICS.length}`);
  if (options.quick) options.subscribers = 2_000;
  return options;
}
