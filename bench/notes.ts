import { fixed, percent } from './text-format.js';
import { rateNote, SATURATED_EVENT_LOOP } from './verdict.js';

/** What a reader needs to interpret this run's numbers, from what happened in it. */
export function notesFor(
  run: {
    timings: { achievedSendRate?: number; peakSendsInOneSecond?: number };
    provider: { throttled: number };
    sendJobReceiveCounts: Record<string, Record<string, number>>;
    lostBreakdown: { inDeadLetterQueues: number; jobDeletedUnfinished: number };
    localMachine: { eventLoopUtilisation?: number; emulatorsEventLoopUtilisation?: number; sendersEventLoopUtilisation?: number; sandboxEdgeEventLoopUtilisation?: number; cores?: number; cpuCoresBusy?: number; hostStealShare?: number; lateTimerShare?: number };
  },
  mps: number | undefined,
): string[] {
  const notes: string[] = [];
  const rate = rateNote(run.timings.achievedSendRate, mps, run.timings.peakSendsInOneSecond ?? 0, {
    eventLoopUtilisation: run.localMachine.eventLoopUtilisation,
    emulatorsEventLoopUtilisation: run.localMachine.emulatorsEventLoopUtilisation,
    sendersEventLoopUtilisation: run.localMachine.sendersEventLoopUtilisation,
    sandboxEdgeEventLoopUtilisation: run.localMachine.sandboxEdgeEventLoopUtilisation,
    cores: run.localMachine.cores,
    cpuCoresBusy: run.localMachine.cpuCoresBusy,
    hostStealShare: run.localMachine.hostStealShare,
    lateTimerShare: run.localMachine.lateTimerShare,
  });
  if (rate) notes.push(rate);
  const counts = Object.entries(run.sendJobReceiveCounts)
    .filter(([functionId]) => functionId.startsWith('send'))
    .flatMap(([, byCount]) => Object.keys(byCount).map(Number));
  if (counts.some((count) => count > 1)) {
    notes.push(
      'Some send jobs were received more than once. The senders hand the unfinished rest of a batch back as a new job (with an attempt count of ' +
        'its own), so a repeat receive means a function was stopped at its timeout or a batch was held for quiet hours.',
    );
  }
  if (run.lostBreakdown.jobDeletedUnfinished > 0) {
    notes.push(
      `${run.lostBreakdown.jobDeletedUnfinished} recipients were in send jobs deleted from the queue unfinished: a record whose send failed was reported ` +
        'to the poller as a success. (The one cause seen so far, a BatchProcessor shared by overlapping local invocations, was fixed in 4e5fbfe.)',
    );
  }
  if (run.lostBreakdown.inDeadLetterQueues > 0) {
    notes.push(`${run.lostBreakdown.inDeadLetterQueues} recipients are parked in a dead-letter queue: a send job failed in a way no retry fixes (see stackErrors); \`crier dead-letters\` shows and redrives them.`);
  }
  if ((run.localMachine.hostStealShare ?? 0) > 0.05) {
    notes.push(
      `The host took ${fixed(100 * (run.localMachine.hostStealShare ?? 0), 0)}% of this machine's CPU time while it sent (steal time): every part of the local stack ran late, ` +
        'so rates, 429s and durations measure the neighbours as much as crier. Run again when the machine is quiet.',
    );
  }
  if ((run.localMachine.eventLoopUtilisation ?? 0) >= SATURATED_EVENT_LOOP) {
    notes.push(
      `The event loop was busy ${percent(run.localMachine.eventLoopUtilisation ?? 0, 0)} of the sending window (${fixed(run.localMachine.cpuCoresBusy ?? 0, 2)} cores busy; Node runs JavaScript on one thread): ` +
        'queueing for that thread inflates every observed duration, hence the second Lambda estimate at AWS latencies.',
    );
  }
  return notes;
}
