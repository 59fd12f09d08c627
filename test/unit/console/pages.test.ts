import type { ConsoleTestApp, SignedInAs } from '../../support/console-app.js';
import { everyPageChecked, type PageCase } from '../../support/console-page-cases.js';

/** A draft filled in up to the check page, as a sender would. */
async function draftUpToCheck(t: ConsoleTestApp, as: SignedInAs, topics: string[] = ['traffic']) {
  await t.post('/console/broadcasts/new', as, { topics });
  await t.post('/console/broadcasts/new/message', as, { message: 'The A470 is closed at Storey Arms.', welsh: "Mae'r A470 ar gau." });
  await t.post('/console/broadcasts/new/when', as, { when: 'now' });
}

/** A broadcast on the two-person topic, submitted by a sender: waiting for approval. */
async function pendingBroadcast(t: ConsoleTestApp, author: SignedInAs): Promise<string> {
  await draftUpToCheck(t, author, ['closures']);
  const submitted = await t.post('/console/broadcasts/new/check', author);
  return submitted.headers.get('location')!.split('/').at(-1)!;
}

const cases: PageCase[] = [
  { name: 'accessibility statement, signed out', status: 200, response: (t) => t.get('/console/accessibility') },
  { name: 'accessibility statement, signed in', status: 200, response: async (t) => t.get('/console/accessibility', await t.signIn('sender')) },
  { name: 'home, sender', status: 200, response: async (t) => t.get('/console/', await t.signIn('sender')) },
  {
    name: 'home, approver with a broadcast to approve',
    status: 200,
    response: async (t) => {
      await pendingBroadcast(t, await t.signIn('sender'));
      return t.get('/console/', await t.signIn('approver'));
    },
  },
  {
    name: 'home, operator, with one sending',
    status: 200,
    response: async (t) => {
      const operator = await t.signIn('operator', '*');
      await draftUpToCheck(t, operator);
      await t.post('/console/broadcasts/new/check', operator);
      return t.get('/console/', operator);
    },
  },
  { name: 'new broadcast: audience', status: 200, response: async (t) => t.get('/console/broadcasts/new', await t.signIn('sender')) },
  { name: 'new broadcast: audience, no topic', status: 400, response: async (t) => t.post('/console/broadcasts/new', await t.signIn('sender'), {}) },
  {
    name: 'new broadcast: message',
    status: 200,
    response: async (t) => {
      const sender = await t.signIn('sender');
      await t.post('/console/broadcasts/new', sender, { topics: ['traffic'] });
      return t.get('/console/broadcasts/new/message', sender);
    },
  },
  {
    name: 'new broadcast: message, empty',
    status: 400,
    response: async (t) => {
      const sender = await t.signIn('sender');
      await t.post('/console/broadcasts/new', sender, { topics: ['traffic'] });
      return t.post('/console/broadcasts/new/message', sender, { message: '' });
    },
  },
  {
    name: 'new broadcast: message, with a UCS-2 character and Replace them',
    status: 200,
    response: async (t) => {
      const sender = await t.signIn('sender');
      await t.post('/console/broadcasts/new', sender, { topics: ['traffic'] });
      return t.post('/console/broadcasts/new/message', sender, { message: 'It’s closed', action: 'replace' });
    },
  },
  {
    name: 'new broadcast: when',
    status: 200,
    response: async (t) => {
      const sender = await t.signIn('sender');
      await t.post('/console/broadcasts/new', sender, { topics: ['traffic'] });
      await t.post('/console/broadcasts/new/message', sender, { message: 'Closed.' });
      return t.get('/console/broadcasts/new/when', sender);
    },
  },
  {
    name: 'new broadcast: when, a date in the past',
    status: 400,
    response: async (t) => t.post('/console/broadcasts/new/when', await t.signIn('sender'), { when: 'later', day: '1', month: '1', year: '2020', time: '10:00' }),
  },
  {
    name: 'new broadcast: check',
    status: 200,
    response: async (t) => {
      const sender = await t.signIn('sender');
      await draftUpToCheck(t, sender);
      return t.get('/console/broadcasts/new/check', sender);
    },
  },
  {
    name: 'broadcast page, waiting for approval',
    status: 200,
    response: async (t) => {
      const sender = await t.signIn('sender');
      return t.get(`/console/broadcasts/${await pendingBroadcast(t, sender)}`, sender);
    },
  },
  {
    name: 'broadcast page, sending',
    status: 200,
    response: async (t) => {
      const sender = await t.signIn('sender');
      await draftUpToCheck(t, sender);
      const sent = await t.post('/console/broadcasts/new/check', sender);
      return t.get(sent.headers.get('location')!, sender);
    },
  },
  {
    name: 'stop sending: confirmation',
    status: 200,
    response: async (t) => {
      const sender = await t.signIn('sender');
      return t.get(`/console/broadcasts/${await pendingBroadcast(t, sender)}/stop`, sender);
    },
  },
  {
    name: 'approve, approver',
    status: 200,
    response: async (t) => t.get(`/console/broadcasts/${await pendingBroadcast(t, await t.signIn('sender'))}/approve`, await t.signIn('approver')),
  },
  {
    name: 'approve, unticked',
    status: 400,
    response: async (t) => t.post(`/console/broadcasts/${await pendingBroadcast(t, await t.signIn('sender'))}/approve`, await t.signIn('approver'), {}),
  },
  {
    name: 'approve, seen by its author',
    status: 200,
    response: async (t) => {
      const sender = await t.signIn('sender');
      return t.get(`/console/broadcasts/${await pendingBroadcast(t, sender)}/approve`, sender);
    },
  },
  {
    name: 'reject',
    status: 200,
    response: async (t) => t.get(`/console/broadcasts/${await pendingBroadcast(t, await t.signIn('sender'))}/reject`, await t.signIn('approver')),
  },
  {
    name: 'reject, no reason',
    status: 400,
    response: async (t) => t.post(`/console/broadcasts/${await pendingBroadcast(t, await t.signIn('sender'))}/reject`, await t.signIn('approver'), { reason: ' ' }),
  },
  {
    name: 'broadcast page, rejected',
    status: 200,
    response: async (t) => {
      const sender = await t.signIn('sender');
      const id = await pendingBroadcast(t, sender);
      await t.post(`/console/broadcasts/${id}/reject`, await t.signIn('approver'), { reason: 'Say which road.' });
      return t.get(`/console/broadcasts/${id}`, sender);
    },
  },
  { name: 'page not found', status: 404, response: async (t) => t.get('/console/nowhere', await t.signIn('viewer')) },
  { name: 'refused: a viewer starts a broadcast', status: 403, response: async (t) => t.get('/console/broadcasts/new', await t.signIn('viewer')) },
];

everyPageChecked('every console page', cases);
