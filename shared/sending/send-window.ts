import type { Priority } from '../domain/model.js';
import { nextSendableTime, type QuietHours } from '../domain/quiet-hours.js';

/**
 * When broadcasts may go out in one deployment: normal ones wait out quiet hours, urgent ones
 * (jam warnings) never wait. Days are the deployment's local days, so a daily cap resets at local
 * midnight rather than at midnight UTC (01:00 in a British summer).
 */
export function sendWindow(quietHours: QuietHours | undefined, timeZone: string) {
  const days = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  return {
    /** What the window is made of, for pages that say when normal broadcasts wait and read a local time. */
    quietHours,
    timeZone,
    earliestStart(priority: Priority, at: Date): Date {
      return priority === 'urgent' ? at : nextSendableTime(at, quietHours, timeZone);
    },
    /** Whether a normal broadcast's sending pauses at `at`, and until when. */
    heldUntil(priority: Priority, at: Date): Date | undefined {
      const next = this.earliestStart(priority, at);
      return next.getTime() > at.getTime() ? next : undefined;
    },
    dayOf(at: Date): string {
      // en-CA formats a date as YYYY-MM-DD.
      return days.format(at);
    },
  };
}
export type DeploymentSendWindow = ReturnType<typeof sendWindow>;
