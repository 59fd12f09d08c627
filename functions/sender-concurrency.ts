import type { Channel } from '../shared/domain/model.js';
import { providerListOf } from '../shared/domain/provider-list.js';
import { providerChannelKeyOf } from '../shared/domain/send-rates.js';
import { defaultRateOf, type SenderKind } from '../shared/domain/sender-kinds.js';
import { bulkLaneWidth, urgentLaneWidth } from '../shared/pacing/lane-widths.js';
import type { DeploymentSettings } from './catalog-types.js';

/** The kind an identity known only by its provider and channel is taken to be, until its from setting says otherwise. */
const assumedKind: Record<Channel, SenderKind> = { sms: 'long_code', whatsapp: 'whatsapp_number' };

/**
 * Each lane's function memory. The bulk lane's functions spend most of a broadcast waiting for
 * their sender's slots, billed by the GB-second, so they are as small as their work allows; each
 * carries half the rate of a 512 MB one (lane-widths.ts), so the lane is as wide as it needs to
 * be. The urgent lane keeps 512 MB: a start from cold is quicker with more CPU, and an urgent
 * broadcast's first send is the figure that matters there.
 */
export const SENDER_MEMORY_MB = { sendBulk: 256, sendUrgent: 512 } as const;

/**
 * How many bulk sending functions may run at once (shared/pacing/lane-widths.ts), for the senders
 * the deployment sends from: the SENDERS entries plus each listed provider's channel they do not
 * cover, at the rate the senders themselves will use (SEND_RATES, an entry's own mps, the
 * provider's default).
 */
export function bulkSenderConcurrency(settings: DeploymentSettings): number {
  return bulkLaneWidth(deployedSenderRates(settings), SENDER_MEMORY_MB.sendBulk);
}

/** The urgent lane's width, from the bulk lane's (shared/pacing/lane-widths.ts). */
export function urgentSenderConcurrency(settings: DeploymentSettings): number {
  return urgentLaneWidth(bulkSenderConcurrency(settings));
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
