import { describe, expect, it } from 'vitest';
import type { TimingSnapshot } from '../../bench/lambda-timing.js';
import { analyse, PRICES, receiptsThroughApiGateway } from '../../bench/report.js';

/** A run of 3,000 messages with their two receipts each and nothing else counted: only receipts cost anything. */
const MESSAGES = 3_000;
const receiptsOnly: TimingSnapshot = {
  receiveCounts: {},
  functions: {},
  http: { 'twilioStatus (delivery receipts)': { calls: 2 * MESSAGES, totalMs: 2 * MESSAGES * 10, maxMs: 20, byStatus: { '200': 2 * MESSAGES } } },
  providerAnswers: {},
};

describe('bench cost model: delivery receipts', () => {
  it('counts no API Gateway request for receipts, which come to the status function URL', () => {
    // Act
    const { cost } = analyse({}, receiptsOnly, MESSAGES, MESSAGES, 0);

    // Assess
    expect(receiptsThroughApiGateway()).toBe(false);
    expect(cost.apiGatewayRequests).toBe(0);
    expect(cost.apiGateway).toBe(0);
  });

  it('still counts each receipt as a Lambda request of the status function', () => {
    // Act
    const { cost, lambda } = analyse({}, receiptsOnly, MESSAGES, MESSAGES, 0);

    // Assess
    expect(lambda.find((row) => row.functionId === 'twilioStatus')?.invocations).toBe(2 * MESSAGES);
    expect(cost.lambdaRequests).toBeCloseTo((2 * MESSAGES * PRICES.lambdaPerMillionRequests) / 1e6, 10);
  });
});
