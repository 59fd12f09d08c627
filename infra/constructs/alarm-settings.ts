import type { Node } from 'constructs';
import { z } from 'zod';
import { quietHoursSchema } from '../../shared/domain/quiet-hours.js';

/**
 * When the alarms on queue age and spend go off, from CDK context (`-c dailySpendAlarm=50`). Each
 * value is checked here, so a bad one fails the synth with its name.
 */
export interface AlarmSettings {
  /** The urgent lane, the fan-out queue and AWS SMS's inbound queue: a jam warning or a STOP waiting longer is late. */
  urgentQueueAgeMinutes: number;
  /** The bulk lane: normal broadcasts are paced and wait out quiet hours, so it may hold messages for longer. */
  bulkQueueAgeMinutes: number;
  /** Estimated spend in any 24 hours, in the price table's currency, above which the spend alarm goes off; 0: no alarm. */
  dailySpend: number;
  /** Provider 429s in 5 minutes above which the throttling alarm goes off. */
  providerThrottlesPer5Minutes: number;
}

const minutes = z.coerce.number().int().min(1).max(24 * 60);

/**
 * A batch of a normal broadcast that meets quiet hours waits in the bulk queue until they end
 * (shared/sending/send.ts), and SQS counts its age all the while: the bulk lane's default leaves
 * room for a whole night of quiet hours, and an hour more.
 */
export function readAlarmSettings(node: Node, quietHours: string): AlarmSettings {
  return {
    urgentQueueAgeMinutes: read(node, 'urgentQueueAgeAlarmMinutes', minutes, 5),
    bulkQueueAgeMinutes: read(node, 'bulkQueueAgeAlarmMinutes', minutes, quietHoursMinutes(quietHours) + 60),
    dailySpend: read(node, 'dailySpendAlarm', z.coerce.number().nonnegative(), 100),
    providerThrottlesPer5Minutes: read(node, 'providerThrottleAlarm', z.coerce.number().int().nonnegative(), 10),
  };
}

/** How long quiet hours last (`21:00-08:00`: 660 minutes); 0 when they are off. */
export function quietHoursMinutes(setting: string): number {
  const quiet = quietHoursSchema.parse(setting);
  if (!quiet) return 0;
  const start = quiet.start.hour * 60 + quiet.start.minute;
  const end = quiet.end.hour * 60 + quiet.end.minute;
  return (end - start + 24 * 60) % (24 * 60);
}

function read<T>(node: Node, key: string, schema: z.ZodType<T, any>, fallback: T): T {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === '') return fallback;
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new Error(`CDK context ${key}=${JSON.stringify(value)} is invalid: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}
