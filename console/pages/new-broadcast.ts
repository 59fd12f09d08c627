import { Hono, type Context } from 'hono';
import { ConflictError, LimitExceededError, ValidationError } from '../../shared/domain/errors.js';
import { ageBands } from '../../shared/domain/profile.js';
import { languageNames, languages } from '../../shared/domain/language.js';
import { placeholderNames } from '../../shared/domain/message-content.js';
import { withGsmReplacements } from '../../shared/domain/sms-preview.js';
import { previewRequest } from '../../shared/broadcasts/broadcast-preview.js';
import { createBroadcast } from '../../shared/broadcasts/broadcasts.js';
import { authorize } from '../../shared/staff/access.js';
import { listTopics } from '../../shared/topics/manage-topics.js';
import type { ConsoleEnv } from '../console-env.js';
import type { ConsoleDependencies } from '../dependencies.js';
import { page } from '../page.js';
import type { FieldError } from '../views-model/field-error.js';
import { signedIn } from '../signed-in.js';
import {
  draftFrom,
  draftPlaceholders,
  firstStepLeft,
  readAudience,
  readMessage,
  readWhen,
  requestOf,
  sessionDraftWith,
  type BroadcastDraft,
  type FormBody,
} from '../views-model/broadcast-draft.js';
import { channelNames, checkView, submitLabel } from '../views-model/broadcast-check.js';
import { clockTime, count } from '../views-model/format.js';
import { counterView } from '../views-model/sms-counter.js';
import { sentence } from '../sentence.js';

const BASE = '/console/broadcasts/new';
const stepPaths = { audience: BASE, message: `${BASE}/message`, when: `${BASE}/when` } as const;

