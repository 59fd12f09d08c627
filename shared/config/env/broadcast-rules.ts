import { z } from 'zod';
import { quietHoursSchema, timeZoneSchema } from '../../domain/quiet-hours.js';
import { defaultPriceTable, priceTableSchema } from '../../domain/sms-preview.js';
import { jsonVariable } from './base.js';

/** Broadcasts' rules: when they may go out, a department's limits, and what they cost. */

/**
 * Quiet hours and the deployment's time zone as the text they are set as, with their defaults: a
 * deployment checks its own value with these (functions/deployment-settings.ts), and the
 * functions read them into their meaning (broadcastTimingEnvSchema).
 */
export const quietHoursText = z.string().default('21:00-08:00');
export const timeZoneText = z.string().default('Europe/London');

/**
 * When a broadcast may go out. Normal-priority broadcasts are held during quiet hours (local time
 * of the deployment) and resume when they end; urgent ones are not held. `off` turns them off.
 */
export const broadcastTimingEnvSchema = z.object({
  QUIET_HOURS: quietHoursText.pipe(quietHoursSchema),
  TIME_ZONE: timeZoneText.pipe(timeZoneSchema),
});

/**
 * What a department may do unless an operator has set its own limits, out of the box: what a
 * stolen sender key can do before a person notices. A broadcast to more residents than this needs
 * an operator's approval, not only the department's own approver.
 */
export const DEFAULT_OPERATOR_APPROVAL_ABOVE = 2_000;
/** Messages a department may send a day out of the box. */
export const DEFAULT_DAILY_MESSAGE_CAP = 10_000;

/**
 * A department's limits unless an operator has set its own: messages a day (0: no cap), and the
 * audience size above which an operator (not only a department approver) must approve (0: never).
 */
export const departmentLimitsEnvSchema = z.object({
  DAILY_MESSAGE_CAP: z.coerce.number().int().nonnegative().default(DEFAULT_DAILY_MESSAGE_CAP),
  OPERATOR_APPROVAL_ABOVE: z.coerce.number().int().nonnegative().default(DEFAULT_OPERATOR_APPROVAL_ABOVE),
});

/**
 * The price table costs are estimated with, as JSON (`{"sms":{"perSegment":0.08,"byCountry":{"GB":0.04}},
 * "whatsapp":{"perMessage":0.02},"currency":"GBP"}`); unset, the built-in estimates. An error names
 * PRICE_TABLE and the field at fault.
 */
export const priceTableEnvSchema = z.object({
  PRICE_TABLE: jsonVariable(defaultPriceTable, 'a price table such as {"sms":{"perSegment":0.04},"whatsapp":{"perMessage":0.02}}').pipe(priceTableSchema),
});
