import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../../local/stack.js';
import { LocalStackClient } from '../support/local-stack-client.js';
import { crier, isolatedEnv } from './cli-run.js';

/**
 * Staff records on a local stack, through `crier staff` as an operator runs it: a person added
 * with a department and a role, listed, refused a second time under their email, removed (their
 * record stays, marked), and each change in the audit log naming them.
 */
describe('crier staff against the local stack', () => {
  const authToken = 'staff-e2e-twilio-token';
  let stack: LocalStack;
  let client: LocalStackClient;
  let home: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    stack = await startLocalStack({ port: 0, twilio: { authToken }, sandbox: { failureRate: 0 } });
    client = new LocalStackClient(stack, authToken);
    home = mkdtempSync(join(tmpdir(), 'crier-staff-'));
    env = isolatedEnv(home, { CRIER_URL: stack.baseUrl, CRIER_API_KEY: stack.operatorKey });
  });
  afterAll(async () => {
    await stack?.stop();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('adds, lists and removes a member of staff, each change audited with their email', async () => {
    // Prepare
    const add = ['staff', 'add', 'Youth.Worker@Council.test', '--name', 'Youth worker', '--role', 'sender', '--department', 'youth', '--test'];

    // Act
    const added = await crier(add, env);
    const id = /\(id (\S+)\)$/m.exec(added.stdout)?.[1] ?? 'missing';
    const again = await crier(['staff', 'add', 'youth.worker@council.test', '--name', 'Twin', '--role', 'viewer', '--department', 'youth'], env);
    const listed = await crier(['staff', 'list'], env);
    const removed = await crier(['staff', 'remove', id], env);
    const afterwards = await crier(['staff', 'list'], env);
    const audit = await client.api('GET', '/v1/audit');

    // Assess
    expect(added).toMatchObject({ code: 0, stderr: '' });
    expect(added.stdout).toContain('added youth.worker@council.test as test sender in department youth');
    expect(again).toMatchObject({ code: 1, stdout: '', stderr: 'error: a member of staff already has the email address youth.worker@council.test\n' });
    expect(listed.stdout).toMatch(/^ID\s+EMAIL\s+NAME\s+ROLE\s+DEPARTMENT\s+MODE\s+STATUS$/m);
    expect(listed.stdout).toMatch(new RegExp(`^${id}\\s+youth\\.worker@council\\.test\\s+Youth worker\\s+sender\\s+youth\\s+test\\s+current$`, 'm'));
    expect(removed).toMatchObject({ code: 0, stdout: `removed member of staff ${id}\n`, stderr: '' });
    expect(afterwards.stdout).toMatch(new RegExp(`^${id}\\s+youth\\.worker@council\\.test\\s+.*removed \\S+`, 'm'));
    expect(audit.json.entries.slice(0, 2)).toEqual([
      expect.objectContaining({ action: 'staff.remove', target: { type: 'staff', id }, before: expect.objectContaining({ email: 'youth.worker@council.test' }) }),
      expect.objectContaining({ action: 'staff.add', target: { type: 'staff', id }, after: expect.objectContaining({ email: 'youth.worker@council.test', role: 'sender' }) }),
    ]);
  });

  it('changes a member of staff in place (role, department, live), audited with before and after; refuses a change of nothing', async () => {
    // Prepare
    const added = await crier(['staff', 'add', 'changing@council.test', '--name', 'Changing', '--role', 'sender', '--department', 'youth', '--test'], env);
    const id = /\(id (\S+)\)$/m.exec(added.stdout)?.[1] ?? 'missing';

    // Act
    const changed = await crier(['staff', 'change', id, '--role', 'approver', '--department', 'traffic', '--live'], env);
    const nothing = await crier(['staff', 'change', id], env);
    const audit = await client.api('GET', '/v1/audit');

    // Assess
    expect(changed).toMatchObject({ code: 0, stdout: `changing@council.test is now a live approver in department traffic (id ${id})\n`, stderr: '' });
    expect(nothing).toMatchObject({ code: 2, stdout: '' });
    expect(nothing.stderr).toContain('give at least one of --role, --department, --live or --test');
    expect(audit.json.entries[0]).toEqual(
      expect.objectContaining({
        action: 'staff.change',
        target: { type: 'staff', id },
        before: expect.objectContaining({ role: 'sender', department: 'youth', mode: 'test' }),
        after: expect.objectContaining({ role: 'approver', department: 'traffic', mode: 'live' }),
      }),
    );
  });

  it('answers 404 for removing someone never added, and refuses a bad email naming the field', async () => {
    // Prepare / Act
    const unknown = await client.api('DELETE', '/v1/staff/nobody');
    const badEmail = await client.api('POST', '/v1/staff', { email: 'not an address', name: 'X', role: 'viewer', department: 'youth' });

    // Assess
    expect(unknown).toEqual({ status: 404, json: { error: 'no member of staff nobody', details: [] } });
    expect(badEmail.status).toBe(400);
    expect(badEmail.json.details).toEqual([{ field: 'email', message: 'must be an email address' }]);
  });

  it('refuses a sender key, in a sentence', async () => {
    // Prepare
    const sender = await client.api('POST', '/v1/keys', { name: 'Youth team', role: 'sender', department: 'youth', mode: 'live' });

    // Act
    const run = await crier(['staff', 'list'], { ...env, CRIER_API_KEY: sender.json.key });

    // Assess
    expect(run).toMatchObject({ code: 1, stdout: '', stderr: 'error: a sender key may not add, list or remove staff\n' });
  });
});
