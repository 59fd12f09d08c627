import type { Command } from 'commander';
import type { ProvidersStatus } from '../admin-api.js';
import { contextOf } from '../context.js';
import { shortTime, type Output } from '../output.js';

type ChannelView = ProvidersStatus['channels'][number];
type ProviderView = ChannelView['providers'][number];

export function registerProviders(program: Command): void {
  const providers = program.command('providers').description('the providers that carry SMS and WhatsApp (operators only)');

  providers
    .command('status')
    .description("each channel's providers: order or weights, which carry traffic, failures and failovers")
    .action(async (_options: Record<string, unknown>, command: Command) => {
      const context = contextOf(command);
      const { data, raw } = await context.admin().providersStatus();
      if (context.output.json) return context.output.raw(raw);
      showProviders(context.output, data);
    });
}

export function showProviders(output: Output, status: ProvidersStatus): void {
  const { failover } = status;
  for (const channel of status.channels) {
    output.line(`${channel.channel === 'sms' ? 'SMS' : 'WhatsApp'} (${channel.setting}, ${channel.mode === 'weighted' ? 'shared by weight' : 'in failover order'})`);
    output.table(
      channel.providers,
      [
        { heading: '  PROVIDER', value: (provider) => `  ${provider.name}` },
        ...(channel.mode === 'weighted' ? [{ heading: 'WEIGHT', value: (provider: ProviderView) => String(provider.weight ?? '-') }] : []),
        { heading: 'STATE', value: describeState },
        { heading: 'FAILURES (NOW/BEFORE)', value: (provider) => `${provider.failures.current}/${provider.failures.previous}` },
      ],
      '  no providers',
    );
    if (channel.senderIdentities.length > 0) {
      output.line(`  sends from: ${channel.senderIdentities.map(describeIdentity).join('; ')}`);
    }
    for (const shift of channel.shifts) {
      output.line(`  moved ${shift.from} → ${shift.to} ${shift.count === 1 ? 'once' : `${shift.count} times`}, last ${shortTime(shift.lastAt)}`);
    }
    output.line();
  }
  if (status.senderIdentitiesProblem) output.line(`Sender identities cannot be resolved: ${status.senderIdentitiesProblem}`);
  output.line(`Traffic moves off a provider after more than ${failover.errors} failures in ${failover.windowSeconds} s; it is tried again after ${failover.cooldownSeconds} s.`);
}

function describeIdentity(identity: ChannelView['senderIdentities'][number]): string {
  const rate = identity.mps === undefined ? '' : ` (${identity.mps}/s)`;
  const departments = identity.departments ? ` for ${identity.departments.join(', ')}` : '';
  return `${identity.provider} ${identity.kind} ${identity.address}${rate}${departments}`;
}

function describeState(provider: ProviderView): string {
  switch (provider.state) {
    case 'active':
      return provider.since ? `active since ${shortTime(provider.since)}` : 'active';
    case 'standby':
      return 'standby';
    case 'trial':
      return 'on trial (one message)';
    case 'open':
      return provider.trialDueAt ? `resting, trial at ${shortTime(provider.trialDueAt)}` : 'resting';
  }
}
