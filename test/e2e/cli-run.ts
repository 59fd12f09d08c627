import { execFile, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { inject } from 'vitest';

const repoRoot = resolve(import.meta.dirname, '../..');

export interface CrierRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the `crier` CLI as a user would, in a child process: the bundle the global setup built from
 * cli/ (cli.test.ts runs bin/crier.js itself). Asynchronous on purpose: the stack it talks to runs
 * in the test's process and must keep serving while the child waits.
 */
export function crier(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 30_000): Promise<CrierRun> {
  return runCli(inject('crierCli'), args, env, timeoutMs);
}

/** Runs `node bin/crier.js …`, the entry point `npx crier` runs: the sources through tsx. */
export function crierFromSources(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 30_000): Promise<CrierRun> {
  return runCli(join(repoRoot, 'bin', 'crier.js'), args, env, timeoutMs);
}

function runCli(entry: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<CrierRun> {
  return new Promise((done) => {
    execFile(process.execPath, [entry, ...args], { cwd: repoRoot, env, timeout: timeoutMs }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      done({ code, stdout, stderr });
    });
  });
}

/**
 * Runs `node bin/crier.js …` with its output piped into a reader that has already gone, as
 * `npx crier … | head` leaves it once head has read its lines: the reader's end of the pipe is
 * closed at once, long before the CLI (a second to start) writes anything, so every write of
 * the CLI meets a closed pipe.
 */
export function crierIntoClosedPipe(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 30_000): Promise<{ code: number | null; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(repoRoot, 'bin', 'crier.js'), ...args], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stderr }));
  });
}

/**
 * The environment that runs the CLI on the test's clock (this process's Date, faked with
 * vi.useFakeTimers): the child starts at what that clock reads now. Build it for each run.
 */
export function onTestClock(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const preload = `--import ${pathToFileURL(join(repoRoot, 'test', 'support', 'injected-clock.mjs')).href}`;
  return { ...env, NODE_OPTIONS: [env.NODE_OPTIONS, preload].filter(Boolean).join(' '), TEST_CLOCK_NOW: new Date().toISOString() };
}

/** This process's environment without anything that would point the CLI elsewhere. */
export function isolatedEnv(home: string, overrides: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^(CRIER_|TWILIO_)|^(PUBLIC_BASE_URL|DATA_DIR|XDG_CONFIG_HOME|HOME)$/.test(name)) env[name] = value;
  }
  // No config file and no local operator key of the developer's can leak into a run.
  return { ...env, HOME: home, XDG_CONFIG_HOME: join(home, 'config'), DATA_DIR: join(home, 'data'), ...overrides };
}

/** The broadcast id a command printed first ("broadcast <id>: …"). */
export function broadcastIdIn(stdout: string): string {
  return /^broadcast ([0-9a-z]{26}):/m.exec(stdout)?.[1] ?? 'missing';
}
