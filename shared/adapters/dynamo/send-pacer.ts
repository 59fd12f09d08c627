import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PaceGrant, PaceRequest, SendPacer } from '../../ports/send-pacer.js';
import { isConditionFailure } from './conditions.js';
import { keys } from './keys.js';

/** How long after its latest booking an urgent broadcast keeps the bulk lane off its sender. */
const URGENT_HOLD_MS = 3_000;
/** Bookings lost to concurrent ones in a row before the caller is asked to wait a moment. */
const MAX_RACES = 5;
/** A schedule item outlives its last booking by a day, then TTL removes it. */
const KEEP_SECONDS = 86_400;

/**
 * A sender's schedule as one small item: `nextAt`, the first slot nobody holds (epoch ms), and
 * `urgentUntil`. Booking k slots moves `nextAt` on by k/rate seconds in one conditional write
 * (a generic cell rate algorithm: a virtual clock rather than a token count, so it needs no
 * refill and never lets a burst through after a quiet spell). Every booking is one write of a
 * ~100-byte item (1 WCU) for a whole chunk of sends, not one per message.
 */
export class DynamoSendPacer implements SendPacer {
  /** The end of each sender's schedule as this function last saw it: a guess, only to order the writes. */
  private readonly lastSeenNextAt = new Map<string, number>();

  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async reserve(request: PaceRequest): Promise<PaceGrant> {
    if (request.latestStart < request.now) return { granted: false, retryAt: request.now };
    const cost = (request.units * 1000) / request.messagesPerSecond;
    // Last seen booked beyond our reach: it still is (`nextAt` only moves forward), so come back
    // when what was seen would be within reach, without a write or even a look. A busy schedule
    // with several functions waiting on it refuses far more often than it grants, and most of
    // those refusals are a function asking again while its own last booking still runs.
    const seen = this.lastSeenNextAt.get(request.sender);
    if (seen !== undefined && seen > request.latestStart) return { granted: false, retryAt: request.now + (seen - request.latestStart) };
    for (let attempt = 1; ; attempt += 1) {
      // The schedule is already running: book the slots after the last booking, if they start in
      // time. Or it has run dry (nobody booked up to now): start again from now. The write more
      // likely to succeed goes first (from the schedule this function saw last), so an idle
      // sender's booking is one write, not a failed one and another.
      const extend = () =>
        this.update(request, 'nextAt = nextAt + :cost', 'nextAt BETWEEN :now AND :latest', { ':cost': cost, ':latest': request.latestStart });
      const restart = async () =>
        (await this.update(request, 'nextAt = :end', '(attribute_not_exists(nextAt) OR nextAt < :now)', { ':end': request.now + cost })) === undefined
          ? undefined
          : request.now;
      // `nextAt` only ever moves forward (every write adds to it or sets it later): once this
      // function has seen it at or after now, the schedule cannot have run dry, and a restart's
      // write would fail for certain. Only a dry-looking schedule is worth both writes.
      const seen = this.lastSeenNextAt.get(request.sender);
      const startAt = seen === undefined || seen < request.now ? ((await restart()) ?? (await extend())) : await extend();
      if (startAt !== undefined) {
        this.lastSeenNextAt.set(request.sender, startAt + cost);
        return { granted: true, startAt };
      }
      const retryAt = await this.retryAt(request);
      // Lost a race between the two writes (another function restarted the schedule): the slots
      // are still within reach, so book again, a few times, before asking the caller to wait.
      if (retryAt > request.now || attempt >= MAX_RACES) return { granted: false, retryAt };
    }
  }

  async holdBack(sender: string, until: number): Promise<void> {
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.sendPace(sender),
          UpdateExpression: 'SET nextAt = :until, expiresAt = :expiresAt',
          ConditionExpression: 'attribute_not_exists(nextAt) OR nextAt < :until',
          ExpressionAttributeValues: { ':until': until, ':expiresAt': Math.ceil(until / 1000) + KEEP_SECONDS },
        }),
      );
    } catch (error) {
      // Already held back as far (or booked further): nothing to move.
      if (!isConditionFailure(error)) throw error;
    }
  }

  /** One conditional booking; the first slot it got (the old `nextAt`, or now), or undefined when the condition failed. */
  private async update(request: PaceRequest, set: string, condition: string, values: Record<string, number>): Promise<number | undefined> {
    const urgent = request.lane === 'urgent';
    // The bulk lane books nothing while an urgent broadcast is using the sender.
    const bulkGuard = request.lane === 'normal' ? ' AND (attribute_not_exists(urgentUntil) OR urgentUntil <= :now)' : '';
    try {
      const { Attributes } = await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.sendPace(request.sender),
          UpdateExpression: `SET ${set}, expiresAt = :expiresAt${urgent ? ', urgentUntil = :urgentUntil' : ''}`,
          ConditionExpression: `${condition}${bulkGuard}`,
          ExpressionAttributeValues: {
            ...values,
            ':now': request.now,
            ':expiresAt': Math.ceil(request.now / 1000) + KEEP_SECONDS,
            ...(urgent ? { ':urgentUntil': request.now + (request.units * 1000) / request.messagesPerSecond + URGENT_HOLD_MS } : {}),
          },
          ReturnValues: 'UPDATED_OLD',
        }),
      );
      const previous = Attributes?.nextAt;
      return typeof previous === 'number' && previous >= request.now ? previous : request.now;
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  /** When a refused booking is worth trying again: after the urgent hold, or once the schedule is within reach. */
  private async retryAt(request: PaceRequest): Promise<number> {
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: keys.sendPace(request.sender), ConsistentRead: true }),
    );
    const nextAt = Number(Item?.nextAt ?? request.now);
    const urgentUntil = Number(Item?.urgentUntil ?? 0);
    this.lastSeenNextAt.set(request.sender, nextAt);
    if (request.lane === 'normal' && urgentUntil > request.now) return urgentUntil;
    // Another booking won the race between our two writes: the schedule is within reach, try again at once.
    if (nextAt <= request.latestStart) return request.now;
    return request.now + (nextAt - request.latestStart);
  }
}
