import type { Command } from 'commander';
import { z } from 'zod';
import { parseArguments } from '../arguments.js';
import { contextOf } from '../context.js';
import { oneLine, shortTime, truncate, type Output } from '../output.js';
import type { SandboxMessage } from '../sandbox-api.js';

const outboxInput = z.object({ to: z.string().trim().min(1, 'must not be empty').optional() });

export function registerOutbox(program: Command): void {
  const outbox = program
    .command('outbox')
    .description("the local stack's sandbox outbox: what would have been sent, oldest first")
    .option('--to <phone>', 'only messages to this number (E.164, as stored)')
    .action(async (options: Record<string, unknown>, command: Command) => {
      const context = contextOf(command);
      const input = parseArguments(outboxInput, options);
      const { data, raw } = await context.sandbox().messages(input.to);
      if (context.output.json) return context.output.raw(raw);
      showMessages(context.output, data, input.to ? `no messages to ${input.to}` : 'the outbox is empty');
    });

  outbox
    .command('clear')
    .description('empty the sandbox outbox')
    .action(async (_options: unknown, command: Command) => {
      const context = contextOf(command);
      await context.sandbox().clear();
      if (context.output.json) return context.output.raw({ cleared: true });
      context.output.line('outbox emptied');
    });
}

function showMessages(output: Output, messages: SandboxMessage[], whenEmpty: string): void {
  output.table(
    messages,
    [
      { heading: 'TIME', value: (message) => shortTime(message.createdAt) },
      { heading: 'TO', value: (message) => message.to },
      { heading: 'CHANNEL', value: (message) => message.channel },
      { heading: 'STATUS', value: (message) => message.status },
      { heading: 'BODY', value: (message) => truncate(oneLine(message.body), 80) },
    ],
    whenEmpty,
  );
}
