import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

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
  const deadline = Date.now() + 30_000;
  while (!/Operator API key\s+(\S+)/.test(output)) {
    if (child.exitCode !== null) throw new Error(`crier exited early:\n${output}`);
    if (Date.now() > deadline) throw new Error(`crier did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
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

describe('npm start', () => {
  it('prints the base URL, operator key, Twilio dev token and how to text it, and stops cleanly on Ctrl-C', async () => {
    // Prepare / Act
    const started = await start({});
    const health = await fetch(`${started.baseUrl}/health`);
    const exitCode = await stopWithCtrlC(started);

    // Assess
    expect(health.status).toBe(200);
    expect(started.output()).toContain('Twilio dev token  crier-local-dev-token');
    expect(started.output()).toMatch(/npx crier simulate text \+44\d+ "JOIN TRAFFIC"/);
    expect(started.output()).toContain('crier: stopped.');
    expect(exitCode).toBe(0);
  });

  it('keeps the data (and the operator key) when started again', async () => {
    // Prepare
    const first = await start({});
    const created = await fetch(`${first.baseUrl}/v1/topics`, {
      method: 'POST',
      headers: { authorization: `Bearer ${first.operatorKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'roadworks', name: 'Roadworks', keywords: ['ROADWORKS'] }),
    });
    expect(created.status).toBe(201);
    await stopWithCtrlC(first);

    // Act
    const second = await start({});
    const topic = await fetch(`${second.baseUrl}/v1/topics/roadworks`, {
      headers: { authorization: `Bearer ${second.operatorKey}` },
    });
    await stopWithCtrlC(second);

    // Assess
    expect(second.operatorKey).toBe(first.operatorKey);
    expect(topic.status).toBe(200);
    expect(await topic.json()).toMatchObject({ id: 'roadworks', keywords: ['ROADWORKS'] });
  });

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
