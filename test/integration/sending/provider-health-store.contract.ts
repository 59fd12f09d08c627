import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ProviderError } from '../../../shared/domain/errors.js';
import type { ProviderName } from '../../../shared/domain/provider-names.js';
import type { ProviderHealthStore } from '../../../shared/ports/provider-health.js';
import { logger } from '../../../shared/runtime/logger.js';
import { ProviderFailover } from '../../../shared/sending/provider-failover.js';
import { FixedClock } from '../../support/in-memory-stores.js';

/*
 * The provider health store's contract: one set of cases, run against the DynamoDB store on
 * dynalite (provider-health-store-dynamo.test.ts) and the in-memory one the use cases' tests rely
 * on (test/unit/sending/provider-health-store-memory.test.ts), so the fake cannot drift from the
 * store that runs: failure counters, the route and its trial, breakers, shifts, and the failover
 * over them when many invocations fail together.
 */

const AT = '2025-03-01T09:00:00.000Z';
const WINDOW = Date.parse(AT) / 1000;

/** Builds the store under test, empty: the route and counters are per channel, and each case starts from none. */
export type ProviderHealthStoreFactory = () => Promise<ProviderHealthStore>;

export function providerHealthStoreContract(name: string, makeStore: ProviderHealthStoreFactory): void {
  describe(`${name}: the provider health store's contract`, () => {
    let store: ProviderHealthStore;

    beforeEach(async () => {
      store = await makeStore();
      for (const level of ['info', 'warn', 'error'] as const) vi.spyOn(logger, level).mockImplementation(() => undefined);
    });

    it('counts every one of many concurrent failures into one shared counter, and returns distinct counts', async () => {
      // Prepare
      const failures = 40;

      // Act: as 40 sender invocations would, all at once.
      const results = await Promise.all(Array.from({ length: failures }, () => store.countFailure('sms', 'twilio', WINDOW, 60)));

      // Assess
      expect(await store.failureCounts('sms', 'twilio', WINDOW, 60)).toEqual({ current: failures, previous: 0 });
      // Each ADD saw its own total: exactly one caller saw the count pass any given threshold.
      expect(results.map((result) => result.current).sort((a, b) => a - b)).toEqual(Array.from({ length: failures }, (_, i) => i + 1));
    });

    it('keeps counters apart per provider, channel and window, and returns the previous window alongside', async () => {
      // Prepare
      await store.countFailure('sms', 'twilio', WINDOW, 60);
      await store.countFailure('sms', 'twilio', WINDOW, 60);
      await store.countFailure('whatsapp', 'twilio', WINDOW + 60, 60);
      await store.countFailure('sms', 'aws-sms', WINDOW + 60, 60);

      // Act
      const next = await store.countFailure('sms', 'twilio', WINDOW + 60, 60);

      // Assess
      expect(next).toEqual({ current: 1, previous: 2 });
    });

    it('lets exactly one of many concurrent shifts at one version win', async () => {
      // Act
      const outcomes = await Promise.all(Array.from({ length: 10 }, () => store.shift('sms', 0, 'aws-sms', AT)));

      // Assess
      expect(outcomes.filter(Boolean)).toHaveLength(1);
      expect(await store.route('sms')).toEqual({ active: 'aws-sms', since: AT, version: 1 });
      expect(await store.shift('sms', 0, 'sandbox', AT)).toBe(false);
    });

    it('gives the half-open trial to one caller, takes a stale one over, and clears it on the next shift', async () => {
      // Prepare
      await store.shift('sms', 0, 'aws-sms', AT);
      const later = '2025-03-01T09:05:00.000Z';

      // Act
      const claims = await Promise.all(Array.from({ length: 5 }, () => store.claimTrial('sms', 1, later, '2025-03-01T09:03:00.000Z')));
      const whileFresh = await store.claimTrial('sms', 1, '2025-03-01T09:06:00.000Z', '2025-03-01T09:04:00.000Z');
      const takenOver = await store.claimTrial('sms', 1, '2025-03-01T09:08:00.000Z', '2025-03-01T09:06:00.000Z');
      const wrongVersion = await store.claimTrial('sms', 0, '2025-03-01T09:20:00.000Z', '2025-03-01T09:19:00.000Z');
      await store.shift('sms', 1, 'twilio', '2025-03-01T09:08:01.000Z');

      // Assess
      expect(claims.filter(Boolean)).toHaveLength(1);
      expect(whileFresh).toBe(false);
      expect(takenOver).toBe(true);
      expect(wrongVersion).toBe(false);
      expect(await store.route('sms')).toEqual({ active: 'twilio', since: '2025-03-01T09:08:01.000Z', version: 2 });
    });

    it('counts shifts per direction and lists them per channel', async () => {
      // Act
      await store.countShift('sms', 'twilio', 'aws-sms', AT);
      await store.countShift('sms', 'twilio', 'aws-sms', '2025-03-01T10:00:00.000Z');
      await store.countShift('sms', 'aws-sms', 'twilio', AT);
      await store.countShift('whatsapp', 'whatsapp-cloud', 'twilio', AT);

      // Assess
      expect(await store.shifts('sms')).toEqual([
        { channel: 'sms', from: 'aws-sms', to: 'twilio', count: 1, lastAt: AT },
        { channel: 'sms', from: 'twilio', to: 'aws-sms', count: 2, lastAt: '2025-03-01T10:00:00.000Z' },
      ]);
    });

    it('shifts the channel once when many invocations fail past the threshold together', async () => {
      // Prepare: four warm functions, each with its own failover over the one table.
      const providers: ProviderName[] = ['twilio', 'aws-sms'];
      const clock = new FixedClock(AT);
      const failovers = Array.from({ length: 4 }, () => new ProviderFailover(store, clock, { errors: 10, windowSeconds: 60, cooldownSeconds: 300 }));
      const outage = new ProviderError('twilio', 'connectionFailed', 'twilio answered 503', { providerCode: 503 });

      // Act: 30 failures spread over the four.
      await Promise.all(
        Array.from({ length: 30 }, async (_, i) => {
          const failover = failovers[i % failovers.length]!;
          const pick = await failover.choose('sms', providers);
          await failover.failed('sms', providers, pick, outage);
        }),
      );

      // Assess
      expect((await store.route('sms'))?.active).toBe('aws-sms');
      expect(await store.shifts('sms')).toEqual([expect.objectContaining({ from: 'twilio', to: 'aws-sms', count: 1 })]);
    });

    it('reads the failure counts of a window and the one before without adding to them', async () => {
      // Prepare
      await store.countFailure('sms', 'twilio', WINDOW, 60);
      await store.countFailure('sms', 'twilio', WINDOW + 60, 60);
      await store.countFailure('sms', 'twilio', WINDOW + 60, 60);

      // Act
      const first = await store.failureCounts('sms', 'twilio', WINDOW + 60, 60);
      const again = await store.failureCounts('sms', 'twilio', WINDOW + 60, 60);
      const none = await store.failureCounts('sms', 'aws-sms', WINDOW + 60, 60);

      // Assess
      expect(first).toEqual({ current: 2, previous: 1 });
      expect(again).toEqual(first);
      expect(none).toEqual({ current: 0, previous: 0 });
    });

    it("opens a provider's breaker once among many at one version, gives its trial to one caller, and closes it", async () => {
      // Act
      const opened = await Promise.all(Array.from({ length: 10 }, () => store.setBreaker('sms', 'twilio', 0, true, AT)));
      const afterOpen = await store.breakers('sms');
      const trials = await Promise.all(Array.from({ length: 5 }, () => store.claimBreakerTrial('sms', 'twilio', 1, '2025-03-01T09:05:00.000Z', '2025-03-01T09:03:00.000Z')));
      const duringTrial = await store.breakers('sms');
      const closed = await store.setBreaker('sms', 'twilio', 1, false, '2025-03-01T09:05:01.000Z');
      const staleClose = await store.setBreaker('sms', 'twilio', 1, false, '2025-03-01T09:05:02.000Z');

      // Assess
      expect(opened.filter(Boolean)).toHaveLength(1);
      expect(afterOpen).toEqual([{ provider: 'twilio', open: true, since: AT, version: 1 }]);
      expect(trials.filter(Boolean)).toHaveLength(1);
      expect(duringTrial[0]?.trialStartedAt).toBe('2025-03-01T09:05:00.000Z');
      expect(closed).toBe(true);
      expect(staleClose).toBe(false);
      expect(await store.breakers('sms')).toEqual([{ provider: 'twilio', open: false, since: '2025-03-01T09:05:01.000Z', version: 2 }]);
      expect(await store.breakers('whatsapp')).toEqual([]);
      expect(await store.shifts('sms')).toEqual([]);
    });

    it('moves a weighted share off a provider once when many invocations fail past the threshold together', async () => {
      // Prepare
      const weighted = new ProviderFailover(store, new FixedClock(AT), { errors: 5, windowSeconds: 60, cooldownSeconds: 300 }, { routeCacheSeconds: 0, random: () => 0 }).weighted;
      const shares = [{ name: 'twilio' as const, weight: 50 }, { name: 'aws-sms' as const, weight: 50 }];
      const pick = { provider: 'twilio' as const, trial: false, version: 0 };

      // Act
      await Promise.all(Array.from({ length: 20 }, () => weighted.failed('sms', shares, pick, new ProviderError('twilio', 'connectionFailed', 'twilio answered 503'))));
      const picks = await Promise.all(Array.from({ length: 4 }, () => weighted.choose('sms', shares)));

      // Assess
      expect(picks.map((next) => next.provider)).toEqual(['aws-sms', 'aws-sms', 'aws-sms', 'aws-sms']);
      expect(await store.shifts('sms')).toEqual([expect.objectContaining({ from: 'twilio', to: 'aws-sms', count: 1 })]);
    });
  });
}
