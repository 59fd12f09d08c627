import { cpus } from 'node:os';
import { seedAudience } from './audience.js';
import { startBench } from './instrumented-stack.js';
import { measureBroadcast, type MainRun } from './measure-broadcast.js';
import { MemorySampler } from './memory.js';
import { notesFor } from './notes.js';
import type { Options } from './options.js';
import { BROADCAST_TOPICS } from './population.js';
import { log, sleep } from './progress.js';
import type { SeedResult } from './seed-report.js';
import { fanOutMemory, sendBroadcast } from './send-broadcast.js';
import { urgentUnderBulk } from './urgent.js';

/**
 * One cell of the benchmark: a local stack of its own, residents seeded, one normal broadcast
 * followed to its end and measured (and, if asked, an urgent broadcast under a bulk backlog).
 * The single run is one cell; a sweep runs one per child process (see sweep.ts), because the
 * local stack and the AWS clients its functions share are one per process. Each step has a module
 * of its own: instrumented-stack.ts, audience.ts, send-broadcast.ts, measure-broadcast.ts.
 */

export interface CellResult {
  /** Everything the JSON output holds for this cell. */
  results: Record<string, unknown>;
  /** Undefined when only the fan-out was measured (--fan-out-only). */
  main?: MainRun;
  urgent?: Record<string, unknown>;
  seed?: SeedResult;
  topics: string[];
  mps: number | undefined;
  stackErrors: number;
  notes: string[];
}

export async function runBroadcastCell(options: Options, save: (results: Record<string, unknown>) => void = () => undefined): Promise<CellResult> {
  const mps = options.mps > 0 ? options.mps : undefined;
  const topics = BROADCAST_TOPICS.slice(0, options.topics).map((topic) => topic.id);
  const results: Record<string, unknown> = { startedAt: new Date().toISOString(), config: configOf(options, mps, topics), environment: environment() };
  const bench = await startBench(options, mps);
  const memory = new MemorySampler();
  const done = (extra: Partial<CellResult>): CellResult => ({ results, topics, mps, stackErrors: bench.stackErrors.length, notes: [], ...extra });
  try {
    const audience = await seedAudience(bench, options, topics, results);
    const { seed } = audience;
    save(results);
    const sent = await sendBroadcast(bench, memory, options, topics);
    if (options.fanOutOnly) {
      results.fanOutMemory = fanOutMemory(options, sent, memory);
      save(results);
      return done({ seed });
    }
    const mainRun = await measureBroadcast(bench, memory, options, mps, sent, audience);
    const notes = notesFor(mainRun, mps);
    results.main = mainRun;
    results.notes = notes;
    save(results);
    log(`broadcast ${mainRun.outcome}: ${mainRun.recipients.outboxMessages} sent`);

    let urgent: Record<string, unknown> | undefined;
    if (options.urgent) {
      urgent = await urgentUnderBulk(bench.stack, bench.observer, bench.api, bench.recorder, topics, mps, options);
      results.urgent = urgent;
      save(results);
    }
    results.stackErrors = { count: bench.stackErrors.length, first: [...new Set(bench.stackErrors.map((line) => line.replace(/\d+/g, '#')))].slice(0, 5) };
    const aborted = bench.stackErrors.filter((line) => /AbortError|aborted/i.test(line)).length;
    if (aborted > 0) {
      notes.push(
        `${aborted} invocations were aborted by middy at the function's timeout (the local runtime passes Lambda's deadline: sender 60 s, fan-out 120 s), ` +
          'because locally they ran that long; their records stay on the queue and come back after the visibility timeout (6× the function timeout), stretching the tail.',
      );
    }
    results.finishedAt = new Date().toISOString();
    save(results);
    return done({ main: mainRun, urgent, seed, notes });
  } catch (error) {
    results.error = (error as Error).stack ?? String(error);
    save(results);
    throw error;
  } finally {
    memory.stop();
    bench.observer.close();
    await Promise.race([bench.stack.stop(), sleep(30_000)]);
  }
}

function configOf(options: Options, mps: number | undefined, topics: string[]) {
  return {
    subscribers: options.subscribers,
    providerMessagesPerSecond: mps ?? 'unlimited',
    broadcastTopics: topics,
    topicShards: options.shards,
    seedMode: options.seedMode,
    maxLocalConcurrency: options.concurrency,
    receiptDelayMs: options.receiptDelayMs,
    receipts: options.receipts,
    providerLatencyMs: options.latencyMs,
    timeoutMinutes: options.timeoutMin,
    urgentRun: options.urgent,
    capacity: options.requestCapacity ? 'ReturnConsumedCapacity=TOTAL added by the bench' : 'estimated from item sizes',
  };
}

export function environment() {
  return { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', platform: process.platform };
}
