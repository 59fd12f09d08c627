import type { Command } from 'commander';
import { z } from 'zod';
import { broadcastStatusSchema } from '../../shared/domain/model.js';
import type { AdminApi, Broadcast } from '../admin-api.js';
import { optionName, parseArguments } from '../arguments.js';
import { broadcastRequestOf, collect, describeTime, parseBroadcastOptions, parseSendAt } from '../broadcast-options.js';
import { describeOutcome, showBroadcast, showPreview } from '../broadcast-views.js';
import { contextOf } from '../context.js';
import { ApiError, UsageError } from '../errors.js';
import { shortTime } from '../output.js';
import { describeStatus } from '../progress-bar.js';
import { watchBroadcast } from '../watch-broadcast.js';

const broadcastIdInput = z.object({ id: z.string().trim().min(1, 'must not be empty') });
const statusInput = broadcastIdInput.extend({ watch: z.boolean().default(false) });
const reportInput = broadcastIdInput.extend({
  pageSize: z.coerce.number().int().min(1, 'must be at least 1').max(1000, 'must be at most 1000').default(1000),
});
const rejectInput = broadcastIdInput.extend({ reason: z.string().trim().min(1, 'say why, so the author can put it right') });
const listInput = z.object({
  status: broadcastStatusSchema.optional(),
  limit: z.coerce.number().int().min(1, 'must be at least 1').max(200, 'must be at most 200').default(20),
  cursor: z.string().min(1).optional(),
  all: z.boolean().default(false),
});

/** The options `send` and `preview` share: what to send, to whom, when. */
function withContentOptions(command: Command, required: boolean): Command {
  // `preview <id>` takes no content options, so there commander cannot insist on them; zod does.
  const option = (flags: string, description: string) => (required ? command.requiredOption(flags, description) : command.option(flags, description));
  option('--topic <id...>', 'the topics to send to');
  option('--body <text>', 'the message in the default language (placeholders: {{area}}, {{age_band}}, {{topic}}, {{area|fallback}})');
  return command
    .option('--urgent', 'send on the urgent lane, ahead of bulk messages, and through quiet hours (traffic, safety)')
    .option('--area <district...>', 'only residents in these postcode areas or districts, e.g. CF10 CF11 or CF')
    .option('--age-band <band...>', 'only residents in these age bands: 13-15 16-17 18-24 25+')
    .option('--language <lang...>', 'only residents reading these languages: en cy es')
    .option('--variant <lang=text>', 'the text in another language, e.g. "cy=Ciwiau ar yr A470" (repeatable)', collect)
    .option('--template <name>', 'the WhatsApp template for residents outside their 24-hour window')
    .option('--template-param <value...>', "the template's parameters {{1}}, {{2}}, … in order (placeholders allowed)")
    .option('--template-language <code>', "the template's language, e.g. cy or en_GB (default: each resident's language)")
    .option('--at <time>', 'when to start: ISO 8601 with an offset, e.g. 2025-03-01T18:00:00Z or 2025-07-01T18:00+01:00');
}

