import { PACING_HEADROOM } from '../shared/pacing/booking-rules.js';
import type { Analysis } from './report.js';
import { fixed, percent } from './text-format.js';

/* The issue's goals for one broadcast, each with its target, what was measured and a verdict. */

export interface Goal {
  goal: string;
  target: string;
  measured: string;
  /** undefined: not measurable in this run (e.g. no provider rate set). */
  met: boolean | undefined;
}

export interface GoalInputs {
  mps: number | undefined;
  achievedRate: number | undefined;
  throttled: number;
  /** Of the 429s, those whose send left over a second after the one that opened its window (rate-refusals.ts). */
  throttledLeftApart: number;
  sends: number;
  duplicates: number;
  /** Never sent nor skipped, and known not to be coming (dead-lettered, or their job left the queue). */
  lost: number;
  /** Never sent nor skipped yet, but still on the queues when the bench gave up waiting. */
  undetermined: number;
  fanOutRate: number | undefined;
  analysis: Analysis;
}

export function evaluateGoals(inputs: GoalInputs): Goal[] {
  const { mps, achievedRate, analysis } = inputs;
  const throttledShare = inputs.sends > 0 ? inputs.throttled / inputs.sends : 0;
  // The senders are paced 2% under the provider's rate: that is the rate they can be held to.
  const paced = (mps ?? 0) * PACING_HEADROOM;
  // No 429 at all while sending below the limit says nothing about pacing.
  const neverAtLimit = Boolean(mps) && inputs.throttled === 0 && (achievedRate ?? 0) < 0.95 * paced;
  return [
    {
      goal: 'achieved send rate vs provider rate less headroom (busiest sender)',
      target: '≥ 95%',
      measured:
        achievedRate === undefined
          ? 'n/a'
          : mps
            ? `${fixed(achievedRate, 1)}/s = ${percent(achievedRate / paced)} of ${fixed(paced, 1)}/s (${mps}/s less ${percent(1 - PACING_HEADROOM, 0)})`
            : `${fixed(achievedRate, 1)}/s (no provider limit)`,
      met: achievedRate === undefined || !mps ? undefined : achievedRate >= 0.95 * paced,
    },
    {
      goal: '429s from the provider, share of sends',
      target: '< 0.1%',
      measured:
        `${inputs.throttled} / ${inputs.sends} = ${percent(throttledShare, 2)}` +
        `${inputs.throttled > 0 ? `; ${inputs.throttledLeftApart} of them left over a second after the send that opened their provider second (the journey bunched them, not the pacing)` : ''}` +
        `${neverAtLimit ? ' (the rate limit was never reached: untested)' : ''}`,
      met: inputs.sends > 0 && !neverAtLimit ? throttledShare < 0.001 : undefined,
    },
    { goal: 'duplicate sends', target: '0', measured: String(inputs.duplicates), met: inputs.duplicates === 0 },
    {
      goal: 'lost (never sent, never skipped)',
      target: '0',
      measured:
        inputs.undetermined > 0
          ? `${inputs.lost} lost, ${inputs.undetermined} still queued at the time-out`
          : String(inputs.lost),
      // A time-out leaves recipients on the queues: lost only if some are already known to be.
      met: inputs.lost > 0 ? false : inputs.undetermined > 0 ? undefined : true,
    },
    {
      goal: 'fan-out rate vs provider rate',
      target: '≥ 10×',
      measured:
        inputs.fanOutRate === undefined
          ? 'fan-out did not finish'
          : mps
            ? `${fixed(inputs.fanOutRate, 0)}/s = ${fixed(inputs.fanOutRate / mps, 1)}×`
            : `${fixed(inputs.fanOutRate, 0)}/s (no provider limit)`,
      met: inputs.fanOutRate === undefined ? false : mps ? inputs.fanOutRate >= 10 * mps : undefined,
    },
    {
      goal: 'SQS requests per 1,000 recipients (empty polls aside)',
      target: '≤ 30',
      measured: fixed(analysis.sqsRequestsPer1000, 1),
      met: analysis.sqsRequestsPer1000 <= 30,
    },
    {
      goal: 'DynamoDB write units per recipient (incl. receipts)',
      target: '≤ 3.5',
      measured: fixed(analysis.writeUnitsPerRecipient, 2),
      met: analysis.writeUnitsPerRecipient <= 3.5,
    },
    {
      goal: 'AWS cost per million messages',
      target: '< $5',
      measured:
        `$${fixed(analysis.cost.perMillionMessagesModelled, 2)} at AWS latencies (Lambda as observed here: $${fixed(analysis.cost.perMillionMessages, 2)}; ` +
        `at DynamoDB's prices before November 2024: $${fixed(analysis.cost.perMillionMessagesModelledAtEarlierPrices, 2)})`,
      met: analysis.messagesSent > 0 ? analysis.cost.perMillionMessagesModelled < 5 : undefined,
    },
  ];
}

export function verdict(met: boolean | undefined): string {
  return met === undefined ? 'n/a' : met ? 'met' : 'NOT MET';
}
