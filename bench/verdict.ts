import { PACING_HEADROOM } from '../shared/pacing/booking-rules.js';
import { fixed, percent } from './text-format.js';

/**
 * Whether a run's busiest sender kept to its provider's rate, and when it did not, whether the
 * machine or the engine is to blame. The whole local stack is one Node process: the functions on
 * one JavaScript thread, the sending functions on a second and the emulators on a third: when any is busy nearly all the time
 * (event-loop utilisation near 1), or the host takes the CPU away (steal), every part of the stack runs late and the rate says more about the machine
 * than about crier. Otherwise the machine had room, and a rate left unused is the engine's doing.
 */

/** The share of the pacer's rate (the provider's less the headroom) a sender must reach. */
export const MET_SHARE = 0.95;
/** Event-loop utilisation from which the one JavaScript thread counts as saturated. */
export const SATURATED_EVENT_LOOP = 0.9;
/** A share of the machine's CPU time stolen by the host from which every timing is suspect. */
export const HIGH_STEAL = 0.1;

export type RateVerdict = 'met' | 'NOT MET' | 'machine-bound' | 'n/a';

export interface MachineLoad {
  /** performance.eventLoopUtilization() over the sending window, 0–1: the thread every function runs on. */
  eventLoopUtilisation: number | undefined;
  /** The same for the emulators' thread (dynalite and SQS), when they run on one of their own; absent otherwise. */
  emulatorsEventLoopUtilisation?: number | undefined;
  /** The same for the senders' thread, when the sending functions run on one of their own; absent otherwise. */
  sendersEventLoopUtilisation?: number | undefined;
  /** The same for the sandbox's edge's thread, when it has one; absent otherwise. */
  sandboxEdgeEventLoopUtilisation?: number | undefined;
  /** The machine's cores (os.availableParallelism()): how much busy time the loops can have together. */
  cores?: number | undefined;
  /**
   * The share of the sending window in which a timer ran later than a send may leave after its
   * slot (bench/timer-lateness.ts): the share of slots this machine alone made too late to use,
   * whatever the engine did. Absent: not measured.
   */
  lateTimerShare?: number | undefined;
  /** process CPU time ÷ wall time over the same window. */
  cpuCoresBusy: number | undefined;
  /** Share of the machine's CPU time the host stole, 0–1; undefined off Linux. */
  hostStealShare: number | undefined;
}

/** The rate the pacer hands out for a provider rate: 2% under it (see PACING_HEADROOM). */
export function pacedRate(providerRate: number): number {
  return providerRate * PACING_HEADROOM;
}

/** The achieved rate as a share of the paced rate; undefined when either is unknown. */
export function pacedShare(achievedRate: number | undefined, providerRate: number | undefined): number | undefined {
  if (achievedRate === undefined || !providerRate) return undefined;
  return achievedRate / pacedRate(providerRate);
}

/** The event loops' utilisations, each 0–1: the stack's thread, the senders', the emulators' and the sandbox's edge's (those that have one). */
function loopsOf(load: MachineLoad): number[] {
  return [load.eventLoopUtilisation, load.sendersEventLoopUtilisation, load.emulatorsEventLoopUtilisation, load.sandboxEdgeEventLoopUtilisation].filter(
    (loop): loop is number => loop !== undefined,
  );
}

/**
 * The event loops' busy time together, in cores: each busy loop needs a core, so when together
 * they are busy as long as the machine has cores, a loop whose timer is due waits for one, however
 * idle that loop itself looks.
 */
export function loopsBusyInCores(load: MachineLoad): number {
  return loopsOf(load).reduce((sum, loop) => sum + loop, 0);
}

/**
 * A thread saturated (one loop can use one core at most; a saturated emulators' thread answers
 * every DynamoDB and SQS request late, so the functions wait on the machine too), the machine's
 * cores saturated by the loops together, or the host stealing the CPU.
 */
export function machineSaturated(load: MachineLoad): boolean {
  const busiestLoop = Math.max(0, ...loopsOf(load));
  const coresSaturated = load.cores !== undefined && loopsBusyInCores(load) >= SATURATED_EVENT_LOOP * load.cores;
  return busiestLoop >= SATURATED_EVENT_LOOP || coresSaturated || (load.hostStealShare ?? 0) >= HIGH_STEAL;
}

/**
 * True when the slots this machine's late timers cost would, given back, make up the shortfall:
 * what is left under MET_SHARE is then the machine's, not the engine's. A timer more than the
 * tolerance late means a send that would have left too late, and the sender gives that slot up
 * (shared/pacing/throttle-rules.ts), so the late share is a count of slots lost to the machine.
 */
export function machineExplainsShortfall(share: number, load: MachineLoad): boolean {
  return load.lateTimerShare !== undefined && share + load.lateTimerShare >= MET_SHARE;
}

/**
 * met (≥ 95% of the paced rate); machine-bound (under it, with the machine saturated, or its late
 * timers alone costing the missing slots); NOT MET (under it, with room to spare).
 */
export function rateVerdict(share: number | undefined, load: MachineLoad): RateVerdict {
  if (share === undefined) return 'n/a';
  if (share >= MET_SHARE) return 'met';
  return machineSaturated(load) || machineExplainsShortfall(share, load) ? 'machine-bound' : 'NOT MET';
}

/** The note a run under its rate gets: the machine is blamed only when it was the limit. */
export function rateNote(achievedRate: number | undefined, providerRate: number | undefined, peakSecond: number, load: MachineLoad): string | undefined {
  const share = pacedShare(achievedRate, providerRate);
  const verdict = rateVerdict(share, load);
  if (verdict === 'met' || verdict === 'n/a' || achievedRate === undefined || !providerRate) return undefined;
  const machine =
    `event loop busy ${percent(load.eventLoopUtilisation ?? NaN, 0)} of the time` +
    `${load.emulatorsEventLoopUtilisation === undefined ? '' : ` (the emulators' ${percent(load.emulatorsEventLoopUtilisation, 0)})`}` +
    `${load.sendersEventLoopUtilisation === undefined ? '' : ` (the senders' ${percent(load.sendersEventLoopUtilisation, 0)})`}` +
    `${load.cores === undefined || loopsOf(load).length < 2 ? '' : `, the loops together ${fixed(loopsBusyInCores(load), 2)} of ${load.cores} cores`}, ${fixed(load.cpuCoresBusy ?? NaN, 2)} CPU cores busy, ` +
    `${load.hostStealShare === undefined ? 'steal unknown' : `${percent(load.hostStealShare, 0)} stolen by the host`}` +
    `${load.lateTimerShare === undefined ? '' : `, timers too late for a send ${percent(load.lateTimerShare)} of the time`}`;
  const achieved =
    `The busiest sender averaged ${fixed(achievedRate, 1)} msg/s (busiest second ${peakSecond}), ${percent(share ?? NaN)} of the ${fixed(pacedRate(providerRate), 1)} msg/s ` +
    `the pacer may use (${providerRate} msg/s less ${percent(1 - PACING_HEADROOM, 0)} headroom)`;
  if (verdict === 'machine-bound') {
    return (
      `${achieved}, while this machine was saturated (${machine}): the rate figure measures this machine, not pacing. ` +
      'Run again on a quieter machine, or with a lower --mps, to see the engine’s own limit.'
    );
  }
  return (
    `${achieved}, while this machine had room (${machine}): the engine left the rate unused, not the machine. ` +
    'The timeline shows where: seconds with slots booked but few sends point at the senders (their round trips), ' +
    'seconds with few slots booked and few sending functions busy at the lane’s width.'
  );
}
