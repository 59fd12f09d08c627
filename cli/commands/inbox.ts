import type { Command } from 'commander';
import { z } from 'zod';
import { templateIdSchema } from '../../shared/templates/template.js';
import type { InboxEntry, InboxFilterInput } from '../admin-api.js';
import { parseArguments } from '../arguments.js';
import { contextOf, type CommandContext } from '../context.js';
import { oneLine, shortTime, truncate } from '../output.js';

const filterInput = z
  .object({
    department: z.string().trim().min(1, 'must not be empty').optional(),
    handled: z.boolean().optional(),
    unhandled: z.boolean().optional(),
    topic: z.string().trim().min(1, 'must not be empty').optional(),
    from: z.string().trim().min(1, 'must not be empty').optional(),
    broadcast: z.string().trim().min(1, 'must not be empty').optional(),
    assignedTo: z.string().trim().min(1, 'must not be empty').optional(),
    receivedFrom: z.string().trim().min(1, 'must not be empty').optional(),
    receivedTo: z.string().trim().min(1, 'must not be empty').optional(),
  })
  .refine((input) => !(input.handled && input.unhandled), { path: ['handled'], message: 'give --handled or --unhandled, not both' });
const inboxInput = filterInput.and(
  z.object({
    limit: z.coerce.number().int().min(1, 'must be at least 1').max(200, 'must be at most 200').default(50),
    cursor: z.string().min(1).optional(),
  }),
);
const entryIdInput = z.object({ id: z.string().trim().min(1, 'must not be empty') });
const entryIdsInput = z.object({ ids: z.array(z.string().trim().min(1, 'must not be empty')).min(1, 'name at least one message') });
// The API has the whole rule (length, placeholders): this only spares a round trip for nothing typed.
const replyInput = entryIdInput.extend({ text: z.string().trim().min(1, 'must not be empty') });
/** A reply is the person's own words or a saved template of the message's department: one of them. */
const replyWithInput = entryIdInput
  .extend({ text: z.string().trim().min(1, 'must not be empty').optional(), template: templateIdSchema.optional() })
  .refine((input) => (input.text === undefined) !== (input.template === undefined), { path: ['text'], message: 'give the reply text or --template <id>, one of them' });
const assignInput = entryIdInput
  .extend({ staffId: z.string().trim().min(1, 'must not be empty').optional(), nobody: z.boolean().optional() })
  .refine((input) => (input.staffId !== undefined) !== (input.nobody === true), { path: ['staffId'], message: 'give a staff id or --nobody, one of them' });

/** The filter options every listing and the export take. */
function withFilters(command: Command): Command {
  return command
    .option('--department <department>', "whose inbox (operators; default: your key's, or general)")
    .option('--handled', 'only messages marked handled')
    .option('--unhandled', 'only messages not yet handled')
    .option('--topic <id>', 'only messages linked to this topic')
    .option('--from <phone>', 'only messages from this number')
    .option('--broadcast <id>', 'only messages answering this broadcast')
    .option('--assigned-to <staff id>', 'only messages assigned to this member of staff (me: you)')
    .option('--received-from <day>', "only messages received on or after this day (YYYY-MM-DD, the deployment's time zone)")
    .option('--received-to <day>', 'only messages received on or before this day');
}

function filterOf(input: z.output<typeof filterInput>): InboxFilterInput {
  const { handled, unhandled, ...rest } = input;
  return { ...rest, handled: handled ? true : unhandled ? false : undefined };
}

async function list(options: Record<string, unknown>, command: Command): Promise<void> {
  const context = contextOf(command);
  const input = parseArguments(inboxInput, options);
  const { data, raw } = await context.admin().listInbox({ ...filterOf(input), limit: input.limit, cursor: input.cursor });
  if (context.output.json) return context.output.raw(raw);
  context.output.table<InboxEntry>(
    data.messages,
    [
      { heading: 'ID', value: (entry) => entry.id },
      { heading: 'RECEIVED', value: (entry) => shortTime(entry.receivedAt) },
      { heading: 'FROM', value: (entry) => entry.from },
      { heading: 'TOPIC', value: (entry) => entry.topicId ?? '-' },
      { heading: 'ANSWERING', value: (entry) => entry.broadcastId ?? '-' },
      { heading: 'ASSIGNED', value: (entry) => entry.assignedTo ?? '-' },
      { heading: 'HANDLED', value: (entry) => (entry.handled ? `${entry.handledAt ? shortTime(entry.handledAt) : 'yes'} by ${entry.handledBy ?? '?'}` : '-') },
      { heading: 'MESSAGE', value: (entry) => truncate(oneLine(entry.body), 60) },
    ],
    'no messages',
  );
  if (data.cursor) context.output.line(`more: crier inbox --cursor ${data.cursor}`);
}

function printEntry(context: CommandContext, verb: string, entry: InboxEntry): void {
  context.output.line(`message ${entry.id} from ${entry.from} ${verb}`);
}

