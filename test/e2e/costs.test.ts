import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../../local/stack.js';
import { smsSegmentsOf, type PriceTable } from '../../shared/domain/sms-preview.js';
import { LocalStackClient } from '../support/local-stack-client.js';
import { crier, isolatedEnv } from './cli-run.js';

/** Rates unlike the built-in ones, so the test shows PRICE_TABLE reached the senders. */
const prices: PriceTable = {
  sms: { perSegment: 0.09, byCountry: { GB: 0.035, IE: 0.061 } },
  whatsapp: { perMessage: 0.02 },
  currency: 'GBP',
};
const rateOf: Record<string, number> = { '+44': 35_000, '+353': 61_000 };

/**
 * Costs on the local stack: a broadcast to residents in two countries, with a character that
 * forces UCS-2, shows as its estimated cost the sum of each message's segments × its country's
 * rate, and the department's day shows the same, beside what its replies to residents cost.
 */
describe('costs on the local stack', () => {
  const authToken = 'e2e-costs-token';
  const residents = ['+447700900301', '+447700900302', '+353851230303'];
  let stack: LocalStack;
  let client: LocalStackClient;
  let home: string;
  /** The JOIN confirmations: replies about a topic of `general`, so on its day too. */
  let confirmationsMicros: number;

  beforeAll(async () => {
    stack = await startLocalStack({ port: 0, twilio: { authToken }, sandbox: { failureRate: 0 }, settings: { priceTable: prices } });
    client = new LocalStackClient(stack, authToken);
    home = await mkdtemp(join(tmpdir(), 'crier-costs-'));
    expect((await client.api('POST', '/v1/topics', { id: 'traffic', name: 'Traffic alerts', keywords: ['TRAFFIC'] })).status).toBe(201);
    for (const phone of residents) await client.text(phone, 'JOIN TRAFFIC');
    await stack.settled();
    const confirmations = await client.outbox();
    expect(confirmations).toHaveLength(residents.length);
    confirmationsMicros = costOf(confirmations);
    await fetch(`${stack.baseUrl}/sandbox/messages`, { method: 'DELETE' });
  });
  afterAll(async () => {
    await stack?.stop();
    if (home) await rm(home, { recursive: true, force: true });
  });

  it("shows a broadcast's estimated cost as segments × rate for its recipients, in the API, the department's day and the CLI", async () => {
    // Prepare: the ŵ sends it as UCS-2, which takes this text to three segments
    const body = `Ffordd yr A470 ar gau ger Llanfair-ym-Muallt oherwydd gwrthdrawiad. Defnyddiwch y ffordd drwy Bont-ŵy a dilynwch yr arwyddion.`;

    // Act
    const created = await client.api('POST', '/v1/broadcasts', { topics: ['traffic'], body, priority: 'urgent' });
    await stack.settled(60_000);
    const broadcast = await client.api('GET', `/v1/broadcasts/${created.json.id}`);
    const limits = await client.api('GET', '/v1/departments/general/limits');
    const cliEnv = isolatedEnv(home, { CRIER_URL: stack.baseUrl, CRIER_API_KEY: stack.operatorKey });
    const status = await crier(['broadcasts', 'status', created.json.id], cliEnv);
    const day = await crier(['departments', 'limits', 'general'], cliEnv);

    // Assess: each resident's own message (with its footer) priced at its country's rate
    expect(created.status).toBe(201);
    const outbox = await client.outbox();
    expect(outbox.map((message) => message.to).sort()).toEqual([...residents].sort());
    const expected = costOf(outbox);
    expect(outbox.every((message) => smsSegmentsOf(message.body) >= 2)).toBe(true);
    expect(broadcast.json).toMatchObject({
      status: 'sent',
      counts: { sent: residents.length },
      cost: { currency: 'GBP', estimatedMicros: expected, estimated: expected / 1_000_000 },
    });
    const replies = { currency: 'GBP', estimatedMicros: confirmationsMicros, estimated: confirmationsMicros / 1_000_000 };
    const dayMicros = expected + confirmationsMicros;
    expect(limits.json.costToday).toEqual({ currency: 'GBP', estimatedMicros: dayMicros, estimated: dayMicros / 1_000_000, replies });
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/^cost: +£0\.\d+ GBP \(estimate/m);
    expect(day.stdout).toMatch(/^cost today: +£0\.\d+ GBP \(estimate/m);
    expect(day.stdout).toContain(`of which replies:   £${(confirmationsMicros / 1_000_000).toFixed(4).replace(/0+$/, '')} GBP (answers to residents' texts)`);
  }, 90_000);

  it("shows the department's usage, messages and cost, in GET /v1/usage, its CSV and crier usage", async () => {
    // Prepare: the broadcast above and the JOIN confirmations are general's, all today
    const cliEnv = isolatedEnv(home, { CRIER_URL: stack.baseUrl, CRIER_API_KEY: stack.operatorKey });
    const limits = await client.api('GET', '/v1/departments/general/limits');

    // Act
    const usage = await client.api('GET', '/v1/usage?department=general&by=month');
    const csv = await fetch(`${stack.baseUrl}/v1/usage?department=general&by=month`, { headers: { authorization: `Bearer ${stack.operatorKey}`, accept: 'text/csv' } });
    const table = await crier(['usage', '--department', 'general', '--by', 'month'], cliEnv);

    // Assess: 3 confirmations and 3 broadcast messages, the same cost as the day's
    const { estimatedMicros } = limits.json.costToday;
    const month = (limits.json.today as string).slice(0, 7);
    expect(usage.json.rows).toEqual([
      expect.objectContaining({ department: 'general', period: month, sent: 2 * residents.length, cost: expect.objectContaining({ estimatedMicros }) }),
    ]);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect((await csv.text()).split('\r\n')).toEqual([
      'department,period,messages sent,counted against daily cap,estimated cost,of which replies,currency',
      `general,${month},${2 * residents.length},${residents.length},${estimatedMicros / 1_000_000},${confirmationsMicros / 1_000_000},GBP`,
      '',
    ]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(new RegExp(`^general\\s+${month}\\s+${2 * residents.length}\\s+${residents.length}\\s+`, 'm'));
  });

  /** Each message priced at its destination's rate, on the exact text the sandbox received. */
  function costOf(messages: { to: string; body: string }[]): number {
    return messages.reduce((sum, message) => sum + smsSegmentsOf(message.body) * rateOf[message.to.startsWith('+353') ? '+353' : '+44']!, 0);
  }
});
