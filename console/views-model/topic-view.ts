import { languageNames, languages, type Language } from '../../shared/domain/language.js';
import type { Channel } from '../../shared/domain/model.js';
import type { CountedLanguage, TopicSubscriberCounts } from '../../shared/topics/topic-store.js';
import type { TopicView } from '../../shared/topics/manage-topics.js';
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
 * subscriptions (the use case's total), then split by channel: a resident who joined on SMS and
 * on WhatsApp counts twice.
 */
export function topicListView(topics: readonly TopicView[], options: { showDepartment: boolean }) {
  const row = (topic: TopicView) => ({
    href: `/console/topics/${topic.id}`,
    name: topic.name,
    keywords: allKeywords(topic),
    department: topic.department,
    subscribers: count(topic.subscribers),
    sms: count(topic.subscriberCounts.byChannel.sms),
    whatsapp: count(topic.subscriberCounts.byChannel.whatsapp),
  });
  return {
    showDepartment: options.showDepartment,
    active: topics.filter((topic) => topic.archivedAt === undefined).map(row),
    archived: topics.filter((topic) => topic.archivedAt !== undefined).map(row),
  };
}

/** The channels and languages in the order the topic's page shows them, named for staff. */
const channelNames = [
  ['sms', 'SMS'],
  ['whatsapp', 'WhatsApp'],
] as const satisfies ReadonlyArray<readonly [Channel, string]>;
const countedLanguageNames = [
  ...languages.map((language) => [language, languageNames.en[language]] as const),
  ['none', 'Not given (they receive the default language)'],
] as const satisfies ReadonlyArray<readonly [CountedLanguage, string]>;

/**
 * A topic's subscribers by channel and by language, as rows of two tables. Subscriptions made
 * before languages were counted are in no language until the resident's language next changes
 * (the counters keep them in the total only), so the language rows may add up to less than the
 * total; the row "Not counted by language" shows the difference rather than let it go unsaid.
 */
export function subscriberBreakdown(counts: TopicSubscriberCounts) {
  const row = (name: string, value: number) => [{ text: name }, { text: count(value), format: 'numeric' }];
  const byLanguage = countedLanguageNames.map(([language, name]) => row(name, counts.byLanguage[language]));
  const uncounted = counts.total - countedLanguageNames.reduce((sum, [language]) => sum + counts.byLanguage[language], 0);
  return {
    byChannel: [...channelNames.map(([channel, name]) => row(name, counts.byChannel[channel])), row('Total', counts.total)],
    byLanguage: uncounted > 0 ? [...byLanguage, row('Not counted by language', uncounted)] : byLanguage,
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
  return { rows, subscriberBreakdown: subscriberBreakdown(topic.subscriberCounts) };
}