export function registerInbox(program: Command): void {
  const inbox = withFilters(program.command('inbox'))
    .description("residents' messages that were not commands, newest first (your department's, or --department); numbers masked unless your key may read residents")
    .option('--limit <n>', 'messages per page (1–200)', '50')
    .option('--cursor <cursor>', 'the cursor printed after the previous page')
    .action(list);

  withFilters(inbox.command('list'))
    .description('the same as crier inbox: the messages, newest first, filtered')
    .option('--limit <n>', 'messages per page (1–200)', '50')
    .option('--cursor <cursor>', 'the cursor printed after the previous page')
    .action(list);

  inbox
    .command('show')
    .description("a resident's conversation with your department: their texts, the replies and staff's notes, oldest first")
    .argument('<id>', 'message id (from crier inbox)')
    .action(async (id: string, _options: unknown, command: Command) => {
      const context = contextOf(command);
      const input = parseArguments(entryIdInput, { id });
      const { data, raw } = await context.admin().inboxConversation(input.id);
      if (context.output.json) return context.output.raw(raw);
      context.output.line(`conversation with ${data.number} (${data.entry.channel}, ${data.entry.department})`);
      context.output.line(`answering: ${data.entry.broadcastId ?? '-'}   assigned to: ${data.entry.assignedTo ?? '-'}   ${data.entry.handled ? 'handled' : 'not handled'}`);
      for (const line of data.lines) {
        const who = line.kind === 'resident' ? 'resident' : line.kind === 'reply' ? `reply by ${line.by ?? '?'}` : `note by ${line.by ?? '?'} (not sent)`;
        context.output.line(`${shortTime(line.at)}  ${who}: ${oneLine(line.body)}`);
      }
      if (data.refusal) context.output.line(`no reply can be sent now: ${data.refusal}`);
    });

  inbox
    .command('assign')
    .description('assign a message to a member of staff of its department (or --nobody)')
    .argument('<id>', 'message id (from crier inbox)')
    .argument('[staff-id]', 'the staff id (from crier staff list)')
    .option('--nobody', 'assign it to nobody')
    .action(async (id: string, staffId: string | undefined, options: Record<string, unknown>, command: Command) => {
      const context = contextOf(command);
      const input = parseArguments(assignInput, { id, staffId, ...options });
      const { data, raw } = await context.admin().assignInbox(input.id, input.staffId ?? null);
      if (context.output.json) return context.output.raw(raw);
      printEntry(context, `assigned to ${data.assignedTo ?? 'nobody'}`, data);
    });

  inbox
    .command('note')
    .description('leave a note for colleagues on a message (never sent to the resident)')
    .argument('<id>', 'message id (from crier inbox)')
    .argument('<text>', 'the note')
    .action(async (id: string, text: string, _options: unknown, command: Command) => {
      const context = contextOf(command);
      const input = parseArguments(replyInput, { id, text });
      const { data, raw } = await context.admin().noteOnInbox(input.id, input.text);
      if (context.output.json) return context.output.raw(raw);
      printEntry(context, `noted (${data.notes?.length ?? 0} notes)`, data);
    });

  for (const [name, handled, description] of [
    ['handled', true, 'mark one or several messages handled (all are checked first: one refused changes none)'],
    ['reopen', false, 'open one or several handled messages again'],
  ] as const) {
    inbox
      .command(name)
      .description(description)
      .argument('<ids...>', 'message ids (from crier inbox)')
      .action(async (ids: string[], _options: unknown, command: Command) => {
        const context = contextOf(command);
        const input = parseArguments(entryIdsInput, { ids });
        const { data, raw } = await context.admin().setInboxHandled(input.ids, handled);
        if (context.output.json) return context.output.raw(raw);
        for (const entry of data.messages) printEntry(context, entry.handled ? 'handled' : 'open', entry);
      });
  }

  withFilters(inbox.command('export'))
    .description('the messages as CSV, as filtered, to stdout: crier inbox export --unhandled > inbox.csv (numbers masked unless your key may read residents)')
    .action(async (options: Record<string, unknown>, command: Command) => {
      const context = contextOf(command);
      const input = parseArguments(filterInput, options);
      const { csv, truncated } = await context.admin().exportInbox(filterOf(input));
      context.output.write(csv);
      if (truncated) process.stderr.write('warning: more messages matched than one export holds; narrow the filter (--received-from, --received-to)\n');
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
    .description('reply to the resident who sent a message, in free text or from a saved template in their language (refused when they opted out, or on WhatsApp after 24 hours unless the template has a WhatsApp template)')
    .argument('<id>', 'message id (from crier inbox)')
    .argument('[text]', 'the reply, as the resident will read it')
    .option('--template <id>', 'a saved template of the message\'s department instead of text (crier templates list)')
    .action(async (id: string, text: string | undefined, options: { template?: string }, command: Command) => {
      const context = contextOf(command);
      const input = parseArguments(replyWithInput, { id, text, template: options.template });
      const { data, raw } = await context.admin().replyToInbox(input.id, input.template === undefined ? { body: input.text! } : { templateId: input.template });
      if (context.output.json) return context.output.raw(raw);
      const reply = data.replies?.at(-1);
      context.output.line(`reply ${reply?.messageId ?? ''} to ${data.from} queued`.replace(/\s+/g, ' '));
    });
}
