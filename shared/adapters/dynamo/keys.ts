import type { Channel } from '../../domain/model.js';
import { messageKey } from './message-keys.js';

/**
 * Every item layout of the single table, in one place.
 *
 * | item                 | pk                          | sk                         |
 * |----------------------|-----------------------------|----------------------------|
 * | topic                | TOPICS                      | TOPIC#<id>                 |
 * | keyword claim        | KEYWORD#<KEYWORD>           | KEYWORD                    |
 * | topic index entry    | TOPICIDX#<topic>#<shard>    | SUB#<phone>#<channel>      |
 * | shard subscriber cnt | TOPICIDX#<topic>#<shard>    | #COUNT                     |
 * | subscriber profile   | SUB#<phone>                 | PROFILE                    |
 * | subscription         | SUB#<phone>                 | TOPIC#<channel>#<topic>    |
 * | consent event        | SUB#<phone>                 | CONSENT#<what>#<evidence>  |
 * | inbound by sender    | SUB#<phone>                 | INBOUND#<provider>#<id>    |
 * | sender rate window   | SUB#<phone>                 | RATE#<window>              |
 * | erasure tombstone    | ERASED#<hmac(phone)>        | TOMBSTONE                  |
 * | inbound message      | INBOUND#<provider>#<id>     | INBOUND                    |
 * | skipped webhook item | SKIPPED#<provider>#<id>     | SKIPPED                    |
 * | inbox entry          | INBOX#<department>          | <received at>#<entry id>   |
 * | inbox entry by id    | INBOXID#<entry id>          | INBOXID                    |
 * | topic's broadcasts   | TOPICBROADCASTS#<topic>     | <created at>#<broadcast>   |
 * | broadcast            | BROADCAST#<id>              | BROADCAST                  |
 * | broadcast's counters | BROADCAST#<id>              | COUNTS                     |
 * | send job's totals    | BROADCAST#<id>              | JOB#<SQS message id>       |
 * | broadcast listing    | BROADCASTS                  | <created at>#<broadcast>   |
 * | sending broadcast    | SENDING                     | <broadcast>                |
 * | scheduled start      | SCHEDULED                   | <starts at>#<broadcast>    |
 * | department limits    | DEPARTMENT#<department>     | LIMITS                     |
 * | department's usage   | DEPARTMENT#<department>     | USAGE#<YYYY-MM-DD>         |
 * | broadcast's message  | BROADCAST#<id>#MESSAGES#<d> | <digits of the number>     |
 * | other outbound msg   | MESSAGE#<messageId>         | MESSAGE                    |
 * | API key (credential) | APIKEY#<sha256(key)>        | APIKEY                     |
 * | API key by id        | APIKEYS                     | KEY#<id>                   |
 * | staff member         | STAFF                       | STAFF#<id>                 |
 * | staff email claim    | STAFFEMAIL#<email>          | STAFFEMAIL                 |
 * | staff subject claim  | STAFFSUBJECT#<sub>          | STAFFSUBJECT               |
 * | message template     | TEMPLATE#<id>               | TEMPLATE                   |
 * | template's version   | TEMPLATE#<id>               | VERSION#<000001>           |
 * | department template  | TEMPLATES#<department>      | TEMPLATE#<id>              |
 * | console session      | SESSION#<sha256(secret)>    | SESSION                    |
 * | sign-in under way    | SIGNIN#<state>              | SIGNIN                     |
 * | audit record         | AUDIT#<YYYY-MM-DD>          | <at>#<id>                  |
 * | reply text overrides | CONFIG                      | REPLY_TEXTS                |
 * | deployed sandbox msg | SANDBOX#<YYYY-MM-DD>        | <at>#<messageId>           |
 * | provider failures    | PROVIDERHEALTH#<ch>#<p>#<w> | COUNT                      |
 * | channel's route      | PROVIDERROUTE#<channel>     | ROUTE                      |
 * | provider's breaker   | PROVIDERROUTE#<channel>     | BREAKER#<provider>         |
 * | sender's schedule    | PACE#<prov>:<ch>:<identity> | PACE                       |
 * | provider shifts      | PROVIDERROUTE#<channel>     | SHIFT#<from>#<to>          |
 * | import batch         | IMPORT#<batch id>           | IMPORT                     |
 * | import listing       | IMPORTS                     | <at>#<batch id>            |
 *
 * Topics sit in one partition because there are few of them and they are read together. The
 * subscriber index is spread over shards so that no partition runs hot when thousands join.
 * Keys by id, staff by id, the broadcast listing and the scheduler's list share one partition each for the
 * same reason as topics (staff make a few broadcasts a day, not thousands); the audit log has one partition
 * per UTC day, so a busy day's writes never pile onto one ever-growing partition.
 *
 * A broadcast's partition holds three kinds of item. The broadcast itself (~2 KB with its
 * fan-out checkpoints: one attribute per topic shard) keeps `targeted` and `fanOutPending`, which
 * move with the checkpoints in one write, a few times per 500 recipients. Its outcome counters
 * (sent, failed, skipped and `skippedBy#<reason>`, delivered, undelivered, cost, lastProgressAt)
 * sit in COUNTS, a few hundred bytes, because they move per batch and per receipt and every
 * write there must cost one unit. Each send job keeps its exact totals in its own JOB# item,
 * overwritten as it goes (idempotent); their sum is the exact rollup that completes a broadcast.
 * 'BROADCAST' < 'COUNTS' < 'JOB#…', so one Query for sk BETWEEN 'BROADCAST' AND 'COUNTS' reads a
 * broadcast with its counters (one read unit) and never its jobs. Its messages are in partitions
 * of their own (`BROADCAST#<id>#MESSAGES#<d>`, see message-keys.ts), so their writes never land
 * on this one.
 *
 * "Sending broadcast" lists the broadcasts now sending (written before the move to sending,
 * removed after the move away), so the sweeper finds the few it watches without reading every
 * broadcast ever made.
 *
 * The retention schedule (shared/retention/schedule.ts) sets `expiresAt` on every item that holds
 * a resident's number or words, except a subscribed resident's profile, subscriptions, topic index
 * entries and consent ledger (deleted or stamped when they are subscribed to nothing), and the
 * erasure tombstones, which hold a keyed hash (HMAC) of a number, never the number.
 *
 * "Inbound by sender" is a reference to each inbound message kept in its sender's partition, so
 * that erasure finds the inbound log entries, inbox entries and replies that hold the number
 * without scanning the table; erasure deletes it with the rest of the partition.
 */
