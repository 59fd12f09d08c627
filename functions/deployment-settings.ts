import { z } from 'zod';
import { broadcastTimingEnvSchema, departmentLimitsEnvSchema } from '../shared/config/env.js';

/**
 * The stricter checks a deployment's broadcast timing and limits get before anything starts
 * (`cdk synth` and `npm start` alike). The functions' env schemas only need a string; a typo
 * here would otherwise surface as a broadcast held, or sent, at the wrong hour.
 */

const clockTime = '([01]\\d|2[0-3]):[0-5]\\d';

/** `21:00-08:00` (spanning midnight is fine), or `off` for no quiet hours. */
export const quietHoursSetting = broadcastTimingEnvSchema.shape.QUIET_HOURS.pipe(
  z
    .string()
    .regex(new RegExp(`^(off|${clockTime}-${clockTime})$`), 'must be HH:MM-HH:MM (24-hour clock, e.g. 21:00-08:00) or off')
    .refine((value) => value === 'off' || value.slice(0, 5) !== value.slice(6), 'must not start and end at the same time'),
);

/** An IANA time zone such as Europe/London; quiet hours are read in it. */
export const timeZoneSetting = broadcastTimingEnvSchema.shape.TIME_ZONE.pipe(
  z.string().refine(isTimeZone, 'must be an IANA time zone such as Europe/London'),
);

/** Messages a department may send a day; 0 for no cap. */
export const dailyMessageCapSetting = departmentLimitsEnvSchema.shape.DAILY_MESSAGE_CAP;

/** Audience size above which an operator must approve; 0 for never. */
export const operatorApprovalAboveSetting = departmentLimitsEnvSchema.shape.OPERATOR_APPROVAL_ABOVE;

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}
