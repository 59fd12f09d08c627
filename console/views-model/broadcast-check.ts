import { languageNames, type Language } from '../../shared/domain/language.js';
import type { Broadcast, Channel } from '../../shared/domain/model.js';
import type { BroadcastPreview } from '../../shared/broadcasts/broadcast-preview.js';
import { count, localTime, money, plural } from './format.js';

/** A row of GOV.UK's summary list, as the govukSummaryList macro takes it. */
export interface SummaryRow {
  key: { text: string };
  value: { text: string } | { html: string };
  actions?: { items: Array<{ href: string; text: string; visuallyHiddenText: string }> };
}

export const channelNames: Record<Channel, string> = { sms: 'SMS', whatsapp: 'WhatsApp' };

/** What a broadcast is, as the check page and the approver see it (its content and targeting). */
export type CheckedContent = Pick<Broadcast, 'filters' | 'priority' | 'sendAt' | 'whatsappTemplate'> & { topicNames: string[] };

/** Where each row's Change link goes on the new broadcast's check page; none elsewhere. */
export type ChangeLinks = Record<'audience' | 'message' | 'when', string> | undefined;

function row(key: string, value: string, change?: { href: string; what: string }): SummaryRow {
  return {
    key: { text: key },
    value: { text: value },
    ...(change ? { actions: { items: [{ href: change.href, text: 'Change', visuallyHiddenText: change.what }] } } : {}),
  };
}

function split<K extends string>(counts: Partial<Record<K, number>>, name: (key: K) => string): string {
  const parts = (Object.entries(counts) as [K, number][]).filter(([, n]) => n > 0).map(([key, n]) => `${name(key)}: ${count(n)}`);
  return parts.length ? parts.join(', ') : 'None';
}

function filtersText(filters: Broadcast['filters']): string {
  const parts = [
    filters?.areas?.length ? `in ${filters.areas.join(', ')}` : '',
    filters?.ageBands?.length ? `aged ${filters.ageBands.join(', ')}` : '',
    filters?.languages?.length ? `reading ${filters.languages.map((language) => languageNames.en[language]).join(', ')}` : '',
  ].filter(Boolean);
  return parts.length ? `Residents ${parts.join(' and ')}` : 'Everyone who has joined these topics';
}

/**
 * The check page's content, from the preview: who gets it, exactly what they read (per language
 * and channel, STOP footer included), segments and cost, the daily cap, when it starts. The same
 * view serves the approver, so both people see the same thing.
 */
export function checkView(preview: BroadcastPreview, content: CheckedContent, context: { timeZone: string; now: Date; change: ChangeLinks }) {
  const { change } = context;
  const audience = preview.audience;
  const audienceRows: SummaryRow[] = [
    row('Topics', content.topicNames.join(', '), change && { href: change.audience, what: 'topics' }),
    row('Who', filtersText(content.filters), change && { href: change.audience, what: 'who gets it' }),
    row('Residents', preview.exact ? count(audience.total) : `About ${count(audience.total)} (estimated from ${count(preview.sampledResidents ?? 0)} residents)`),
    row('By channel', split(audience.byChannel, (channel) => channelNames[channel])),
    row('By language', split(audience.byLanguage, (language: Language) => languageNames.en[language])),
    row('Missing data', audience.missingData ? `${plural(audience.missingData, 'resident')} lack what a placeholder needs and will be skipped` : 'None'),
  ];
  if (audience.whatsappOutsideWindow > 0) {
    audienceRows.push(
      row(
        'WhatsApp outside 24 hours',
        content.whatsappTemplate
          ? `${plural(audience.whatsappOutsideWindow, 'resident')} will get the template ${content.whatsappTemplate.name}`
          : `${plural(audience.whatsappOutsideWindow, 'resident')} will be skipped: there is no WhatsApp template`,
        change && { href: change.message, what: 'WhatsApp template' },
      ),
    );
  }
  const messages = preview.messages.map((message) => ({
    language: languageNames.en[message.language],
    sms: message.text,
    whatsapp: message.whatsappText,
    sameOnBoth: message.text === message.whatsappText,
    smsSummary: `${plural(message.sms.characters, 'character')}, ${plural(message.sms.segments, 'segment')} (${message.sms.encoding})`,
  }));
  const starts = Date.parse(preview.startsAt) <= context.now.getTime() ? 'As soon as it is sent' : localTime(preview.startsAt, context.timeZone);
  const sendingRows: SummaryRow[] = [
    row('SMS segments', count(preview.smsSegments), change && { href: change.message, what: 'message' }),
    row(
      'Estimated cost',
      `${money(preview.cost.total, preview.cost.currency)} (SMS ${money(preview.cost.sms, preview.cost.currency)}, WhatsApp ${money(preview.cost.whatsapp, preview.cost.currency)})`,
    ),
    ...preview.limits.map((limit) =>
      row(
        preview.limits.length > 1 ? `Daily cap of ${limit.department}` : 'Daily cap',
        limit.dailyMessageCap === 0
          ? 'No daily cap'
          : limit.wouldExceed
            ? `Over the cap: ${count(limit.usedOnStartDay)} of ${count(limit.dailyMessageCap)} messages already used that day`
            : `Leaves ${count(limit.dailyMessageCap - limit.usedOnStartDay - audience.total)} of ${count(limit.dailyMessageCap)} messages that day`,
      ),
    ),
    row('Priority', content.priority === 'urgent' ? 'Urgent: goes now, even in quiet hours' : 'Normal', change && { href: change.when, what: 'when it is sent' }),
    row('Starts', starts, change && { href: change.when, what: 'when it starts' }),
  ];
  return {
    total: audience.total,
    audienceRows,
    messages,
    sendingRows,
    warnings: preview.warnings.map((warning) => warning.message),
    approval: preview.approval,
    startsLater: Date.parse(preview.startsAt) > context.now.getTime(),
  };
}

/** The check page's button: a second person first where one is needed, else it goes (now, or when scheduled). */
export function submitLabel(approval: BroadcastPreview['approval'], startsLater: boolean): string {
  if (approval !== 'none') return 'Submit for approval';
  return startsLater ? 'Schedule' : 'Send now';
}
