/**
 * A per-second account of the busiest sender: slots the pacer booked, sends the provider took,
 * 429s it answered, sending functions at work and how busy the one JavaScript thread was. A gap
 * in the sends then shows where it comes from: no slots booked (nobody asked), slots booked but
 * not used (the functions could not keep up), few functions busy (the lane was narrow), or the
 * event loop full (the machine).
 *
 * Built only from what is observable from outside the engine: the pacer's writes as the AWS
 * request counter sees them, the sandbox outbox, the provider's answers and the pollers'
 * invocations. The pacer's expressions are read defensively: a write that is not recognised makes
 * that second's slots "n/a" rather than a guess.
 */

/** A pacer write as seen on the wire: DynamoDB JSON, as serialised by the SDK. */
export type PaceWrite =
  /** Booked `ms` of the schedule: `ms × rate / 1000` slots. */
  | { kind: 'booking'; paceKey: string; ms: number }
  /** The schedule pushed on after a 429: no slots. */
  | { kind: 'hold'; paceKey: string }
  | { kind: 'unrecognised'; paceKey: string };

type Values = Record<string, { N?: string; S?: string } | undefined>;

/**
 * What a successful UpdateItem on a sender's schedule (`PACE#…`) did, from its serialised request;
 * undefined for any other request. Recognised forms (shared/pacing/dynamo/dynamo-pacer-store.ts):
 * `nextAt = nextAt + :cost` (extend the schedule by :cost ms), `nextAt = :end` with `:now`
 * (restart it from now: :end − :now ms), `nextAt = :until` without `:now` (a hold after a 429).
 */
export function paceWriteOf(operation: string, body: string | undefined): PaceWrite | undefined {
  if (operation !== 'UpdateItem' || !body?.includes('"PACE#')) return undefined;
  let request: { Key?: { pk?: { S?: string } }; UpdateExpression?: string; ExpressionAttributeValues?: Values };
  try {
    request = JSON.parse(body) as typeof request;
  } catch {
    return undefined;
  }
  const pk = request.Key?.pk?.S;
  if (!pk?.startsWith('PACE#')) return undefined;
  const paceKey = pk.slice('PACE#'.length);
  const expression = request.UpdateExpression ?? '';
  const values = request.ExpressionAttributeValues ?? {};
  const number = (name: string) => {
    const value = Number(values[name]?.N);
    return values[name]?.N !== undefined && Number.isFinite(value) ? value : undefined;
  };
  const assignments = (/^\s*SET\s+(.*)$/i.exec(expression)?.[1] ?? '').split(',').map((part) => part.trim());
  const nextAt = assignments.filter((part) => /^nextAt\s*=/.test(part));
  if (nextAt.length !== 1) return { kind: 'unrecognised', paceKey };
  const extend = /^nextAt\s*=\s*nextAt\s*\+\s*(:\w+)$/.exec(nextAt[0]!);
  if (extend) {
    const ms = number(extend[1]!);
    return ms === undefined ? { kind: 'unrecognised', paceKey } : { kind: 'booking', paceKey, ms };
  }
  const set = /^nextAt\s*=\s*(:\w+)$/.exec(nextAt[0]!);
  if (set) {
    const end = number(set[1]!);
    const now = number(':now');
    if (end === undefined) return { kind: 'unrecognised', paceKey };
    if (now === undefined) return set[1] === ':until' ? { kind: 'hold', paceKey } : { kind: 'unrecognised', paceKey };
    return { kind: 'booking', paceKey, ms: end - now };
  }
  return { kind: 'unrecognised', paceKey };
}

/** The channel a pace key (`<provider>:<channel>:<identity>`) meters, if it has that shape. */
export function channelOfPaceKey(paceKey: string): string | undefined {
  const parts = paceKey.split(':');
  return parts.length >= 3 ? parts[1] : undefined;
}

export interface TimedPaceWrite {
  at: number;
  write: PaceWrite;
}

export interface TimelineInputs {
  /** The channel of the busiest sender (the outbox's `channel`). */
  channel: string;
  /** Epoch ms the timeline's seconds count from (the broadcast's creation). */
  origin: number;
  /** The rate the pacer books at (provider rate less headroom), for ms → slots; undefined: unmetered. */
  slotRate: number | undefined;
  paceWrites: TimedPaceWrite[];
  /** createdAt of each of the busiest sender's sends. */
  sends: number[];
  /** When each of its 429s was answered. */
  throttled: number[];
  /** Sending functions' invocations, epoch ms. */
  invocations: { start: number; end: number }[];
  /** Cumulative event-loop samples (from ELU): busy ms over elapsed ms between neighbours. */
  eventLoop: { at: number; active: number; idle: number }[];
}

export interface TimelineRow {
  /** Seconds since the broadcast was created: the row covers [second, second + bucket). */
  second: number;
  /** Slots booked on the busiest sender's schedule; null when a write was not recognised (n/a). */
  slotsBooked: number | null;
  sends: number;
  throttled: number;
  /** Sending invocations running at any time in the row. */
  functionsBusy: number;
  /** Their running time ÷ the row's length: how many were busy on average. */
  functionsBusyAverage: number;
  /** Event-loop utilisation over the row, 0–1; null when not sampled. */
  eventLoop: number | null;
}

