import { z } from 'zod';

/**
 * How long crier keeps each class of personal data, in days: the retention schedule's settings
 * (docs/security.md, "Retention schedule and erasure"). One environment variable per class.
 */
export interface RetentionPeriods {
  /** Outbound message records (the number a message went to, its status and receipts). */
  messagesDays: number;
  /** Inbound texts: who wrote and what they wrote (the inbound log). */
  inboundDays: number;
  /** Inbox entries, from arrival or, once handled, from their handling. */
  inboxDays: number;
  /** A resident's profile and consent ledger, from when they are no longer subscribed to anything. */
  consentDays: number;
  /** The staff audit log. */
  auditDays: number;
}

export const defaultRetention: RetentionPeriods = {
  // GOV.UK Notify keeps message data 7 days by default and up to 90; crier keeps the most it allows,
  // as staff answer residents' complaints ("I never got the jam warning") from these records.
  messagesDays: 90,
  inboundDays: 90,
  inboxDays: 90,
  // The ledger is the evidence that a resident consented: kept two years after it stops being used.
  consentDays: 730,
  // Six years: the limitation period for most claims in England and Wales (Limitation Act 1980).
  auditDays: 2190,
};

/**
 * A record that makes a send or a text idempotent must outlive every retry of it: a send job
 * may sit on its queue (or its dead-letter queue) for 14 days, SQS's longest, and providers
 * retry a webhook for up to 7 days. So neither may be kept less than 15 days.
 */
export const SHORTEST_IDEMPOTENT_DAYS = 15;
/** Ten years: longer than any UK retention duty crier's records fall under. */
const LONGEST_DAYS = 3653;

const days = (shortest: number, fallback: number) => z.coerce.number().int().min(shortest).max(LONGEST_DAYS).default(fallback);

/** The environment variables, checked as every function and the local stack check them. */
export const retentionEnvShape = {
  RETAIN_MESSAGES_DAYS: days(SHORTEST_IDEMPOTENT_DAYS, defaultRetention.messagesDays),
  RETAIN_INBOUND_DAYS: days(SHORTEST_IDEMPOTENT_DAYS, defaultRetention.inboundDays),
  RETAIN_INBOX_DAYS: days(1, defaultRetention.inboxDays),
  RETAIN_CONSENT_DAYS: days(30, defaultRetention.consentDays),
  RETAIN_AUDIT_DAYS: days(365, defaultRetention.auditDays),
};

type RetentionEnv = { [K in keyof typeof retentionEnvShape]: number };

export function retentionPeriodsOf(env: RetentionEnv): RetentionPeriods {
  return {
    messagesDays: env.RETAIN_MESSAGES_DAYS,
    inboundDays: env.RETAIN_INBOUND_DAYS,
    inboxDays: env.RETAIN_INBOX_DAYS,
    consentDays: env.RETAIN_CONSENT_DAYS,
    auditDays: env.RETAIN_AUDIT_DAYS,
  };
}

/** The same variables from a deployment's settings (catalog → environment). */
export function retentionEnvironment(periods: RetentionPeriods): Record<keyof RetentionEnv, string> {
  return {
    RETAIN_MESSAGES_DAYS: String(periods.messagesDays),
    RETAIN_INBOUND_DAYS: String(periods.inboundDays),
    RETAIN_INBOX_DAYS: String(periods.inboxDays),
    RETAIN_CONSENT_DAYS: String(periods.consentDays),
    RETAIN_AUDIT_DAYS: String(periods.auditDays),
  };
}
