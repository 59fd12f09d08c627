import { defaultLanguage, type Language } from '../domain/language.js';
import { placeholdersWithoutFallback, renderContent } from '../domain/message-content.js';
import { topicNameIn, type ApprovalLevel, type Broadcast, type Channel, type Principal } from '../domain/model.js';
import { approvalNeeded } from './broadcast-approval.js';
import { withStopFooter } from '../domain/replies.js';
import { defaultPriceTable, estimateCost, homePrices, smsPreview, smsSegmentsOf, type CostEstimate, type SmsPreview } from '../domain/sms-preview.js';
import { matchesFilters } from '../domain/targeting.js';
import { isWhatsAppWindowOpen } from '../domain/whatsapp-window.js';
import { ValidationError } from '../domain/errors.js';
import { authorize } from '../staff/access.js';
import { getBroadcast } from './broadcast-reads.js';
import { departmentsOf, effectiveLimits } from '../usage/department-limits.js';
import { audiencePages, EXACT_AUDIENCE_LIMIT, subscriptionTotal } from './broadcast-audience.js';
import type { BroadcastDependencies } from '../ports/dependencies.js';

/** What a broadcast would do, before anyone sends it. */
export interface BroadcastPreview {
  audience: {
    /** Residents who would be sent a message (after de-duplication and the segment filters). */
    total: number;
    byChannel: Record<Channel, number>;
    /** By the language of the text they would get (their own where there is a variant, else the default). */
    byLanguage: Partial<Record<Language, number>>;
    /** Matched, but would be skipped: a placeholder without fallback and no value in their profile. */
    missingData: number;
    /** WhatsApp residents outside their 24-hour window: sent the template, or skipped without one. */
    whatsappOutsideWindow: number;
  };
  /** One entry per language version that would go out, as the first resident getting it would see it. */
  messages: Array<{ language: Language; text: string; whatsappText: string; sms: SmsPreview }>;
  /**
   * True when every resident was counted. Above {@link EXACT_AUDIENCE_LIMIT} subscriptions a
   * sample spread over every topic shard is read and the counts scaled to the whole (a preview must
   * answer within the API's time limit); `sampledResidents` says how many were read.
   */
  exact: boolean;
  sampledResidents?: number;
  /** SMS segments added up over every SMS resident's own text, and what it all costs. */
  smsSegments: number;
  cost: CostEstimate;
  /** When it would start: now, the time asked for, or the end of quiet hours. */
  startsAt: string;
  limits: Array<{ department: string; dailyMessageCap: number; usedOnStartDay: number; wouldExceed: boolean; needsOperatorApproval: boolean }>;
  /** Whose approval it would wait for once submitted: none, a department approver, or an operator. */
  approval: ApprovalLevel;
  warnings: Array<{ code: string; message: string }>;
}

type Draft = Pick<Broadcast, 'topics' | 'body' | 'variants' | 'whatsappTemplate' | 'filters' | 'priority' | 'sendAt' | 'department'>;

/** Previews a broadcast already made (a draft, or one waiting for approval). */
export async function previewBroadcast(deps: BroadcastDependencies, principal: Principal, id: string): Promise<BroadcastPreview> {
  return preview(deps, await getBroadcast(deps, principal, id));
}

/** Previews a broadcast request without making anything. */
export async function previewRequest(
  deps: BroadcastDependencies,
  principal: Principal,
  draft: Omit<Draft, 'department' | 'sendAt'> & { sendAt?: string },
): Promise<BroadcastPreview> {
  const topics = await Promise.all(draft.topics.map((id) => deps.stores.topics.get(id)));
  const missing = draft.topics.flatMap((id, index) => (topics[index] ? [] : [{ field: `topics.${index}`, message: `no topic "${id}"` }]));
  if (missing.length > 0) throw new ValidationError('the broadcast names topics that do not exist', missing);
  const departments = [...new Set(topics.map((topic) => topic!.department))].sort();
  for (const department of departments) authorize(principal, 'broadcasts:create', { department });
  return preview(deps, { ...draft, sendAt: draft.sendAt, topics: [...new Set(draft.topics)], department: departments.join(',') });
}

