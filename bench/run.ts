import { resolve } from 'node:path';
import { runBroadcastCell } from './cell.js';
import { memoryCheck } from './memory.js';
import { parseOptions, type Options } from './options.js';
import { log, writeJson } from './progress.js';
import { render } from './render.js';
import { runSweep } from './sweep.js';

/**
 * The delivery benchmark: seeds residents, sends a broadcast through the whole local stack
 * (fan-out → send queue → sender → sandbox provider → delivery receipts) and measures what the
 * engine does today against the delivery goals; with --sweep, one such broadcast per cell of
 * provider rates × latencies. A measurement, not a test: it exits 0 whether the goals are met or
 * not, and 1 only when it could not measure.
 */
async function main(options: Options): Promise<number> {
  if (options.sweep) return runSweep(options);
  const jsonOut = resolve(options.jsonOut);
  const save = (results: Record<string, unknown>) => writeJson(jsonOut, results);
  const cell = await runBroadcastCell(options, save);
  if (!cell.main || !cell.seed) return 0; // --fan-out-only: the results file is the answer
  // Fan-out memory at two sizes, each in a process of its own.
  if (options.memoryCheck) {
    cell.results.memoryCheck = await memoryCheck(options);
    save(cell.results);
  }
  console.log(render(cell.results, cell.main, cell.urgent, cell.seed, options, cell.mps, cell.topics, cell.stackErrors, cell.notes));
  log(`results written to ${jsonOut}`);
  return 0;
}

main(parseOptions(process.argv)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`bench: crashed: ${(error as Error).stack ?? String(error)}`);
    process.exit(1);
  },
);
