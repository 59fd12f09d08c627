import { Hono } from 'hono';
import { approvalRefusal } from '../../shared/broadcasts/broadcast-approval.js';
import { listBroadcasts } from '../../shared/broadcasts/broadcast-reads.js';
import { listTopics } from '../../shared/topics/manage-topics.js';
import { departmentsOf, getDepartmentLimits } from '../../shared/usage/department-limits.js';
import type { ConsoleEnv } from '../console-env.js';
import type { ConsoleDependencies } from '../dependencies.js';
import { page } from '../page.js';
import { signedIn } from '../signed-in.js';
import { broadcastSummary } from '../views-model/broadcast-summary.js';
import { progressView } from '../views-model/broadcast-progress.js';
import { count, localTime, money } from '../views-model/format.js';
import { may } from '../views-model/permissions.js';

/**
 * The broadcasts home: what needs the person's approval, what is sending (with its progress),
 * what is scheduled or held by quiet hours, recent ones, and today's use of the department's cap.
 */
export function broadcastsHome(deps: ConsoleDependencies) {
  const routes = new Hono<ConsoleEnv>();
  const { timeZone } = deps.broadcasts.window;
  routes.get('/console/', async (c) => {
    const { principal } = signedIn(c);
    const { items } = await listBroadcasts(deps.broadcasts, principal, { limit: 50 });
    const mine = (broadcast: (typeof items)[number]) =>
      broadcast.status === 'pending_approval' &&
      departmentsOf(broadcast).every((department) => may(principal, 'broadcasts:approve', { department, mode: broadcast.mode })) &&
      approvalRefusal(principal, broadcast) === undefined;
    const topics = new Map((await listTopics(deps.broadcasts, principal, { limit: 100, archived: true })).items.map((topic) => [topic.id, topic.name]));
    const summary = (broadcast: (typeof items)[number]) => ({
      ...broadcastSummary(broadcast),
      topics: broadcast.topics.map((id) => topics.get(id) ?? id).join(', '),
      when: localTime(broadcast.startsAt ?? broadcast.createdAt, timeZone),
      progress: `${progressView(broadcast).counts.sent} of ${progressView(broadcast).counts.targeted} sent`,
    });
    // Operators reach every department: their home has no one department's cap to show.
    const limits = principal.department === '*' ? undefined : await getDepartmentLimits(deps.broadcasts, principal, principal.department);
    return page(c, 'broadcasts/home.njk', {
      pageTitle: 'Broadcasts',
      mayCreate: may(principal, 'broadcasts:create'),
      needsMyApproval: items.filter(mine).map(summary),
      waitingForOthers: items.filter((broadcast) => broadcast.status === 'pending_approval' && !mine(broadcast)).map(summary),
      sending: items.filter((broadcast) => broadcast.status === 'sending').map(summary),
      scheduled: items.filter((broadcast) => broadcast.status === 'scheduled').map(summary),
      recent: items.filter((broadcast) => !['sending', 'pending_approval', 'scheduled'].includes(broadcast.status)).slice(0, 10).map(summary),
      cap: limits && {
        department: limits.department,
        used: count(limits.usedToday),
        cap: limits.dailyMessageCap === 0 ? undefined : count(limits.dailyMessageCap),
        left: limits.dailyMessageCap === 0 ? undefined : count(Math.max(0, limits.dailyMessageCap - limits.usedToday)),
        cost: money(limits.costToday.estimatedMicros / 1_000_000, limits.costToday.currency),
      },
    });
  });
  return routes;
}
