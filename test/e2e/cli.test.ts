import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../../local/stack.js';
import { LocalStackClient } from '../support/local-stack-client.js';
import { crier, crierFromSources, crierIntoClosedPipe, isolatedEnv } from './cli-run.js';

/** A port that was free a moment ago and has nobody listening on it now. */
async function closedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((closed) => server.close(closed));
  return port;
}

/**
 * The `crier` CLI end to end: a local stack in this process, the CLI spawned as a child process
 * against its HTTP API, exactly as staff would run `npx crier …` next to `npm start`.
 */
describe('crier CLI against the local stack', () => {
  const authToken = 'cli-e2e-twilio-token';
  const alice = '+447700900201';
  let stack: LocalStack;
  let client: LocalStackClient;
  let home: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    stack = await startLocalStack({ port: 0, twilio: { authToken }, sandbox: { failureRate: 0 } });
    client = new LocalStackClient(stack, authToken);
    home = mkdtempSync(join(tmpdir(), 'crier-cli-'));
    env = isolatedEnv(home, {
      CRIER_URL: stack.baseUrl,
      CRIER_API_KEY: stack.operatorKey,
      TWILIO_AUTH_TOKEN: authToken,
      // The stack signs and checks webhooks against its public URL, not the 127.0.0.1 one we call.
      PUBLIC_BASE_URL: stack.publicBaseUrl,
    });
  });
  afterAll(async () => {
    await stack?.stop();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('creates a topic and lists it in a table, through bin/crier.js as `npx crier` runs it', async () => {
    // Prepare
    const create = ['topics', 'create', 'traffic', '--name', 'Traffic alerts', '--keyword', 'TRAFFIC', 'JAMS'];

    // Act: the sources through tsx here; the bundle of the same sources in the other tests, which start faster
    const created = await crierFromSources(create, env);
    const listed = await crierFromSources(['topics', 'list'], env);

    // Assess
    expect(created).toMatchObject({ code: 0, stderr: '' });
    expect(created.stdout).toContain('created topic traffic');
    expect(listed.code).toBe(0);
    const [header, ...rows] = listed.stdout.trim().split('\n');
    expect(header).toMatch(/^ID\s+NAME\s+KEYWORDS\s+DEPARTMENT\s+APPROVAL\s+SUBSCRIBERS$/);
    expect(rows).toEqual([expect.stringMatching(/^traffic\s+Traffic alerts\s+TRAFFIC JAMS\s+general\s+-\s+0$/)]);
  });

  it.each([
    ['the help', ['--help']],
    ['a table from the API', ['topics', 'list']],
  ])('stops quietly with exit 0 when its output is piped into a reader that has closed: %s', async (_case, args) => {
    // Prepare / Act
    const run = await crierIntoClosedPipe(args, env);

    // Assess: no "Error: write EPIPE" stack trace
    expect(run).toEqual({ code: 0, stderr: '' });
  });

  it('simulates a resident texting JOIN TRAFFIC, prints the reply, and shows them as a subscriber', async () => {
    // Prepare
    const text = ['simulate', 'text', alice, 'JOIN TRAFFIC'];

    // Act
    const simulated = await crier(text, env);
    const shown = await crier(['subscribers', 'show', alice], env);
    const messages = await crier(['subscribers', 'messages', alice], env);

    // Assess
    expect(simulated).toMatchObject({ code: 0, stderr: '' });
    expect(simulated.stdout).toContain(`${alice} texted "JOIN TRAFFIC" by SMS`);
    expect(simulated.stdout).toMatch(/^reply: You're subscribed to Traffic alerts\./m);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/^traffic\s+sms\s+\d{4}-/m);
    expect(shown.stdout).toMatch(/opt_in\s+sms\s+traffic\s+texted "JOIN TRAFFIC"/);
    expect(messages).toMatchObject({ code: 0, stderr: '' });
    expect(messages.stdout).toMatch(/^\S+\s+reply\s+-\s+-\s+sms\s+(sending|sent|delivered)\s*$/m);
  });

  it('replies to a resident’s text from the inbox with crier inbox reply', async () => {
    // Prepare
    const bob = '+447700900202';
    await client.textAndCollect(bob, 'Is the bridge open?');
    const listed = await client.api('GET', `/v1/inbox?from=${encodeURIComponent(bob)}`);
    const id: string = listed.json.messages[0].id;

    // Act
    const replied = await crier(['inbox', 'reply', id, 'Yes, both lanes.'], env);

    // Assess
    expect(replied).toMatchObject({ code: 0, stderr: '' });
    expect(replied.stdout).toMatch(new RegExp(`^reply inbox-reply-\\S+ to \\${bob} queued$`, 'm'));
    await expect.poll(async () => (await client.outbox(bob)).map((message) => message.body)).toContain('Yes, both lanes.');
  });

  it('replies from a saved template with crier inbox reply --template, and refuses both text and a template', async () => {
    // Prepare
    const carol = '+447700900203';
    await client.textAndCollect(carol, 'When is the bridge open?');
    const listed = await client.api('GET', `/v1/inbox?from=${encodeURIComponent(carol)}`);
    const id: string = listed.json.messages[0].id;
    const template = await client.api('POST', '/v1/templates', { name: 'Bridge open', body: 'The bridge is open again.', department: listed.json.messages[0].department });
    expect(template.status).toBe(201);

    // Act
    const both = await crier(['inbox', 'reply', id, 'Soon', '--template', template.json.id], env);
    const replied = await crier(['inbox', 'reply', id, '--template', template.json.id], env);

    // Assess
    expect(both.code).not.toBe(0);
    expect(both.stderr).toContain('give the reply text or --template <id>, one of them');
    expect(replied).toMatchObject({ code: 0, stderr: '' });
    expect(replied.stdout).toMatch(new RegExp(`^reply inbox-reply-\\S+ to \\${carol} queued$`, 'm'));
    await expect.poll(async () => (await client.outbox(carol)).map((message) => message.body)).toContain('The bridge is open again.');
  });

  it('sends a broadcast, watches it to the end, and finds it in the outbox', async () => {
    // Prepare
    await client.api('DELETE', '/sandbox/messages');
    const body = 'Queues on the A470 northbound after a collision; expect delays.';

    // Act
    const sent = await crier(['broadcasts', 'send', '--topic', 'traffic', '--body', body, '--urgent'], env);
    const id = /^broadcast ([0-9a-z]{26}): sending$/m.exec(sent.stdout)?.[1] ?? 'missing';
    const watched = await crier(['broadcasts', 'status', id, '--watch'], env);
    const status = await crier(['--json', 'broadcasts', 'status', id], env);
    const outbox = await crier(['outbox', '--to', alice], env);

    // Assess
    expect(sent).toMatchObject({ code: 0, stderr: '' });
    expect(watched.code).toBe(0);
    expect(watched.stdout).toMatch(/\] 100% 1\/1 {2}sent 1 · failed 0 · skipped 0/);
    expect(watched.stdout.trim().split('\n').at(-1)).toBe(`broadcast ${id}: sent`);
    expect(JSON.parse(status.stdout)).toMatchObject({ id, status: 'sent', priority: 'urgent', counts: { targeted: 1, sent: 1 } });
    expect(outbox.code).toBe(0);
    expect(outbox.stdout).toMatch(new RegExp(`^\\S+\\s+\\${alice}\\s+sms\\s+\\w+\\s+Queues on the A470 northbound`, 'm'));
  });

  it('prints an API validation error with the fields named, exits 1, and creates nothing', async () => {
    // Prepare
    const create = ['topics', 'create', 'Bad Id', '--name', 'Roads', '--keyword', 'STOP'];

    // Act
    const result = await crier(create, env);

    // Assess
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n')).toEqual([
      'error: the request body is invalid',
      expect.stringMatching(/^ {2}id: must be 1–40 lowercase letters/),
      '  keywords.0: is a reserved command word',
      '',
    ]);
    expect((await client.api('GET', '/v1/topics')).json.topics.map((topic: { id: string }) => topic.id)).toEqual(['traffic']);
  });

  it('refuses an empty broadcast body itself, as a usage error (exit 2)', async () => {
    // Prepare
    const send = ['broadcasts', 'send', '--topic', 'traffic', '--body', '   '];

    // Act
    const result = await crier(send, env);

    // Assess
    expect(result).toMatchObject({ code: 2, stdout: '', stderr: 'error: invalid arguments\n  body: must not be empty\n' });
  });

  it('says clearly when nothing answers at the URL, and exits 1', async () => {
    // Prepare
    const url = `http://127.0.0.1:${await closedPort()}`;

    // Act
    const result = await crier(['--url', url, 'topics', 'list'], env);

    // Assess
    expect(result).toMatchObject({ code: 1, stdout: '', stderr: `error: cannot reach crier at ${url} — is it running? (npm start)\n` });
  });

  it('saves the URL and key with configure (owner-only file), and a later command uses them', async () => {
    // Prepare: no CRIER_URL or CRIER_API_KEY, and a config home of its own
    const configHome = mkdtempSync(join(tmpdir(), 'crier-cli-configure-'));
    const bareEnv = isolatedEnv(configHome, {});
    const configFile = join(configHome, 'config', 'crier', 'config.json');

    try {
      // Act
      const configured = await crier(['configure', '--url', `${stack.baseUrl}/`, '--key', stack.operatorKey], bareEnv);
      const listed = await crier(['topics', 'list'], bareEnv);

      // Assess
      expect(configured).toMatchObject({ code: 0, stderr: '' });
      expect(configured.stdout).toContain(`checked: crier at ${stack.baseUrl} accepts the key`);
      expect(statSync(configFile).mode & 0o777).toBe(0o600);
      expect(JSON.parse(readFileSync(configFile, 'utf8'))).toEqual({ url: stack.baseUrl, key: stack.operatorKey });
      expect(listed.code).toBe(0);
      expect(listed.stdout).toMatch(/^traffic\s+Traffic alerts/m);
    } finally {
      rmSync(configHome, { recursive: true, force: true });
    }
  });

  it('creates a test key and prints it once with a warning; lists keys without secrets; revokes; shows the audit log', async () => {
    // Prepare
    const create = ['keys', 'create', '--name', 'Roads trial', '--role', 'sender', '--department', 'roads', '--test'];

    // Act
    const created = await crier(create, env);
    const key = /^\s+(crier_test_\S+)$/m.exec(created.stdout)?.[1] ?? 'missing';
    const id = /^created test key (\S+) /m.exec(created.stdout)?.[1] ?? 'missing';
    const listed = await crier(['keys', 'list'], env);
    const revoked = await crier(['keys', 'revoke', id], env);
    const afterRevoke = await client.api('GET', '/v1/topics', undefined, key);
    const audit = await crier(['audit', '--limit', '5'], env);

    // Assess
    expect(created).toMatchObject({ code: 0, stderr: '' });
    expect(created.stdout).toMatch(/warning: this is the only time the key is shown/);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^ID\s+NAME\s+ROLE\s+DEPARTMENT\s+MODE\s+CREATED\s+STATUS$/m);
    expect(listed.stdout).toMatch(new RegExp(`^${id}\\s+Roads trial\\s+sender\\s+roads\\s+test\\s+\\S+.*active$`, 'm'));
    expect(listed.stdout).not.toContain(key);
    expect(revoked).toMatchObject({ code: 0, stderr: '' });
    expect(revoked.stdout).toContain(`revoked key ${id} (Roads trial)`);
    expect(afterRevoke).toEqual({ status: 401, json: { error: 'the API key is not valid (unknown or revoked)', details: [] } });
    expect(audit.code).toBe(0);
    const [header, newest, next] = audit.stdout.trim().split('\n');
    expect(header).toMatch(/^AT\s+WHO\s+ACTION\s+TARGET\s+CHANGE$/);
    expect(newest).toMatch(new RegExp(`local operator key \\(operator\\)\\s+key\\.revoke\\s+key ${id}\\s+\\{"revoked":false\\} → `));
    expect(next).toMatch(/key\.create/);
    expect(audit.stdout).not.toContain(key);
  });

  it("prints crier's refusals as sentences: a role's, and a test key's", async () => {
    // Prepare
    const approver = await client.api('POST', '/v1/keys', { name: 'General approver', role: 'approver', department: 'general', mode: 'live' });
    const trial = await client.api('POST', '/v1/keys', { name: 'Supplier trial', role: 'operator', department: '*', mode: 'test' });

    // Act
    const asApprover = await crier(['keys', 'list'], { ...env, CRIER_API_KEY: approver.json.key });
    const asTestKey = await crier(['audit'], { ...env, CRIER_API_KEY: trial.json.key });

    // Assess
    expect(asApprover).toMatchObject({ code: 1, stdout: '', stderr: 'error: an approver key may not manage API keys\n' });
    expect(asTestKey).toMatchObject({
      code: 1,
      stdout: '',
      stderr: 'error: a test key may not read the audit log: test keys see and change test data only; use a live key\n',
    });
  });

  it('refuses a key with an unknown role as a usage error (exit 2)', async () => {
    // Prepare / Act
    const run = await crier(['keys', 'create', '--name', 'x', '--role', 'janitor', '--department', 'roads'], env);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('role');
  });

  it('updates and archives topics, and works through the inbox to handled', async () => {
    // Prepare
    const resident = '+447700900299';
    await crier(['topics', 'create', 'fair', '--name', 'Summer fair', '--keyword', 'FAIR'], env);
    await client.text(resident, 'Where do I park for the fair?');
    await stack.settled();

    // Act
    const updated = await crier(['topics', 'update', 'fair', '--name', 'Summer fair 2025', '--keyword', 'FAIR', 'FUNFAIR'], env);
    const archived = await crier(['topics', 'archive', 'fair'], env);
    const listed = await crier(['topics', 'list'], env);
    const unhandled = await crier(['inbox', '--unhandled', '--from', '07700 900299'], env);
    const id = unhandled.stdout.trim().split('\n')[1]?.split(/\s+/)[0] ?? '';
    const handled = await crier(['inbox', 'handle', id], env);
    const afterwards = await crier(['inbox', '--unhandled', '--from', resident], env);

    // Assess
    expect(updated).toMatchObject({ code: 0, stderr: '' });
    expect(updated.stdout).toMatch(/name:\s+Summer fair 2025\nkeywords:\s+FAIR FUNFAIR/);
    expect(archived.stdout).toContain('archived topic fair; its keywords (FAIR FUNFAIR) are free for other topics');
    expect(listed.stdout).not.toContain('Summer fair');
    expect(unhandled.code).toBe(0);
    expect(unhandled.stdout.trim().split('\n')[0]).toMatch(/^ID\s+RECEIVED\s+FROM\s+TOPIC\s+ANSWERING\s+ASSIGNED\s+HANDLED\s+MESSAGE$/);
    expect(unhandled.stdout).toContain('Where do I park for the fair?');
    expect(handled).toMatchObject({ code: 0, stderr: '' });
    expect(handled.stdout).toMatch(new RegExp(`^message ${id} from \\${resident} handled .* by operator`));
    expect(afterwards.stdout.trim()).toBe('no messages');
  });

  it('works a message with crier inbox list, show, assign, note, handled, reopen and export, and finds it in crier audit --action', async () => {
    // Prepare
    const resident = '+447700900298';
    await client.text(resident, 'Is the library open late on Thursdays?');
    await stack.settled();
    const staff = (await client.api('POST', '/v1/staff', { email: 'library@general.test', name: 'Library desk', role: 'sender', department: 'general' })).json;
    const listed = await crier(['inbox', 'list', '--unhandled', '--from', resident], env);
    const id = listed.stdout.trim().split('\n')[1]?.split(/\s+/)[0] ?? '';

    // Act
    const assigned = await crier(['inbox', 'assign', id, staff.id], env);
    const noted = await crier(['inbox', 'note', id, 'Asked the library manager.'], env);
    const shown = await crier(['inbox', 'show', id], env);
    const handled = await crier(['inbox', 'handled', id], env);
    const reopened = await crier(['inbox', 'reopen', id], env);
    const exported = await crier(['inbox', 'export', '--assigned-to', staff.id], env);
    const unassigned = await crier(['inbox', 'assign', id, '--nobody'], env);
    const audit = await crier(['audit', '--action', 'inbox.assign', '--limit', '5'], env);

    // Assess
    expect(assigned, JSON.stringify(assigned)).toMatchObject({ code: 0, stderr: '' });
    expect(assigned.stdout.trim()).toBe(`message ${id} from ${resident} assigned to ${staff.id}`);
    expect(noted.stdout.trim()).toBe(`message ${id} from ${resident} noted (1 notes)`);
    expect(shown.stdout).toMatch(/resident: Is the library open late on Thursdays\?/);
    expect(shown.stdout).toMatch(/note by operator \(not sent\): Asked the library manager\./);
    expect(handled.stdout.trim()).toBe(`message ${id} from ${resident} handled`);
    expect(reopened.stdout.trim()).toBe(`message ${id} from ${resident} open`);
    expect(exported.stdout.split('\r\n')[0]).toBe('received,number,channel,message,topic,broadcast,handled,handled_at,handled_by,assigned_to,replies,notes');
    expect(exported.stdout).toContain('Is the library open late on Thursdays?');
    expect(unassigned.stdout.trim()).toBe(`message ${id} from ${resident} assigned to nobody`);
    expect(audit.stdout.trim().split('\n').slice(1).map((line) => line.includes('inbox.assign'))).toEqual([true, true]);
  });

  it('lists every topic page after page, or one page at a time with --limit and the cursor it prints', async () => {
    // Prepare
    for (const id of ['paging-a', 'paging-b', 'paging-c']) {
      expect((await client.api('POST', '/v1/topics', { id, name: `Paging ${id}`, keywords: [id.toUpperCase().replace('-', '')] })).status).toBe(201);
    }
    const everyId = ((await client.api('GET', '/v1/topics?limit=200')).json.topics as { id: string }[]).map((topic) => topic.id);
    const idsIn = (stdout: string) => stdout.trim().split('\n').slice(1).filter((line) => !line.startsWith('more: ')).map((line) => line.split(/\s+/)[0]);

    // Act
    const all = await crier(['topics', 'list'], env);
    const first = await crier(['topics', 'list', '--limit', '2'], env);
    const more = /^more: crier topics list --limit 2 --cursor (\S+)$/m.exec(first.stdout)?.[1] ?? 'missing';
    const second = await crier(['topics', 'list', '--limit', '2', '--cursor', more], env);
    const json = await crier(['--json', 'topics', 'list'], env);

    // Assess
    expect(everyId.length).toBeGreaterThanOrEqual(4);
    expect(all).toMatchObject({ code: 0, stderr: '' });
    expect(idsIn(all.stdout)).toEqual(everyId);
    expect(all.stdout).not.toContain('more: ');
    expect(idsIn(first.stdout)).toEqual(everyId.slice(0, 2));
    expect(idsIn(second.stdout)).toEqual(everyId.slice(2, 4));
    expect(JSON.parse(json.stdout).topics.map((topic: { id: string }) => topic.id)).toEqual(everyId);
  });
});
