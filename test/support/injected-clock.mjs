/**
 * Preloaded (`node --import`) into a child process a test runs, such as the `crier` CLI, so the
 * child reads the test's injected clock: `TEST_CLOCK_NOW` is the instant that clock showed when
 * the child was started, and the child's time runs on from there. The test process fakes its own
 * Date with vitest; a child has no vitest, hence these few lines. Plain JavaScript: Node loads it
 * before any TypeScript loader.
 */
const RealDate = globalThis.Date;
const offsetMs = RealDate.parse(process.env.TEST_CLOCK_NOW ?? '') - RealDate.now();
if (Number.isNaN(offsetMs)) throw new Error(`TEST_CLOCK_NOW must be an ISO 8601 instant, not ${JSON.stringify(process.env.TEST_CLOCK_NOW)}`);

class InjectedDate extends RealDate {
  constructor(...args) {
    if (args.length === 0) super(RealDate.now() + offsetMs);
    else super(...args);
  }

  static now() {
    return RealDate.now() + offsetMs;
  }
}

globalThis.Date = InjectedDate;
