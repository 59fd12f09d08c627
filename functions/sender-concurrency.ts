import type { Channel } from '../shared/domain/model.js';
import { providerListOf } from '../shared/domain/provider-list.js';
import { providerChannelKeyOf } from '../shared/domain/send-rates.js';
import { defaultRateOf, type SenderKind } from '../shared/domain/sender-kinds.js';
import type { DeploymentSettings } from './catalog-types.js';

/**
 * Messages a second one sending function is counted on for one sender. Not a latency: a function
 * keeps as many sends in flight as its rate times the provider's answer time, and prepares each
 * resident a measured moment before their slot (shared/sending/send-pipeline.ts). What bounds it
 * is the CPU its DynamoDB calls take (a consent read, a claim, an outcome: a few milliseconds of
 * a 512 MB function's share of a core each), so this stays low, and a lane is never short.
 */
const MESSAGES_PER_SECOND_PER_FUNCTION = 40;
/** Lambda's smallest maximum concurrency for an SQS event source, and a ceiling no sender mix needs. */
const MIN_CONCURRENCY = 2;
const MAX_CONCURRENCY = 50;
/** The urgent lane never runs narrower than this: it also carries every reply to a resident's text. */
const MIN_URGENT_CONCURRENCY = 20;
/** The kind an identity known only by its provider and channel is taken to be, until its from setting says otherwise. */
const assumedKind: Record<Channel, SenderKind> = { sms: 'long_code', whatsapp: 'whatsapp_number' };

/**
 * How many bulk sending functions may run at once: for each sender the deployment sends from,
 * enough to keep up with its rate, and one more so that one job's end overlaps the next one's
 * start. More would only wait for slots, and Lambda bills the wait: at 10 msg/s per sender, ten
 * functions spent over three times the GB-seconds of three for the same sends (`npm run bench`),
 * and competed for the senders' schedules (more booking writes). The senders are the SENDERS
 * entries plus each listed provider's channel they do not cover, at the rate the senders
 * themselves will use (SEND_RATES, an entry's own mps, the provider's default); an unmetered
 * sender counts as one function's worth.
 */
export function bulkSenderConcurrency(settings: DeploymentSettings): number {
  const needed = deployedSenderRates(settings).reduce<number>(
    (sum, rate) => sum + Math.ceil((rate ?? MESSAGES_PER_SECOND_PER_FUNCTION) / MESSAGES_PER_SECOND_PER_FUNCTION) + 1,
    0,
  );
  return Math.min(MAX_CONCURRENCY, Math.max(MIN_CONCURRENCY, needed));
}

/** The urgent lane: twice the bulk lane, so urgent broadcasts always have room, and never below MIN_URGENT_CONCURRENCY. */
export function urgentSenderConcurrency(settings: DeploymentSettings): number {
  return Math.min(2 * MAX_CONCURRENCY, Math.max(MIN_URGENT_CONCURRENCY, 2 * bulkSenderConcurrency(settings)));
}

/** Each sender's rate, as known when the stack is built (undefined: unmetered). */
function deployedSenderRates(settings: DeploymentSettings): (number | undefined)[] {
  const rates = settings.sendRates ?? {};
  const entries = settings.senders ?? [];
  const fromEntries = entries.map(
    (entry) => rates[entry.id] ?? entry.mps ?? rates[providerChannelKeyOf(entry.provider, entry.channel)] ?? defaultRateOf(entry.provider, entry.kind),
  );
  const covered = new Set(entries.map((entry) => providerChannelKeyOf(entry.provider, entry.channel)));
  const listSettings = {
    SMS_PROVIDER: settings.smsProvider,
    WHATSAPP_PROVIDER: settings.whatsappProvider,
    SMS_PROVIDERS: settings.smsProviders,
    WHATSAPP_PROVIDERS: settings.whatsappProviders,
  };
  const fromProviders = (['sms', 'whatsapp'] as const).flatMap((channel) =>
    providerListOf(listSettings, channel)
      .filter(({ name }) => !covered.has(providerChannelKeyOf(name, channel)))
      .map(({ name }) => rates[providerChannelKeyOf(name, channel)] ?? defaultRateOf(name, assumedKind[channel])),
  );
  return [...fromEntries, ...fromProviders];
}
