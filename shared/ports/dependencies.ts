import type { SmsStopNumber } from '../domain/sender-identity.js';
import type { PriceTable } from '../domain/sms-preview.js';
import type { ReplySendJob, SendJob, FanOutTask } from '../domain/jobs.js';
import type { Priority } from '../domain/model.js';
import type { QuietHours } from '../domain/quiet-hours.js';
import type { Clock, IdGenerator } from './clock.js';
import type { DeadLetterQueues } from './dead-letters.js';
import type { JobQueue } from './job-queue.js';
import type { Stores } from './stores.js';
import type { Metrics } from '../platform/metrics.js';

/** What every use case may use. Each function adds the ports it needs on top. */
export interface CoreDependencies {
  stores: Stores;
  clock: Clock;
  ids: IdGenerator;
  /** What happened, for the dashboard and alarms; the functions always have it, a test only where it looks. */
  metrics?: Metrics;
}

export interface InboundSettings {
  /** Who runs the service, as HELP says it ("Cardiff Council alerts"). */
  serviceName: string;
  /** Where a resident can reach a person (a phone number or web address), as HELP says it. */
  contact: string;
  /** Messages from one resident in five minutes before replies stop for a while. */
  floodLimit: number;
  /** The deployment's time zone (TIME_ZONE, an IANA name): the residents' calendar day. */
  timeZone: string;
}

export interface InboundDependencies extends CoreDependencies {
  replies: JobQueue<ReplySendJob>;
  settings: InboundSettings;
}

/** When broadcasts may go out, in the deployment's own time zone (see `shared/sending/send-window.ts`). */
export interface SendWindow {
  /** The earliest a broadcast of this priority, wanted at `at`, may start: past quiet hours for normal ones. */
  earliestStart(priority: Priority, at: Date): Date;
  /** When sending that is under way at `at` must pause (quiet hours), the time it may resume. */
  heldUntil(priority: Priority, at: Date): Date | undefined;
  /** The local date (YYYY-MM-DD) of an instant: the day a daily cap counts against. */
  dayOf(at: Date): string;
  /** The quiet hours normal broadcasts wait out (undefined: none), as configured. */
  readonly quietHours: QuietHours | undefined;
  /** The deployment's IANA time zone: the one quiet hours, days and times people type are read in. */
  readonly timeZone: string;
}

/** A department's limits when an operator has not set its own; 0 means none. */
export interface LimitDefaults {
  dailyMessageCap: number;
  operatorApprovalAbove: number;
}

/** What starting a broadcast needs: the scheduler has this much. */
export interface BroadcastStartDependencies extends CoreDependencies {
  fanOutTasks: JobQueue<FanOutTask>;
  topicShards: number;
  window: SendWindow;
}

export interface BroadcastDependencies extends BroadcastStartDependencies {
  limits: LimitDefaults;
  /** The deployment's price table (PRICE_TABLE) and home country; unset: the built-in estimates for GB. */
  prices?: { table: PriceTable; homeCountry: string };
  /**
   * Where a broadcast of these departments would say to text STOP: set when its SMS would go from a
   * one-way sender ID (shared/domain/sender-identity.ts), so the preview shows the footer residents
   * will read. Unset (or `stopTo` undefined): the usual "Reply STOP" footer.
   */
  smsStopNumber?: (departments: readonly string[]) => Promise<SmsStopNumber>;
}

export interface FanOutDependencies extends CoreDependencies {
  sendQueues: Record<Priority, JobQueue<SendJob>>;
  /** The fan-out queue itself: a bulk task whose turn is over goes back on it. */
  fanOutTasks: JobQueue<FanOutTask>;
  recipientsPerJob: number;
}

export interface DeadLetterDependencies extends CoreDependencies {
  deadLetters: DeadLetterQueues;
}
