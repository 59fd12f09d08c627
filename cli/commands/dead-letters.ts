import type { Command } from 'commander';
import { z } from 'zod';
import type { AdminApi, DeadLetterQueue, RedriveResult } from '../admin-api.js';
import { parseArguments } from '../arguments.js';
import { contextOf } from '../context.js';
import { shortTime, type Output } from '../output.js';
import { shardsDescribed } from '../../shared/broadcasts/fan-out-tasks.js';

const wholeNumber = (min: number, max: number) =>
  z.coerce.number({ error: 'must be a whole number' }).int('must be a whole number').min(min, `must be at least ${min}`).max(max, `must be at most ${max}`);

const listInput = z.object({ peek: wholeNumber(0, 50).default(10) });
// The queue is the API's to judge (it knows the deployment's queues); the CLI only needs one.
const redriveInput = z.object({ queue: z.string().trim().min(1, 'must not be empty'), limit: wholeNumber(1, 100_000).optional() });

export function registerDeadLetters(program: Command): void {
  const deadLetters = program
    .command('dead-letters')
    .description("the jobs each queue gave up on (its dead-letter queue): show them, and send them back to be tried again (operators only)");

  deadLetters
    .command('list')
    .description("each queue's dead letters: how many, and what the first few were (no phone numbers or message texts)")
    .option('--peek <n>', 'messages to show per queue (0–50); they stay where they are', '10')
    .action(async (options: Record<string, unknown>, command: Command) => {
      const context = contextOf(command);
      const input = parseArguments(listInput, options);
      const { data, raw } = await context.admin().listDeadLetters(input.peek);
      if (context.output.json) return context.output.raw(raw);
      showDeadLetters(context.output, data.queues);
    });

  deadLetters
    .command('redrive')
    .description("move a queue's dead letters back onto it, to be tried again")
    .argument('<queue>', 'fanOut, sendUrgent, sendBulk or awsSmsNotifications (as crier dead-letters list shows them)')
    .option('--limit <n>', 'move at most this many (default: all of them)')
    .action(async (queue: string, options: Record<string, unknown>, command: Command) => {
      const context = contextOf(command);
      const input = parseArguments(redriveInput, { queue, ...options });
      const result = await redriveAll(context.admin(), input.queue, input.limit);
      if (context.output.json) return context.output.raw(result);
      context.output.line(describeRedrive(result));
    });
}

/**
 * One request moves for up to 20 s; when that was not enough it says `timeBudget`, and the CLI
 * asks again for the rest, so an operator's one command moves everything (or the limit).
 */
export async function redriveAll(api: Pick<AdminApi, 'redriveDeadLetters'>, queue: string, limit: number | undefined): Promise<RedriveResult> {
  let moved = 0;
  for (;;) {
    const { data } = await api.redriveDeadLetters(queue, limit === undefined ? undefined : limit - moved);
    moved += data.moved;
    if (data.stoppedBecause !== 'timeBudget' || data.moved === 0) return { ...data, moved };
  }
}

export function describeRedrive(result: RedriveResult): string {
  const what = `moved ${plural(result.moved, 'dead letter')} back onto ${result.queue}`;
  const left = result.approximateRemaining === 0 ? 'none left' : `about ${result.approximateRemaining} left`;
  const why = result.stoppedBecause === 'limit' ? ' (the limit)' : '';
  return `${what}${why}; ${left}`;
}

function showDeadLetters(output: Output, queues: DeadLetterQueue[]): void {
  if (queues.every((queue) => queue.approximateCount === 0)) {
    output.line('no dead letters in any queue');
    return;
  }
  for (const queue of queues) {
    output.line(`${queue.queue}: ${queue.approximateCount === 0 ? 'none' : plural(queue.approximateCount, 'dead letter')}`);
    if (queue.peeked.length === 0) continue;
    output.table(
      queue.peeked,
      [
        { heading: '  MESSAGE', value: (letter) => `  ${letter.messageId}` },
        { heading: 'SENT', value: (letter) => (letter.sentAt ? shortTime(letter.sentAt) : '-') },
        { heading: 'RECEIVES', value: (letter) => String(letter.receiveCount) },
        { heading: 'JOB', value: (letter) => describeJob(letter.job) },
      ],
      '',
    );
    const unseen = queue.approximateCount - queue.peeked.length;
    if (unseen > 0) output.line(`  …and about ${unseen} more (--peek 50 shows up to 50)`);
  }
  output.line();
  output.line('to try them again: crier dead-letters redrive <queue> [--limit n]');
}

function describeJob(job: DeadLetterQueue['peeked'][number]['job']): string {
  switch (job.kind) {
    case 'fanOutTask':
      return `fan-out of broadcast ${job.broadcastId}, topic ${job.topicId}, ${shardsDescribed(job)}`;
    case 'broadcastSend':
      return [
        `broadcast ${job.broadcastId} to ${plural(job.recipients, 'recipient')}`,
        job.topicId ? ` of ${job.topicId}` : '',
        job.attempt ? `, attempt ${job.attempt}` : '',
      ].join('');
    case 'reply':
      return `reply ${job.messageId} (${job.purpose}, ${job.channel})`;
    case 'awsSmsNotification':
      return `AWS SMS ${job.notification === 'residentText' ? "resident's text" : job.notification === 'deliveryEvent' ? `event ${job.eventType}` : 'notification'} (SNS ${job.snsMessageId})`;
    case 'unreadable':
      return `unreadable: ${job.problem}`;
  }
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
