/*
 * How many sending functions each lane may run at once, from the rates of the senders the
 * deployment sends from. Built into the stack (each lane's maximum concurrency); the rates are
 * gathered from the deployment's settings in functions/sender-concurrency.ts.
 */

/**
 * Messages a second a 512 MB sending function is counted on for one sender. Not a latency: a
 * function keeps as many sends in flight as its rate times the provider's answer time, and
 * prepares each resident a measured moment before their slot (shared/sending/send-pipeline.ts).
 * What bounds it is the CPU its DynamoDB calls take (a consent read, a claim, an outcome: a few
 * milliseconds of a function's share of a core each), so this stays low, and a lane is never short.
 */
const MESSAGES_PER_SECOND_PER_512_MB = 40;

/**
 * Messages a second one sending function of `memoryMb` is counted on for: Lambda gives a function
 * a share of a core in proportion to its memory, and a sender's work is CPU, so half the memory
 * carries half the rate. A narrower function is not cheaper per message while it is busy, but a
 * lane is never narrower than two (MIN_CONCURRENCY) and a function waiting for its sender's slots
 * is billed for the wait: at 20 msg/s two 256 MB functions wait at half the cost of two 512 MB ones.
 */
export function messagesPerSecondPerFunction(memoryMb: number): number {
  return (MESSAGES_PER_SECOND_PER_512_MB * memoryMb) / 512;
}

/** Lambda's smallest maximum concurrency for an SQS event source, and a ceiling no sender mix needs. */
const MIN_CONCURRENCY = 2;
const MAX_CONCURRENCY = 50;
/** The urgent lane never runs narrower than this: it also carries every reply to a resident's text. */
const MIN_URGENT_CONCURRENCY = 20;

/**
 * How many bulk sending functions may run at once: for each sender, enough to keep up with its
 * rate, and never fewer than two, so one job's end overlaps another's start. No spare per sender:
 * a function waiting for slots is billed for the wait, and the functions sharing a sender each
 * wait while the others send. At 20 msg/s on two senders, four functions (one spare each) spent
 * twice the GB-seconds of two for the same sends, made more booking writes racing each other,
 * and sent at 93.5% of the rate where two sent at 95.6% (`npm run bench`). An unmetered sender
 * (undefined) counts as one function's worth. `functionMemoryMb`: the lane's functions' memory.
 */
export function bulkLaneWidth(senderRates: readonly (number | undefined)[], functionMemoryMb: number): number {
  const perFunction = messagesPerSecondPerFunction(functionMemoryMb);
  const needed = senderRates.reduce<number>((sum, rate) => sum + Math.ceil((rate ?? perFunction) / perFunction), 0);
  return Math.min(MAX_CONCURRENCY, Math.max(MIN_CONCURRENCY, needed));
}

/** The urgent lane: twice the bulk lane, so urgent broadcasts always have room, and never below MIN_URGENT_CONCURRENCY. */
export function urgentLaneWidth(bulkWidth: number): number {
  return Math.min(2 * MAX_CONCURRENCY, Math.max(MIN_URGENT_CONCURRENCY, 2 * bulkWidth));
}
