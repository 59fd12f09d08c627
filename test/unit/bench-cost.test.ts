import { describe, expect, it } from 'vitest';
import type { TimingSnapshot } from '../../bench/lambda-timing.js';
import { statsKey } from '../../bench/request-counts.js';
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

describe('bench cost model: paced senders', () => {
  const pacedSender = (totalMs: number, accepted: number): TimingSnapshot => ({
    receiveCounts: {},
    functions: { sendBulk: { invocations: 1, records: 1, failedRecords: 0, totalMs, maxMs: totalMs } },
    http: {},
    providerAnswers: { broadcast: { '201': accepted } },
  });

  it('bills a sender at AWS latencies for the time it waited for its slots, which the provider rate sets', () => {
    // Act: a function that sent 250 messages as its share of a sender's rate, 50 s alive, few requests counted.
    const { lambda } = analyse({}, pacedSender(50_000, 250), 250, 250, 0);

    // Assess
    expect(lambda.find((row) => row.functionId === 'sendBulk')?.modelledMs).toBe(50_000);
  });

  it('bills a sender its requests and provider answers when those take longer than it was observed to run', () => {
    // Act: 250 accepted sends at 300 ms each come to 75 s, more than the 1 s observed.
    const { lambda } = analyse({}, pacedSender(1_000, 250), 250, 250, 300);

    // Assess
    expect(lambda.find((row) => row.functionId === 'sendBulk')?.modelledMs).toBe(1 * 2 + 250 * 300);
  });
});

describe('bench cost model: DynamoDB prices', () => {
  it('prices write and read units at today\'s on-demand prices, and shows the total at those before November 2024 beside it', () => {
    // Prepare: one write unit and one read unit a message, nothing else
    const stats = (writeUnits: number, readUnits: number) => ({
      requests: MESSAGES, errors: 0, emptyReceives: 0, messages: 0, billedRequests: MESSAGES, readUnits, writeUnits, reportedUnitRequests: MESSAGES, estimatedUnitRequests: 0,
    });
    const counts = {
      [statsKey('DynamoDB', 'UpdateItem', 'MESSAGE', 'sendBulk')]: stats(MESSAGES, 0),
      [statsKey('DynamoDB', 'GetItem', 'MESSAGE', 'sendBulk')]: stats(0, MESSAGES),
    };

    // Act
    const { cost } = analyse(counts, receiptsOnly, MESSAGES, MESSAGES, 0);

    // Assess: $0.625 and $0.125 per million units today, twice that before
    expect(cost.dynamoWrites).toBeCloseTo((MESSAGES * 0.625) / 1e6, 12);
    expect(cost.dynamoReads).toBeCloseTo((MESSAGES * 0.125) / 1e6, 12);
    expect(cost.totalModelledAtEarlierPrices - cost.totalModelled).toBeCloseTo((MESSAGES * (1.25 - 0.625 + 0.25 - 0.125)) / 1e6, 12);
  });
});
