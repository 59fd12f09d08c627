/**
 * A department's limits and what it used: the daily cap counted by conditional writes (so two
 * broadcasts released at once cannot both slip under it) and the cost of each day's messages.
 */

/** Limits an operator set for one department; unset ones fall back to the deployment's. */
export interface DepartmentLimits {
  dailyMessageCap: number | undefined;
  operatorApprovalAbove: number | undefined;
  updatedAt: string;
  updatedBy: string;
}

/** What a cost was spent on: messages of broadcasts, or replies to residents' texts. */
export type CostPart = 'broadcasts' | 'replies';

export interface DepartmentDayCost {
  costMicros: number;
  /** The part of `costMicros` spent on replies. */
  replyCostMicros: number;
  currency: string | undefined;
}

/** One day of a department's usage, as its usage item holds it. */
export interface DepartmentDayUsage {
  day: string;
  /** Messages the provider accepted that day (broadcasts' and replies'), counted with the cost. */
  sent: number;
  /** Broadcasts' audiences counted against the daily cap that day (reserved when a broadcast starts). */
  countedAgainstCap: number;
  costMicros: number;
  replyCostMicros: number;
  /** Undefined when nothing with a cost was sent that day. */
  currency: string | undefined;
}

export interface DepartmentStore {
  limits(department: string): Promise<DepartmentLimits | undefined>;
  setLimits(department: string, limits: DepartmentLimits): Promise<DepartmentLimits | undefined>;
  /**
   * Counts `messages` against the department's cap for `day`, only if the day's total stays at or
   * below `cap` (one conditional write, so two broadcasts released at once cannot both slip
   * under it). Returns what the day had used before, and whether it was counted.
   */
  reserve(department: string, day: string, messages: number, cap: number): Promise<{ reserved: boolean; used: number }>;
  /** Counts `messages` for `day` with no cap to stay under: a department without one still sees what it used. */
  countUncapped(department: string, day: string, messages: number): Promise<void>;
  /** Messages counted against the department for `day`. */
  used(department: string, day: string): Promise<number>;
  /** Gives back what a broadcast cancelled before it started had counted; never below 0. */
  release(department: string, day: string, messages: number): Promise<void>;
  /**
   * Adds the estimated cost of messages sent on `day` (whole micro-units of `currency`) to the
   * day's usage item: one ADD per send batch, beside the messages counted against the cap. Replies
   * to residents' texts are added one by one and also kept apart (`replyCostMicros`), as they count
   * against no cap and belong to no broadcast. `messages`: how many were sent (the usage page's
   * count), added in the same ADD, so counting them costs no write of its own.
   */
  addCost(department: string, day: string, costMicros: number, currency: string, part?: CostPart, messages?: number): Promise<void>;
  /** The department's usage items from `fromDay` to `toDay` (inclusive, `YYYY-MM-DD`), oldest first; days with none are left out. */
  usage(department: string, fromDay: string, toDay: string): Promise<DepartmentDayUsage[]>;
  /** The day's estimated cost so far (replies included); 0 micro-units (currency undefined) when nothing was sent. */
  cost(department: string, day: string): Promise<DepartmentDayCost>;
}
