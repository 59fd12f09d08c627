import { describe, expect, it } from 'vitest';
import type { Role } from '../../../shared/domain/model.js';
import type { DeadLetter } from '../../../shared/ports/dead-letters.js';
import { aPhone } from '../../support/builders.js';
import { consoleTestApp, type ConsoleTestApp } from '../../support/console-app.js';
import { everyPageChecked, type PageCase } from '../../support/console-page-cases.js';
import { errorSummary, pageText } from '../../support/page-reading.js';

function aDeadLetter(n: number, job: unknown): DeadLetter {
  return { messageId: `msg-${n}`, body: JSON.stringify(job), sentAt: '2025-03-04T08:00:00.000Z', firstReceivedAt: '2025-03-04T08:00:01.000Z', receiveCount: 8 };
}

/** Two batches of a broadcast parked on the bulk lane, and a reply on the urgent one: each carries a number and words. */
function withDeadLetters(t: ConsoleTestApp) {
  t.deadLetters.add(
    'sendBulk',
    aDeadLetter(1, { kind: 'broadcast', broadcastId: 'bc-1', recipients: [{ phone: aPhone(1), channel: 'sms' }, { phone: aPhone(2), channel: 'sms' }], attempt: 3 }),
    aDeadLetter(2, { kind: 'broadcast', broadcastId: 'bc-1', recipients: [{ phone: aPhone(3), channel: 'sms' }] }),
  );
  t.deadLetters.add('sendUrgent', aDeadLetter(3, { kind: 'reply', messageId: 'reply-1', to: aPhone(4), channel: 'sms', body: 'Secret words of a reply', purpose: 'help' }));
}

const operator = (t: ConsoleTestApp) => t.signIn('operator', '*');

const pages: PageCase[] = [
  { name: 'operations', status: 200, response: async (t) => t.get('/console/operations', await operator(t)) },
  { name: 'providers', status: 200, response: async (t) => t.get('/console/operations/providers', await operator(t)) },
  { name: 'dead letters, none', status: 200, response: async (t) => t.get('/console/operations/dead-letters', await operator(t)) },
  { name: 'dead letters, some', status: 200, response: async (t) => (withDeadLetters(t), t.get('/console/operations/dead-letters', await operator(t))) },
  { name: 'dead letters, after a redrive', status: 200, response: async (t) => t.get('/console/operations/dead-letters?queue=sendBulk&moved=2&left=0', await operator(t)) },
  { name: 'redrive: confirmation', status: 200, response: async (t) => (withDeadLetters(t), t.get('/console/operations/dead-letters/sendBulk/redrive', await operator(t))) },
  { name: 'reply wording', status: 200, response: async (t) => t.get('/console/operations/replies', await operator(t)) },
  { name: 'reply wording: one reply', status: 200, response: async (t) => t.get('/console/operations/replies/cy/help', await operator(t)) },
  { name: 'reply wording: a preview', status: 200, response: async (t) => t.post('/console/operations/replies/en/help', await operator(t), { wording: 'Texts from {{serviceName}}: call {{contact}}.', action: 'preview' }) },
  { name: 'reply wording: own wording, with reset', status: 200, response: async (t) => {
    const as = await operator(t);
    await t.post('/console/operations/replies/en/help', as, { wording: 'Call {{contact}}.', action: 'save' });
    return t.get('/console/operations/replies/en/help', as);
  } },
  { name: 'reply wording: an unknown placeholder', status: 400, response: async (t) => t.post('/console/operations/replies/en/help', await operator(t), { wording: 'Call {{phone}}.', action: 'save' }) },
  { name: 'refused: a sender opens operations', status: 403, response: async (t) => t.get('/console/operations', await t.signIn('sender')) },
];

everyPageChecked('every operations page', pages);

