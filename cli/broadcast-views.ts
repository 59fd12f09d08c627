import type { Broadcast, BroadcastPreview, DepartmentLimits } from './admin-api.js';
import { describeDistance, describeTime } from './broadcast-options.js';
import { shortTime, type Output } from './output.js';
import { describeStatus } from './progress-bar.js';

/** A start within this of now is "at once": the preview's clock and ours differ by a request. */
const AT_ONCE_MS = 60_000;

/**
 * What just happened to a broadcast (made, submitted, approved), in plain words: who it waits
 * for, when it starts and why, or that it is sending; then the command to run next.
 */
export function describeOutcome(broadcast: Broadcast, now: Date = new Date()): string[] {
  const id = broadcast.id;
  const audience = audienceWords(broadcast);
  const lines = [`broadcast ${id}: ${describeStatus(broadcast)}`];
  switch (broadcast.status) {
    case 'draft':
      lines.push('saved as a draft: nothing is sent until it is submitted');
      lines.push(`next: crier broadcasts preview ${id}, then crier broadcasts submit ${id}`);
      break;
    case 'pending_approval':
      lines.push(
        broadcast.approval === 'operator'
          ? `an operator must approve it: its audience${audience ? ` of ${audience}` : ''} is above its department's threshold`
          : 'a topic needs a second person: an approver of its department (or an operator), not its author, must approve it',
      );
      if (broadcast.approval !== 'operator' && audience) lines.push(`audience: ${audience}`);
      lines.push(`next: with another key, crier broadcasts approve ${id}, or crier broadcasts reject ${id} --reason "…"`);
      break;
    case 'scheduled':
      lines.push(`${whyScheduled(broadcast)}; it starts ${broadcast.startsAt ? describeDistance(broadcast.startsAt, now) : 'later'}`);
      if (audience) lines.push(`audience: ${audience}`);
      lines.push(`next: crier broadcasts status ${id} --watch, or crier broadcasts cancel ${id}`);
      break;
    case 'sending':
      lines.push(`sending now${audience ? ` to ${audience}` : ''}`);
      lines.push(`follow it with: crier broadcasts status ${id} --watch`);
      break;
    case 'rejected':
      if (broadcast.rejectionReason) lines.push(`reason: ${broadcast.rejectionReason}`);
      break;
    default:
      break;
  }
  return lines;
}

/**
 * The audience counted at submission. The API counts filtered and multi-topic broadcasts
 * resident by resident, as the fan-out will; one topic without filters is its subscriber count,
 * which counts a resident on both SMS and WhatsApp twice, hence "up to". Residents who opt out
 * before their message goes are skipped, so every figure is at most what is sent.
 */
export function audienceWords(broadcast: Pick<Broadcast, 'audience' | 'topics' | 'filters'>): string {
  if (broadcast.audience === undefined) return '';
  const count = `${broadcast.audience} ${plural(broadcast.audience, 'resident')}`;
  return broadcast.audience === 0 ? count : `up to ${count}`;
}

/** Why a released broadcast waits: the time asked for, quiet hours, or both. */
export function whyScheduled(broadcast: Pick<Broadcast, 'sendAt' | 'startsAt' | 'createdAt'>): string {
  const asked = broadcast.sendAt === undefined ? undefined : Date.parse(broadcast.sendAt);
  const starts = broadcast.startsAt === undefined ? undefined : Date.parse(broadcast.startsAt);
  if (asked !== undefined && starts !== undefined && asked === starts) return 'scheduled for the time asked for (--at)';
  if (asked !== undefined && starts !== undefined && starts > asked && asked > Date.parse(broadcast.createdAt)) {
    return `asked for ${describeTime(broadcast.sendAt!)}, which is in quiet hours: moved to when they end (--urgent does not wait)`;
  }
  return 'quiet hours: a normal-priority broadcast waits until they end (--urgent does not)';
}

