import { describe, expect, it } from 'vitest';
import { pacedShare, rateNote, rateVerdict, type MachineLoad } from '../../bench/verdict.js';

const idle: MachineLoad = { eventLoopUtilisation: 0.5, cpuCoresBusy: 0.6, hostStealShare: 0.01 };

describe('bench rate verdict: the machine is blamed only when it was the limit', () => {
  it.each([
    ['at the paced rate, machine idle', 0.99, idle, 'met'],
    ['exactly 95% of the paced rate', 0.95, idle, 'met'],
    ['at the paced rate although the event loop was saturated', 0.97, { ...idle, eventLoopUtilisation: 0.98 }, 'met'],
    ['under 95% with the machine having room', 0.66, idle, 'NOT MET'],
    ['under 95% with a busy but not saturated event loop', 0.66, { ...idle, eventLoopUtilisation: 0.89 }, 'NOT MET'],
    ['under 95% with more than a core busy but the event loop not saturated', 0.48, { ...idle, cpuCoresBusy: 1.1 }, 'NOT MET'],
    ['under 95% with the event loop saturated', 0.48, { ...idle, eventLoopUtilisation: 0.9 }, 'machine-bound'],
    ['under 95% with the emulators\' thread saturated (every DynamoDB and SQS answer late)', 0.6, { ...idle, emulatorsEventLoopUtilisation: 0.93 }, 'machine-bound'],
    ['under 95% with the emulators\' thread busy but not saturated', 0.6, { ...idle, emulatorsEventLoopUtilisation: 0.85 }, 'NOT MET'],
    ['under 95% with the three loops together busy over 90% of two cores, none saturated alone', 0.66, { ...idle, eventLoopUtilisation: 0.75, sendersEventLoopUtilisation: 0.7, emulatorsEventLoopUtilisation: 0.4, cores: 2 }, 'machine-bound'],
    ['under 95% with the three loops together busy under 90% of two cores', 0.66, { ...idle, eventLoopUtilisation: 0.6, sendersEventLoopUtilisation: 0.6, emulatorsEventLoopUtilisation: 0.5, cores: 2 }, 'NOT MET'],
    ['under 95% with the same loops on four cores', 0.66, { ...idle, eventLoopUtilisation: 0.7, sendersEventLoopUtilisation: 0.7, emulatorsEventLoopUtilisation: 0.4, cores: 4 }, 'NOT MET'],
    ['under 95% with the senders\' thread saturated', 0.6, { ...idle, sendersEventLoopUtilisation: 0.92 }, 'machine-bound'],
    ['under 95% with the host stealing a tenth of the CPU', 0.7, { ...idle, hostStealShare: 0.1 }, 'machine-bound'],
    ['under 95%, the machine\'s late timers costing the missing slots', 0.92, { ...idle, lateTimerShare: 0.04 }, 'machine-bound'],
    ['under 95%, the machine\'s late timers costing fewer slots than are missing', 0.92, { ...idle, lateTimerShare: 0.02 }, 'NOT MET'],
    ['under 95% with the load unknown', 0.7, { eventLoopUtilisation: undefined, cpuCoresBusy: undefined, hostStealShare: undefined }, 'NOT MET'],
    ['no rate measured', undefined, idle, 'n/a'],
  ] as const)('%s', (_case, share, load, expected) => {
    // Act
    const verdict = rateVerdict(share, load);

    // Assess
    expect(verdict).toBe(expected);
  });

  it.each([
    ['19.6 msg/s at 20 msg/s is all of the paced rate', 19.6, 20, 1],
    ['13.2 msg/s at 20 msg/s', 13.2, 20, 13.2 / 19.6],
    ['no provider rate', 13.2, undefined, undefined],
    ['no achieved rate', undefined, 20, undefined],
  ] as const)('share of the paced rate: %s', (_case, achieved, providerRate, expected) => {
    // Act
    const share = pacedShare(achieved, providerRate);

    // Assess
    expect(share).toBe(expected);
  });

  it.each([
    ['the machine had room: the engine is named, the timeline pointed at', 13.2, idle, /engine left the rate unused/],
    ['the event loop was saturated: the machine is named', 13.2, { ...idle, eventLoopUtilisation: 0.95 }, /measures this machine, not pacing/],
    ['the loops together filled the cores: the machine is named, with the loops in cores', 13.2, { ...idle, eventLoopUtilisation: 0.75, sendersEventLoopUtilisation: 0.7, emulatorsEventLoopUtilisation: 0.4, cores: 2 }, /the loops together 1\.85 of 2 cores.*measures this machine/],
    ['late timers cost the missing slots: the machine is named, with the late share', 18.1, { ...idle, lateTimerShare: 0.05 }, /timers too late for a send 5\.0% of the time\): the rate figure measures this machine/],
  ] as const)('the note when the rate was not met: %s', (_case, achieved, load, expected) => {
    // Act
    const note = rateNote(achieved, 20, 16, load);

    // Assess
    expect(note).toMatch(expected);
  });

  it('no note when the rate was met', () => {
    // Act
    const note = rateNote(19.5, 20, 20, idle);

    // Assess
    expect(note).toBeUndefined();
  });
});
