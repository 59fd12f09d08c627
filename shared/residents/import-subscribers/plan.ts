import type { Principal, Topic } from '../../domain/model.js';
import type { ConsentStore } from '../../consent/consent-store.js';
import type { ErasureStore } from '../../consent/erasure-store.js';
import type { StoresWithSubscribers } from '../../ports/stores.js';
import type { ProfileStore } from '../../residents/profile-store.js';
import { lineIssue, type ImportIssue, type NumberedRow, type RowWithOptionalConsent } from './csv-rows.js';
import { inPool } from './pool.js';

/** Reads of residents' state at a time: enough to keep a 10,000-row file within the function's time. */
const READ_CONCURRENCY = 16;

/** What planning reads of residents, writing nothing: erased numbers, profiles, subscriptions and consent histories. */
export type PlanReads = ErasureStore & ProfileStore & ConsentStore;
type PlanStores = StoresWithSubscribers<PlanReads>;

export interface ImportPlan<Row = RowWithOptionalConsent> {
  /** Rows to write (including rows this batch wrote on an earlier attempt). */
  apply: NumberedRow<Row>[];
  /** Rows whose resident already has the subscription: nothing is written for them. */
  alreadySubscribed: NumberedRow<Row>[];
}

/**
 * Decides, before anything is written, what each row does, or which rows may not be imported.
 * Refused, each by line and field:
 * - a topic that does not exist, is archived, or (for a key that is not an operator's) belongs to
 *   another department;
 * - the same number, topic and channel twice in the file;
 * - a number erased at the resident's request (its tombstone);
 * - a resident who opted out on that channel, or left that topic on it: an import never
 *   overrides a resident's own STOP.
 */
export async function planImport<Row extends RowWithOptionalConsent>(
  stores: PlanStores,
  principal: Principal,
  rows: readonly NumberedRow<Row>[],
  batchId: string,
): Promise<{ plan: ImportPlan<Row>; issues: ImportIssue[] }> {
  const issues: ImportIssue[] = [];
  const topics = await topicsOf(stores, rows);
  const phones = [...new Set(rows.map(({ row }) => row.phone))];
  const [erased, residents] = await Promise.all([stores.subscribers.erasedAmong(phones), residentsOf(stores, phones)]);

  const firstLine = new Map<string, number>();
  const plan: ImportPlan<Row> = { apply: [], alreadySubscribed: [] };
  for (const numbered of rows) {
    const { line, row } = numbered;
    const problem = (field: string, message: string, kind: ImportIssue['kind']) => issues.push(lineIssue(line, field, kind, message));
    const topic = topics.get(row.topic);
    const key = `${row.phone}|${row.channel}|${row.topic}`;
    const repeated = firstLine.get(key);
    if (repeated === undefined) firstLine.set(key, line);

    if (!topic) problem('topic', `there is no topic "${row.topic}"`, 'topic');
    else if (topic.archivedAt) problem('topic', `topic "${row.topic}" is archived and takes no subscribers`, 'topic');
    else if (principal.role !== 'operator' && topic.department !== principal.department) {
      problem('topic', `topic "${row.topic}" belongs to department "${topic.department}", not this key's "${principal.department}"`, 'topic');
    }
    if (repeated !== undefined) {
      problem('phone', `repeats line ${repeated} (the same number, topic and channel)`, 'duplicate');
      continue;
    }
    if (erased.has(row.phone)) {
      problem('phone', 'this number was erased at the resident’s request and is never imported again', 'stopped');
      continue;
    }
    const resident = residents.get(row.phone);
    const optedOutAt = resident?.optedOut[row.channel];
    if (optedOutAt) {
      problem('phone', `the resident opted out of ${row.channel} on ${optedOutAt.slice(0, 10)}; an import never overrides a STOP`, 'stopped');
      continue;
    }
    const last = resident?.lastChange.get(`${row.channel}|${row.topic}`);
    if (last?.action === 'leave') {
      problem('topic', `the resident left "${row.topic}" on ${row.channel} on ${last.at.slice(0, 10)}; an import never overrides that`, 'stopped');
      continue;
    }
    // Subscribed already: by this batch on an earlier attempt (replayed, which is harmless and
    // finishes a row that attempt left part-way), or otherwise (left alone).
    const subscribed = resident?.subscribed.has(`${row.channel}|${row.topic}`) ?? false;
    if (subscribed && last?.batchId !== batchId) plan.alreadySubscribed.push(numbered);
    else plan.apply.push(numbered);
  }
  return { plan, issues };
}

async function topicsOf(stores: PlanStores, rows: readonly NumberedRow<RowWithOptionalConsent>[]): Promise<Map<string, Topic>> {
  const ids = [...new Set(rows.map(({ row }) => row.topic))];
  const found = await Promise.all(ids.map((id) => stores.topics.get(id)));
  return new Map(found.filter((topic): topic is Topic => topic !== undefined).map((topic) => [topic.id, topic]));
}

interface ResidentState {
  optedOut: Partial<Record<string, string>>;
  /** `channel|topic` of each current subscription. */
  subscribed: Set<string>;
  /** The latest consent change per `channel|topic`, and the import batch that made it, if one did. */
  lastChange: Map<string, { action: string; at: string; batchId: string | undefined }>;
}

/** Only residents with a profile have subscriptions or history to read: most rows of a new list have none. */
async function residentsOf(stores: PlanStores, phones: readonly string[]): Promise<Map<string, ResidentState>> {
  const residents = new Map<string, ResidentState>();
  const { failure } = await inPool(phones, READ_CONCURRENCY, async (phone) => {
    const profile = await stores.subscribers.getProfile(phone);
    if (!profile) return;
    const [subscriptions, history] = await Promise.all([stores.subscribers.subscriptions(phone), stores.subscribers.consentHistory(phone)]);
    const lastChange: ResidentState['lastChange'] = new Map();
    for (const event of history) {
      if (event.topicId === undefined) continue;
      lastChange.set(`${event.channel}|${event.topicId}`, {
        action: event.action,
        at: event.at,
        batchId: event.evidence.kind === 'import' ? event.evidence.batchId : undefined,
      });
    }
    residents.set(phone, {
      optedOut: profile.optedOut,
      subscribed: new Set(subscriptions.map((s) => `${s.channel}|${s.topicId}`)),
      lastChange,
    });
  });
  if (failure) throw failure.error;
  return residents;
}
