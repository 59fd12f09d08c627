import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shownCounts } from '../../../shared/broadcasts/shown-counts.js';
import type { BroadcastCounts } from '../../../shared/domain/model.js';

const zero: BroadcastCounts = { targeted: 0, sent: 0, delivered: 0, undelivered: 0, failed: 0, skipped: 0, skippedBy: {} };
const counts = (overrides: Partial<BroadcastCounts>): BroadcastCounts => ({ ...zero, ...overrides });

/** The promises the shown counts keep, whatever the raw counters say: the broken ones, by name. */
function brokenPromises(shown: BroadcastCounts): string[] {
  const values = [shown.targeted, shown.sent, shown.delivered, shown.undelivered, shown.failed, shown.skipped];
  const reasons = Object.values(shown.skippedBy ?? {}).reduce((sum, count) => sum + (count ?? 0), 0);
  return [
    ...(values.every((value) => Number.isInteger(value) && value >= 0) ? [] : ['every count a whole number, not negative']),
    ...(shown.delivered + shown.undelivered <= shown.sent ? [] : ['delivered + undelivered ≤ sent']),
    ...(shown.sent + shown.failed + shown.skipped <= shown.targeted ? [] : ['sent + failed + skipped ≤ targeted']),
    ...(reasons <= shown.skipped ? [] : ['the skips by reason ≤ skipped']),
  ];
}

function expectConsistent(shown: BroadcastCounts): void {
  expect(brokenPromises(shown)).toEqual([]);
}

