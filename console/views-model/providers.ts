import type { ProviderState, ProvidersStatus } from '../../shared/sending/providers-status.js';
import { localTime } from './format.js';

const stateLabels: Record<ProviderState, { text: string; colour: string }> = {
  active: { text: 'Active', colour: 'govuk-tag--green' },
  standby: { text: 'Standby', colour: 'govuk-tag--grey' },
  open: { text: 'Open: resting after failures', colour: 'govuk-tag--red' },
  trial: { text: 'Trial: one message testing it', colour: 'govuk-tag--yellow' },
};

const channelNames: Record<string, string> = { sms: 'SMS', whatsapp: 'WhatsApp' };

/** `crier providers status` as tables: each channel's providers, identities and shifts. */
export function providerChannels(status: ProvidersStatus, timeZone: string) {
  return status.channels.map((channel) => ({
    name: channelNames[channel.channel] ?? channel.channel,
    how: `${channel.mode === 'weighted' ? 'Weighted: the healthy providers share the traffic' : 'Ordered: the first healthy provider carries the traffic'} (set by ${channel.setting})`,
    providers: channel.providers.map((provider) => ({
      name: provider.name,
      weight: provider.weight === undefined ? '' : String(provider.weight),
      state: stateLabels[provider.state],
      since: provider.since ? localTime(provider.since, timeZone) : 'Since the start',
      failures: `${provider.failures.current} now, ${provider.failures.previous} before`,
      trial: provider.trialDueAt ? localTime(provider.trialDueAt, timeZone) : '',
    })),
    shifts: channel.shifts.map((shift) => ({ from: shift.from, to: shift.to, count: String(shift.count), last: localTime(shift.lastAt, timeZone) })),
    identities: channel.senderIdentities.map((identity) => ({
      id: identity.id,
      provider: identity.provider,
      kind: identity.kind,
      address: identity.number ? `${identity.address} (${identity.number})` : identity.address,
      rate: identity.mps === undefined ? 'Unmetered' : `${identity.mps} a second`,
      departments: identity.departments?.join(', ') ?? 'Every department',
    })),
  }));
}
