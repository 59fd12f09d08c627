import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';

const repoRoot = resolve(import.meta.dirname, '../..');
const crierBin = join(repoRoot, 'bin', 'crier.js');

export interface CrierRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `node bin/crier.js …` as a user would, in a child process. Asynchronous on purpose: the
 * stack it talks to runs in the test's process and must keep serving while the child waits.
 */
export function crier(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 30_000): Promise<CrierRun> {
  return new Promise((done) => {
    execFile(process.execPath, [crierBin, ...args], { cwd: repoRoot, env, timeout: timeoutMs }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      done({ code, stdout, stderr });
    });
  });
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
