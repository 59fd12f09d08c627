import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startLocalStack, type LocalStack } from '../../local/stack.js';
import { LocalStackClient } from '../support/local-stack-client.js';
import { crier, isolatedEnv } from './cli-run.js';

/**
 * A broadcast's delivery report on a local stack: a sender sends to three residents, and the
 * report (`GET /v1/broadcasts/{id}/report`, `crier broadcasts report`) lists each of them, with
 * whole numbers for the operator and masked ones for the sender, page by page; an erased
 * resident's line is gone.
 */
describe('the delivery report of a broadcast', () => {
  const authToken = 'delivery-report-token';
  const residents = ['+447700900701', '+447700900702', '+447700900703'];
  let stack: LocalStack;
  let client: LocalStackClient;
  let senderKey: string;
  let broadcastId: string;
  let home: string;

  beforeAll(async () => {
    stack = await startLocalStack({ port: 0, twilio: { authToken }, sandbox: { failureRate: 0, receiptDelayMs: 10 } });
    client = new LocalStackClient(stack, authToken);
    home = mkdtempSync(join(tmpdir(), 'crier-report-'));
    expect((await client.api('POST', '/v1/topics', { id: 'roads', name: 'Roadworks', keywords: ['ROADS'] })).status).toBe(201);
    for (const phone of residents) expect((await client.text(phone, 'JOIN ROADS')).status).toBe(200);
    const key = await client.api('POST', '/v1/keys', { name: 'Roads team', role: 'sender', department: 'general', mode: 'live' });
    expect(key.status).toBe(201);
    senderKey = key.json.key;
    await stack.settled();
    const created = await client.api('POST', '/v1/broadcasts', { topics: ['roads'], body: 'The A470 is closed tonight from 8pm.', priority: 'normal' }, senderKey);
    expect(created.status).toBe(201);
    broadcastId = created.json.id;
    await vi.waitFor(
      async () => expect((await client.api('GET', `/v1/broadcasts/${broadcastId}`)).json).toMatchObject({ status: 'sent', counts: { delivered: 3 } }),
      { timeout: 60_000, interval: 200 },
    );
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  const rowsOf = (csv: string) => parse(csv, { columns: true }) as Record<string, string>[];

  it('shows the operator every resident with the whole number, delivered, as a CSV file', async () => {
    // Act
    const report = await client.apiText(`/v1/broadcasts/${broadcastId}/report`);

    // Assess
    expect(report.status).toBe(200);
    expect(report.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(report.headers.get('content-disposition')).toBe(`attachment; filename="broadcast-${broadcastId}-report.csv"`);
    expect(report.headers.get('link')).toBeNull();
    const rows = rowsOf(report.text);
    // A whole number starts with +, which a spreadsheet would take for a formula: hence the apostrophe.
    expect(rows.map((row) => row.number)).toEqual(residents.map((phone) => `'${phone}`));
    expect(rows.map((row) => [row.channel, row.status, row.reason])).toEqual(residents.map(() => ['sms', 'delivered', '']));
    expect(rows.every((row) => !Number.isNaN(Date.parse(row.time!)))).toBe(true);
  });

  it('shows the sender who sent it the numbers masked but their last 3 digits', async () => {
    // Act
    const report = await client.apiText(`/v1/broadcasts/${broadcastId}/report`, senderKey);

    // Assess
    expect(report.status).toBe(200);
    expect(rowsOf(report.text).map((row) => row.number)).toEqual(['*********701', '*********702', '*********703']);
    expect(report.text).not.toContain('7700900');
  });

  it('gives the report a page at a time, each page saying where the next is', async () => {
    // Prepare
    const pages: string[] = [];
    let path: string | undefined = `/v1/broadcasts/${broadcastId}/report?limit=2`;

    // Act
    while (path) {
      const page = await client.apiText(path);
      expect(page.status).toBe(200);
      pages.push(page.text);
      path = /^<([^>]+)>; rel="next"$/.exec(page.headers.get('link') ?? '')?.[1];
    }

    // Assess
    expect(pages.map((page) => rowsOf(page).map((row) => row.number))).toEqual([
      [`'${residents[0]}`, `'${residents[1]}`],
      [`'${residents[2]}`],
    ]);
  });

  it('is written whole by crier broadcasts report, the header once, across pages', async () => {
    // Prepare
    const env = isolatedEnv(home, { CRIER_URL: stack.baseUrl, CRIER_API_KEY: senderKey });

    // Act
    const run = await crier(['broadcasts', 'report', broadcastId, '--page-size', '1'], env);

    // Assess
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout.split('\r\n').filter((line) => line.startsWith('number,'))).toHaveLength(1);
    expect(rowsOf(run.stdout).map((row) => row.number)).toEqual(['*********701', '*********702', '*********703']);
  });

  it("leaves out a resident who was erased", async () => {
    // Prepare
    const erased = residents[1]!;

    // Act
    expect((await client.api('DELETE', `/v1/subscribers/${encodeURIComponent(erased)}`)).status).toBe(204);
    const report = await client.apiText(`/v1/broadcasts/${broadcastId}/report`);

    // Assess
    expect(rowsOf(report.text).map((row) => row.number)).toEqual([`'${residents[0]}`, `'${residents[2]}`]);
  });
});
