import { LimitExceededError } from '../domain/errors.js';
import type { Broadcast, Principal } from '../domain/model.js';
import type { DepartmentLimits } from './department-store.js';
import { authorize } from '../staff/access.js';
import { recordAudit } from '../staff/audit.js';
import type { BroadcastDependencies, CoreDependencies, LimitDefaults, SendWindow } from '../ports/dependencies.js';

export interface EffectiveLimits {
  department: string;
  /** Messages a day; 0 means no cap. */
  dailyMessageCap: number;
  /** Audience above which an operator must approve; 0 means never. */
  operatorApprovalAbove: number;
  /** Whether each value is the department's own or the deployment's default. */
  source: { dailyMessageCap: 'department' | 'deployment'; operatorApprovalAbove: 'department' | 'deployment' };
}

/** The departments a broadcast belongs to (one per topic owner; operators may mix them). */
export function departmentsOf(broadcast: Pick<Broadcast, 'department'>): string[] {
  return broadcast.department.split(',');
}

export async function effectiveLimits(deps: CoreDependencies & { limits: LimitDefaults }, department: string): Promise<EffectiveLimits> {
  const own = await deps.stores.departments.limits(department);
  return {
    department,
    dailyMessageCap: own?.dailyMessageCap ?? deps.limits.dailyMessageCap,
    operatorApprovalAbove: own?.operatorApprovalAbove ?? deps.limits.operatorApprovalAbove,
    source: {
      dailyMessageCap: own?.dailyMessageCap === undefined ? 'deployment' : 'department',
      operatorApprovalAbove: own?.operatorApprovalAbove === undefined ? 'deployment' : 'department',
    },
  };
}

/** What a department's messages cost on one day, and the part of it spent answering residents' texts. */
export interface DayCost {
  currency: string;
  estimatedMicros: number;
  replies: { currency: string; estimatedMicros: number };
}

/** A department's limits and what today has used of its cap (today in the deployment's time zone). */
export async function getDepartmentLimits(
  deps: CoreDependencies & { limits: LimitDefaults; window: SendWindow; prices?: BroadcastDependencies['prices'] },
  principal: Principal,
  department: string,
): Promise<EffectiveLimits & { today: string; usedToday: number; costToday: DayCost }> {
  authorize(principal, 'broadcasts:read', { department });
  const today = deps.window.dayOf(deps.clock.now());
  const [limits, usedToday, cost] = await Promise.all([
    effectiveLimits(deps, department),
    deps.stores.departments.used(department, today),
    deps.stores.departments.cost(department, today),
  ]);
  // Nothing sent yet today: 0 in the deployment's currency.
  const currency = cost.currency ?? deps.prices?.table.currency ?? 'GBP';
  return {
    ...limits,
    today,
    usedToday,
    costToday: { currency, estimatedMicros: cost.costMicros, replies: { currency, estimatedMicros: cost.replyCostMicros } },
  };
}

/** Operators set a department's own limits; `null` goes back to the deployment's default. */
export async function setDepartmentLimits(
  deps: CoreDependencies & { limits: LimitDefaults },
  principal: Principal,
  department: string,
  change: { dailyMessageCap?: number | null; operatorApprovalAbove?: number | null },
): Promise<EffectiveLimits> {
  authorize(principal, 'departments:manage');
  const before = await deps.stores.departments.limits(department);
  const pick = (next: number | null | undefined, current: number | undefined) => (next === null ? undefined : (next ?? current));
  const after: DepartmentLimits = {
    dailyMessageCap: pick(change.dailyMessageCap, before?.dailyMessageCap),
    operatorApprovalAbove: pick(change.operatorApprovalAbove, before?.operatorApprovalAbove),
    updatedAt: deps.clock.now().toISOString(),
    updatedBy: principal.keyId,
  };
  await deps.stores.departments.setLimits(department, after);
  await recordAudit(deps, principal, 'department.limits', { type: 'department', id: department }, {
    department,
    before: before ? { dailyMessageCap: before.dailyMessageCap, operatorApprovalAbove: before.operatorApprovalAbove } : undefined,
    after: { dailyMessageCap: after.dailyMessageCap, operatorApprovalAbove: after.operatorApprovalAbove },
  });
  return effectiveLimits(deps, department);
}

/**
 * Counts a broadcast's audience against each of its departments' daily caps for `day`, all or
 * none: when one department has no room, what was counted against the others is given back. A
 * department without a cap is counted too (usedToday says what it used, and a cap set later in
 * the day starts from the truth). Test broadcasts reach only the sandbox and count against
 * nothing (like Notify's test keys).
 */
export async function reserveDailyCap(deps: BroadcastDependencies, broadcast: Broadcast, audience: number, day: string): Promise<void> {
  if (broadcast.mode === 'test') return;
  const reserved: string[] = [];
  for (const department of departmentsOf(broadcast)) {
    const { dailyMessageCap } = await effectiveLimits(deps, department);
    if (dailyMessageCap === 0) {
      await deps.stores.departments.countUncapped(department, day, audience);
      reserved.push(department);
      continue;
    }
    const outcome = await deps.stores.departments.reserve(department, day, audience, dailyMessageCap);
    if (!outcome.reserved) {
      for (const done of reserved) await deps.stores.departments.release(done, day, audience);
      throw new LimitExceededError(
        `department "${department}" may send ${dailyMessageCap} messages a day; ${outcome.used} are counted for ${day} and this broadcast reaches ${audience}`,
        [{ field: 'topics', message: `${outcome.used + audience - dailyMessageCap} over the daily cap of department "${department}" for ${day}` }],
      );
    }
    reserved.push(department);
  }
}

/** Gives back what a broadcast that never started counted against its departments' caps. */
export async function releaseDailyCap(deps: CoreDependencies, broadcast: Broadcast): Promise<void> {
  // A test broadcast counted nothing (see reserveDailyCap): giving its audience "back" would free
  // room that live broadcasts had taken.
  if (broadcast.mode === 'test') return;
  if (broadcast.capDay === undefined || broadcast.audience === undefined) return;
  for (const department of departmentsOf(broadcast)) {
    await deps.stores.departments.release(department, broadcast.capDay, broadcast.audience);
  }
}