export function registerBroadcasts(program: Command): void {
  const broadcasts = program.command('broadcasts').description('messages to every subscriber of one or more topics');

  withContentOptions(
    broadcasts.command('send').description('create a broadcast: it waits for approval, is scheduled, or goes out at once (or --draft keeps it)'),
    true,
  )
    .option('--draft', 'keep it as a draft to preview and submit later')
    .action(async (options: Record<string, unknown>, command: Command) => {
      const context = contextOf(command);
      const input = parseBroadcastOptions(options);
      const request = broadcastRequestOf(input);
      const api = context.admin();
      const { data, raw } = await explainingLimits(api.createBroadcast(request));
      if (context.output.json) return context.output.raw(raw);
      if (input.at !== undefined) sayWhenUnderstood(context.output.line.bind(context.output), input.at);
      for (const line of describeOutcome(data)) context.output.line(line);
    });

  withContentOptions(
    broadcasts
      .command('preview')
      .description('show who a broadcast would reach, each language version with its SMS encoding and segments, the cost, start and limits; sends nothing')
      .argument('[id]', 'an existing draft or waiting broadcast (then give no other options)'),
    false,
  )
    .action(async (id: string | undefined, options: Record<string, unknown>, command: Command) => {
      const context = contextOf(command);
      const api = context.admin();
      let result;
      if (id !== undefined) {
        const given = Object.entries(command.opts()).filter(([, value]) => value !== undefined);
        if (given.length > 0) {
          throw new UsageError('invalid arguments', [
            { field: 'id', message: `previews the broadcast as it was made: leave out ${given.map(([name]) => `--${optionName(name)}`).join(', ')}` },
          ]);
        }
        result = await api.previewBroadcast(parseArguments(broadcastIdInput, { id }).id);
      } else {
        const input = parseBroadcastOptions(options);
        const { draft: _draft, ...request } = broadcastRequestOf(input);
        result = await api.previewBroadcastRequest(request);
        if (!context.output.json && input.at !== undefined) sayWhenUnderstood(context.output.line.bind(context.output), input.at);
      }
      if (context.output.json) return context.output.raw(result.raw);
      showPreview(context.output, result.data);
    });

  broadcasts
    .command('submit')
    .description('submit a draft: it then waits for approval, is scheduled, or goes out at once')
    .argument('<id>', 'broadcast id')
    .action(async (id: string, _options: unknown, command: Command) => {
      const context = contextOf(command);
      const input = parseArguments(broadcastIdInput, { id });
      const { data, raw } = await explainingLimits(context.admin().submitBroadcast(input.id));
      if (context.output.json) return context.output.raw(raw);
      for (const line of describeOutcome(data)) context.output.line(line);
    });

  broadcasts
    .command('status')
    .description("show a broadcast's status, approval, schedule, targeting and counts")
    .argument('<id>', 'broadcast id')
    .option('--watch', 'follow it with a live progress bar until it is sent, cancelled or rejected (a scheduled one: if it starts within 10 min)')
    .action(async (id: string, options: Record<string, unknown>, command: Command) => {
      const context = contextOf(command);
      const input = parseArguments(statusInput, { id, ...options });
      const api = context.admin();
      if (!input.watch) {
        const { data, raw } = await api.getBroadcast(input.id);
        if (context.output.json) return context.output.raw(raw);
        return showBroadcast(context.output, data);
      }
      const { data, raw, stoppedBecause } = await watchBroadcast(api, input.id, context.output);
      if (context.output.json) return context.output.raw(raw);
      context.output.line(`broadcast ${data.id}: ${describeStatus(data)}`);
      if (stoppedBecause) context.output.line(`stopped watching: ${stoppedBecause}`);
      if (data.status === 'rejected' && data.rejectionReason) context.output.line(`reason: ${data.rejectionReason}`);
    });

  broadcasts
    .command('list')
    .description('the broadcasts your key can see, newest first')
    .option('--status <status>', `only these: ${broadcastStatusSchema.options.join(', ')}`)
    .option('--limit <n>', 'broadcasts per page (1–200)', '20')
    .option('--cursor <cursor>', 'the cursor printed after the previous page')
    .option('--all', 'every page, not just the first')
    .action(async (options: Record<string, unknown>, command: Command) => {
      const context = contextOf(command);
      const input = parseArguments(listInput, options);
      const api = context.admin();
      const { items, cursor, raw } = await listPages(api, input);
      if (context.output.json) return context.output.raw(input.all ? { broadcasts: raw } : raw[0]);
      context.output.table<Broadcast>(
        items,
        [
          { heading: 'ID', value: (broadcast) => broadcast.id },
          { heading: 'STATUS', value: (broadcast) => (broadcast.status === 'pending_approval' ? 'waiting' : broadcast.status) },
          { heading: 'PRIORITY', value: (broadcast) => broadcast.priority },
          { heading: 'TOPICS', value: (broadcast) => broadcast.topics.join(',') },
          { heading: 'CREATED', value: (broadcast) => shortTime(broadcast.createdAt) },
          { heading: 'COUNTS', value: (broadcast) => shortCounts(broadcast.counts) },
        ],
        input.status ? `no ${input.status} broadcasts` : 'no broadcasts',
      );
      if (cursor) context.output.line(`more: crier broadcasts list --cursor ${cursor}${input.status ? ` --status ${input.status}` : ''} (or --all)`);
    });

  broadcasts
    .command('approve')
    .description('approve a broadcast waiting for a second person (not its author); it is then scheduled or goes out')
    .argument('<id>', 'broadcast id')
    .action(async (id: string, _options: unknown, command: Command) => {
      const context = contextOf(command);
      const input = parseArguments(broadcastIdInput, { id });
      const { data, raw } = await explainingLimits(context.admin().approveBroadcast(input.id));
      if (context.output.json) return context.output.raw(raw);
      const [first, ...rest] = describeOutcome(data);
      context.output.line(`${first}${data.approvedBy ? ` (approved by ${data.approvedBy})` : ''}`);
      for (const line of rest) context.output.line(line);
    });

  broadcasts
    .command('reject')
    .description('turn down a broadcast waiting for approval, saying why (not its author)')
    .argument('<id>', 'broadcast id')
    .requiredOption('--reason <text>', 'why, so the author can put it right')
    .action(async (id: string, options: Record<string, unknown>, command: Command) => {
      const context = contextOf(command);
      const input = parseArguments(rejectInput, { id, ...options });
      const { data, raw } = await context.admin().rejectBroadcast(input.id, input.reason);
      if (context.output.json) return context.output.raw(raw);
      context.output.line(`broadcast ${data.id}: rejected${data.rejectedBy ? ` by ${data.rejectedBy}` : ''}`);
      if (data.rejectionReason) context.output.line(`reason: ${data.rejectionReason}`);
      context.output.line('nothing was sent; the author can make a new broadcast');
    });

  broadcasts
    .command('report')
    .description(
      "a broadcast's delivery report as CSV (number, channel, status, time, reason), every page, to stdout: crier broadcasts report <id> > report.csv. Numbers are whole for operators, else masked but the last 3 digits",
    )
    .argument('<id>', 'broadcast id')
    .option('--page-size <n>', 'rows fetched per request (1–1000); the whole report is written either way', '1000')
    .action(async (id: string, options: Record<string, unknown>, command: Command) => {
      const context = contextOf(command);
      const input = parseArguments(reportInput, { id, ...options });
      const api = context.admin();
      let page = await api.deliveryReportPage(input.id, { pageSize: input.pageSize });
      context.output.write(page.csv);
      while (page.next !== undefined) {
        page = await api.deliveryReportPage(input.id, { next: page.next });
        // Every page starts with the header line; the file has it once.
        context.output.write(withoutHeaderLine(page.csv));
      }
    });

  broadcasts
    .command('cancel')
    .description('cancel a broadcast (draft, waiting, scheduled or sending); recipients not yet sent to are skipped')
    .argument('<id>', 'broadcast id')
    .action(async (id: string, _options: unknown, command: Command) => {
      const context = contextOf(command);
      const input = parseArguments(broadcastIdInput, { id });
      const { data, raw } = await context.admin().cancelBroadcast(input.id);
      if (context.output.json) return context.output.raw(raw);
      context.output.line(`broadcast ${data.id}: ${describeStatus(data)}${data.cancelledBy ? ` by ${data.cancelledBy}` : ''}`);
    });
}