/**
 * Walks the audience exactly as the fan-out will (topics in order, each resident once, on the
 * channel the fan-out would pick) and renders each resident's own text, so sizes, segments and
 * cost are those of this broadcast now, not an average. Profiles are read a hundred at a time,
 * eventually consistent: a preview is advice; the sender checks consent again before each send.
 */
async function preview(deps: BroadcastDependencies, draft: Draft): Promise<BroadcastPreview> {
  const now = deps.clock.now();
  const firstTopic = await deps.stores.topics.get(draft.topics[0] ?? '');
  const topicName = (language: Language) => (firstTopic ? topicNameIn(firstTopic, language) : '');
  const audience: BroadcastPreview['audience'] = { total: 0, byChannel: { sms: 0, whatsapp: 0 }, byLanguage: {}, missingData: 0, whatsappOutsideWindow: 0 };
  const messages = new Map<Language, { text: string; whatsappText: string; sms: SmsPreview }>();
  const smsStop = deps.smsStopNumber ? await deps.smsStopNumber(departmentsOf(draft)) : { stopTo: undefined };
  const stopTo = 'stopTo' in smsStop ? smsStop.stopTo : undefined;
  const segmentsByText = new Map<string, number>();
  let smsSegments = 0;
  let whatsappWithoutTemplate = 0;
  const subscriptions = await subscriptionTotal(deps, draft.topics);
  const exact = subscriptions <= EXACT_AUDIENCE_LIMIT;
  const perShard = exact ? Number.POSITIVE_INFINITY : Math.ceil(EXACT_AUDIENCE_LIMIT / (draft.topics.length * deps.topicShards));
  let read = 0;

  for await (const recipients of audiencePages(deps, draft.topics, perShard)) {
    read += recipients.length;
    const profiles = await deps.stores.subscribers.profilesOf(recipients.map((recipient) => recipient.phone), { consistent: false });
    for (const recipient of recipients) {
      const profile = profiles.get(recipient.phone);
      if (!profile || profile.optedOut[recipient.channel] !== undefined) continue;
      if (!matchesFilters(profile, draft.filters, defaultLanguage)) continue;
      const rendered = renderContent(draft, profile, { defaultLanguage, topicName });
      if (!rendered.ok) {
        audience.missingData += 1;
        continue;
      }
      if (recipient.channel === 'whatsapp' && !isWhatsAppWindowOpen(profile, now)) {
        audience.whatsappOutsideWindow += 1;
        if (!draft.whatsappTemplate) {
          whatsappWithoutTemplate += 1;
          continue;
        }
      }
      audience.total += 1;
      audience.byChannel[recipient.channel] += 1;
      audience.byLanguage[rendered.language] = (audience.byLanguage[rendered.language] ?? 0) + 1;
      // The text shown is SMS's (its encoding and segments are what the preview is about): from a
      // one-way sender ID, it ends by naming the number to text STOP to; WhatsApp's always says "Reply STOP".
      const smsText = withStopFooter(rendered.text, rendered.language, stopTo);
      const text = recipient.channel === 'sms' ? smsText : withStopFooter(rendered.text, rendered.language);
      if (!messages.has(rendered.language)) {
        messages.set(rendered.language, { text: smsText, whatsappText: withStopFooter(rendered.text, rendered.language), sms: smsPreview(smsText) });
      }
      if (recipient.channel === 'sms') {
        let segments = segmentsByText.get(text);
        if (segments === undefined) segmentsByText.set(text, (segments = smsSegmentsOf(text)));
        smsSegments += segments;
      }
    }
  }

  if (!exact && read > 0) {
    // The sample's residents stand for the whole: every count scaled by the same factor.
    const scale = (count: number) => Math.round((count * subscriptions) / read);
    audience.total = scale(audience.total);
    audience.byChannel = { sms: scale(audience.byChannel.sms), whatsapp: scale(audience.byChannel.whatsapp) };
    for (const language of Object.keys(audience.byLanguage) as Language[]) audience.byLanguage[language] = scale(audience.byLanguage[language] ?? 0);
    audience.missingData = scale(audience.missingData);
    audience.whatsappOutsideWindow = scale(audience.whatsappOutsideWindow);
    smsSegments = scale(smsSegments);
    whatsappWithoutTemplate = scale(whatsappWithoutTemplate);
  }
  const startsAt = deps.window.earliestStart(
    draft.priority,
    draft.sendAt !== undefined && Date.parse(draft.sendAt) > now.getTime() ? new Date(draft.sendAt) : now,
  );
  const limits = await Promise.all(
    departmentsOf(draft).map(async (department) => {
      const own = await effectiveLimits(deps, department);
      const usedOnStartDay = await deps.stores.departments.used(department, deps.window.dayOf(startsAt));
      return {
        department,
        dailyMessageCap: own.dailyMessageCap,
        usedOnStartDay,
        wouldExceed: own.dailyMessageCap > 0 && usedOnStartDay + audience.total > own.dailyMessageCap,
        needsOperatorApproval: own.operatorApprovalAbove > 0 && audience.total > own.operatorApprovalAbove,
      };
    }),
  );
  return {
    audience,
    exact,
    ...(exact ? {} : { sampledResidents: read }),
    messages: [...messages].map(([language, message]) => ({ language, ...message })),
    smsSegments,
    // Every SMS resident's own segments are already added up: priced as that many one-segment messages.
    cost: estimateCost({ sms: smsSegments, whatsapp: audience.byChannel.whatsapp }, 1, homePrices(deps.prices?.table ?? defaultPriceTable, deps.prices?.homeCountry ?? 'GB')),
    startsAt: startsAt.toISOString(),
    limits,
    approval: await approvalNeeded(deps, draft, audience.total),
    warnings: [
      ...warningsFor(draft, audience, messages, whatsappWithoutTemplate, limits),
      ...('problem' in smsStop ? [{ code: 'sender_identities', message: `The STOP footer shown is the usual one: ${smsStop.problem}` }] : []),
    ],
  };
}

