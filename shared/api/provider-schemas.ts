import { z } from 'zod';
import { channelSchema } from '../domain/model.js';
import { senderKinds } from '../domain/sender-kinds.js';
import { providerNames } from '../domain/provider-names.js';
import type { ProvidersStatus } from '../sending/providers-status.js';
import type { Describes } from './describes.js';

const providerNameSchema = z.enum(providerNames);

/**
 * Where a provider stands on its channel. `active`: it carries traffic (the one provider of an
 * ordered list, or one of those sharing a weighted list's). `standby`: further down an ordered list,
 * waiting for the ones before it to fail. `open`: traffic moved off it after too many failures; it
 * rests until its trial. `trial`: one message is testing it now.
 */
export const providerStateSchema = z.enum(['active', 'standby', 'open', 'trial']).meta({ id: 'ProviderState' });
export type ProviderState = z.infer<typeof providerStateSchema>;

export const providerStatusSchema = z
  .object({
    name: providerNameSchema,
    weight: z.number().int().optional().meta({ description: "Its share of the channel's traffic, in a weighted list" }),
    state: providerStateSchema,
    since: z.string().optional().meta({ description: 'When it took this state, if it has ever changed' }),
    trialDueAt: z.string().optional().meta({ description: 'When an open provider gets its trial message (the cooldown ends)' }),
    failures: z
      .object({
        current: z.number().int().meta({ description: 'Unwell failures counted in the current fixed window' }),
        previous: z.number().int().meta({ description: 'And in the window before it' }),
      })
      .meta({ description: 'Failures that count towards failover (outages, timeouts, rejected credentials)' }),
  })
  .meta({ id: 'ProviderStatus' });
export type ProviderStatus = z.infer<typeof providerStatusSchema>;

export const providerShiftSchema = z
  .object({ from: providerNameSchema, to: providerNameSchema, count: z.number().int(), lastAt: z.string() })
  .meta({ id: 'ProviderShift' });

/** A sender identity (number, short code, sender ID, WhatsApp number, pool) the channel sends from, and its rate. */
export const senderIdentityViewSchema = z
  .object({
    id: z.string(),
    provider: providerNameSchema,
    kind: z.enum(senderKinds),
    address: z.string(),
    number: z.string().optional().meta({ description: 'The number residents see, when the address is an id' }),
    mps: z.number().optional().meta({ description: 'Messages (SMS: segments) a second; none: unmetered (the sandboxes)' }),
    departments: z.array(z.string()).optional().meta({ description: "Broadcasts of these departments go from it; without: the provider's default" }),
    source: z.string().meta({ description: 'Where it is configured: SENDERS[n], or the setting it was derived from' }),
  })
  .meta({ id: 'SenderIdentityView' });
export type SenderIdentityView = z.infer<typeof senderIdentityViewSchema>;

export const channelProvidersSchema = z
  .object({
    channel: channelSchema,
    setting: z.string().meta({ description: 'The setting the list comes from (SMS_PROVIDERS, or SMS_PROVIDER alone)' }),
    mode: z.enum(['ordered', 'weighted']).meta({ description: 'ordered: the first healthy one carries the channel; weighted: the healthy ones share it' }),
    providers: z.array(providerStatusSchema),
    shifts: z.array(providerShiftSchema).meta({ description: 'How often traffic moved from one provider to another, since the deployment began' }),
    senderIdentities: z.array(senderIdentityViewSchema).meta({ description: "The channel's identities, of every provider listed (empty when senderIdentitiesProblem says why)" }),
  })
  .meta({ id: 'ChannelProviders' });
export type ChannelProviders = z.infer<typeof channelProvidersSchema>;

export const providersResponse = z
  .object({
    failover: z
      .object({
        errors: z.number().int().meta({ description: 'Traffic moves off a provider with more than this many failures in the rolling window' }),
        windowSeconds: z.number().int(),
        cooldownSeconds: z.number().int(),
        windowStartedAt: z.string().meta({ description: 'When the current fixed window of the failure counts began' }),
      })
      .meta({ description: 'The thresholds failover works to' }),
    channels: z.array(channelProvidersSchema),
    senderIdentitiesProblem: z
      .string()
      .optional()
      .meta({ description: "Why the sender identities could not be resolved (the senders fail on the same problem): SENDERS or a provider's from setting to fix" }),
  })
  .meta({ id: 'ProvidersResponse' });
export type ProvidersResponse = z.infer<typeof providersResponse>;

/** The use case's answer is what this schema says: tsc fails here when the two drift apart. */
export type ProvidersResponseDescribesAnswer = Describes<ProvidersResponse, ProvidersStatus>;
