import type { Command } from 'commander';
import { z } from 'zod';
import type { InboxEntry } from '../admin-api.js';
import { parseArguments } from '../arguments.js';
import { contextOf } from '../context.js';
import { oneLine, shortTime, truncate } from '../output.js';

const inboxInput = z
  .object({
    department: z.string().trim().min(1, 'must not be empty').optional(),
    handled: z.boolean().optional(),
    unhandled: z.boolean().optional(),
    topic: z.string().trim().min(1, 'must not be empty').optional(),
    from: z.string().trim().min(1, 'must not be empty').optional(),
    limit: z.coerce.number().int().min(1, 'must be at least 1').max(200, 'must be at most 200').default(50),
    cursor: z.string().min(1).optional(),
  })
  .refine((input) => !(input.handled && input.unhandled), { path: ['handled'], message: 'give --handled or --unhandled, not both' });
const entryIdInput = z.object({ id: z.string().trim().min(1, 'must not be empty') });
// The API has the whole rule (length, placeholders): this only spares a round trip for nothing typed.
const replyInput = entryIdInput.extend({ text: z.string().trim().min(1, 'must not be empty') });

export function registerInbox(program: Command): void {
  const inbox = program
    .command('inbox')
    .description("residents' messages that were not commands, newest first (your department's, or --department)")
    .option('--department <department>', 'whose inbox (operators; default: your key\'s, or general)')
    .option('--handled', 'only messages marked handled')
    .option('--unhandled', 'only messages not yet handled')
    .option('--topic <id>', 'only messages linked to this topic')
    .option('--from <phone>', 'only messages from this number')
    .option('--limit <n>', 'messages per page (1–200)', '50')
    .option('--cursor <cursor>', 'the cursor printed after the previous page')
    .action(async (options: Record<string, unknown>, command: Command) => {
      const context = contextOf(command);
      const input = parseArguments(inboxInput, options);
      const { data, raw } = await context.admin().listInbox({
        department: input.department,
        handled: input.handled ? true : input.unhandled ? false : undefined,
        topic: input.topic,
        from: input.from,
        limit: input.limit,
        cursor: input.cursor,
      });
      if (context.output.json) return context.output.raw(raw);
      context.output.table<InboxEntry>(
        data.messages,
        [
          { heading: 'ID', value: (entry) => entry.id },
          { heading: 'RECEIVED', value: (entry) => shortTime(entry.receivedAt) },
          { heading: 'FROM', value: (entry) => entry.from },
          { heading: 'TOPIC', value: (entry) => entry.topicId ?? '-' },
          { heading: 'HANDLED', value: (entry) => (entry.handled ? `${entry.handledAt ? shortTime(entry.handledAt) : 'yes'} by ${entry.handledBy ?? '?'}` : '-') },
          { heading: 'MESSAGE', value: (entry) => truncate(oneLine(entry.body), 60) },
        ],
        'no messages',
      );
      if (data.cursor) context.output.line(`more: crier inbox --cursor ${data.cursor}`);
    });

  inbox
    .command('handle')
    .description('mark a message handled (who and when are kept; marking it again changes nothing)')
    .argument('<id>', 'message id (from crier inbox)')
    .action(async (id: string, _options: unknown, command: Command) => {
      const context = contextOf(command);
      const input = parseArguments(entryIdInput, { id });
      const { data, raw } = await context.admin().markInboxHandled(input.id);
      if (context.output.json) return context.output.raw(raw);
      context.output.line(`message ${data.id} from ${data.from} handled ${data.handledAt ? shortTime(data.handledAt) : ''} by ${data.handledBy ?? '?'}`.replace(/\s+/g, ' '));
    });

  inbox
    .command('reply')
    .description('reply to the resident who sent a message, in free text (refused when they opted out, or on WhatsApp after 24 hours)')
    .argument('<id>', 'message id (from crier inbox)')
    .argument('<text>', 'the reply, as the resident will read it')
    .action(async (id: string, text: string, _options: unknown, command: Command) => {
      const context = contextOf(command);
      const input = parseArguments(replyInput, { id, text });
      const { data, raw } = await context.admin().replyToInbox(input.id, input.text);
      if (context.output.json) return context.output.raw(raw);
      const reply = data.replies?.at(-1);
      context.output.line(`reply ${reply?.messageId ?? ''} to ${data.from} queued`.replace(/\s+/g, ' '));
    });
}
