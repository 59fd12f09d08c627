import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { get } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import twilio from 'twilio';
import { afterAll, describe, expect, it, vi } from 'vitest';

const repositoryRoot = resolve(import.meta.dirname, '../..');
const dataDir = mkdtempSync(join(tmpdir(), 'crier-start-'));

interface Started {
  child: ChildProcess;
  output: () => string;
  baseUrl: string;
  operatorKey: string;
}

/** Runs `local/main.ts` as `npm start` does (tsx), on a free port, and waits for its banner. */
async function start(env: Record<string, string>): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'local/main.ts'], {
    cwd: repositoryRoot,
    env: { ...process.env, PORT: '0', DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const banner = /Operator API key\s+(\S+)/;
  // Until the banner is out, or crier has exited (no use waiting the rest of the time then).
  await vi.waitFor(
    () => {
      if (child.exitCode === null && !banner.test(output)) throw new Error(`crier did not start:\n${output}`);
    },
    { timeout: 30_000, interval: 100 },
  );
  if (!banner.test(output)) throw new Error(`crier exited early:\n${output}`);
  return {
    child,
    output: () => output,
    baseUrl: /Base URL\s+(\S+)/.exec(output)![1]!,
    operatorKey: /Operator API key\s+(\S+)/.exec(output)![1]!,
  };
}

async function stopWithCtrlC(started: Started): Promise<number | null> {
  started.child.kill('SIGINT');
  const [code] = (await once(started.child, 'exit')) as [number | null];
  return code;
}

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** What one GET of /health came to: an answer, a refused connection (nothing listening yet), or no answer in time. */
type Probe = { kind: 'answer'; status: number; retryAfter: string | undefined; body: string } | { kind: 'refused' } | { kind: 'timeout' } | { kind: 'error'; message: string };

/** Far longer than any answer takes, even on a loaded machine: a request still waiting then is hanging. */
const PROBE_TIMEOUT_MS = 15_000;

function probeHealth(port: number): Promise<Probe> {
  return new Promise((resolve) => {
    // A fresh connection each time (no agent), as a new client arriving would open one.
    const request = get({ host: '127.0.0.1', port, path: '/health', agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ kind: 'answer', status: response.statusCode ?? 0, retryAfter: response.headers['retry-after'], body }));
    });
    request.setTimeout(PROBE_TIMEOUT_MS, () => {
      resolve({ kind: 'timeout' });
      request.destroy();
    });
    request.on('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED' ? { kind: 'refused' } : { kind: 'error', message: error.message }));
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('npm start', () => {
  // Each start of the stack costs seconds of a 2-core machine, so the cases below share starts
  // where one run can show several things: the banner, HOST and a refused second stack on one
  // run; what is kept across a restart on one pair; a killed stack's lock and the first instants
  // of the next start on another.
  it('prints the base URL, operator key, Twilio dev token and how to text it; listens where HOST says, warning it is reachable; refuses a second stack on its DATA_DIR, naming it; stops cleanly on Ctrl-C', async () => {
    // Prepare / Act
    const started = await start({ HOST: '0.0.0.0' });
    const port = new URL(started.baseUrl).port;
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    const second = spawn(process.execPath, ['--import', 'tsx', 'local/main.ts'], {
      cwd: repositoryRoot,
      env: { ...process.env, PORT: '0', DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let secondStderr = '';
    second.stderr?.on('data', (chunk: Buffer) => (secondStderr += chunk.toString()));
    const [secondCode] = (await once(second, 'exit')) as [number | null];
    const healthAfterSecond = await fetch(`${started.baseUrl}/health`);
    const topics = await fetch(`${started.baseUrl}/v1/topics`, { headers: { authorization: `Bearer ${started.operatorKey}` } });
    const exitCode = await stopWithCtrlC(started);

    // Assess: the banner
    expect(health.status).toBe(200);
    expect(started.output()).toContain('Twilio dev token  crier-local-dev-token');
    expect(started.output()).toMatch(/npx crier simulate text \+44\d+ "JOIN TRAFFIC"/);
    expect(started.output()).toContain('crier: stopped.');
    expect(exitCode).toBe(0);
    expect(started.output()).toContain('Staff accounts    operator@crier.test (operator), sender@crier.test (sender), approver@crier.test (approver)');
    const password = /Staff password\s+(\S+)/.exec(started.output())?.[1];
    expect(readFileSync(join(dataDir, 'staff-password'), 'utf8').trim()).toBe(password);
    expect(statSync(join(dataDir, 'staff-password')).mode & 0o777).toBe(0o600);
    // Assess: HOST
    expect(started.output()).toContain(`Listening on      0.0.0.0:${port}   (REACHABLE FROM OTHER MACHINES: /sandbox has no authentication`);
    // Assess: the second stack on the same DATA_DIR, refused, the first still serving
    expect(secondCode).toBe(1);
    expect(secondStderr).toContain(`crier: DATA_DIR ${dataDir} is in use by the crier running on port ${port} (pid ${started.child.pid},`);
    expect(secondStderr).not.toMatch(/Database is closed|\n\s+at /);
    expect(healthAfterSecond.status).toBe(200);
    expect(topics.status).toBe(200);
  });

  it('starts on a DATA_DIR whose stack was killed, taking over its lock, and answers every request from its first instant: 503 with Retry-After while starting, then 200, and none hangs', async () => {
    // Prepare: a stack killed outright, leaving its lock behind
    const killed = await start({});
    killed.child.kill('SIGKILL');
    await once(killed.child, 'exit');
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'local/main.ts'], {
      cwd: repositoryRoot,
      env: { ...process.env, PORT: String(port), DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));

    // Act: ask again and again from before the port is bound until /health is 200 (or a request
    // hangs). Polling by hand is the point here: every request along the way is part of the result.
    const answered: Probe[] = [];
    for (;;) {
      if (child.exitCode !== null) throw new Error(`crier exited early:\n${output}`);
      const probe = await probeHealth(port);
      if (probe.kind !== 'refused') answered.push(probe);
      if (probe.kind === 'timeout' || (probe.kind === 'answer' && probe.status === 200)) break;
      await sleep(20);
    }
    await vi.waitFor(() => expect(output).toContain('Operator API key'), { timeout: 30_000 });
    const operatorKey = /Operator API key\s+(\S+)/.exec(output)![1]!;
    const topics = await fetch(`http://127.0.0.1:${port}/v1/topics`, { headers: { authorization: `Bearer ${operatorKey}` } });
    const exitCode = await stopWithCtrlC({ child, output: () => output, baseUrl: '', operatorKey });

    // Assess
    expect(answered.filter((probe) => probe.kind !== 'answer')).toEqual([]);
    const whileStarting = answered.slice(0, -1);
    expect(whileStarting.length).toBeGreaterThan(0);
    for (const probe of whileStarting) {
      expect(probe).toMatchObject({ kind: 'answer', status: 503, retryAfter: '1' });
      expect(JSON.parse((probe as { body: string }).body)).toEqual({ error: 'crier is starting; try again in a moment', details: [] });
    }
    expect(answered.at(-1)).toMatchObject({ kind: 'answer', status: 200 });
    expect(output).toContain(`crier: listening on http://127.0.0.1:${port}; starting`);
    expect(output).toContain(`Listening on      127.0.0.1:${port}   (this machine only; set HOST to change)`);
    expect(topics.status).toBe(200);
    expect(exitCode).toBe(0);
  }, 90_000);

  // Its own time limit: two starts of `npm start` (each waits up to 30 s for its key) and a
  // delivered receipt (20 s) are more than the suite's 30 s, so under load it timed out with nothing wrong.
  it('keeps the data, the operator key and the sandbox outbox (receipts included) when started again', async () => {
    // Prepare: a topic is made, and a resident texts HELP, whose answer goes out through the sandbox and is delivered.
    const resident = '+447700900177';
    const first = await start({});
    const created = await fetch(`${first.baseUrl}/v1/topics`, {
      method: 'POST',
      headers: { authorization: `Bearer ${first.operatorKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'roadworks', name: 'Roadworks', keywords: ['ROADWORKS'] }),
    });
    expect(created.status).toBe(201);
    const params = { MessageSid: `SM${'7'.repeat(32)}`, AccountSid: `AC${'0'.repeat(32)}`, From: resident, To: '+447700900000', Body: 'HELP', NumMedia: '0' };
    const inbound = await fetch(`${first.baseUrl}/webhooks/twilio/inbound`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilio.getExpectedTwilioSignature('crier-local-dev-token', `${first.baseUrl}/webhooks/twilio/inbound`, params),
      },
      body: new URLSearchParams(params).toString(),
    });
    expect(inbound.status).toBe(200);
    const outboxOf = async (baseUrl: string) =>
      ((await (await fetch(`${baseUrl}/sandbox/messages?to=${encodeURIComponent(resident)}`)).json()) as { messages: { id: string; status: string; body: string }[] }).messages;
    const sent = await vi.waitFor(
      async () => {
        const messages = await outboxOf(first.baseUrl);
        expect(messages).toMatchObject([{ status: 'delivered' }]);
        return messages;
      },
      { timeout: 20_000, interval: 200 },
    );
    await stopWithCtrlC(first);

    // Act
    const second = await start({});
    const topic = await fetch(`${second.baseUrl}/v1/topics/roadworks`, {
      headers: { authorization: `Bearer ${second.operatorKey}` },
    });
    const kept = await outboxOf(second.baseUrl);
    await stopWithCtrlC(second);

    // Assess
    expect(second.operatorKey).toBe(first.operatorKey);
    expect(topic.status).toBe(200);
    expect(await topic.json()).toMatchObject({ id: 'roadworks', keywords: ['ROADWORKS'] });
    expect(kept).toEqual(sent);
    expect(second.output()).toContain('(kept in DATA_DIR: the last 7 days, at most 10,000 messages)');
  }, 90_000);

  it('fails with a clear message when the port is already in use', async () => {
    // Prepare
    const blocker = createServer();
    blocker.listen(0);
    await once(blocker, 'listening');
    const port = (blocker.address() as { port: number }).port;

    // Act
    const child = spawn(process.execPath, ['--import', 'tsx', 'local/main.ts'], {
      cwd: repositoryRoot,
      env: { ...process.env, PORT: String(port), DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];
    blocker.close();

    // Assess
    expect(code).toBe(1);
    expect(stderr).toContain(`port ${port} is already in use`);
  });

  it('refuses a malformed setting before starting anything, naming it', async () => {
    // Prepare / Act
    const child = spawn(process.execPath, ['--import', 'tsx', 'local/main.ts'], {
      cwd: repositoryRoot,
      env: { ...process.env, PORT: '0', DATA_DIR: dataDir, SANDBOX_FAILURE_RATE: '2' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];

    // Assess
    expect(code).toBe(2);
    expect(stderr).toContain('SANDBOX_FAILURE_RATE');
  });
});
