import type { Command } from 'commander';
import { z } from 'zod';
import { parseArguments } from '../arguments.js';
import { showDepartmentLimits } from '../broadcast-views.js';
import { contextOf } from '../context.js';

const departmentInput = z.object({ department: z.string().trim().min(1, 'must not be empty') });

/** A limit as typed: a whole number (0: no limit), or `default` for the deployment's own (sent as null). */
export const limitValue = z
  .string()
  .trim()
  .transform((text, ctx): number | null => {
    if (text.toLowerCase() === 'default') return null;
    if (!/^\d+$/.test(text)) {
      ctx.addIssue({ code: 'custom', message: `"${text}" must be a whole number (0 for no limit) or "default"` });
      return z.NEVER;
    }
    return Number(text);
  });

const setLimitsInput = departmentInput
  .extend({ dailyCap: limitValue.optional(), operatorApprovalAbove: limitValue.optional() })
  .refine((input) => input.dailyCap !== undefined || input.operatorApprovalAbove !== undefined, {
    message: 'name a limit to set: --daily-cap, --operator-approval-above or both',
    path: ['input'],
  });

export function registerDepartments(program: Command): void {
  const departments = program.command('departments').description("a department's sending limits");

  departments
    .command('limits')
    .description("a department's daily message cap and operator-approval threshold, and what today has used")
    .argument('<department>', 'department name, e.g. roads')
    .action(async (department: string, _options: unknown, command: Command) => {
      const context = contextOf(command);
      const input = parseArguments(departmentInput, { department });
      const { data, raw } = await context.admin().getDepartmentLimits(input.department);
      if (context.output.json) return context.output.raw(raw);
      showDepartmentLimits(context.output, data);
    });

  departments
    .command('set-limits')
    .description("set a department's limits (operators only); \"default\" goes back to the deployment's default")
    .argument('<department>', 'department name, e.g. roads')
    .option('--daily-cap <n|default>', 'messages a day across its broadcasts (0: no cap)')
    .option('--operator-approval-above <n|default>', 'audience above which an operator must approve (0: never)')
    .action(async (department: string, options: Record<string, unknown>, command: Command) => {
      const context = contextOf(command);
      const input = parseArguments(setLimitsInput, { department, ...options });
      const { data, raw } = await context.admin().setDepartmentLimits(input.department, {
        ...(input.dailyCap !== undefined && { dailyMessageCap: input.dailyCap }),
        ...(input.operatorApprovalAbove !== undefined && { operatorApprovalAbove: input.operatorApprovalAbove }),
      });
      if (context.output.json) return context.output.raw(raw);
      context.output.line(`limits of department ${data.department} set`);
      showDepartmentLimits(context.output, data);
    });
}
