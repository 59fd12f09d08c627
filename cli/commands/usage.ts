import type { Command } from 'commander';
import { z } from 'zod';
import type { UsageRowView } from '../admin-api.js';
import { parseArguments } from '../arguments.js';
import { contextOf } from '../context.js';

const dayInput = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a day, YYYY-MM-DD');
const usageInput = z.object({
  department: z.string().trim().min(1, 'must not be empty').optional(),
  from: dayInput.optional(),
  to: dayInput.optional(),
  by: z.enum(['day', 'month'], { error: 'must be day or month' }).default('day'),
  csv: z.boolean().default(false),
});

/** `crier usage`: what each department sent and spent, per day or month, as GOV.UK Notify's usage page. */
export function registerUsage(program: Command): void {
  program
    .command('usage')
    .description("messages sent and their estimated cost per department, per day or month (operators: every department; others: their own)")
    .option('--department <department>', 'one department')
    .option('--from <day>', 'first day, YYYY-MM-DD (by day: 30 days ago; by month: a year of months)')
    .option('--to <day>', 'last day, YYYY-MM-DD (today)')
    .option('--by <period>', 'day or month', 'day')
    .option('--csv', 'as CSV, for a spreadsheet: crier usage --by month --csv > usage.csv')
    .action(async (options: Record<string, unknown>, command: Command) => {
      const context = contextOf(command);
      const { csv, ...query } = parseArguments(usageInput, options);
      if (csv) return context.output.write(await context.admin().usageCsv(query));
      const { data, raw } = await context.admin().usage(query);
      if (context.output.json) return context.output.raw(raw);
      context.output.line(`usage by ${data.by}, ${data.from} to ${data.to} (estimated costs)`);
      context.output.table<UsageRowView>(
        data.rows,
        [
          { heading: 'DEPARTMENT', value: (row) => row.department },
          { heading: data.by === 'day' ? 'DAY' : 'MONTH', value: (row) => row.period },
          { heading: 'SENT', value: (row) => String(row.sent) },
          { heading: 'CAPPED', value: (row) => String(row.countedAgainstCap) },
          { heading: 'COST', value: (row) => `${row.cost.estimated.toFixed(2)} ${row.cost.currency}` },
          { heading: 'REPLIES', value: (row) => `${row.replies.estimated.toFixed(2)} ${row.replies.currency}` },
        ],
        `nothing sent by ${data.departments.join(', ')} between ${data.from} and ${data.to}`,
      );
    });
}
