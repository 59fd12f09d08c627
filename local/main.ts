import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { ConfigurationError, LocalStackStartError } from '../shared/domain/errors.js';
import { localEnvSchema } from './environment.js';
import { localStackOptionsOf } from './options-from-environment.js';
import { listensBeyondThisMachine, urlHost } from './listen-address.js';
import { OUTBOX_KEPT_DAYS, OUTBOX_KEPT_MESSAGES } from './sandbox-outbox-file.js';
import { startLocalStack } from './stack.js';
import { generatedStaffPassword, LOCAL_STAFF } from './local-staff.js';

async function main(): Promise<void> {
  const parsed = localEnvSchema.safeParse(process.env);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) console.error(`crier: ${issue.path.join('.')}: ${issue.message}`);
    process.exit(2);
  }
  const env = parsed.data;
  const options = localStackOptionsOf(env);
  const { dataDir } = options;
  mkdirSync(dataDir, { recursive: true });
  const operatorKey = options.bootstrapKey ?? rememberedOperatorKey(dataDir);
  const staffPassword = options.staffPassword ? { password: options.staffPassword, shown: true } : rememberedStaffPassword(dataDir);

  const stack = await startLocalStack({
    ...options,
    emulatorsInThread: true,
    sendersInThread: true,
    sandboxEdgeInThread: true,
    bootstrapKey: operatorKey,
    staffPassword: staffPassword.password,
    // Rotating rewrites the file; a key given in CRIER_BOOTSTRAP_KEY is that variable's to change.
    ...(env.CRIER_BOOTSTRAP_KEY ? {} : { operatorKeyFile: join(dataDir, 'operator-key') }),
    log: (line) => console.error(`crier: ${line}`),
  });

  const primary = env.TWILIO_ACCOUNT_SID ? 'Twilio (credentials set)' : 'sandbox (nothing leaves this machine)';
  const provider = env.SANDBOX_FAILOVER === 'on' ? `${primary}, failing over to sandbox-b` : primary;
  const { address, port } = stack.listening;
  const reach = listensBeyondThisMachine(address)
    ? 'REACHABLE FROM OTHER MACHINES: /sandbox has no authentication and the dev secrets below are public'
    : 'this machine only; set HOST to change';
  console.log(`
crier is running: the whole gateway on this machine.

  Base URL          ${stack.publicBaseUrl}
  Listening on      ${urlHost(address)}:${port}   (${reach})
  Operator API key  ${operatorKey}
  Console           ${stack.publicBaseUrl}/console/   (staff sign in there)
  Staff accounts    ${LOCAL_STAFF.map((person) => `${person.email} (${person.role})`).join(', ')}
  Staff password    ${staffPassword.shown ? staffPassword.password : `kept in ${join(env.DATA_DIR, 'staff-password')}`}
  Twilio dev token  ${env.TWILIO_AUTH_TOKEN}   (inbound webhooks are signed with this)
  Provider          ${provider}
  Data              ${dataDir}
  Sandbox outbox    ${stack.publicBaseUrl}/sandbox/messages   (kept in DATA_DIR: the last ${OUTBOX_KEPT_DAYS} days, at most ${OUTBOX_KEPT_MESSAGES.toLocaleString('en-GB')} messages)

Text it from a pretend phone (in another terminal):
  npx crier simulate text +447700900123 "JOIN TRAFFIC"

Ctrl-C stops it; your data stays in ${env.DATA_DIR}.
`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\ncrier: ${signal} received, shutting down…`);
    await stack.stop();
    console.log('crier: stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

/** A local convenience only: the generated key is kept beside the data so restarts can print it. */
function rememberedOperatorKey(dataDir: string): string {
  const file = join(dataDir, 'operator-key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const key = `crier_op_${randomBytes(24).toString('base64url')}`;
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return key;
}

/**
 * The local staff's password, as the operator key is kept: generated at the first start, kept
 * beside the data (readable by its owner only) and shown when it is made; later starts name the file.
 */
function rememberedStaffPassword(dataDir: string): { password: string; shown: boolean } {
  const file = join(dataDir, 'staff-password');
  if (existsSync(file)) return { password: readFileSync(file, 'utf8').trim(), shown: false };
  const password = generatedStaffPassword();
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return { password, shown: true };
}

main().catch((error: unknown) => {
  // Both are the operator's to fix, and their messages say how: no stack trace.
  if (error instanceof LocalStackStartError || error instanceof ConfigurationError) console.error(`crier: ${error.message}`);
  else console.error('crier: failed to start:', error);
  process.exit(1);
});
