import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { z } from 'zod';
import { registerBroadcasts } from './commands/broadcasts.js';
import { registerConfigure } from './commands/configure.js';
import { registerDeadLetters } from './commands/dead-letters.js';
import { registerDepartments } from './commands/departments.js';
import { registerInbox } from './commands/inbox.js';
import { registerAudit, registerKeys } from './commands/keys.js';
import { registerStaff } from './commands/staff.js';
import { registerOutbox } from './commands/outbox.js';
import { registerProviders } from './commands/providers.js';
import { registerSimulate } from './commands/simulate.js';
import { registerSubscribers } from './commands/subscribers.js';
import { registerTemplates } from './commands/templates.js';
import { registerTopics } from './commands/topics.js';
import { registerUsage } from './commands/usage.js';

const packageJson = z.object({ version: z.string() });

/** The whole command tree. Settings that subcommands inherit are set before any is added. */
export function buildProgram(): Command {
  const program = new Command('crier')
    .description('the command-line client of crier, the WhatsApp/SMS gateway (talks to its HTTP API)')
    .version(packageJson.parse(JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))).version)
    .option('--url <url>', 'crier base URL (env CRIER_URL, then crier configure, then http://localhost:3000)')
    .option('--key <key>', 'API key (env CRIER_API_KEY, then crier configure, then the local stack key)')
    .option('--json', 'print the raw JSON responses')
    // Errors come back to main as exceptions, so exit codes are decided in one place.
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .addHelpText(
      'after',
      `
Try it against the local stack (npm start in another terminal):
  crier topics create traffic --name "Traffic alerts" --keyword TRAFFIC
  crier simulate text +447700900123 "JOIN TRAFFIC"
  crier broadcasts send --topic traffic --body "A470 closed northbound" --urgent
  crier outbox`,
    );

  registerConfigure(program);
  registerTopics(program);
  registerSubscribers(program);
  registerBroadcasts(program);
  registerDepartments(program);
  registerUsage(program);
  registerInbox(program);
  registerTemplates(program);
  registerOutbox(program);
  registerSimulate(program);
  registerKeys(program);
  registerStaff(program);
  registerAudit(program);
  registerDeadLetters(program);
  registerProviders(program);
  return program;
}
