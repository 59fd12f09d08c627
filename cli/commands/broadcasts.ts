import type { Command } from 'commander';
import { z } from 'zod';
import type { Broadcast } from '../admin-api.js';
import { parseArguments } from '../arguments.js';
import { contextOf } from '../context.js';
import { shortTime, type Output } from '../output.js';
import { describeStatus } from '../progress-bar.js';
import { watchBroadcast } from '../watch-broadcast.js';

const sendInput = z.object({
  topic: z.array(z.string().trim().min(1, 'must not be empty')).min(1, 'name at least one topic'),
  // Refused here as well as by the API: an empty broadcast is never what anyone meant.
  body: z.string().trim().min(1, 'must not be empty'),
  urgent: z.boolean().default(false),
});
const broadcastIdInput = z.object({ id: z.string().trim().min(1, 'must not be empty') });
const statusInput = broadcastIdInput.extend({ watch: z.boolean().default(false) });

export function registerBroadcasts(program: Command): void {
  const broadcasts = program.command('broadcasts').description('messages to every subscriber of one or more topics');

  broadcasts
    .command('send')
    .description('create a broadcast; it goes out at once unless a topic requires approval')
    .requiredOption('--topic <id...>', 'the topics to send to')
    .requiredOption('--body <text>', 'the message')
    .option('--urgent', 'send on the urgent lane, ahead of bulk messages (traffic, safety)')
    .action(async (options: Record<string, unknown>, command: Command) => {
      const context = contextOf(command);
      const input = parseArguments(sendInput, options);
      const { data, raw } = await context.admin().createBroadcast({
        topics: input.topic,
        body: input.body,
        priority: input.urgent ? 'urgent' : 'normal',
      });
      if (context.output.json) return context.output.raw(raw);
      context.output.line(`broadcast ${data.id}: ${describeStatus(data)}`);
      if (data.status === 'pending_approval') context.output.line(`a second person approves it with: crier broadcasts approve ${data.id}`);
      context.output.line(`follow it with: crier broadcasts status ${data.id} --watch`);
    });

  broadcasts
    .command('status')
    .description("show a broadcast's status and counts")
    .argument('<id>', 'broadcast id')
    .option('--watch', 'follow it with a live progress bar until it is sent or cancelled')
    .action(async (id: string, options: Record<string, unknown>, command: Command) => {
      const context = contextOf(command);
      const input = parseArguments(statusInput, { id, ...options });
      const api = context.admin();
      const { data, raw } = input.watch ? await watchBroadcast(api, input.id, context.output) : await api.getBroadcast(input.id);
      if (context.output.json) return context.output.raw(raw);
      if (input.watch) context.output.line(`broadcast ${data.id}: ${describeStatus(data)}`);
      else showBroadcast(context.output, data);
    });

  broadcasts
    .command('approve')
    .description('approve a broadcast waiting for a second person; it goes out at once')
    .argument('<id>', 'broadcast id')
    .action(async (id: string, _options: unknown, command: Command) => {
      const context = contextOf(command);
      const input = parseArguments(broadcastIdInput, { id });
      const { data, raw } = await context.admin().approveBroadcast(input.id);
      if (context.output.json) return context.output.raw(raw);
      context.output.line(`broadcast ${data.id}: ${describeStatus(data)}${data.approvedBy ? ` (approved by ${data.approvedBy})` : ''}`);
    });

  broadcasts
    .command('cancel')
    .description('cancel a broadcast; recipients not yet sent to are skipped')
    .argument('<id>', 'broadcast id')
    .action(async (id: string, _options: unknown, command: Command) => {
      const context = contextOf(command);
      const input = parseArguments(broadcastIdInput, { id });
      const { data, raw } = await context.admin().cancelBroadcast(input.id);
      if (context.output.json) return context.output.raw(raw);
      context.output.line(`broadcast ${data.id}: ${describeStatus(data)}`);
    });
}

function showBroadcast(output: Output, broadcast: Broadcast): void {
  output.fields([
    ['id', broadcast.id],
    ['status', describeStatus(broadcast)],
    ['topics', broadcast.topics.join(', ')],
    ['priority', broadcast.priority],
    ['created', `${shortTime(broadcast.createdAt)} by ${broadcast.createdBy}`],
    ['approved by', broadcast.approvedBy ?? '-'],
    ['body', broadcast.body],
    ['counts', describeCounts(broadcast.counts)],
  ]);
}

function describeCounts(counts: Broadcast['counts']): string {
  return Object.entries(counts)
    .map(([name, count]) => `${name} ${count}`)
    .join(' · ');
}
