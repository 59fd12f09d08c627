import { availableParallelism } from 'node:os';
import { lambdaArchitecture } from '../functions/lambda-platform.js';
import type { BroadcastView } from './admin-api.js';
import { verdict } from './goals.js';
import { AWS_LATENCY_MODEL, DYNAMO_PRICES_BEFORE_NOVEMBER_2024, PRICES, receiptsThroughApiGateway, type Analysis } from './report.js';
import { dollars, fixed, formatNumber, megabytes, percent, table } from './text-format.js';
import type { MainRun } from './measure-broadcast.js';
import type { Options } from './options.js';
import type { ProviderAnswers } from './sends.js';
import { foldTimeline, type Timeline } from './timeline.js';
import { HIGH_STEAL, loopsBusyInCores, SATURATED_EVENT_LOOP } from './verdict.js';
import { URGENT_TOPIC } from './population.js';
import type { SeedResult } from './seed-report.js';

/** The benchmark's printed report: goals, the broadcast, requests by kind and function, Lambda, cost, memory, notes. */
export function render(
  results: Record<string, unknown>,
  main: MainRun,
  urgent: Record<string, unknown> | undefined,
  seed: SeedResult,
  options: Options,
  mps: number | undefined,
  topics: string[],
  stackErrors: number,
  notes: string[],
): string {
  const { analysis, timings } = main;
  const seconds = (value: number | undefined) => (value === undefined ? 'n/a' : `${value.toFixed(1)} s`);
  const lines: string[] = [];
  lines.push('');
  lines.push(
    `crier delivery benchmark — ${options.subscribers.toLocaleString('en-GB')} residents, broadcast to ${topics.join(' + ')}, ${options.shards} shards, ` +
      `provider ${mps ? `${mps} msg/s` : 'unlimited'}, receipts (${options.receipts}) after ${options.receiptDelayMs} ms, provider latency ${options.latencyMs} ms, local concurrency ${options.concurrency}`,
  );
  lines.push(
    `seeding: ${seed.residents.toLocaleString('en-GB')} residents, ${seed.subscriptions.toLocaleString('en-GB')} subscriptions in ${seed.seconds.toFixed(1)} s ` +
      `(${seed.residentsPerSecond.toFixed(0)} residents/s, ${seed.mode} mode${seed.mode === 'batch' ? ', items checked against DynamoSubscriberStore' : ''}${seed.parityProblem ? '; batch parity FAILED, used the store' : ''})` +
      (seed.overTimeBox ? ' — over the 3-minute time box: pass a smaller --subscribers for a shorter run' : ''),
  );
  lines.push('');
  lines.push('GOALS (normal broadcast, senders paced to the provider rate less 2% headroom)');
  lines.push(table(['goal', 'target', 'measured', 'verdict'], main.goals.map((goal) => [goal.goal, goal.target, goal.measured, verdict(goal.met)])));
  lines.push('');
  lines.push(`BROADCAST ${main.broadcastId}: ${main.outcome} (API status ${main.apiStatus})`);
  const counts = main.apiCounts;
  const recipients = main.recipients;
  lines.push(
    table(
      ['measure', 'value'],
      [
        ['audience from the topic index (distinct residents)', main.expectedRecipients],
        ['API counts: targeted / sent / failed / skipped / delivered', `${counts.targeted} / ${counts.sent} / ${counts.failed} / ${counts.skipped} / ${counts.delivered}`],
        ['fan-out: created → targeted final', `${seconds(timings.fanOutSeconds)} (${fixed(timings.fanOutRecipientsPerSecond ?? NaN, 0)} recipients/s)`],
        ['time to first send', seconds(timings.firstSendSeconds)],
        ['time to last send', `${seconds(timings.lastSendSeconds)} (at the provider rate less headroom: ${seconds(timings.idealSendSeconds)})`],
        [
          `achieved send rate of the busiest sender (${main.busiestSender}: first → last send) / its busiest second`,
          `${timings.achievedSendRate === undefined ? 'n/a' : `${fixed(timings.achievedSendRate, 1)} msg/s${mps ? ` (${percent(timings.achievedShareOfPacedRate ?? NaN)} of ${mps} less headroom; ${main.rateVerdict})` : ''}`} / ${timings.peakSendsInOneSecond ?? 0}`,
        ],
        ['provider answers: accepted / 429 / 5xx', `${main.provider.accepted} / ${main.provider.throttled} / ${main.provider.failed}`],
        ['outbox messages / distinct recipients', `${recipients.outboxMessages} / ${recipients.outboxRecipients}`],
        ['duplicates: recipients / extra messages', `${recipients.duplicateRecipients} / ${recipients.extraMessages}`],
        ['sent to residents outside the audience', String(recipients.unexpectedRecipients)],
        ['never sent (by stored outcome)', `${recipients.neverSent}${recipients.neverSent ? ` — ${Object.entries(recipients.neverSentOutcomes).map(([key, count]) => `${key}: ${count}`).join(', ')}` : ''}`],
        [
          'never sent and never skipped (lost)',
          `${String(recipients.neverSentNorSkipped)}${recipients.neverSentNorSkipped ? ` — in a DLQ: ${main.lostBreakdown.inDeadLetterQueues}, still queued at the time-out: ${main.lostBreakdown.stillQueuedAtTimeout}, job left the queue unfinished: ${main.lostBreakdown.jobDeletedUnfinished}` : ''}`,
        ],
        ['sent+failed+skipped − targeted (API)', String(recipients.countsCheck.outcomesVsTargeted)],
        ['dead-letter queues: jobs / recipients of this broadcast', `${main.deadLettered.jobs} / ${main.deadLettered.recipientsOfThisBroadcast}`],
        ['sender deliveries by SQS receive count', receiveCountSummary(main.sendJobReceiveCounts)],
        ['receipt tail after the last send', seconds(timings.receiptTailSeconds)],
      ],
    ),
  );
  lines.push('');
  lines.push(`AWS REQUESTS per 1,000 recipients (${analysis.recipients.toLocaleString('en-GB')} recipients; fan-out + send + receipts; seeding excluded)`);
  lines.push(
    table(
      ['service', 'operation', 'per 1,000', 'total', 'write units', 'read units'],
      analysis.operations.map((row) => [row.service, row.operation, Number(row.per1000.toFixed(1)), row.requests, Number(row.writeUnits.toFixed(1)), Number(row.readUnits.toFixed(1))]),
    ),
  );
  lines.push(
    `SQS ${fixed(analysis.sqsRequestsPer1000, 1)} per 1,000 (billed 64 KB chunks: ${fixed(analysis.sqsBilledRequestsPer1000, 1)}); ` +
      `empty ReceiveMessage polls, not counted above: ${analysis.emptyPolls} (local pollers wait 1 s; Lambda's own long-polling is a fixed cost, not per message)`,
  );
  const phases = main.phases;
  lines.push(
    `Phases (requests, empty polls aside / DynamoDB write units): seeding ${phases.seed.requests} / ${fixed(phases.seed.dynamoWriteUnits, 0)} (excluded); ` +
      `fan-out + send ${phases.fanOutAndSend.requests} / ${fixed(phases.fanOutAndSend.dynamoWriteUnits, 0)}; ` +
      `receipts after the last send ${phases.receiptTail.requests} / ${fixed(phases.receiptTail.dynamoWriteUnits, 0)} (receipts arrive while sending, so most are in the phase before)`,
  );
  lines.push(`DynamoDB ${fixed(analysis.dynamoRequestsPer1000, 0)} requests per 1,000; ${fixed(analysis.writeUnitsPerRecipient, 2)} write units and ${fixed(analysis.readUnitsPerRecipient, 2)} read units per recipient; units ${analysis.unitsSource}`);
  lines.push('');
  lines.push('DYNAMODB BY ITEM (partition key prefix, see shared/adapters/dynamo/keys.ts), per recipient');
  lines.push(
    table(
      ['operation', 'item', 'requests', 'per recipient', 'write units', 'read units'],
      analysis.byItem.map((row) => [
        row.operation,
        row.item,
        row.requests,
        Number(row.perRecipient.toFixed(3)),
        Number(row.writeUnitsPerRecipient.toFixed(3)),
        Number(row.readUnitsPerRecipient.toFixed(3)),
      ]),
    ),
  );
  lines.push('');
  lines.push('BY FUNCTION (where the requests come from; "outside queue functions" = HTTP handlers, mostly delivery receipts, and the pollers\' own receive/delete; countReceipts: the table stream function)');
  lines.push(
    table(
      ['service', 'origin', 'per 1,000', 'total', 'write units', 'read units'],
      analysis.byOrigin.map((row) => [row.service, row.origin, Number(row.per1000.toFixed(1)), row.requests, Number(row.writeUnits.toFixed(1)), Number(row.readUnits.toFixed(1))]),
    ),
  );
  lines.push('');
  lines.push(`LAMBDA (durations observed locally: one process on ${availableParallelism()} cores, the senders and dynalite each on a thread beside the other functions — pessimistic for AWS)`);
  lines.push(
    table(
      ['function', 'invocations', 'avg ms', 'max ms', 'MB', 'GB-s', 'cost', 'avg ms at AWS latencies'],
      analysis.lambda.map((row) => [
        row.functionId,
        row.invocations,
        Number(row.avgMs.toFixed(0)),
        Number(row.maxMs.toFixed(0)),
        row.memoryMb,
        Number(row.gbSeconds.toFixed(1)),
        dollars(row.cost),
        Number(((row.modelledMs ?? 0) / Math.max(1, row.invocations)).toFixed(0)),
      ]),
    ),
  );
  lines.push(
    `"at AWS latencies": each function's counted requests one after another at ${AWS_LATENCY_MODEL.dynamoMsPerRequest} ms (DynamoDB) and ${AWS_LATENCY_MODEL.sqsMsPerRequest} ms (SQS), ` +
      `+ ${AWS_LATENCY_MODEL.msPerInvocation} ms an invocation + the provider latency of each accepted send; a sender (sendBulk, sendUrgent) at least its time observed here, ` +
      'since it is billed while it waits for its slots and the provider rate, not this machine, sets that wait.',
  );
  lines.push('');
  lines.push(...costLines(analysis, options.latencyMs));
  lines.push('');
  const mem = main.memory;
  lines.push(
    `MEMORY (${main.memory.note}): baseline RSS ${megabytes(mem.baselineRss ?? 0)}, heap ${megabytes(mem.baselineHeapUsed ?? 0)}; ` +
      `peak during fan-out RSS ${megabytes(mem.fanOutPeakRss ?? 0)}, heap ${megabytes(mem.fanOutPeakHeapUsed ?? 0)}; ` +
      `peak during the whole broadcast RSS ${megabytes(mem.broadcastPeakRss ?? 0)}, heap ${megabytes(mem.broadcastPeakHeapUsed ?? 0)}; ` +
      `live heap after fan-out (after a forced GC) ${megabytes(mem.liveHeapAfterFanOut ?? NaN)}`,
  );
  const machine = main.localMachine;
  lines.push(
    `LOCAL MACHINE over ${machine.window}: event loop busy ${percent(machine.eventLoopUtilisation ?? NaN, 0)} of the time` +
      `${machine.sendersEventLoopUtilisation === undefined ? '' : ` (the senders' thread ${percent(machine.sendersEventLoopUtilisation, 0)})`}` +
      `${machine.emulatorsEventLoopUtilisation === undefined ? '' : ` (the emulators' thread ${percent(machine.emulatorsEventLoopUtilisation, 0)})`}` +
      `${machine.sandboxEdgeEventLoopUtilisation === undefined ? '' : ` (the sandbox's edge ${percent(machine.sandboxEdgeEventLoopUtilisation, 0)})`}` +
      `${machine.cores === undefined ? '' : `, the loops together ${fixed(loopsBusyInCores(machine), 2)} of ${machine.cores} cores`}, ${fixed(machine.cpuCoresBusy ?? NaN, 2)} CPU cores busy, ` +
      `${machine.hostStealShare === undefined ? 'host steal time unknown' : `${fixed(100 * machine.hostStealShare, 1)}% of CPU time stolen by the host`}; ` +
      `${machine.lateTimerShare === undefined ? '' : `timers ran too late for a send ${percent(machine.lateTimerShare)} of the time; `}` +
      `${fixed(machine.sdkRequestsPerSecond ?? NaN, 0)} SDK requests/s over the broadcast. The functions run on one JavaScript thread, the sending functions on a second, dynalite and the SQS emulator on a third, the sandbox's edge on a fourth: ` +
      `only any event loop busy ≥ ${SATURATED_EVENT_LOOP * 100}% of the time, the loops together as busy as ${SATURATED_EVENT_LOOP * 100}% of the machine's cores (or steal ≥ ${HIGH_STEAL * 100}%), or timers late often enough to cost the missing slots, makes this machine the limit. Rate verdict: ${main.rateVerdict}.`,
  );
  lines.push('');
  lines.push(...timelineLines(main.timeline));
  if (urgent) {
    lines.push('');
    lines.push(`URGENT UNDER BULK: urgent broadcast to ${URGENT_TOPIC.id} created while a normal broadcast to ${topics.join(' + ')} was sending`);
    const urgentCounts = urgent.urgentCounts as BroadcastView['counts'];
    const urgentProvider = urgent.urgentProvider as ProviderAnswers;
    const bulkProvider = urgent.bulkProviderDuringUrgent as ProviderAnswers;
    lines.push(
      table(
        ['measure', 'value'],
        [
          ['outcome', String(urgent.outcome)],
          ['urgent targeted / sent / never sent nor skipped', `${urgentCounts.targeted} / ${urgentCounts.sent} / ${String(urgent.urgentNeverSent)}`],
          ['urgent time to first send', seconds(urgent.firstSendSeconds as number | undefined)],
          ['urgent time to last send', `${seconds(urgent.lastSendSeconds as number | undefined)} (at the provider rate alone: ${seconds(urgent.idealSeconds as number | undefined)})`],
          ['urgent provider answers: accepted / 429', `${urgentProvider.accepted} / ${urgentProvider.throttled}`],
          ['normal-priority provider answers meanwhile: accepted / 429', `${bulkProvider.accepted} / ${bulkProvider.throttled}`],
          ['bulk broadcast sent before the urgent one', String(urgent.bulkSentBeforeUrgent)],
          ['normal-priority messages sent while the urgent one was sending', String(urgent.bulkSentWhileUrgentSending)],
          ['urgent duplicate recipients', String(urgent.urgentDuplicateRecipients)],
        ],
      ),
    );
  }
  const memoryRuns = results.memoryCheck as Record<string, number | string | undefined>[] | undefined;
  if (memoryRuns) {
    lines.push('');
    lines.push(
      'MEMORY FLATNESS (fan-out of one broadcast, whole process; compare heap growth during fan-out: the in-memory table grows with the residents, and the senders run meanwhile)',
    );
    lines.push(
      table(
        ['residents', 'fan-out s', 'baseline heap', 'peak heap', 'live heap after', 'live growth', 'peak RSS'],
        memoryRuns.map((run) =>
          run.error
            ? [formatNumber(Number(run.subscribers)), String(run.error), '', '', '', '', '']
            : [
                formatNumber(Number(run.subscribers)),
                fixed(Number(run.fanOutSeconds), 1),
                megabytes(Number(run.baselineHeapUsed)),
                megabytes(Number(run.peakHeapUsed)),
                megabytes(Number(run.liveHeapAfterFanOut)),
                megabytes(Number(run.liveHeapAfterFanOut) - Number(run.baselineHeapUsed)),
                megabytes(Number(run.peakRss)),
              ],
        ),
      ),
    );
  }
  lines.push('');
  lines.push('NOTES');
  for (const note of [
    ...notes,
    "One Node process runs the sandbox and every function but the senders on one thread, the senders on a second, dynalite and the SQS emulator on a third: rates and durations are this machine's, not AWS's.",
    'The bench follows progress through DynamoDB/SQS clients of its own, not counted above; the API counts are read once at the end.',
    `${stackErrors} errors were reported by the local stack's pollers (stackErrors in the JSON).`,
  ]) {
    lines.push(`- ${note}`);
  }
  return lines.join('\n');
}

/** "1: 40, 3: 12" — how many send-job records arrived on their first, third… delivery. */
function receiveCountSummary(counts: Record<string, Record<string, number>>): string {
  const merged: Record<string, number> = {};
  for (const [functionId, byCount] of Object.entries(counts)) {
    if (!functionId.startsWith('send')) continue;
    for (const [count, records] of Object.entries(byCount)) merged[count] = (merged[count] ?? 0) + records;
  }
  const entries = Object.entries(merged).sort(([a], [b]) => Number(a) - Number(b));
  return entries.length ? entries.map(([count, records]) => `${count}: ${records}`).join(', ') : 'n/a';
}


/** The AWS cost table and its assumptions, for a run's (or a sweep cell's) analysis. */
export function costLines(analysis: Analysis, latencyMs: number): string[] {
  const cost = analysis.cost;
  const perMillion = (value: number) => (analysis.messagesSent > 0 ? dollars((value * 1e6) / analysis.messagesSent) : 'n/a');
  return [
    `AWS COST implied by the counts, per million messages (${analysis.messagesSent.toLocaleString('en-GB')} messages sent in this run)`,
    table(
      ['item', 'price', 'this run', 'per million messages'],
      [
        ['SQS requests (empty polls aside)', `$${PRICES.sqsPerMillionRequests}/M`, dollars(cost.sqs), perMillion(cost.sqs)],
        ['DynamoDB write units', `$${PRICES.dynamoPerMillionWriteUnits}/M`, dollars(cost.dynamoWrites), perMillion(cost.dynamoWrites)],
        ['DynamoDB read units', `$${PRICES.dynamoPerMillionReadUnits}/M`, dollars(cost.dynamoReads), perMillion(cost.dynamoReads)],
        ['Lambda compute (observed ms × MB)', `$${PRICES.lambdaPerGbSecond}/GB-s (${lambdaArchitecture})`, dollars(cost.lambdaCompute), perMillion(cost.lambdaCompute)],
        ['  … or at AWS latencies (instead of the line above)', '', dollars(cost.lambdaComputeModelled), perMillion(cost.lambdaComputeModelled)],
        ['Lambda requests', `$${PRICES.lambdaPerMillionRequests}/M`, dollars(cost.lambdaRequests), perMillion(cost.lambdaRequests)],
        [
          receiptsThroughApiGateway()
            ? `API Gateway (receipt webhooks: ${formatNumber(cost.apiGatewayRequests)} requests)`
            : 'API Gateway (none: receipts come to the status function URL)',
          `$${PRICES.apiGatewayPerMillionRequests}/M`,
          dollars(cost.apiGateway),
          perMillion(cost.apiGateway),
        ],
        ['total (observed Lambda ms)', '', dollars(cost.total), perMillion(cost.total)],
        ['total (Lambda at AWS latencies)', '', dollars(cost.totalModelled), perMillion(cost.totalModelled)],
        [
          '  … at DynamoDB\'s prices before 1 November 2024',
          `$${DYNAMO_PRICES_BEFORE_NOVEMBER_2024.perMillionWriteUnits}/M, $${DYNAMO_PRICES_BEFORE_NOVEMBER_2024.perMillionReadUnits}/M`,
          dollars(cost.totalModelledAtEarlierPrices),
          perMillion(cost.totalModelledAtEarlierPrices),
        ],
      ],
    ),
    `Assumptions: free tiers ignored; on-demand DynamoDB; Lambda at the catalog's memory sizes and the durations observed here; ` +
      `provider API latency ${latencyMs} ms (each 100 ms of real provider latency adds ~${dollars(cost.per100msProviderLatencyPerMillion)} per million in sender time); ` +
      `no CloudWatch, data transfer, KMS or provider charges.`,
  ];
}

/** Rows printed before the timeline is folded into 5-second rows. */
const TIMELINE_ROWS = 60;

/** The busiest sender's timeline: a row a second, or a row per 5 s when that would be long. */
export function timelineLines(timeline: Timeline): string[] {
  const shown = timeline.rows.length > TIMELINE_ROWS ? foldTimeline(timeline, 5) : timeline;
  const per = shown.bucketSeconds === 1 ? 'a second' : `per ${shown.bucketSeconds} s`;
  return [
    `TIMELINE of the busiest sender (${timeline.channel}; schedule ${timeline.paceKeys.join(', ') || 'not seen'}), ${per}, seconds since the broadcast was created` +
      (timeline.slotsNote ? ` — slots n/a: ${timeline.slotsNote}` : ''),
    table(
      ['from s', 'slots booked', 'sends', '429s', 'sending fns (max)', 'sending fns (avg)', "senders' loop"],
      shown.rows.map((row) => [
        row.second,
        row.slotsBooked === null ? 'n/a' : fixed(row.slotsBooked, 0),
        row.sends,
        row.throttled,
        row.functionsBusy,
        fixed(row.functionsBusyAverage, 1),
        row.eventLoop === null ? 'n/a' : percent(row.eventLoop, 0),
      ]),
    ),
    'slots booked: the pacer’s successful writes on that schedule, converted at the provider rate less headroom; sends: outbox messages; ' +
      'sending fns: sendBulk/sendUrgent invocations running in the row (most at once / on average). Slots without sends: the senders did not keep up; ' +
      'neither, with few functions busy: the lane was narrow; senders\' loop (the event loop their timers wait on) near 100%: the machine.',
  ];
}