/**
 * Every audit record's partition key starts with this. IAM denies every function changing or
 * deleting an item under it (infra/constructs/crier-function.ts), so it must never change.
 */
export const auditPartitionPrefix = 'AUDIT#';

export const keys = {
  topic: (id: string) => ({ pk: 'TOPICS', sk: `TOPIC#${id}` }),
  topicsPartition: 'TOPICS',
  keyword: (keyword: string) => ({ pk: `KEYWORD#${keyword}`, sk: 'KEYWORD' }),
  topicShard: (topicId: string, shard: number) => `TOPICIDX#${topicId}#${shard}`,
  topicIndexEntry: (topicId: string, shard: number, phone: string, channel: Channel) => ({
    pk: `TOPICIDX#${topicId}#${shard}`,
    sk: `SUB#${phone}#${channel}`,
  }),
  topicShardCount: (topicId: string, shard: number) => ({ pk: `TOPICIDX#${topicId}#${shard}`, sk: '#COUNT' }),
  subscriberPartition: (phone: string) => `SUB#${phone}`,
  profile: (phone: string) => ({ pk: `SUB#${phone}`, sk: 'PROFILE' }),
  subscription: (phone: string, channel: Channel, topicId: string) => ({
    pk: `SUB#${phone}`,
    sk: `TOPIC#${channel}#${topicId}`,
  }),
  consentEvent: (phone: string, what: string, evidenceRef: string) => ({ pk: `SUB#${phone}`, sk: `CONSENT#${what}#${evidenceRef}` }),
  inboundBySender: (phone: string, provider: string, providerMessageId: string) => ({
    pk: `SUB#${phone}`,
    sk: `INBOUND#${provider}#${providerMessageId}`,
  }),
  inboundBySenderPrefix: 'INBOUND#',
  tombstone: (phoneHash: string) => ({ pk: `ERASED#${phoneHash}`, sk: 'TOMBSTONE' }),
  inbound: (provider: string, providerMessageId: string) => ({
    pk: `INBOUND#${provider}#${providerMessageId}`,
    sk: 'INBOUND',
  }),
  /** Apart from `inbound`: a skipped item may be a status of ours, whose id is no inbound message's. */
  skippedItem: (provider: string, itemId: string) => ({ pk: `SKIPPED#${provider}#${itemId}`, sk: 'SKIPPED' }),
  /**
   * In the sender's partition: a counter that lives minutes, but TTL deletion may lag by days, and
   * erasure deletes the partition, so it leaves no number behind (and needs no hash of one).
   */
  rateWindow: (phone: string, window: string) => ({ pk: `SUB#${phone}`, sk: `RATE#${window}` }),
  inboxPartition: (department: string) => `INBOX#${department}`,
  inboxEntry: (department: string, receivedAt: string, id: string) => ({ pk: `INBOX#${department}`, sk: `${receivedAt}#${id}` }),
  inboxEntryById: (id: string) => ({ pk: `INBOXID#${id}`, sk: 'INBOXID' }),
  topicBroadcastsPartition: (topicId: string) => `TOPICBROADCASTS#${topicId}`,
  topicBroadcast: (topicId: string, createdAt: string, broadcastId: string) => ({
    pk: `TOPICBROADCASTS#${topicId}`,
    sk: `${createdAt}#${broadcastId}`,
  }),
  broadcast: (id: string) => ({ pk: `BROADCAST#${id}`, sk: 'BROADCAST' }),
  broadcastPartition: (id: string) => `BROADCAST#${id}`,
  broadcastCounts: (id: string) => ({ pk: `BROADCAST#${id}`, sk: 'COUNTS' }),
  broadcastJob: (id: string, jobId: string) => ({ pk: `BROADCAST#${id}`, sk: `JOB#${jobId}` }),
  broadcastJobPrefix: 'JOB#',
  sendingPartition: 'SENDING',
  sendingBroadcast: (id: string) => ({ pk: 'SENDING', sk: id }),
  broadcastsPartition: 'BROADCASTS',
  broadcastListing: (createdAt: string, id: string) => ({ pk: 'BROADCASTS', sk: `${createdAt}#${id}` }),
  scheduledPartition: 'SCHEDULED',
  scheduledStart: (startsAt: string, id: string) => ({ pk: 'SCHEDULED', sk: `${startsAt}#${id}` }),
  departmentLimits: (department: string) => ({ pk: `DEPARTMENT#${department}`, sk: 'LIMITS' }),
  departmentUsage: (department: string, day: string) => ({ pk: `DEPARTMENT#${department}`, sk: `USAGE#${day}` }),
  /** Derived from the id alone; a broadcast's messages in its own ten partitions (message-keys.ts says why). */
  message: messageKey,
  apiKey: (hash: string) => ({ pk: `APIKEY#${hash}`, sk: 'APIKEY' }),
  apiKeysPartition: 'APIKEYS',
  apiKeyById: (keyId: string) => ({ pk: 'APIKEYS', sk: `KEY#${keyId}` }),
  staffPartition: 'STAFF',
  session: (idHash: string) => ({ pk: `SESSION#${idHash}`, sk: 'SESSION' }),
  signInAttempt: (state: string) => ({ pk: `SIGNIN#${state}`, sk: 'SIGNIN' }),
  staffById: (id: string) => ({ pk: 'STAFF', sk: `STAFF#${id}` }),
  /** Holds the id of the one current record with this (lower-cased) email: what keeps emails unique. */
  staffEmail: (email: string) => ({ pk: `STAFFEMAIL#${email}`, sk: 'STAFFEMAIL' }),
  staffSubject: (subject: string) => ({ pk: `STAFFSUBJECT#${subject}`, sk: 'STAFFSUBJECT' }),
  /** A saved template's latest version; its kept versions share its partition, one Query reads them. */
  template: (id: string) => ({ pk: `TEMPLATE#${id}`, sk: 'TEMPLATE' }),
  templatePartition: (id: string) => `TEMPLATE#${id}`,
  /** Zero-padded, so the versions sort by number. */
  templateVersion: (id: string, version: number) => ({ pk: `TEMPLATE#${id}`, sk: `VERSION#${String(version).padStart(6, '0')}` }),
  templateVersionPrefix: 'VERSION#',
  /** A department's list of its templates: one small item per template naming it (a department has tens, not thousands). */
  departmentTemplatesPartition: (department: string) => `TEMPLATES#${department}`,
  departmentTemplate: (department: string, id: string) => ({ pk: `TEMPLATES#${department}`, sk: `TEMPLATE#${id}` }),
  auditPartition: (day: string) => `${auditPartitionPrefix}${day}`,
  auditEntry: (at: string, id: string) => ({ pk: `${auditPartitionPrefix}${at.slice(0, 10)}`, sk: `${at}#${id}` }),
  replyTexts: { pk: 'CONFIG', sk: 'REPLY_TEXTS' },
  sandboxPartition: (day: string) => `SANDBOX#${day}`,
  sandboxMessage: (at: string, messageId: string) => ({ pk: `SANDBOX#${at.slice(0, 10)}`, sk: `${at}#${messageId}` }),
  /** One counter per provider, channel and fixed window (its start in epoch seconds); expires soon after. */
  providerFailures: (channel: Channel, provider: string, windowStart: number) => ({
    pk: `PROVIDERHEALTH#${channel}#${provider}#${windowStart}`,
    sk: 'COUNT',
  }),
  providerRoutePartition: (channel: Channel) => `PROVIDERROUTE#${channel}`,
  providerRoute: (channel: Channel) => ({ pk: `PROVIDERROUTE#${channel}`, sk: 'ROUTE' }),
  /** A weighted list's provider breaker: open or closed, with a version like the route's. */
  providerBreaker: (channel: Channel, provider: string) => ({ pk: `PROVIDERROUTE#${channel}`, sk: `BREAKER#${provider}` }),
  /** A sender's send schedule (the pacer's virtual clock); one small item per sender. */
  sendPace: (sender: string) => ({ pk: `PACE#${sender}`, sk: 'PACE' }),
  importBatch: (id: string) => ({ pk: `IMPORT#${id}`, sk: 'IMPORT' }),
  importsPartition: 'IMPORTS',
  importListing: (at: string, id: string) => ({ pk: 'IMPORTS', sk: `${at}#${id}` }),
  providerShift: (channel: Channel, from: string, to: string) => ({ pk: `PROVIDERROUTE#${channel}`, sk: `SHIFT#${from}#${to}` }),
} as const;