/** Each field's error message beside it: the summary's href names the field. */
function fieldErrors(errors: FieldError[]): Record<string, { text: string }> {
  return Object.fromEntries(errors.map((error) => [error.href.replace(/^#/, ''), { text: error.text }]));
}

/**
 * New broadcast, in steps (audience → message → when → check), each a page that works without
 * JavaScript. What the person has filled in is kept in their session's draft between steps;
 * nothing is made until they submit on the check page, through createBroadcast as the API does.
 */
export function newBroadcastPages(deps: ConsoleDependencies) {
  const routes = new Hono<ConsoleEnv>();
  const { window } = deps.broadcasts;

  /** The person (who must be allowed to create broadcasts: refused as a page otherwise) and their draft. */
  function begin(c: Context<ConsoleEnv>) {
    const person = signedIn(c);
    authorize(person.principal, 'broadcasts:create');
    return { person, draft: draftFrom(person.session.draft) };
  }

  async function save(c: Context<ConsoleEnv>, draft: BroadcastDraft | undefined) {
    const person = signedIn(c);
    await deps.sessions.saveDraft(person.session.idHash, sessionDraftWith(person.session.draft, draft));
  }

  async function topicsFor(c: Context<ConsoleEnv>) {
    const { items } = await listTopics(deps.broadcasts, signedIn(c).principal, { limit: 100 });
    return items;
  }

  /** Who the draft would reach, shown on the steps after the audience (the message does not change who). */
  async function audienceSummary(c: Context<ConsoleEnv>, draft: BroadcastDraft) {
    // Before the message is written, who it reaches is previewed with a dash for the words: the
    // count does not depend on them, only the split by language does (on the variants written).
    const request = draft.done.includes('message')
      ? requestOf({ ...draft, when: 'now' }, window.timeZone)
      : requestOf({ ...draft, body: '-', welsh: '', spanish: '', template: '', when: 'now' }, window.timeZone);
    if (!request.ok) return undefined;
    const preview = await previewRequest(deps.broadcasts, signedIn(c).principal, request.request);
    const { total, byChannel, byLanguage } = preview.audience;
    const parts = (entries: [string, number][]) => entries.filter(([, n]) => n > 0).map(([name, n]) => `${name}: ${count(n)}`).join(', ') || 'none';
    return {
      total: count(total),
      exact: preview.exact,
      byChannel: parts(Object.entries(byChannel).map(([channel, n]) => [channelNames[channel as keyof typeof channelNames], n])),
      byLanguage: parts(Object.entries(byLanguage).map(([language, n]) => [languageNames.en[language as keyof typeof languageNames.en], n ?? 0])),
    };
  }

  async function audiencePage(c: Context<ConsoleEnv>, draft: BroadcastDraft, errors: FieldError[] = []) {
    const topics = await topicsFor(c);
    return page(
      c,
      'broadcasts/new-audience.njk',
      {
        pageTitle: 'Who should get this broadcast?',
        backLink: '/console/',
        errors,
        fieldErrors: fieldErrors(errors),
        draft,
        topics: topics.map((topic) => ({ value: topic.id, text: topic.name, hint: { text: `${count(topic.subscribers)} subscribers` }, checked: draft.topics.includes(topic.id) })),
        ageBands: ageBands.map((band) => ({ value: band, text: band, checked: draft.ageBands.includes(band) })),
        languages: languages.map((language) => ({ value: language, text: languageNames.en[language], checked: draft.languages.includes(language) })),
      },
      errors.length ? 400 : 200,
    );
  }

  async function messagePage(c: Context<ConsoleEnv>, draft: BroadcastDraft, errors: FieldError[] = [], notice?: string) {
    return page(
      c,
      'broadcasts/new-message.njk',
      {
        pageTitle: 'Write your message',
        backLink: stepPaths.audience,
        errors,
        fieldErrors: fieldErrors(errors),
        draft,
        notice,
        audience: await audienceSummary(c, draft),
        messageHint: messageHint(),
        // One input per ((placeholder)) in the texts, filled once for the whole broadcast (a saved template's).
        placeholderFields: draftPlaceholders(draft).map((placeholder, index) => ({
          id: `placeholder-${index + 1}`,
          name: `value:${placeholder.key}`,
          label: `((${placeholder.name}))`,
          value: draft.values[placeholder.key] ?? '',
        })),
        scripts: ['message-counter.js'],
        counters: {
          message: counterView(draft.body),
          welsh: counterView(draft.welsh),
          spanish: counterView(draft.spanish),
        },
      },
      errors.length ? 400 : 200,
    );
  }

  async function whenPage(c: Context<ConsoleEnv>, draft: BroadcastDraft, errors: FieldError[] = []) {
    const quiet = window.quietHours;
    return page(
      c,
      'broadcasts/new-when.njk',
      {
        pageTitle: 'When should it be sent?',
        backLink: stepPaths.message,
        errors,
        fieldErrors: fieldErrors(errors),
        draft,
        audience: await audienceSummary(c, draft),
        quietHours: quiet
          ? {
              from: clockTime(quiet.start.hour, quiet.start.minute),
              until: clockTime(quiet.end.hour, quiet.end.minute),
            }
          : undefined,
        timeZone: window.timeZone,
      },
      errors.length ? 400 : 200,
    );
  }

  async function checkPage(c: Context<ConsoleEnv>, draft: BroadcastDraft, errors: FieldError[] = []) {
    const request = requestOf(draft, window.timeZone);
    const left = firstStepLeft(draft);
    if (left || !request.ok) return c.redirect(stepPaths[left ?? 'audience'], 302);
    const person = signedIn(c);
    const preview = await previewRequest(deps.broadcasts, person.principal, request.request);
    const topics = await topicsFor(c);
    const view = checkView(
      preview,
      { ...request.request, sendAt: request.request.sendAt, topicNames: request.request.topics.map((id) => topics.find((topic) => topic.id === id)?.name ?? id) },
      { timeZone: window.timeZone, now: deps.broadcasts.clock.now(), change: stepPaths },
    );
    return page(
      c,
      'broadcasts/new-check.njk',
      { pageTitle: 'Check your broadcast', backLink: stepPaths.when, errors, check: view, submitLabel: submitLabel(view.approval, view.startsLater) },
      errors.length ? 400 : 200,
    );
  }

  routes.get(BASE, async (c) => audiencePage(c, begin(c).draft));
  routes.post(BASE, async (c) => {
    const { draft } = begin(c);
    const offered = (await topicsFor(c)).map((topic) => topic.id);
    const result = readAudience(draft, (await c.req.parseBody({ all: true })) as FormBody, offered);
    await save(c, result.draft);
    return result.errors.length ? audiencePage(c, result.draft, result.errors) : c.redirect(stepPaths.message, 303);
  });

  routes.get(stepPaths.message, async (c) => messagePage(c, begin(c).draft));
  routes.post(stepPaths.message, async (c) => {
    const { draft } = begin(c);
    const form = (await c.req.parseBody({ all: true })) as FormBody;
    if (form.action === 'replace') {
      // Replace them: each character with a GSM-7 stand-in swapped for it, in every text; the page comes back to be read again.
      const typed = readMessage(draft, form).draft;
      const replaced = { ...typed, body: withGsmReplacements(typed.body), welsh: withGsmReplacements(typed.welsh), spanish: withGsmReplacements(typed.spanish) };
      await save(c, replaced);
      return messagePage(c, replaced, [], 'The characters with a GSM-7 stand-in have been replaced. Read the message again before you continue.');
    }
    const result = readMessage(draft, form);
    if (result.errors.length) {
      await save(c, result.draft);
      return messagePage(c, result.draft, result.errors);
    }
    // Characters that double what an SMS costs are easy to paste without seeing them (a curly
    // apostrophe from a document): the first Continue stops to say so, with Replace them; a
    // second Continue with the same texts keeps them.
    const texts = [result.draft.body, result.draft.welsh, result.draft.spanish].join('\u0000');
    const replaceable = [result.draft.body, result.draft.welsh, result.draft.spanish].some((text) => counterView(text).replaceable);
    if (replaceable && result.draft.keptUnicode !== texts) {
      const reviewed = { ...result.draft, keptUnicode: texts };
      await save(c, reviewed);
      return messagePage(c, reviewed, [], undefined);
    }
    await save(c, result.draft);
    return c.redirect(stepPaths.when, 303);
  });
  // The live counter's source: the same count the page shows, so the browser never counts by rules of its own.
  routes.post(`${stepPaths.message}/count`, async (c) => {
    begin(c);
    const form = (await c.req.parseBody({ all: true })) as FormBody;
    const text = typeof form.text === 'string' ? form.text : '';
    return c.json(counterView(text));
  });

  routes.get(stepPaths.when, async (c) => whenPage(c, begin(c).draft));
  routes.post(stepPaths.when, async (c) => {
    const { draft } = begin(c);
    const result = readWhen(draft, (await c.req.parseBody({ all: true })) as FormBody, window.timeZone, deps.broadcasts.clock.now());
    await save(c, result.draft);
    return result.errors.length ? whenPage(c, result.draft, result.errors) : c.redirect(`${BASE}/check`, 303);
  });

  routes.get(`${BASE}/check`, async (c) => checkPage(c, begin(c).draft));
  routes.post(`${BASE}/check`, async (c) => {
    const { person, draft } = begin(c);
    const request = requestOf(draft, window.timeZone);
    if (!request.ok || firstStepLeft(draft)) return c.redirect(stepPaths[firstStepLeft(draft) ?? 'audience'], 303);
    try {
      const broadcast = await createBroadcast(deps.broadcasts, person.principal, { ...request.request, draft: false });
      await save(c, undefined);
      return c.redirect(`/console/broadcasts/${broadcast.id}`, 303);
    } catch (error) {
      // A refusal the person can act on (a time now past, over the daily cap) is shown on the page they submitted.
      if (error instanceof ValidationError || error instanceof LimitExceededError || error instanceof ConflictError) {
        const details = error instanceof ValidationError ? error.details.map((detail) => sentence(detail.message)) : [];
        return checkPage(c, draft, [{ text: sentence(error.message), href: '#submit' }, ...details.map((text) => ({ text, href: '#submit' }))]);
      }
      throw error;
    }
  });
  return routes;
}

/** The placeholders on offer are what residents hold (their district and age band) and the topic's name. */
function messageHint(): string {
  const [area, ageBand, topic] = placeholderNames.map((name) => `{{${name}}}`);
  return (
    'In English: residents who have not chosen a language, or chose one you do not write below, read this. ' +
    `You can use ${area} for each resident's postcode district, ${ageBand} for their age band and ${topic} for the topic's name. ` +
    'Give a fallback for residents who have not told us, such as {{area|your area}}.'
  );
}
