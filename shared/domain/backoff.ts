const BASE_SECONDS = 2;
const CAP_SECONDS = 900;

/**
 * Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff and
 * Jitter"): retries of many throttled batches spread out instead of arriving together.
 */
export function retryDelaySeconds(receiveCount: number, random: () => number = Math.random): number {
  const ceiling = Math.min(CAP_SECONDS, BASE_SECONDS * 2 ** Math.max(0, receiveCount - 1));
  return Math.max(1, Math.round(ceiling * random()));
}
