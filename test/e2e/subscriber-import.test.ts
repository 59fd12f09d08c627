import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../../local/stack.js';
import { LocalStackClient } from '../support/local-stack-client.js';

const repoRoot = resolve(import.meta.dirname, '../..');
const fixture = (name: string) => join(repoRoot, 'events', 'subscriber-import', name);

interface CrierRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Importing residents and erasing one, end to end: a local stack in this process, the `crier` CLI
 * as a child process against it (as staff run it), and the resident's phone as signed webhooks.
 */
describe('subscriber import and erasure on the local stack', () => {
  const authToken = 'import-e2e-token';
  let stack: LocalStack;
  let client: LocalStackClient;
  let home: string;

  function crier(args: string[]): Promise<CrierRun> {
    const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, 'config'), DATA_DIR: join(home, 'data'), CRIER_URL: stack.baseUrl, CRIER_API_KEY: stack.operatorKey };
    return new Promise((done) => {
      execFile(process.execPath, [join(repoRoot, 'bin', 'crier.js'), ...args], { cwd: repoRoot, env, timeout: 30_000 }, (error, stdout, stderr) => {
        done({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
      });
    });
  }

  async function postCsv(csv: string, contentType = 'text/csv'): Promise<{ status: number; json: any }> {
    const response = await fetch(`${stack.baseUrl}/v1/subscribers/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.operatorKey}`, 'content-type': contentType },
      body: csv,
    });
    return { status: response.status, json: await response.json() };
  }

  beforeAll(async () => {
    stack = await startLocalStack({ port: 0, twilio: { authToken }, sandbox: { failureRate: 0 } });
    client = new LocalStackClient(stack, authToken);
    home = mkdtempSync(join(tmpdir(), 'crier-import-'));
    const youth = await client.api('POST', '/v1/topics', { id: 'youth', name: 'Youth news', keywords: ['YOUTH'], department: 'youth' });
    const traffic = await client.api('POST', '/v1/topics', { id: 'traffic', name: 'Traffic alerts', keywords: ['TRAFFIC'] });
    expect([youth.status, traffic.status]).toEqual([201, 201]);
  });
  afterAll(async () => {
    await stack?.stop();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('imports a CSV file with the CLI, and the residents are there with their profile and evidence', async () => {
    // Act
    const run = await crier(['subscribers', 'import', fixture('residents.csv')]);
    const shown = await crier(['subscribers', 'show', '+447700900301']);

    // Assess
    expect(run).toEqual(expect.objectContaining({ code: 0 }));
    expect(run.stdout).toMatch(/imported 3 of 3 rows \(batch imp-[0-9a-f]{24}\); 0 already subscribed/);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/language:\s+cy/);
    expect(shown.stdout).toMatch(/area:\s+CF10/);
    expect(shown.stdout).toMatch(/age band:\s+16-17/);
    expect(shown.stdout).toContain('paper form by Grangetown youth club on 2025-02-20');
    const whatsapp = await client.api('GET', '/v1/subscribers/%2B447700900302');
    expect(whatsapp.json.subscriptions).toEqual([expect.objectContaining({ topicId: 'youth', channel: 'whatsapp' })]);
  });

  it('reports each bad row by line with the CLI, exits 1, and stores none of the file', async () => {
    // Act
    const run = await crier(['subscribers', 'import', fixture('bad-rows.csv')]);
    const goodRow = await client.api('GET', '/v1/subscribers/%2B447700900311');

    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('nothing was imported');
    for (const line of ['line 3: phone', 'line 4: topic', 'line 5: channel', 'line 6: phone: repeats line 2']) expect(run.stderr).toContain(line);
    expect(goodRow.status).toBe(404);
  });

  it('takes only text/csv, and names the content type otherwise', async () => {
    // Act
    const response = await postCsv(JSON.stringify({ csv: readFileSync(fixture('residents.csv'), 'utf8') }), 'application/json');

    // Assess
    expect(response.status).toBe(400);
    expect(response.json.details).toEqual([{ field: 'content-type', message: expect.stringContaining('must be text/csv') }]);
  });

  it('erases an imported resident who got a broadcast and texted: lookups 404, and no log or inbox holds the number', async () => {
    // Prepare
    const phone = '+447700900301';
    const broadcast = await client.api('POST', '/v1/broadcasts', { topics: ['youth'], body: 'Youth club is open on Sunday', priority: 'normal' });
    expect(broadcast.status).toBe(201);
    await stack.settled();
    expect((await client.outbox(phone)).map((message) => message.body.split('\n')[0])).toContain('Youth club is open on Sunday');
    expect((await client.text(phone, 'Can my brother come along to Sunday club?')).status).toBe(200);
    await stack.settled();
    const before = await client.api('GET', `/v1/inbox?department=youth&from=${encodeURIComponent(phone)}`);
    expect(before.json.messages).toHaveLength(1);

    // Act
    const erased = await client.api('DELETE', `/v1/subscribers/${encodeURIComponent(phone)}`);

    // Assess
    expect(erased.status).toBe(204);
    expect((await client.api('GET', `/v1/subscribers/${encodeURIComponent(phone)}`)).status).toBe(404);
    expect((await client.api('GET', `/v1/inbox?department=youth&from=${encodeURIComponent(phone)}`)).json.messages).toEqual([]);
    const inbox = await client.api('GET', '/v1/inbox?department=youth');
    expect(JSON.stringify(inbox.json)).not.toContain('brother');
    expect(inbox.json.messages).toEqual([expect.objectContaining({ from: '[erased]', body: '[erased]' })]);
    const audit = await client.api('GET', '/v1/audit?limit=50');
    expect(JSON.stringify(audit.json)).not.toContain('7700900301');
    expect((await client.api('DELETE', `/v1/subscribers/${encodeURIComponent(phone)}`)).status).toBe(404);
  });

  it('never imports an erased number again, but takes a keyword the resident texts as fresh consent', async () => {
    // Prepare
    const phone = '+447700900301';

    // Act
    const reimport = await postCsv(readFileSync(fixture('residents.csv'), 'utf8').replace('Grangetown', 'Butetown'));
    const texted = await client.text(phone, 'JOIN TRAFFIC');
    await stack.settled();

    // Assess
    expect(reimport.status).toBe(400);
    expect(reimport.json.details).toEqual([{ field: 'line 2: phone', message: expect.stringContaining('erased') }]);
    expect(texted.status).toBe(200);
    const resident = await client.api('GET', `/v1/subscribers/${encodeURIComponent(phone)}`);
    expect(resident.json.subscriptions).toEqual([expect.objectContaining({ topicId: 'traffic' })]);
  });
});