describe('operations', () => {
  it.each([
    { role: 'operator', links: ['Broadcasts', 'Inbox', 'Templates', 'Topics', 'Residents', 'Team', 'Operations'] },
    { role: 'sender', links: ['Broadcasts', 'Inbox', 'Templates', 'Topics', 'Residents'] },
  ] as Array<{ role: Role; links: string[] }>)("is the last link of the navigation for an operator, after Team ($role)", async ({ role, links }) => {
    // Prepare
    const t = await consoleTestApp();

    // Act
    const html = await (await t.get('/console/', await t.signIn(role, role === 'operator' ? '*' : 'traffic'))).text();

    // Assess
    const nav = /<nav[\s\S]*?<\/nav>/.exec(html)?.[0] ?? '';
    expect([...nav.matchAll(/<a class="govuk-service-navigation__link"[^>]*>\s*([\s\S]*?)\s*<\/a>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, '').trim())).toEqual(links);
  });

  it("shows each channel's providers, their state and failures, as crier providers status does", async () => {
    // Prepare
    const t = await consoleTestApp();

    // Act
    const text = pageText(await (await t.get('/console/operations/providers', await operator(t))).text());

    // Assess
    expect(text).toContain('twilio Active Since the start 0 now, 0 before');
    expect(text).toContain('aws-sms Standby Since the start 0 now, 0 before');
    expect(text).toContain('Traffic on SMS has never moved between providers.');
  });

  it('shows what is parked and why, never a number or the words; redrives after the confirmation, audited, and says what moved', async () => {
    // Prepare
    const t = await consoleTestApp();
    withDeadLetters(t);
    const as = await operator(t);

    // Act
    const list = await (await t.get('/console/operations/dead-letters', as)).text();
    const confirmation = pageText(await (await t.get('/console/operations/dead-letters/sendBulk/redrive', as)).text());
    const redrive = await t.post('/console/operations/dead-letters/sendBulk/redrive', as);
    const after = pageText(await (await t.get(redrive.headers.get('location')!, as)).text());

    // Assess
    const text = pageText(list);
    expect(text).toContain('A batch of broadcast bc-1 to 2 recipients, after 3 provider failures Failed 9 times, then set aside');
    expect(text).toContain('A reply to a resident (help, sms), message reply-1');
    for (const phone of [aPhone(1), aPhone(3), aPhone(4)]) expect(list).not.toContain(phone.slice(1));
    expect(list).not.toContain('Secret words');
    expect(confirmation).toContain('Redrive the dead letters of bulk sending? About 2 jobs are set aside from normal-priority broadcasts.');
    expect(redrive.status).toBe(303);
    expect(t.deadLetters.workQueues.sendBulk).toHaveLength(2);
    expect(t.stores.audit.entries.map((entry) => entry.action)).toEqual(['deadLetters.inspect', 'deadLetters.redrive', 'deadLetters.inspect']);
    expect(after).toContain('2 jobs moved back onto bulk sending to be tried again; none are left.');
  });

  it('previews a reply as the resident reads it (filled in, with how to stop and its segments) without saving it', async () => {
    // Prepare
    const t = await consoleTestApp();

    // Act
    const response = await t.post('/console/operations/replies/en/help', await operator(t), { wording: 'Texts from {{serviceName}} — call {{contact}}.', action: 'preview' });

    // Assess
    const text = pageText(await response.text());
    expect(text).toContain('Texts from Cardiff Council alerts — call 029 2087 2087. Reply STOP to stop.');
    // The dash makes it UCS-2, whose segments hold 70: its 75 characters are charged as two.
    expect(text).toContain('Will be charged as 2 text messages (75 characters, UCS-2)');
    expect(text).toContain('These characters make every segment shorter (UCS-2): —');
    expect(await t.stores.replyTexts.overrides()).toEqual({});
  });

  it('saves a wording (audited) and resets it to the default', async () => {
    // Prepare
    const t = await consoleTestApp();
    const as = await operator(t);

    // Act
    const saved = await t.post('/console/operations/replies/cy/help', as, { wording: 'Ffoniwch {{contact}}.', action: 'save' });
    const afterSave = await t.stores.replyTexts.overrides();
    const reset = await t.post('/console/operations/replies/cy/help/reset', as);
    const list = pageText(await (await t.get(reset.headers.get('location')!, as)).text());

    // Assess
    expect(saved.status).toBe(303);
    expect(afterSave).toEqual({ cy: { help: 'Ffoniwch {{contact}}.' } });
    expect(await t.stores.replyTexts.overrides()).toEqual({});
    expect(t.stores.audit.entries.map((entry) => entry.action)).toEqual(['reply.set', 'reply.remove']);
    expect(list).toContain('HELP (cy) is back to the default.');
  });

  it('refuses a placeholder crier does not know, beside the wording, saving nothing', async () => {
    // Prepare
    const t = await consoleTestApp();

    // Act
    const response = await t.post('/console/operations/replies/en/help', await operator(t), { wording: 'Call {{phone}}.', action: 'save' });

    // Assess
    expect(errorSummary(await response.text())).toEqual([{ href: '#wording', text: '{{phone}} is not one of {{serviceName}}, {{contact}}, {{topicName}}, {{topicNames}}, {{keywords}}, {{subscribedNames}}, {{word}}, {{area}}, {{language}}, {{band}}.' }]);
    expect(await t.stores.replyTexts.overrides()).toEqual({});
  });

  it.each([
    ['/console/operations/dead-letters', 'get'],
    ['/console/operations/dead-letters/sendBulk/redrive', 'post'],
    ['/console/operations/replies/en/help', 'post'],
  ] as const)('refuses an approver %s (%s), changing nothing', async (path, method) => {
    // Prepare
    const t = await consoleTestApp();
    withDeadLetters(t);
    const approver = await t.signIn('approver');

    // Act
    const response = method === 'get' ? await t.get(path, approver) : await t.post(path, approver, { wording: 'x', action: 'save' });

    // Assess
    expect(response.status).toBe(403);
    expect(t.deadLetters.workQueues.sendBulk).toEqual([]);
    expect(await t.stores.replyTexts.overrides()).toEqual({});
  });
});
