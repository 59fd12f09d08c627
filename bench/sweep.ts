import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { environment } from './cell.js';
import type { MainRun } from './measure-broadcast.js';
import type { Options } from './options.js';
import { log, writeJson } from './progress.js';
import { costLines } from './render.js';
import { fixed, percent, table } from './text-format.js';
import type { RateVerdict } from './verdict.js';
import { BUSIEST_SENDER_SHARE, CELL_SENDING_SECONDS, MAX_CELL_RESIDENTS, MIN_CELL_RESIDENTS, sweepCells, type SweepCell } from './sweep-cells.js';

/**
 * `npm run bench -- --sweep`: one normal broadcast per cell of provider rates × provider answer
 * times, each on a fresh local stack in a child process of its own (the local stack, and the AWS
 * clients every function in it shares, are one per process; a fresh process also gives each cell
 * a fresh table, queues, heap and event loop), then one table of what each cell achieved.
 */

/** The cell whose cost figures the sweep prints: the one the cost goals were measured at. */
const COST_CELL = { rate: 20, latencyMs: 0 };
/** A cell's child process is stopped this long after its broadcast's own time-out (seeding, start, receipts). */
const CHILD_GRACE_MS = 5 * 60_000;

/** What a cell's child process left: its results file (main run, notes), or why there is none. */
export interface CellOutcome extends SweepCell {
  exitCode: number | null;
  seconds: number;
  main?: MainRun;
  notes?: string[];
  error?: string;
}

export async function runSweep(options: Options): Promise<number> {
  const cells = sweepCells(options.sweepRates, options.sweepLatencies);
  const jsonOut = resolve(options.jsonOut);
  const outcomes: CellOutcome[] = [];
  const results: Record<string, unknown> = {
    startedAt: new Date().toISOString(),
    sweep: {
      rates: options.sweepRates,
      latenciesMs: options.sweepLatencies,
      residentsRule: `max(${MIN_CELL_RESIDENTS}, min(${MAX_CELL_RESIDENTS}, rate × ${CELL_SENDING_SECONDS} / ${BUSIEST_SENDER_SHARE}))`,
      perCell: 'a fresh local stack in a child process, batch seeding, one normal broadcast, no urgent run',
      timeoutMinutesPerCell: options.timeoutMin,
    },
    environment: environment(),
    cells: outcomes,
  };
  for (const [index, cell] of cells.entries()) {
    log(`sweep cell ${index + 1}/${cells.length}: ${cell.rate} msg/s, provider answering in ${cell.latencyMs} ms, ${cell.residents} residents`);
    const outcome = await runCellInChild(options, cell);
    outcomes.push(outcome);
    log(`sweep cell ${index + 1}/${cells.length}: ${outcome.main ? `${verdictOf(outcome)} (${percent(outcome.main.timings.achievedShareOfPacedRate ?? NaN)})` : `no result: ${outcome.error}`}`);
    writeJson(jsonOut, results);
  }
  results.finishedAt = new Date().toISOString();
  writeJson(jsonOut, results);
  console.log(renderSweep(outcomes, options));
  log(`results written to ${jsonOut}`);
  return outcomes.some((outcome) => outcome.main) ? 0 : 1;
}

/** The cell's broadcast as a run of its own (`--no-urgent`, batch seeding), in a child process. */
async function runCellInChild(options: Options, cell: SweepCell): Promise<CellOutcome> {
  const out = join(tmpdir(), `crier-bench-cell-${process.pid}-${cell.rate}-${cell.latencyMs}.json`);
  const args = [
    ...process.execArgv,
    process.argv[1] ?? 'bench/run.ts',
    ...['--subscribers', String(cell.residents), '--mps', String(cell.rate), '--latency-ms', String(cell.latencyMs)],
    ...['--no-urgent', '--seed-mode', 'batch', '--topics', String(options.topics), '--shards', String(options.shards)],
    ...['--concurrency', String(options.concurrency), '--receipt-delay-ms', String(options.receiptDelayMs), '--receipts', options.receipts],
    ...['--timeout-min', String(options.timeoutMin), '--json-out', out],
    ...(options.requestCapacity ? [] : ['--no-request-capacity']),
  ];
  const started = Date.now();
  const exitCode = await new Promise<number | null>((resolveExit) => {
    // Its report goes nowhere (the sweep prints its own table); its progress lines go to stderr.
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
    const timer = setTimeout(() => child.kill('SIGTERM'), options.timeoutMin * 60_000 + CHILD_GRACE_MS);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolveExit(code);
    });
  });
  const seconds = (Date.now() - started) / 1000;
  try {
    const child = JSON.parse(readFileSync(out, 'utf8')) as { main?: MainRun; notes?: string[]; error?: string };
    return { ...cell, exitCode, seconds, ...(child.main ? { main: child.main, notes: child.notes } : { error: child.error ?? 'no result' }) };
  } catch {
    return { ...cell, exitCode, seconds, error: 'the child process wrote no results (stopped at its time limit?)' };
  } finally {
    rmSync(out, { force: true });
  }
}