describe('shownCounts', () => {
  it.each<[string, BroadcastCounts, boolean, BroadcastCounts]>([
    [
      'receipts ahead of the sender’s batch (the audit’s "sent 11 · delivered 21"): a receipt proves a send',
      counts({ targeted: 40, sent: 11, delivered: 21 }),
      true,
      counts({ targeted: 40, sent: 21, delivered: 21 }),
    ],
    [
      'delivered and undelivered together ahead of sent',
      counts({ targeted: 40, sent: 5, delivered: 6, undelivered: 3 }),
      true,
      counts({ targeted: 40, sent: 9, delivered: 6, undelivered: 3 }),
    ],
    [
      'the sender ahead of the fan-out’s targeted (jobs are queued before targeted is added)',
      counts({ targeted: 250, sent: 260, failed: 1, skipped: 2, skippedBy: { opted_out: 2 } }),
      false,
      counts({ targeted: 263, sent: 260, failed: 1, skipped: 2, skippedBy: { opted_out: 2 } }),
    ],
    [
      'fan-out done: targeted is exact, and a receipt for a send counted failed is not counted sent too',
      counts({ targeted: 10, sent: 8, failed: 2, delivered: 9 }),
      true,
      counts({ targeted: 10, sent: 8, failed: 2, delivered: 8 }),
    ],
    [
      'consistent counters are shown as they are',
      counts({ targeted: 10, sent: 6, delivered: 4, undelivered: 1, failed: 1, skipped: 2, skippedBy: { duplicate: 1, opted_out: 1 } }),
      true,
      counts({ targeted: 10, sent: 6, delivered: 4, undelivered: 1, failed: 1, skipped: 2, skippedBy: { duplicate: 1, opted_out: 1 } }),
    ],
    [
      'counters of a broadcast older than skippedBy: left without it',
      { targeted: 3, sent: 3, delivered: 3, undelivered: 0, failed: 0, skipped: 0 },
      true,
      { targeted: 3, sent: 3, delivered: 3, undelivered: 0, failed: 0, skipped: 0 },
    ],
  ])('%s', (_case, raw, fanOutDone, expected) => {
    // Prepare / Act
    const shown = shownCounts(raw, fanOutDone);

    // Assess
    expect(shown).toEqual(expected);
    expectConsistent(shown);
  });

  it('keeps its promises for any counters at all', () => {
    // Prepare
    const count = fc.nat({ max: 1_000 });
    const anyCounts = fc.record({
      targeted: count,
      sent: count,
      delivered: count,
      undelivered: count,
      failed: count,
      skipped: count,
      skippedBy: fc.record({ opted_out: count, duplicate: count }, { requiredKeys: [] }),
    });

    // Act / Assess
    fc.assert(
      fc.property(anyCounts, fc.boolean(), (raw, fanOutDone) => {
        expectConsistent(shownCounts(raw, fanOutDone));
      }),
    );
  });

  /**
   * A broadcast sending, as the real parts interleave: the fan-out queues a page's jobs and only
   * then adds the page to targeted; the sender sends each recipient (the provider accepts, and its
   * receipt may come back at once) but adds its batch's sent/failed/skipped afterwards; a provider
   * call that timed out is counted failed though the message went (and its receipt arrives).
   * Staff read the counters at every step, and a read may be torn: `targeted` lives on the
   * broadcast item and the rest on its counters item, read one after the other.
   */
  it('never shows counts that contradict each other, at any step of any interleaving, and ends exact', () => {
    // Prepare
    type Outcome = 'sent' | 'failed' | 'skipped' | 'failedButWent';
    type Receipt = 'delivered' | 'undelivered' | 'none';
    const recipientArbitrary = fc.record({
      outcome: fc.constantFrom<Outcome>('sent', 'sent', 'sent', 'failed', 'skipped', 'failedButWent'),
      receipt: fc.constantFrom<Receipt>('delivered', 'delivered', 'undelivered', 'none'),
    });
    const scenario = fc.record({
      recipients: fc.array(recipientArbitrary, { minLength: 1, maxLength: 25 }),
      pageSize: fc.integer({ min: 1, max: 10 }),
      choices: fc.array(fc.nat(), { maxLength: 200 }),
    });

    // Act / Assess
    fc.assert(
      fc.property(scenario, ({ recipients, pageSize, choices }) => {
        const pages = Math.ceil(recipients.length / pageSize);
        const pageOf = (index: number) => Math.floor(index / pageSize);
        let queuedPages = 0;
        let advancedPages = 0;
        const processed = new Set<number>();
        const counted = new Set<number>();
        const receipted = new Set<number>();
        const raw: BroadcastCounts = { ...zero, skippedBy: {} };
        let previous: BroadcastCounts = { ...raw };
        let wentWithReceipt = 0;

        const actions = (): (() => void)[] => {
          const enabled: (() => void)[] = [];
          if (queuedPages < pages) enabled.push(() => (queuedPages += 1));
          if (advancedPages < queuedPages) {
            enabled.push(() => {
              const size = recipients.filter((_, index) => pageOf(index) === advancedPages).length;
              raw.targeted += size;
              advancedPages += 1;
            });
          }
          recipients.forEach((recipient, index) => {
            if (pageOf(index) < queuedPages && !processed.has(index)) enabled.push(() => processed.add(index));
            const went = recipient.outcome === 'sent' || recipient.outcome === 'failedButWent';
            if (went && processed.has(index) && recipient.receipt !== 'none' && !receipted.has(index)) {
              enabled.push(() => {
                receipted.add(index);
                if (recipient.outcome === 'failedButWent') wentWithReceipt += 1;
                if (recipient.receipt === 'delivered') raw.delivered += 1;
                else raw.undelivered += 1;
              });
            }
          });
          if ([...processed].some((index) => !counted.has(index))) {
            // The sender's batch: everything it has done and not yet counted, in one ADD.
            enabled.push(() => {
              for (const index of processed) {
                if (counted.has(index)) continue;
                counted.add(index);
                const outcome = recipients[index]?.outcome;
                if (outcome === 'sent') raw.sent += 1;
                else if (outcome === 'skipped') {
                  raw.skipped += 1;
                  raw.skippedBy = { opted_out: (raw.skippedBy?.opted_out ?? 0) + 1 };
                } else raw.failed += 1;
              }
            });
          }
          return enabled;
        };

        const check = () => {
          const fanOutDone = advancedPages === pages;
          const queued = recipients.filter((_, index) => pageOf(index) < queuedPages).length;
          const accepted = [...processed].filter((index) => recipients[index]?.outcome !== 'failed' && recipients[index]?.outcome !== 'skipped').length;
          // Whole reads, and reads torn either way between the broadcast item and the counters item.
          // Checked without expect in this loop (thousands of reads a run); a failure names the read.
          for (const read of [raw, { ...raw, targeted: previous.targeted }, { ...previous, targeted: raw.targeted }]) {
            const shown = shownCounts(read, fanOutDone && read.targeted === raw.targeted);
            const broken = [
              ...brokenPromises(shown),
              // Never hides what the sender counted, never claims more than happened.
              ...(shown.sent >= read.sent ? [] : ['sent shown ≥ sent counted']),
              ...(shown.sent <= accepted ? [] : ['sent shown ≤ messages the provider accepted']),
              ...(shown.failed === read.failed && shown.skipped === read.skipped ? [] : ['failed and skipped as counted']),
              ...(shown.targeted <= queued + wentWithReceipt ? [] : ['targeted shown ≤ recipients queued']),
            ];
            if (broken.length > 0) throw new Error(`${broken.join('; ')}: read ${JSON.stringify(read)}, shown ${JSON.stringify(shown)}`);
          }
          previous = { ...raw, skippedBy: { ...raw.skippedBy } };
        };

        let step = 0;
        for (let enabled = actions(); enabled.length > 0; enabled = actions()) {
          const choice = choices[step % Math.max(choices.length, 1)] ?? 0;
          enabled[(choice + step) % enabled.length]?.();
          step += 1;
          check();
        }

        // Everything done: the counts shown are the broadcast's true outcome.
        const shown = shownCounts(raw, true);
        const of = (outcome: Outcome) => recipients.filter((recipient) => recipient.outcome === outcome).length;
        expect(shown.targeted).toBe(recipients.length);
        expect(shown.sent).toBe(of('sent'));
        expect(shown.failed).toBe(of('failed') + of('failedButWent'));
        expect(shown.skipped).toBe(of('skipped'));
        expect(shown.delivered + shown.undelivered).toBeLessThanOrEqual(shown.sent);
      }),
      { numRuns: 300 },
    );
  });
});