function warningsFor(
  draft: Draft,
  audience: BroadcastPreview['audience'],
  messages: Map<Language, { sms: SmsPreview }>,
  whatsappWithoutTemplate: number,
  limits: BroadcastPreview['limits'],
): BroadcastPreview['warnings'] {
  const warnings: BroadcastPreview['warnings'] = [];
  if (audience.byChannel.sms > 0) {
    for (const [language, message] of messages) {
      for (const warning of message.sms.warnings) warnings.push({ code: warning.code, message: `${language}: ${warning.message}` });
    }
  }
  if (audience.total === 0) warnings.push({ code: 'no_audience', message: 'Nobody would be sent this broadcast.' });
  if (audience.missingData > 0) {
    warnings.push({
      code: 'missing_data',
      message: `${audience.missingData} residents lack ${placeholdersWithoutFallback(draft).join(', ')} and would be skipped: add a fallback such as {{area|your area}}.`,
    });
  }
  if (whatsappWithoutTemplate > 0) {
    warnings.push({
      code: 'whatsapp_window_closed',
      message: `${whatsappWithoutTemplate} WhatsApp residents have not written in 24 hours and would be skipped: add a WhatsApp template.`,
    });
  }
  for (const limit of limits) {
    if (limit.wouldExceed) {
      warnings.push({ code: 'over_daily_cap', message: `Department "${limit.department}" would pass its daily cap of ${limit.dailyMessageCap} messages.` });
    }
    if (limit.needsOperatorApproval) {
      warnings.push({ code: 'operator_approval', message: `The audience is above department "${limit.department}"'s threshold: an operator must approve it.` });
    }
  }
  return warnings;
}
