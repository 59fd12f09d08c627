import { everyPageChecked, type PageCase } from '../../support/console-page-cases.js';

/** Every topic page, as each kind of person meets it: the same checks as the other console pages. */
const cases: PageCase[] = [
  { name: 'topics, sender', status: 200, response: async (t) => t.get('/console/topics', await t.signIn('sender')) },
  {
    name: 'topics, operator, with an archived one',
    status: 200,
    response: async (t) => {
      const operator = await t.signIn('operator', '*');
      await t.post('/console/topics/closures/archive', operator);
      return t.get('/console/topics', operator);
    },
  },
  { name: 'topics, a department with none', status: 200, response: async (t) => t.get('/console/topics', await t.signIn('viewer', 'parks')) },
  { name: 'a topic, approver', status: 200, response: async (t) => t.get('/console/topics/closures', await t.signIn('approver')) },
  { name: 'a topic, viewer', status: 200, response: async (t) => t.get('/console/topics/traffic', await t.signIn('viewer')) },
  {
    name: 'a topic with aliases, archived, operator',
    status: 200,
    response: async (t) => {
      const operator = await t.signIn('operator', '*');
      await t.post('/console/topics/traffic/edit', operator, { name: 'Traffic alerts', keywords: 'TRAFFIC', welshName: 'Traffig', welshKeywords: 'TRAFFIG', spanishName: 'Tráfico', spanishKeywords: 'TRAFICO', department: 'traffic' });
      await t.post('/console/topics/traffic/archive', operator);
      return t.get('/console/topics/traffic', operator);
    },
  },
  { name: 'create a topic', status: 200, response: async (t) => t.get('/console/topics/new', await t.signIn('operator', '*')) },
  { name: 'create a topic, every field wrong', status: 400, response: async (t) => t.post('/console/topics/new', await t.signIn('operator', '*'), { id: 'Bad ID', name: '', keywords: 'JOIN', welshKeywords: 'a b', spanishName: 'x'.repeat(81), department: 'y'.repeat(41) }) },
  { name: 'change a topic, operator', status: 200, response: async (t) => t.get('/console/topics/traffic/edit', await t.signIn('operator', '*')) },
  { name: 'change a topic, approver of a two-person topic', status: 200, response: async (t) => t.get('/console/topics/closures/edit', await t.signIn('approver')) },
  { name: 'change a topic, a keyword another topic holds', status: 400, response: async (t) => t.post('/console/topics/traffic/edit', await t.signIn('approver'), { name: 'Traffic alerts', keywords: 'TRAFFIC\nYOUTH' }) },
  { name: 'archive: confirmation', status: 200, response: async (t) => t.get('/console/topics/traffic/archive', await t.signIn('approver')) },
  { name: 'refused: a sender creates a topic', status: 403, response: async (t) => t.get('/console/topics/new', await t.signIn('sender')) },
  { name: 'another department\'s topic', status: 404, response: async (t) => t.get('/console/topics/youth', await t.signIn('approver')) },
];

everyPageChecked('every topic page', cases);