/** Everything `status` knows about a broadcast, one field a line; fields that do not apply are left out. */
export function showBroadcast(output: Output, broadcast: Broadcast): void {
  const entries: [string, string][] = [
    ['id', broadcast.id],
    ['status', describeStatus(broadcast)],
    ['topics', broadcast.topics.join(', ')],
    ['priority', broadcast.priority],
    ['mode', broadcast.mode === 'test' ? 'test (sandbox only)' : 'live'],
    ['created', `${shortTime(broadcast.createdAt)} by ${broadcast.createdBy}`],
  ];
  if (broadcast.sendAt) entries.push(['send at', `${describeTime(broadcast.sendAt)} (asked for)`]);
  if (broadcast.startsAt) entries.push(['starts', describeTime(broadcast.startsAt)]);
  entries.push(['approval', describeApproval(broadcast.approval)]);
  if (broadcast.approvedBy) entries.push(['approved', `by ${broadcast.approvedBy}${broadcast.approvedAt ? ` at ${shortTime(broadcast.approvedAt)}` : ''}`]);
  if (broadcast.rejectedBy) entries.push(['rejected', `by ${broadcast.rejectedBy}`]);
  if (broadcast.rejectionReason) entries.push(['reason', broadcast.rejectionReason]);
  if (broadcast.cancelledBy) entries.push(['cancelled', `by ${broadcast.cancelledBy}${broadcast.cancelledAt ? ` at ${shortTime(broadcast.cancelledAt)}` : ''}`]);
  entries.push(['filters', describeFilters(broadcast.filters)]);
  entries.push(['body', broadcast.body]);
  const variants = Object.keys(broadcast.variants ?? {});
  if (variants.length > 0) entries.push(['variants', variants.join(', ')]);
  if (broadcast.whatsappTemplate) {
    const template = broadcast.whatsappTemplate;
    entries.push([
      'template',
      `${template.name}${template.language ? ` (${template.language})` : " (each resident's language)"}${template.parameters.length ? `, parameters: ${template.parameters.map((parameter) => `"${parameter}"`).join(', ')}` : ''}`,
    ]);
  }
  if (broadcast.audience !== undefined) entries.push(['audience', `${audienceWords(broadcast)}, counted when submitted`]);
  entries.push(['counts', describeCounts(broadcast.counts)]);
  // Older servers did not report a cost.
  if (broadcast.cost) entries.push(['cost', describeCost(broadcast.cost)]);
  output.fields(entries);
}

export function describeApproval(approval: Broadcast['approval']): string {
  return approval === 'operator' ? 'by an operator (audience above the department threshold)' : approval === 'department' ? 'by a department approver (two-person rule)' : 'not needed';
}

export function describeFilters(filters: Broadcast['filters']): string {
  const parts = [
    filters?.areas?.length ? `areas ${filters.areas.join(' ')}` : undefined,
    filters?.ageBands?.length ? `age bands ${filters.ageBands.join(' ')}` : undefined,
    filters?.languages?.length ? `languages ${filters.languages.join(' ')}` : undefined,
  ].filter((part) => part !== undefined);
  return parts.length ? parts.join(' · ') : 'none (every subscriber of the topics)';
}

/** `targeted 5 · sent 3 · … · skipped 2 (opted_out 1, missing_data 1)`: the reasons beside the skips they split. */
export function describeCounts(counts: Broadcast['counts']): string {
  const { skippedBy, ...totals } = counts;
  const reasons = Object.entries(skippedBy ?? {}).map(([reason, count]) => `${reason} ${count}`);
  return Object.entries(totals)
    .map(([name, count]) => `${name} ${count}${name === 'skipped' && reasons.length > 0 ? ` (${reasons.join(', ')})` : ''}`)
    .join(' · ');
}

