import { describe, expect, it } from 'vitest';
import { replies, withStopFooter } from '../../shared/domain/replies.js';

const HOW_TO_STOP = 'Reply STOP to stop.';

/** Every reply, with the arguments it is given; the opt-out confirmation is the only one without the footer. */
const everyReply: ReadonlyArray<[string, keyof typeof replies, () => string]> = [
  ['subscribed', 'subscribed', () => replies.subscribed('Traffic alerts')],
  ['alreadySubscribed', 'alreadySubscribed', () => replies.alreadySubscribed('Traffic alerts')],
  ['unknownTopic, with topics to offer', 'unknownTopic', () => replies.unknownTopic('YOOTH', ['TRAFFIC', 'YOUTH'])],
  ['unknownTopic, with no topics at all', 'unknownTopic', () => replies.unknownTopic('YOOTH', [])],
  ['restored, with topics', 'restored', () => replies.restored(['Traffic alerts', 'Youth news'])],
  ['restored, with no topics held', 'restored', () => replies.restored([])],
  ['help, with topics', 'help', () => replies.help(['TRAFFIC', 'YOUTH'])],
  ['help, with no topics', 'help', () => replies.help([])],
  ['notUnderstood', 'notUnderstood', () => replies.notUnderstood()],
];

describe('replies', () => {
  it('has a row here for every reply', () => {
    // Prepare
    const covered = new Set([...everyReply.map(([, name]) => name), 'optedOut']);

    // Act
    const names = Object.keys(replies);

    // Assess
    expect(names.sort()).toEqual([...covered].sort());
  });

  it.each(everyReply)('%s ends with how to stop', (_case, _name, render) => {
    // Prepare / Act
    const text = render();

    // Assess
    expect(text.endsWith(HOW_TO_STOP)).toBe(true);
  });

  it('confirms an opt-out without telling the resident how to stop, and says how to come back', () => {
    // Prepare / Act
    const text = replies.optedOut();

    // Assess
    expect(text).not.toContain('STOP');
    expect(text).toContain('START');
  });

  it.each<[string, () => string, string[]]>([
    ['unknownTopic', () => replies.unknownTopic('YOOTH', ['TRAFFIC', 'YOUTH']), ['YOOTH', 'TRAFFIC, YOUTH', 'JOIN']],
    ['restored', () => replies.restored(['Traffic alerts', 'Youth news']), ['Traffic alerts, Youth news']],
    ['help', () => replies.help(['TRAFFIC', 'YOUTH']), ['(TRAFFIC, YOUTH)']],
  ])('%s names what the resident can do', (_case, render, fragments) => {
    // Prepare / Act
    const text = render();

    // Assess
    for (const fragment of fragments) expect(text).toContain(fragment);
  });
});

describe('withStopFooter', () => {
  it.each([
    ['a plain body', 'Queues on the A470.', `Queues on the A470.\n${HOW_TO_STOP}`],
    ['a body that says "stop" in lower case', 'Buses will not stop on High St.', `Buses will not stop on High St.\n${HOW_TO_STOP}`],
    ['a body with STOP inside a longer word', 'NONSTOP service on the 61 today.', `NONSTOP service on the 61 today.\n${HOW_TO_STOP}`],
    ['a body that mentions a BUS STOP', 'BUS STOP on Queen St closed until 6pm.', `BUS STOP on Queen St closed until 6pm.\n${HOW_TO_STOP}`],
  ])('adds the footer to %s', (_case, body, expected) => {
    // Prepare / Act
    const withFooter = withStopFooter(body);

    // Assess
    expect(withFooter).toBe(expected);
  });

  it.each([
    ['the footer itself', `Road closed.\n${HOW_TO_STOP}`],
    ['an instruction of the author’s own', 'Road closed. Text STOP to opt out.'],
    ['a reply instruction in other words', 'Road closed. Reply STOP to end these alerts.'],
  ])('leaves a body alone that already has %s', (_case, body) => {
    // Prepare / Act
    const withFooter = withStopFooter(body);

    // Assess
    expect(withFooter).toBe(body);
  });
});
