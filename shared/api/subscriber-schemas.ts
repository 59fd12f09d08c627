import { z } from 'zod';
import { channelSchema, consentActionSchema } from '../domain/model.js';
import { languageSchema } from '../domain/language.js';

/** A resident as the admin API shows them: channels, profile, subscriptions and consent history. */

export const subscriberResponse = z
  .object({
    phone: z.string(),
    createdAt: z.string(),
    /** Only the channels the resident has opted out of, with when. */
    optedOut: z.partialRecord(channelSchema, z.string()),
    language: languageSchema.optional(),
    /** A postcode district, never a full address. */
    area: z.string().optional(),
    ageBand: z.string().optional(),
    /** When the resident last wrote on WhatsApp (free-text replies are allowed for 24 hours). */
    whatsappWindowOpenedAt: z.string().optional(),
    subscriptions: z.array(z.object({ topicId: z.string(), channel: channelSchema, since: z.string() })),
    consentHistory: z.array(
      z.object({
        at: z.string(),
        action: consentActionSchema,
        channel: channelSchema,
        topicId: z.string().optional(),
        evidence: z.record(z.string(), z.unknown()),
        changes: z.record(z.string(), z.string()).optional(),
      }),
    ),
  })
  .meta({ id: 'Subscriber' });