/** A preview: warnings first (they are what needs acting on), then audience, texts, cost, start and limits. */
export function showPreview(output: Output, preview: BroadcastPreview, now: Date = new Date()): void {
  for (const warning of preview.warnings) output.line(`WARNING: ${warning.message}`);
  if (preview.warnings.length > 0) output.line();

  const { audience } = preview;
  const byLanguage = Object.entries(audience.byLanguage)
    .map(([language, count]) => `${language} ${count}`)
    .join(' · ');
  output.line(
    preview.exact
      ? `audience: ${audience.total} ${plural(audience.total, 'resident')}`
      : `audience: about ${audience.total} ${plural(audience.total, 'resident')} (estimated from a sample of ${preview.sampledResidents ?? 0}: every count below is scaled)`,
  );
  output.line(`  by channel:  sms ${audience.byChannel.sms} · whatsapp ${audience.byChannel.whatsapp}`);
  output.line(`  by language: ${byLanguage || '-'}`);
  if (audience.missingData > 0) output.line(`  skipped:     ${audience.missingData} lacking data a placeholder needs`);
  if (audience.whatsappOutsideWindow > 0) output.line(`  whatsapp:    ${audience.whatsappOutsideWindow} outside their 24-hour window (template only)`);

  for (const message of preview.messages) {
    const { sms } = message;
    const why = sms.encoding === 'UCS-2' && sms.unicodeCharacters.length > 0 ? ` because of ${sms.unicodeCharacters.map((character) => `"${character}"`).join(' ')}` : '';
    const without = sms.segmentsWithoutUnicode !== undefined && sms.segmentsWithoutUnicode !== sms.segments ? ` (${sms.segmentsWithoutUnicode} in GSM-7)` : '';
    output.line();
    output.line(`${message.language}: ${sms.encoding}${why}, ${sms.characters} characters, ${sms.segments} SMS ${plural(sms.segments, 'segment')}${without}`);
    for (const line of message.text.split('\n')) output.line(`  │ ${line}`);
  }

  output.line();
  const money = (amount: number) => formatMoney(amount, preview.cost.currency);
  output.line(`SMS segments: ${preview.smsSegments} in all`);
  output.line(`estimated cost: ${money(preview.cost.total)} ${preview.cost.currency} (sms ${money(preview.cost.sms)} · whatsapp ${money(preview.cost.whatsapp)})`);
  const startsAt = Date.parse(preview.startsAt);
  output.line(`starts: ${startsAt - now.getTime() <= AT_ONCE_MS ? 'at once, when released' : `${describeTime(preview.startsAt)} (${describeDistance(preview.startsAt, now)})`}`);
  for (const limit of preview.limits) {
    const cap =
      limit.dailyMessageCap === 0
        ? 'no daily cap'
        : `daily cap ${limit.dailyMessageCap}: ${limit.usedOnStartDay} used on the start day, ${limit.usedOnStartDay + audience.total} with this one${limit.wouldExceed ? ' — OVER THE CAP' : ''}`;
    output.line(`limits of ${limit.department}: ${cap}; operator approval ${limit.needsOperatorApproval ? 'NEEDED' : 'not needed'}`);
  }
}

export function formatMoney(amount: number, currency: string): string {
  try {
    return new Intl.NumberFormat('en-GB', { style: 'currency', currency }).format(amount);
  } catch {
    return `${amount} ${currency}`;
  }
}

export function showDepartmentLimits(output: Output, limits: DepartmentLimits): void {
  const whose = (source: 'department' | 'deployment') => (source === 'department' ? "the department's own" : "the deployment's default");
  output.fields([
    ['department', limits.department],
    ['daily cap', `${limits.dailyMessageCap === 0 ? 'none' : `${limits.dailyMessageCap} ${plural(limits.dailyMessageCap, 'message')} a day`} (${whose(limits.source.dailyMessageCap)})`],
    [
      'operator approval',
      `${limits.operatorApprovalAbove === 0 ? 'never needed' : `for an audience above ${limits.operatorApprovalAbove}`} (${whose(limits.source.operatorApprovalAbove)})`,
    ],
    ...(limits.usedToday !== undefined
      ? ([['used today', `${limits.usedToday}${limits.dailyMessageCap ? ` of ${limits.dailyMessageCap}` : ''}${limits.today ? ` (${limits.today})` : ''}`]] as [string, string][])
      : []),
    ...(limits.costToday
      ? ([
          ['cost today', describeCost(limits.costToday)],
          ['of which replies', `${amountOf(limits.costToday.replies)} (answers to residents' texts)`],
        ] as [string, string][])
      : []),
  ]);
}

/** `£1.2345 GBP (estimate)`: to a hundredth of a penny, since a WhatsApp rate can be £0.0158. */
export function describeCost(cost: { currency: string; estimated: number }): string {
  return `${amountOf(cost)} (estimate: segments × the price table's rate per country)`;
}

/** `£1.2345 GBP`; a currency Intl does not know is shown as the bare number. */
function amountOf(cost: { currency: string; estimated: number }): string {
  try {
    return `${new Intl.NumberFormat('en-GB', { style: 'currency', currency: cost.currency, maximumFractionDigits: 4 }).format(cost.estimated)} ${cost.currency}`;
  } catch {
    return `${String(cost.estimated)} ${cost.currency}`;
  }
}

function plural(count: number, word: string): string {
  return count === 1 ? word : `${word}s`;
}
