import type { Command } from 'commander';
import { z } from 'zod';
import type { StaffMember } from '../admin-api.js';
import { parseArguments } from '../arguments.js';
import { contextOf } from '../context.js';
import { shortTime } from '../output.js';

const addStaffInput = z.object({
  email: z.email('must be an email address'),
  name: z.string().trim().min(1, 'must not be empty'),
  role: z.enum(['operator', 'sender', 'approver', 'viewer'], { error: 'must be operator, sender, approver or viewer' }),
  department: z.string().trim().min(1, 'must not be empty'),
  test: z.boolean().default(false),
});
const staffIdInput = z.object({ id: z.string().trim().min(1, 'must not be empty') });
const changeStaffInput = z
  .object({
    id: z.string().trim().min(1, 'must not be empty'),
    role: z.enum(['operator', 'sender', 'approver', 'viewer'], { error: 'must be operator, sender, approver or viewer' }).optional(),
    department: z.string().trim().min(1, 'must not be empty').optional(),
    live: z.boolean().optional(),
    test: z.boolean().optional(),
  })
  .refine((input) => !(input.live && input.test), { message: 'give --live or --test, not both', path: ['test'] })
  .refine((input) => input.role !== undefined || input.department !== undefined || input.live || input.test, {
    message: 'give at least one of --role, --department, --live or --test',
    path: ['role'],
  });
const pageInput = z.object({
  limit: z.coerce.number().int().min(1, 'must be at least 1').max(200, 'must be at most 200').default(50),
  cursor: z.string().min(1).optional(),
});

export function registerStaff(program: Command): void {
  const staff = program
    .command('staff')
    .description('staff records: who may do what once signed in, by department and role (operators only)');

  staff
    .command('add')
    .description('add a member of staff; the identity provider says who they are, this says what they may do')
    .argument('<email>', 'the address their identity provider knows them by')
    .requiredOption('--name <name>', 'their name as colleagues know it')
    .requiredOption('--role <role>', 'operator, sender, approver or viewer')
    .requiredOption('--department <department>', 'the department whose work they do')
    .option('--test', 'a test member of staff: test data only, as test keys')
    .action(async (email: string, options: Record<string, unknown>, command: Command) => {
      const context = contextOf(command);
      const input = parseArguments(addStaffInput, { ...options, email });
      const { data, raw } = await context.admin().addStaff({
        email: input.email,
        name: input.name,
        role: input.role,
        department: input.department,
        mode: input.test ? 'test' : 'live',
      });
      if (context.output.json) return context.output.raw(raw);
      context.output.line(`added ${data.email} as ${data.mode} ${data.role} in department ${data.department} (id ${data.id})`);
    });

  staff
    .command('list')
    .description('list staff in the order they were added, removed ones included')
    .option('--limit <n>', 'staff per page (1–200)', '50')
    .option('--cursor <cursor>', 'the cursor printed after the previous page')
    .action(async (options: Record<string, unknown>, command: Command) => {
      const context = contextOf(command);
      const page = parseArguments(pageInput, options);
      const { data, raw } = await context.admin().listStaff(page);
      if (context.output.json) return context.output.raw(raw);
      context.output.table<StaffMember>(
        data.staff,
        [
          { heading: 'ID', value: (member) => member.id },
          { heading: 'EMAIL', value: (member) => member.email },
          { heading: 'NAME', value: (member) => member.name },
          { heading: 'ROLE', value: (member) => member.role },
          { heading: 'DEPARTMENT', value: (member) => member.department },
          { heading: 'MODE', value: (member) => member.mode },
          { heading: 'STATUS', value: (member) => (member.removedAt ? `removed ${shortTime(member.removedAt)}` : 'current') },
        ],
        'no staff yet; add someone with: crier staff add <email> --name <name> --role sender --department <department>',
      );
      if (data.cursor) context.output.line(`more: crier staff list --cursor ${data.cursor}`);
    });

  staff
    .command('change')
    .description('change a member of staff in place (role, department, live or test); they keep their sign-in')
    .argument('<id>', 'staff id (from crier staff list)')
    .option('--role <role>', 'operator, sender, approver or viewer')
    .option('--department <department>', 'the department whose work they do (* for every department)')
    .option('--live', 'live: real residents and broadcasts')
    .option('--test', 'test: test data only, as test keys')
    .action(async (id: string, options: Record<string, unknown>, command: Command) => {
      const context = contextOf(command);
      const input = parseArguments(changeStaffInput, { ...options, id });
      const mode = input.test ? 'test' : input.live ? 'live' : undefined;
      const { data, raw } = await context.admin().changeStaff(input.id, {
        ...(input.role ? { role: input.role } : {}),
        ...(input.department ? { department: input.department } : {}),
        ...(mode ? { mode } : {}),
      });
      if (context.output.json) return context.output.raw(raw);
      context.output.line(`${data.email} is now a ${data.mode} ${data.role} in department ${data.department} (id ${data.id})`);
    });

  staff
    .command('remove')
    .description('remove a member of staff: they lose access at once; their record stays for the audit log')
    .argument('<id>', 'staff id (from crier staff list)')
    .action(async (id: string, _options: unknown, command: Command) => {
      const context = contextOf(command);
      const input = parseArguments(staffIdInput, { id });
      const { raw } = await context.admin().removeStaff(input.id);
      if (context.output.json) return context.output.raw(raw ?? { removed: input.id });
      context.output.line(`removed member of staff ${input.id}`);
    });
}
