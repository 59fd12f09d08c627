import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../../local/stack.js';
import { LocalStackClient } from '../support/local-stack-client.js';
import { broadcastIdIn, crier, isolatedEnv } from './cli-run.js';

/**
 * The broadcast lifecycle driven with the real `crier` CLI against a local stack in this process:
 * preview with a Welsh variant, a placeholder and an area filter; draft and submit; the
 * two-person rule with a second key (approve, reject); a time in the future (scheduled, then
 * cancelled); the list; a department's daily cap. Quiet hours are off in the test stack.
 */
describe('crier broadcasts: the whole lifecycle from the command line', () => {
  const authToken = 'cli-broadcasts-twilio-token';
  const welsh = '+447700900401';
  const cardiff = '+447700900402';
  const swansea = '+447700900403';
  const unknownArea = '+447700900404';
  const englishBody = 'Roadworks on {{area|your area}} roads tonight from 8pm.';
  const welshBody = "Gwaith ffordd yn {{area|eich ardal}} heno o 8pm. Dewch â'ch amynedd.";
  let stack: LocalStack;
  let client: LocalStackClient;
  let home: string;
  let env: NodeJS.ProcessEnv;
  let approverEnv: NodeJS.ProcessEnv;

  beforeAll(async () => {
    stack = await startLocalStack({ port: 0, twilio: { authToken }, sandbox: { failureRate: 0 } });
    client = new LocalStackClient(stack, authToken);
    home = mkdtempSync(join(tmpdir(), 'crier-cli-broadcasts-'));
    env = isolatedEnv(home, {
      CRIER_URL: stack.baseUrl,
      CRIER_API_KEY: stack.operatorKey,
      TWILIO_AUTH_TOKEN: authToken,
      PUBLIC_BASE_URL: stack.publicBaseUrl,
    });
    // Residents are set up through the webhook, and the plain topic through the API: the CLI's
    // simulate and topic commands are tested in cli.test.ts, and each CLI run costs a process start.
    expect((await client.api('POST', '/v1/topics', { id: 'roads', name: 'Roadworks', keywords: ['ROADS'] })).status).toBe(201);
    const schools = await crier(['topics', 'create', 'schools', '--name', 'School closures', '--keyword', 'SCHOOLS', '--requires-approval'], env);
    if (schools.code !== 0) throw new Error(`crier topics create schools failed: ${schools.stderr}`);
    expect((await client.api('GET', '/v1/topics/schools')).json).toMatchObject({ requiresApproval: true });
    const residentsTexts = [
      [welsh, 'JOIN ROADS', 'AREA CF10', 'CYMRAEG', 'AGE 16', 'JOIN SCHOOLS'],
      [cardiff, 'JOIN ROADS', 'AREA CF11', 'JOIN SCHOOLS'],
      [swansea, 'JOIN ROADS', 'AREA SA1'],
      [unknownArea, 'JOIN ROADS'],
    ];
    for (const [phone, ...texts] of residentsTexts) {
      for (const text of texts) expect((await client.text(phone!, text)).status).toBe(200);
    }
    const key = await crier(['keys', 'create', '--name', 'Schools approver', '--role', 'approver', '--department', 'general'], env);
    const approverKey = /^\s+(crier_\S+)$/m.exec(key.stdout)?.[1];
    if (!approverKey) throw new Error(`no approver key in: ${key.stdout}${key.stderr}`);
    approverEnv = { ...env, CRIER_API_KEY: approverKey };
    await stack.settled();
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('previews a broadcast with a Welsh variant, a placeholder and an area filter: audience, encodings, cost, start, limits', async () => {
    // Prepare
    const options = ['--topic', 'roads', '--body', englishBody, '--variant', `cy=${welshBody}`, '--area', 'CF'];

    // Act
    const preview = await crier(['broadcasts', 'preview', ...options], env);
    const json = await crier(['--json', 'broadcasts', 'preview', ...options], env);

    // Assess
    expect(preview).toMatchObject({ code: 0, stderr: '' });
    expect(preview.stdout).toMatch(/^audience: 2 residents$/m);
    expect(preview.stdout).toMatch(/^ {2}by channel: {2}sms 2 · whatsapp 0$/m);
    expect(preview.stdout).toMatch(/^ {2}by language: (cy 1 · en 1|en 1 · cy 1)$/m);
    expect(preview.stdout).toMatch(/^WARNING: cy: "â" is outside the GSM-7 alphabet, so the whole message goes as UCS-2: 2 segments instead of 1\./);
    expect(preview.stdout).toMatch(/^cy: UCS-2 because of "â", \d+ characters, 2 SMS segments \(1 in GSM-7\)$/m);
    expect(preview.stdout).toContain("  │ Gwaith ffordd yn CF10 heno o 8pm. Dewch â'ch amynedd.");
    expect(preview.stdout).toMatch(/^en: GSM-7, \d+ characters, 1 SMS segment$/m);
    expect(preview.stdout).toContain('  │ Roadworks on CF11 roads tonight from 8pm.');
    expect(preview.stdout).toMatch(/^SMS segments: 3 in all$/m);
    expect(preview.stdout).toMatch(/^estimated cost: £0\.12 GBP \(sms £0\.12 · whatsapp £0\.00\)$/m);
    expect(preview.stdout).toMatch(/^starts: at once, when released$/m);
    expect(preview.stdout).toMatch(/^limits of general: no daily cap; operator approval not needed$/m);
    expect(JSON.parse(json.stdout)).toMatchObject({ audience: { total: 2, byChannel: { sms: 2, whatsapp: 0 } }, cost: { currency: 'GBP' } });
  });

  it('keeps a draft, previews it by id, submits it; it goes out in Welsh to the Welsh resident with the area filled in', async () => {
    // Prepare
    await client.api('DELETE', '/sandbox/messages');
    const options = ['--topic', 'roads', '--body', englishBody, '--variant', `cy=${welshBody}`, '--area', 'CF'];

    // Act
    const drafted = await crier(['broadcasts', 'send', ...options, '--draft'], env);
    const id = broadcastIdIn(drafted.stdout);
    const preview = await crier(['broadcasts', 'preview', id], env);
    const submitted = await crier(['broadcasts', 'submit', id], env);
    const watched = await crier(['broadcasts', 'status', id, '--watch'], env);
    const status = await crier(['broadcasts', 'status', id], env);
    const toWelsh = await crier(['outbox', '--to', welsh], env);
    const toCardiff = await crier(['outbox', '--to', cardiff], env);
    const toSwansea = await crier(['outbox', '--to', swansea], env);

    // Assess
    expect(drafted).toMatchObject({ code: 0, stderr: '' });
    expect(drafted.stdout).toBe(
      `broadcast ${id}: draft (not submitted)\nsaved as a draft: nothing is sent until it is submitted\nnext: crier broadcasts preview ${id}, then crier broadcasts submit ${id}\n`,
    );
    expect(preview.stdout).toMatch(/^audience: 2 residents$/m);
    expect(submitted.stdout).toBe(`broadcast ${id}: sending\nsending now to up to 2 residents\nfollow it with: crier broadcasts status ${id} --watch\n`);
    expect(watched.stdout.trim().split('\n').at(-1)).toBe(`broadcast ${id}: sent`);
    expect(status.stdout).toMatch(/^filters: +areas CF$/m);
    expect(status.stdout).toMatch(/^variants: +cy$/m);
    expect(status.stdout).toMatch(/^audience: +up to 2 residents, counted when submitted$/m);
    expect(status.stdout).toMatch(/^counts: +targeted 2 · sent 2 /m);
    expect(toWelsh.stdout).toContain('Gwaith ffordd yn CF10 heno o 8pm.');
    expect(toCardiff.stdout).toContain('Roadworks on CF11 roads tonight from 8pm.');
    expect(toSwansea.stdout.trim()).toBe(`no messages to ${swansea}`);
  });

  it('a topic with the two-person rule: submitted, it waits for a department approver; a second key approves it and it is sent', async () => {
    // Prepare
    const send = ['broadcasts', 'send', '--topic', 'schools', '--body', 'Ysgol Glan Taf is closed today (snow).', '--draft'];

    // Act
    const drafted = await crier(send, env);
    const id = broadcastIdIn(drafted.stdout);
    const submitted = await crier(['broadcasts', 'submit', id], env);
    const selfApproved = await crier(['broadcasts', 'approve', id], env);
    const approved = await crier(['broadcasts', 'approve', id], approverEnv);
    const watched = await crier(['broadcasts', 'status', id, '--watch'], env);
    const status = await crier(['broadcasts', 'status', id], env);

    // Assess
    expect(submitted).toMatchObject({ code: 0, stderr: '' });
    expect(submitted.stdout).toContain(`broadcast ${id}: waiting for approval by a department approver\n`);
    expect(submitted.stdout).toContain('\naudience: up to 2 residents\n');
    expect(submitted.stdout).toContain(`next: with another key, crier broadcasts approve ${id}, or crier broadcasts reject ${id} --reason "…"`);
    expect(selfApproved).toMatchObject({ code: 1, stdout: '', stderr: 'error: a broadcast must be approved by someone other than its author\n' });
    expect(approved).toMatchObject({ code: 0, stderr: '' });
    expect(approved.stdout).toMatch(new RegExp(`^broadcast ${id}: sending \\(approved by \\S+\\)$`, 'm'));
    expect(watched.stdout.trim().split('\n').at(-1)).toBe(`broadcast ${id}: sent`);
    expect(status.stdout).toMatch(/^approval: +by a department approver \(two-person rule\)$/m);
    expect(status.stdout).toMatch(/^approved: +by \S+ at \d{4}-/m);
  });

  it('rejects a waiting broadcast with a reason; status shows who and why, and nothing is sent', async () => {
    // Prepare
    const sent = await crier(['broadcasts', 'send', '--topic', 'schools', '--body', 'All schools closed tomorrow.'], env);
    const id = broadcastIdIn(sent.stdout);

    // Act
    const rejected = await crier(['broadcasts', 'reject', id, '--reason', 'Only Ysgol Glan Taf is closed'], approverEnv);
    const noReason = await crier(['broadcasts', 'reject', id, '--reason', ' '], approverEnv);
    const watched = await crier(['broadcasts', 'status', id, '--watch'], env);
    const status = await crier(['broadcasts', 'status', id], env);

    // Assess
    expect(sent.stdout).toContain(`broadcast ${id}: waiting for approval by a department approver`);
    expect(rejected).toMatchObject({ code: 0, stderr: '' });
    expect(rejected.stdout).toMatch(new RegExp(`^broadcast ${id}: rejected by \\S+\\nreason: Only Ysgol Glan Taf is closed\\n`));
    expect(noReason).toMatchObject({ code: 2, stderr: 'error: invalid arguments\n  reason: say why, so the author can put it right\n' });
    expect(watched.stdout).toBe(`broadcast ${id}: rejected\nreason: Only Ysgol Glan Taf is closed\n`);
    expect(status.stdout).toMatch(/^status: +rejected$/m);
    expect(status.stdout).toMatch(/^reason: +Only Ysgol Glan Taf is closed$/m);
    expect(status.stdout).toMatch(/^counts: +targeted 0 · sent 0 /m);
  });

  it('--at in the future: says how it read the time, schedules it, --watch does not wait hours, and cancel stops it', async () => {
    // Prepare
    const at = new Date(Date.now() + 2 * 3_600_000);
    at.setUTCSeconds(0, 0);
    const typed = at.toISOString().replace(/:00\.000Z$/, '+00:00');

    // Act
    const sent = await crier(['broadcasts', 'send', '--topic', 'roads', '--body', 'Road closed tomorrow', '--at', typed], env);
    const id = broadcastIdIn(sent.stdout);
    const watched = await crier(['broadcasts', 'status', id, '--watch'], env);
    const status = await crier(['broadcasts', 'status', id], env);
    const cancelled = await crier(['broadcasts', 'cancel', id], env);

    // Assess
    expect(sent).toMatchObject({ code: 0, stderr: '' });
    expect(sent.stdout).toMatch(new RegExp(`^--at ${typed.replace('+', '\\+')} read as \\w{3} \\d+ \\w{3} \\d{4} \\d{2}:\\d{2} (GMT|BST) \\(Europe/London\\) = ${at.toISOString().slice(0, 10)} ${at.toISOString().slice(11, 16)} UTC$`, 'm'));
    expect(sent.stdout).toMatch(new RegExp(`^broadcast ${id}: scheduled for .* UTC$`, 'm'));
    expect(sent.stdout).toMatch(/^scheduled for the time asked for \(--at\); it starts in (1 h 59 min|2 h 0 min|2 h 1 min)\naudience: up to 4 residents$/m);
    expect(watched).toMatchObject({ code: 0, stderr: '' });
    expect(watched.stdout).toMatch(/^stopped watching: it starts in .*, more than 10 min away: not waiting that long\./m);
    expect(status.stdout).toMatch(/^send at: +.* \(asked for\)$/m);
    expect(status.stdout).toMatch(/^starts: +.* UTC$/m);
    expect(cancelled).toMatchObject({ code: 0, stderr: '' });
    expect(cancelled.stdout).toMatch(new RegExp(`^broadcast ${id}: cancelled by operator$`, 'm'));
  });

  it('lists broadcasts in a table, filters by status, and follows every page with --all', async () => {
    // Prepare
    const everything = (await client.api('GET', '/v1/broadcasts?limit=200')).json.broadcasts as { id: string }[];

    // Act
    const listed = await crier(['broadcasts', 'list'], env);
    const firstPage = await crier(['broadcasts', 'list', '--limit', '2'], env);
    const all = await crier(['broadcasts', 'list', '--limit', '2', '--all'], env);
    const rejected = await crier(['broadcasts', 'list', '--status', 'rejected'], env);
    const badStatus = await crier(['broadcasts', 'list', '--status', 'lost'], env);

    // Assess
    expect(listed).toMatchObject({ code: 0, stderr: '' });
    const [header, ...rows] = listed.stdout.trim().split('\n');
    expect(header).toMatch(/^ID\s+STATUS\s+PRIORITY\s+TOPICS\s+CREATED\s+COUNTS$/);
    expect(rows).toHaveLength(everything.length);
    expect(listed.stdout).toMatch(/^\w{26}\s+sent\s+normal\s+roads\s+\d{4}-\S+Z\s+targeted 2 · sent 2 · failed 0 · skipped 0$/m);
    expect(firstPage.stdout.trim().split('\n')).toHaveLength(4);
    expect(firstPage.stdout).toMatch(/^more: crier broadcasts list --cursor \S+ \(or --all\)$/m);
    expect(all.stdout.trim().split('\n')).toHaveLength(everything.length + 1);
    for (const { id } of everything) expect(all.stdout).toContain(id);
    expect(rejected.stdout.trim().split('\n').slice(1)).toEqual([expect.stringMatching(/^\w{26}\s+rejected\s+normal\s+schools\s/)]);
    expect(badStatus.code).toBe(2);
    expect(badStatus.stderr).toContain('  status: ');
  });

  it('refuses malformed options before calling the API, naming each option (exit 2)', async () => {
    // Prepare
    const send = ['broadcasts', 'send', '--topic', 'roads', '--body', 'x', '--variant', 'fr=Bouchons', '--age-band', '12', '--at', '2025-03-01 18:00'];

    // Act
    const result = await crier(send, env);

    // Assess
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr.split('\n')).toEqual([
      'error: invalid arguments',
      '  age-band.0: must be one of 13-15, 16-17, 18-24, 25+',
      '  variant: "fr" is not a language crier writes in (en, cy, es)',
      '  at: "2025-03-01 18:00" has no offset: add one, such as 2025-03-01T18:00Z (UTC) or +01:00 (BST)',
      '',
    ]);
  });

  it('prints the API’s field errors (exit 1) for content only the API judges', async () => {
    // Prepare
    const send = ['broadcasts', 'send', '--topic', 'roads', '--body', 'Roadworks in {{postcode}}', '--area', 'CF10 1EP'];

    // Act
    const result = await crier(send, env);

    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: /);
    expect(result.stderr).toMatch(/^ {2}body: unknown placeholder "\{\{postcode\}\}"/m);
    expect(result.stderr).toMatch(/^ {2}filters\.areas\.0: "CF10 1EP" is finer than a postcode district/m);
  });

  it('sets a daily cap; a broadcast over it is refused with the 429 message and exit 1; limits shows the cap; default puts it back', async () => {
    // Prepare: the broadcasts of the tests above were counted, though general had no cap; the cap
    // leaves room for 3 more, and the broadcast below reaches 4
    const used = (await client.api('GET', '/v1/departments/general/limits')).json.usedToday as number;
    const cap = used + 3;
    const setCap = ['departments', 'set-limits', 'general', '--daily-cap', String(cap)];

    // Act
    const set = await crier(setCap, env);
    const limits = await crier(['departments', 'limits', 'general'], env);
    const over = await crier(['broadcasts', 'send', '--topic', 'roads', '--body', 'Road closed', '--urgent'], env);
    const preview = await crier(['broadcasts', 'preview', '--topic', 'roads', '--body', 'Road closed'], env);
    const reset = await crier(['departments', 'set-limits', 'general', '--daily-cap', 'default'], env);
    const nothing = await crier(['departments', 'set-limits', 'general'], env);

    // Assess
    expect(set).toMatchObject({ code: 0, stderr: '' });
    expect(used).toBeGreaterThan(0);
    expect(set.stdout).toMatch(new RegExp(`^daily cap: +${cap} messages a day \\(the department's own\\)$`, 'm'));
    expect(limits.stdout).toMatch(new RegExp(`^used today: +${used} of ${cap} \\(\\d{4}-\\d{2}-\\d{2}\\)$`, 'm'));
    expect(over).toMatchObject({ code: 1, stdout: '' });
    expect(over.stderr).toMatch(new RegExp(`^error: department "general" may send ${cap} messages a day; ${used} are counted for \\S+ and this broadcast reaches 4$`, 'm'));
    expect(over.stderr).toMatch(/^ {2}topics: 1 over the daily cap of department "general"/m);
    expect(over.stderr).toContain('  limits: over the daily message cap: nothing was sent.');
    expect(preview.stdout).toMatch(new RegExp(`^WARNING: Department "general" would pass its daily cap of ${cap} messages\\.$`, 'm'));
    expect(preview.stdout).toMatch(new RegExp(`^limits of general: daily cap ${cap}: ${used} used on the start day, ${used + 4} with this one — OVER THE CAP;`, 'm'));
    expect(reset.stdout).toMatch(/^daily cap: +none \(the deployment's default\)$/m);
    expect(nothing).toMatchObject({ code: 2, stderr: 'error: invalid arguments\n  input: name a limit to set: --daily-cap, --operator-approval-above or both\n' });
  });
});