export interface Timeline {
  channel: string;
  paceKeys: string[];
  /** Why slots are n/a, when they are. */
  slotsNote?: string;
  bucketSeconds: number;
  rows: TimelineRow[];
}

/** One row a second from the first booking or send to the last send; `bucketSeconds` rows merge seconds. */
export function buildTimeline(inputs: TimelineInputs, bucketSeconds = 1): Timeline {
  const bucketMs = bucketSeconds * 1000;
  const allKeys = [...new Set(inputs.paceWrites.map(({ write }) => write.paceKey))];
  let paceKeys = allKeys.filter((key) => channelOfPaceKey(key) === inputs.channel);
  let slotsNote: string | undefined;
  if (paceKeys.length === 0 && allKeys.length === 1) paceKeys = allKeys;
  else if (paceKeys.length === 0 && allKeys.length > 1) slotsNote = `no pace key names the channel ${inputs.channel} (${allKeys.join(', ')})`;
  if (inputs.slotRate === undefined) slotsNote = 'the sender is unmetered: nothing is booked';
  // No schedule to read at all: every row's slots are n/a; an unrecognised write: only its row's.
  const noSchedule = slotsNote !== undefined;
  const writes = inputs.paceWrites.filter(({ write }) => paceKeys.includes(write.paceKey));
  if (!slotsNote && writes.some(({ write }) => write.kind === 'unrecognised')) slotsNote = 'a pacer write was not recognised (its seconds show n/a)';

  const bucketOf = (at: number) => Math.floor((at - inputs.origin) / bucketMs);
  const lastSend = inputs.sends.length ? Math.max(...inputs.sends) : undefined;
  if (lastSend === undefined) return { channel: inputs.channel, paceKeys, ...(slotsNote ? { slotsNote } : {}), bucketSeconds, rows: [] };
  const firstActivity = Math.min(...inputs.sends, ...writes.map(({ at }) => at));
  const first = Math.max(0, bucketOf(firstActivity));
  const last = bucketOf(lastSend);

  const rows: TimelineRow[] = [];
  for (let bucket = first; bucket <= last; bucket += 1) {
    const from = inputs.origin + bucket * bucketMs;
    const to = from + bucketMs;
    const inRow = (at: number) => at >= from && at < to;
    const rowWrites = writes.filter(({ at }) => inRow(at));
    const unknown = noSchedule || rowWrites.some(({ write }) => write.kind === 'unrecognised');
    const slots = rowWrites.reduce((sum, { write }) => sum + (write.kind === 'booking' ? (write.ms * (inputs.slotRate ?? 0)) / 1000 : 0), 0);
    const overlapping = inputs.invocations.filter(({ start, end }) => start < to && end >= from);
    const busyMs = overlapping.reduce((sum, { start, end }) => sum + Math.min(end, to) - Math.max(start, from), 0);
    rows.push({
      second: bucket * bucketSeconds,
      slotsBooked: unknown ? null : Math.round(slots * 10) / 10,
      sends: inputs.sends.filter(inRow).length,
      throttled: inputs.throttled.filter(inRow).length,
      functionsBusy: overlapping.length,
      functionsBusyAverage: busyMs / bucketMs,
      eventLoop: utilisationBetween(inputs.eventLoop, from, to),
    });
  }
  return { channel: inputs.channel, paceKeys, ...(slotsNote ? { slotsNote } : {}), bucketSeconds, rows };
}

/** ELU between the last sample at or before `from` and the first at or after `to`; null without both. */
export function utilisationBetween(samples: { at: number; active: number; idle: number }[], from: number, to: number): number | null {
  const before = samples.filter((sample) => sample.at <= from).at(-1) ?? samples[0];
  const after = samples.find((sample) => sample.at >= to) ?? samples.at(-1);
  if (!before || !after || after.at <= before.at) return null;
  const active = after.active - before.active;
  const idle = after.idle - before.idle;
  return active + idle > 0 ? active / (active + idle) : null;
}

/**
 * Merges a 1-second timeline into rows of `bucketSeconds`: counts summed (slots n/a if any second's
 * are), the most sending functions at once kept, averages averaged.
 */
export function foldTimeline(timeline: Timeline, bucketSeconds: number): Timeline {
  const rows: TimelineRow[] = [];
  for (const row of timeline.rows) {
    const second = Math.floor(row.second / bucketSeconds) * bucketSeconds;
    const last = rows.at(-1);
    if (last?.second !== second) {
      rows.push({ ...row, second, functionsBusyAverage: row.functionsBusyAverage / bucketSeconds, eventLoop: row.eventLoop === null ? null : row.eventLoop / bucketSeconds });
      continue;
    }
    last.slotsBooked = last.slotsBooked === null || row.slotsBooked === null ? null : last.slotsBooked + row.slotsBooked;
    last.sends += row.sends;
    last.throttled += row.throttled;
    last.functionsBusy = Math.max(last.functionsBusy, row.functionsBusy);
    last.functionsBusyAverage += row.functionsBusyAverage / bucketSeconds;
    last.eventLoop = last.eventLoop === null || row.eventLoop === null ? null : last.eventLoop + row.eventLoop / bucketSeconds;
  }
  return { ...timeline, bucketSeconds, rows };
}
