import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { EventLoopTime } from '../local/emulators-in-thread.js';
import { WINDOW_SLACK_MS } from '../shared/pacing/throttle-rules.js';
import { cpuTimes, stolenShare, type CpuTimes } from './host-cpu.js';
import { lateShareBetween, TimerLateness, type Stall } from './timer-lateness.js';
import { utilisationBetween } from './timeline.js';
import type { MachineLoad } from './verdict.js';

interface MachineSample {
  at: number;
  /** Cumulative event-loop time busy and idle (ms), from performance.eventLoopUtilization(). */
  active: number;
  idle: number;
  /** Cumulative CPU time of this process (user + system, µs). */
  cpuMicros: number;
  host: CpuTimes | undefined;
  /** The same for the emulators' thread (dynalite and SQS), when they run on one of their own. */
  emulators: EventLoopTime | undefined;
  /** The same for the senders' thread, when the sending functions run on one of their own. */
  senders: EventLoopTime | undefined;
  /** The same for the sandbox's edge's thread, when it has one. */
  sandboxEdge: EventLoopTime | undefined;
}

/** One thread's samples, for the samples that have it. */
export function threadSamples(samples: MachineSample[], thread: 'emulators' | 'senders' | 'sandboxEdge'): { at: number; active: number; idle: number }[] {
  return samples.flatMap((sample) => {
    const time = sample[thread];
    return time ? [{ at: sample.at, ...time }] : [];
  });
}

/** The other threads of the local stack, and the senders' timer stalls when they run on a thread of their own. */
export interface StackThreads {
  emulatorsEventLoop: () => EventLoopTime | undefined;
  sendersEventLoop: () => EventLoopTime | undefined;
  sandboxEdgeEventLoop: () => EventLoopTime | undefined;
  /** Stalls of the senders' thread's timers (reported from it); undefined: the senders share this thread, measured here. */
  senderStalls: readonly Stall[] | undefined;
}

/**
 * How busy this machine was, sampled every second, so any window (the busiest sender's sending
 * window, or one second of the timeline) can be read back afterwards. The event-loop utilisation
 * is the one that matters for the local stack: the functions run on one thread, so when it is
 * busy all the time, everything on it waits, however many cores are idle; the emulators' thread
 * (dynalite and SQS) and the senders' thread, when they have one, are sampled too.
 */
export class MachineSampler {
  readonly samples: MachineSample[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly lateness = new TimerLateness();

  constructor(private readonly threads: StackThreads = { emulatorsEventLoop: () => undefined, sendersEventLoop: () => undefined, sandboxEdgeEventLoop: () => undefined, senderStalls: undefined }) {}

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), 1_000);
    this.timer.unref();
    if (!this.threads.senderStalls) this.lateness.start();
  }

  stop(): void {
    clearInterval(this.timer);
    this.lateness.stop();
    this.sample();
  }

  sample(): void {
    const { active, idle } = performance.eventLoopUtilization();
    const { user, system } = process.cpuUsage();
    this.samples.push({
      at: Date.now(),
      active,
      idle,
      cpuMicros: user + system,
      host: cpuTimes(),
      emulators: this.threads.emulatorsEventLoop(),
      senders: this.threads.sendersEventLoop(),
      sandboxEdge: this.threads.sandboxEdgeEventLoop(),
    });
  }

  /**
   * The load between the samples around [from, to]. `lateToleranceMs`: how late a send may leave
   * after its slot at the rate measured (lateSendToleranceMs; the window's slack by default, the
   * largest it is at any rate, so the machine is never blamed for more than it cost).
   */
  loadBetween(from: number, to: number, lateToleranceMs = WINDOW_SLACK_MS): MachineLoad & { from: number; to: number } {
    const before = this.samples.filter((sample) => sample.at <= from).at(-1) ?? this.samples[0];
    const after = this.samples.find((sample) => sample.at >= to) ?? this.samples.at(-1);
    if (!before || !after || after.at <= before.at) {
      return { from, to, eventLoopUtilisation: undefined, cpuCoresBusy: undefined, hostStealShare: undefined };
    }
    return {
      from: before.at,
      to: after.at,
      eventLoopUtilisation: utilisationBetween(this.samples, from, to) ?? undefined,
      emulatorsEventLoopUtilisation: utilisationBetween(threadSamples(this.samples, 'emulators'), from, to) ?? undefined,
      sendersEventLoopUtilisation: utilisationBetween(threadSamples(this.samples, 'senders'), from, to) ?? undefined,
      sandboxEdgeEventLoopUtilisation: utilisationBetween(threadSamples(this.samples, 'sandboxEdge'), from, to) ?? undefined,
      cores: availableParallelism(),
      cpuCoresBusy: (after.cpuMicros - before.cpuMicros) / 1000 / (after.at - before.at),
      hostStealShare: stolenShare(before.host, after.host),
      // Where the senders' timers run: their own thread's stalls, or this thread's.
      lateTimerShare: lateShareBetween(this.threads.senderStalls ?? this.lateness.stalls, from, to, lateToleranceMs),
    };
  }
}