function verdictOf(outcome: CellOutcome): string {
  const verdict: RateVerdict | undefined = outcome.main?.rateVerdict;
  if (!outcome.main || !verdict) return 'no result';
  return outcome.main.outcome === 'completed' ? verdict : `${verdict} (${outcome.main.outcome})`;
}

/** One row a cell: what its busiest sender achieved, what went wrong, how busy the machine was, the verdict. */
export function sweepRows(outcomes: CellOutcome[]): string[][] {
  return outcomes.map((outcome) => {
    const main = outcome.main;
    if (!main) return [String(outcome.rate), String(outcome.latencyMs), String(outcome.residents), '', '', '', '', '', '', '', '', '', '', '', '', '', `no result: ${outcome.error}`];
    const machine = main.localMachine;
    const accepted = main.provider.accepted;
    const queued = main.lostBreakdown.stillQueuedAtTimeout;
    return [
      String(outcome.rate),
      String(outcome.latencyMs),
      main.residents.toLocaleString('en-GB'),
      main.apiCounts.targeted.toLocaleString('en-GB'),
      main.timings.achievedSendRate === undefined ? 'n/a' : fixed(main.timings.achievedSendRate, 1),
      percent(main.timings.achievedShareOfPacedRate ?? NaN),
      accepted > 0 ? percent(main.provider.throttled / accepted, 2) : 'n/a',
      `${main.provider.rateRefusals.leftOverASecondApart} of ${main.provider.rateRefusals.refusals}`,
      String(main.recipients.extraMessages),
      `${main.recipients.neverSentNorSkipped - queued}${queued ? ` (+${queued} queued)` : ''}`,
      fixed(machine.eventLoopUtilisation ?? NaN, 2),
      machine.sendersEventLoopUtilisation === undefined ? 'n/a' : fixed(machine.sendersEventLoopUtilisation, 2),
      machine.emulatorsEventLoopUtilisation === undefined ? 'n/a' : fixed(machine.emulatorsEventLoopUtilisation, 2),
      machine.lateTimerShare === undefined ? 'n/a' : percent(machine.lateTimerShare),
      fixed(machine.cpuCoresBusy ?? NaN, 2),
      machine.hostStealShare === undefined ? 'n/a' : percent(machine.hostStealShare, 0),
      verdictOf(outcome),
    ];
  });
}

export function renderSweep(outcomes: CellOutcome[], options: Options): string {
  const lines = [
    '',
    `crier delivery sweep — ${outcomes.length} cells, each a fresh local stack: residents = max(${MIN_CELL_RESIDENTS}, min(${MAX_CELL_RESIDENTS}, rate × ${CELL_SENDING_SECONDS} / ${BUSIEST_SENDER_SHARE})), ` +
      `broadcast to ${options.topics} topics, no urgent run, receipts (${options.receipts}) after ${options.receiptDelayMs} ms, local concurrency ${options.concurrency}`,
    '',
    table(
      ['msg/s', 'latency ms', 'residents', 'recipients', 'achieved/s', 'share', '429s', '429s left apart', 'duplicates', 'lost', 'event loop', 'senders', 'emulators', 'late timers', 'cores', 'steal', 'verdict'],
      sweepRows(outcomes),
    ),
    '',
    'achieved/s: the busiest sender, first to last send; share: of the provider rate less the 2% headroom (met: ≥ 95%); 429s: share of accepted sends; 429s left apart: those whose send left the sender over a second after the send that opened the provider’s one-second window it fell in (the journey there bunched them, not the pacing; bench/rate-refusals.ts); ' +
      'event loop: utilisation of the stack’s JavaScript thread (the gateway, delivery receipts, fan-out, the table stream, the sandbox), over the sending window; senders: the same for the thread the sending functions run on; emulators: the same for the thread dynalite and the SQS emulator run on; ' +
        'late timers: share of that window in which a timer on the senders’ thread ran later than a send may leave after its slot (slots the machine, not the engine, cost); ' +
        'cores: CPU cores busy; machine-bound: under 95% with any event loop ≥ 0.9, the loops together (the sandbox’s edge’s too) ≥ 0.9 × the machine’s cores, or steal ≥ 10%, or with share + late timers ≥ 95%.',
  ];
  const costCell = outcomes.find((outcome) => outcome.rate === COST_CELL.rate && outcome.latencyMs === COST_CELL.latencyMs && outcome.main);
  if (costCell?.main) {
    const analysis = costCell.main.analysis;
    lines.push('');
    lines.push(
      `COST at ${COST_CELL.rate} msg/s, ${COST_CELL.latencyMs} ms (${analysis.recipients.toLocaleString('en-GB')} recipients): ${fixed(analysis.writeUnitsPerRecipient, 2)} write units and ` +
        `${fixed(analysis.readUnitsPerRecipient, 2)} read units per recipient, ${fixed(analysis.sqsRequestsPer1000, 1)} SQS requests per 1,000 recipients`,
    );
    lines.push(...costLines(analysis, costCell.latencyMs));
  }
  const notes = outcomes.flatMap((outcome) => (outcome.notes ?? []).map((note) => `- ${outcome.rate} msg/s, ${outcome.latencyMs} ms: ${note}`));
  if (notes.length) lines.push('', 'NOTES', ...notes);
  return lines.join('\n');
}
