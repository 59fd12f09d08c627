import type { z } from 'zod';
import { departmentLimitsEnvSchema, quietHoursText, timeZoneText } from '../shared/config/env.js';
import { quietHoursSchema, timeZoneSchema } from '../shared/domain/quiet-hours.js';

/**
 * A deployment's broadcast timing and limits, checked before anything starts (`cdk synth` and
 * `npm start` alike) with the same rules the functions parse them with, but kept as the text
 * they are handed on as (environment variables are strings).
 */

/** `21:00-08:00` (may span midnight), or `off` for no quiet hours. */
export const quietHoursSetting = quietHoursText.superRefine(sameIssuesAs(quietHoursSchema));

/** An IANA time zone such as Europe/London; quiet hours are read in it. */
export const timeZoneSetting = timeZoneText.superRefine(sameIssuesAs(timeZoneSchema));

/** Messages a department may send a day; 0 for no cap. */
export const dailyMessageCapSetting = departmentLimitsEnvSchema.shape.DAILY_MESSAGE_CAP;

/** Audience size above which an operator must approve; 0 for never. */
export const operatorApprovalAboveSetting = departmentLimitsEnvSchema.shape.OPERATOR_APPROVAL_ABOVE;

function sameIssuesAs(schema: z.ZodType) {
  return (value: string, ctx: z.RefinementCtx) => {
    for (const issue of schema.safeParse(value).error?.issues ?? []) ctx.addIssue({ code: 'custom', message: issue.message });
  };
}
