import { languageNames, type Language } from '../../shared/domain/language.js';
import type { TopicView } from '../../shared/usecases/topics.js';
import { count, localTime } from './format.js';

/** The languages a topic may have an alias in, in the order the pages show them. */
const aliasLanguages = ['cy', 'es'] as const satisfies readonly Language[];

/** "TRAFFIC, ROADS"; "None" for none (an empty value reads as missing). */
function keywordText(keywords: readonly string[]): string {
  return keywords.length ? keywords.join(', ') : 'None';
}

/** Every word that leads a resident to the topic, in English and its aliases: "TRAFFIC, ROADS (Welsh: TRAFFIG)". */
export function allKeywords(topic: TopicView): string {
  const aliases = aliasLanguages.flatMap((language) => {
    const keywords = topic.aliases[language]?.keywords ?? [];
    return keywords.length ? [`${languageNames.en[language]}: ${keywords.join(', ')}`] : [];
  });
  return `${keywordText(topic.keywords)}${aliases.length ? ` (${aliases.join('; ')})` : ''}`;
}

/**
 * The list page: topics residents can join, and archived ones apart. The counts are the topics'
 * subscriptions (the use case's total): a resident who joined on SMS and on WhatsApp counts twice.
 */
export function topicListView(topics: readonly TopicView[], options: { showDepartment: boolean }) {
  const row = (topic: TopicView) => ({
    href: `/console/topics/${topic.id}`,
    name: topic.name,
    keywords: allKeywords(topic),
    department: topic.department,
    subscribers: count(topic.subscribers),
  });
  return {
    showDepartment: options.showDepartment,
    active: topics.filter((topic) => topic.archivedAt === undefined).map(row),
    archived: topics.filter((topic) => topic.archivedAt !== undefined).map(row),
  };
}

interface SummaryRow {
  key: { text: string };
  value: { text: string };
  actions?: { items: Array<{ href: string; text: string; visuallyHiddenText: string }> };
}

/**
 * A topic's page as the design system's summary list: each setting, with a Change link to its
 * field on the edit form for whoever may change it (`editHref` absent: no links).
 */
export function topicView(topic: TopicView, options: { editHref: string | undefined; timeZone: string; mayMove: boolean }) {
  const row = (key: string, value: string, field?: string): SummaryRow => {
    // "Change name", "Change Welsh name": a language keeps its capital.
    const hidden = /^(Welsh|Spanish) /.test(key) ? key : key.charAt(0).toLowerCase() + key.slice(1);
    return {
      key: { text: key },
      value: { text: value },
      ...(options.editHref && field ? { actions: { items: [{ href: `${options.editHref}#${field}`, text: 'Change', visuallyHiddenText: hidden }] } } : {}),
    };
  };
  const aliasRows = aliasLanguages.flatMap((language) => {
    const name = languageNames.en[language];
    const prefix = name.toLowerCase();
    const alias = topic.aliases[language];
    return [row(`${name} name`, alias?.name ?? 'None', `${prefix}-name`), row(`${name} keywords`, keywordText(alias?.keywords ?? []), `${prefix}-keywords`)];
  });
  const rows: SummaryRow[] = [
    row('Topic ID', topic.id),
    row('Name', topic.name, 'name'),
    row('Keywords', keywordText(topic.keywords), 'keywords'),
    ...aliasRows,
    row('Needs a second person to approve', topic.requiresApproval ? 'Yes: each broadcast to it needs a second person to approve it' : 'No', 'requires-approval'),
    row('Confirmed opt-in', topic.confirmedOptIn ? 'Yes: a resident who joins must reply YES within 24 hours' : 'No: a resident joins with one text', 'confirmed-opt-in'),
    row('Department', topic.department, options.mayMove ? 'department' : undefined),
    row('Subscribers', count(topic.subscribers)),
    row('Created', localTime(topic.createdAt, options.timeZone)),
    ...(topic.updatedAt ? [row('Last changed', localTime(topic.updatedAt, options.timeZone))] : []),
    ...(topic.archivedAt ? [row('Archived', localTime(topic.archivedAt, options.timeZone))] : []),
  ];
  return { rows };
}
