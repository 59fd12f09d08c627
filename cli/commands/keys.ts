import type { Command } from 'commander';
import { z } from 'zod';
import type { ApiKey, AuditEntry } from '../admin-api.js';
import { parseArguments } from '../arguments.js';
import { contextOf } from '../context.js';
import { shortTime, truncate } from '../output.js';

const createKeyInput = z.object({
  name: z.string().trim().min(1, 'must not be empty'),
  role: z.enum(['operator', 'sender', 'approver', 'viewer'], { error: 'must be operator, sender, approver or viewer' }),
  department: z.string().trim().min(1, 'must not be empty'),
  test: z.boolean().default(false),
});
const keyIdInput = z.object({ id: z.string().trim().min(1, 'must not be empty') });
const pageInput = z.object({
  limit: z.coerce.number().int().min(1, 'must be at least 1').max(200, 'must be at most 200').default(50),
  cursor: z.string().min(1).optional(),
});

// The API judges the values (days, actions): this only refuses what is plainly nothing.
const auditInput = pageInput.extend({
  from: z.string().trim().min(1, 'must not be empty').optional(),
  to: z.string().trim().min(1, 'must not be empty').optional(),
  actor: z.string().trim().min(1, 'must not be empty').optional(),
  action: z.string().trim().min(1, 'must not be empty').optional(),
  department: z.string().trim().min(1, 'must not be empty').optional(),
});

export function registerKeys(program: Command): void {
  const keys = program.command('keys').description('API keys per department and role (operators only)');

  keys
    .command('create')
    .description('create an API key; its secret is printed once and never again')
    .requiredOption('--name <name>', 'who or what uses it, e.g. "Roads team laptop"')
    .requiredOption('--role <role>', 'operator, sender, approver or viewer')
    .requiredOption('--department <department>', 'the department whose topics it reaches (* for an operator)')
    .option('--test', "a test key: its broadcasts only ever reach the sandbox provider")
    .action(async (options: Record<string, unknown>, command: Command) => {
      const context = contextOf(command);
      const input = parseArguments(createKeyInput, options);
      const { data, raw } = await context.admin().createKey({
        name: input.name,
        role: input.role,
        department: input.department,
        mode: input.test ? 'test' : 'live',
      });
      if (context.output.json) return context.output.raw(raw);
      context.output.line(`created ${data.mode} key ${data.id} (${data.role}, department ${data.department})`);
      context.output.line();
      context.output.line(`  ${data.key}`);
      context.output.line();
      context.output.line('warning: this is the only time the key is shown; crier keeps only its hash. Store it now.');
    });

  keys
    .command('list')
    .description('list API keys (never their secrets)')
    .option('--limit <n>', 'keys per page (1–200)', '50')
    .option('--cursor <cursor>', 'the cursor printed after the previous page')
    .action(async (options: Record<string, unknown>, command: Command) => {
      const context = contextOf(command);
      const page = parseArguments(pageInput, options);
      const { data, raw } = await context.admin().listKeys(page);
      if (context.output.json) return context.output.raw(raw);
      context.output.table<ApiKey>(
        data.keys,
        [
          { heading: 'ID', value: (key) => key.id },
          { heading: 'NAME', value: (key) => key.name },
          { heading: 'ROLE', value: (key) => key.role },
          { heading: 'DEPARTMENT', value: (key) => key.department },
          { heading: 'MODE', value: (key) => key.mode },
          { heading: 'CREATED', value: (key) => shortTime(key.createdAt) },
          { heading: 'STATUS', value: (key) => (key.revoked ? `revoked ${key.revokedAt ? shortTime(key.revokedAt) : ''}`.trim() : 'active') },
        ],
        'no keys yet; create one with: crier keys create --name <name> --role sender --department <department>',
      );
      if (data.cursor) context.output.line(`more: crier keys list --cursor ${data.cursor}`);
    });

  keys
    .command('revoke')
    .description('revoke an API key: it stops working at once')
    .argument('<id>', 'key id (from crier keys list)')
    .action(async (id: string, _options: unknown, command: Command) => {
      const context = contextOf(command);
      const input = parseArguments(keyIdInput, { id });
      const { data, raw } = await context.admin().revokeKey(input.id);
      if (context.output.json) return context.output.raw(raw);
      context.output.line(`revoked key ${data.id} (${data.name})`);
    });

  keys
    .command('rotate-bootstrap')
    .description('replace the bootstrap operator key with a new one, printed once: the old one stops working within a minute')
    .action(async (_options: unknown, command: Command) => {
      const context = contextOf(command);
      const { data, raw } = await context.admin().rotateBootstrapKey();
      if (context.output.json) return context.output.raw(raw);
      context.output.line(`bootstrap operator key rotated at ${data.rotatedAt}; the new key (shown this once):`);
      context.output.line(data.key);
    });
}

export function registerAudit(program: Command): void {
  program
    .command('audit')
    .description('the audit log of admin actions, newest first (operators only)')
    .option('--from <when>', 'from this day (YYYY-MM-DD) or ISO time, inclusive (default: 30 days before --to)')
    .option('--to <when>', 'up to this day or ISO time, inclusive (default: now)')
    .option('--actor <id>', 'only what this key or member of staff did (their id)')
    .option('--action <action>', 'only this kind of action, e.g. inbox.assign')
    .option('--department <department>', 'only what concerns this department')
    .option('--limit <n>', 'records per page (1–200)', '50')
    .option('--cursor <cursor>', 'the cursor printed after the previous page')
    .action(async (options: Record<string, unknown>, command: Command) => {
      const context = contextOf(command);
      const page = parseArguments(auditInput, options);
      const { data, raw } = await context.admin().listAudit(page);
      if (context.output.json) return context.output.raw(raw);
      context.output.table<AuditEntry>(
        data.entries,
        [
          { heading: 'AT', value: (entry) => shortTime(entry.at) },
          { heading: 'WHO', value: (entry) => `${entry.actor.name} (${entry.actor.role})` },
          { heading: 'ACTION', value: (entry) => entry.action },
          { heading: 'TARGET', value: (entry) => `${entry.target.type} ${entry.target.id}` },
          { heading: 'CHANGE', value: (entry) => truncate(change(entry), 80) },
        ],
        'the audit log is empty',
      );
      if (data.cursor) context.output.line(`more: crier audit --cursor ${data.cursor}`);
    });
}

function change(entry: AuditEntry): string {
  const show = (value: unknown) => (value === undefined ? '-' : JSON.stringify(value));
  return entry.before === undefined ? show(entry.after) : `${show(entry.before)} → ${show(entry.after)}`;
}