/** One page, or with --all every page, following `cursor` until there is none. */
async function listPages(api: AdminApi, input: z.infer<typeof listInput>): Promise<{ items: Broadcast[]; cursor?: string; raw: unknown[] }> {
  const items: Broadcast[] = [];
  const raw: unknown[] = [];
  let cursor = input.cursor;
  do {
    const page = await api.listBroadcasts({ status: input.status, limit: input.limit, cursor });
    items.push(...page.data.broadcasts);
    raw.push(...(input.all ? (page.raw as { broadcasts: unknown[] }).broadcasts : [page.raw]));
    cursor = page.data.cursor;
  } while (input.all && cursor);
  return { items, ...(cursor && { cursor }), raw };
}

/** What `--at` was read as, before anything else is said: a wrong guess is caught here. */
function sayWhenUnderstood(line: (text: string) => void, at: string): void {
  const parsed = parseSendAt(at);
  if (!parsed.ok) return;
  const past = parsed.at.getTime() <= Date.now();
  line(`--at ${at} read as ${describeTime(parsed.at)}${past ? ' — already past: it starts as soon as it is released' : ''}`);
}

/**
 * A 429 is a department's daily cap: the API's message says by how much; this adds where to
 * look and who can change it.
 */
async function explainingLimits<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof ApiError && error.status === 429) {
      error.details.push({
        field: 'limits',
        message: 'over the daily message cap: nothing was sent. See crier departments limits <department>; an operator can change it with crier departments set-limits',
      });
    }
    throw error;
  }
}

/** The counts that matter in a table row: targeted, sent, failed and skipped (the rest is in `status`). */
function shortCounts(counts: Broadcast['counts']): string {
  return `targeted ${counts.targeted} · sent ${counts.sent} · failed ${counts.failed} · skipped ${counts.skipped}`;
}

/** A CSV page without its first line (the header every page of a report carries). */
export function withoutHeaderLine(csv: string): string {
  const end = csv.indexOf('\n');
  return end === -1 ? '' : csv.slice(end + 1);
}
