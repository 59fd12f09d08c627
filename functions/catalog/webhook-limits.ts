import type { RouteThrottle } from '../catalog-types.js';

/**
 * The webhooks' own limits at API Gateway, apart from the admin API's. Receipts: during a large
 * broadcast a provider posts two or three status callbacks per message, and a throttled callback
 * is not retried, so the limit sits well above the senders' combined rate. Residents' texts come
 * far slower than receipts, but a throttled one is lost (it may be a STOP): the limit is kept
 * high all the same, with room for a burst of replies after a broadcast.
 */
export const webhookThrottles = {
  inbound: { ratePerSecond: 200, burst: 400 },
  receipts: { ratePerSecond: 500, burst: 1000 },
} as const satisfies Record<string, RouteThrottle>;

/**
 * Reserved concurrency of the webhooks: their throttle's rate times a generous 0.2-0.25 s a
 * request (a warm webhook takes tens of milliseconds: a few DynamoDB writes and one SQS send).
 * 250 in all, out of the account's 1,000 by default; Lambda keeps at least 100 unreserved.
 */
export const webhookConcurrency = { inbound: 50, receipts: 100 } as const;
