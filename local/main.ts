import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { ConfigurationError, LocalStackStartError } from '../shared/domain/errors.js';
import { localEnvSchema } from './environment.js';
import { listensBeyondThisMachine, urlHost } from './listen-address.js';
import { OUTBOX_KEPT_DAYS, OUTBOX_KEPT_MESSAGES } from './sandbox-outbox-file.js';
import { retentionPeriodsOf } from '../shared/retention/periods.js';
import { startLocalStack } from './stack.js';
import { generatedStaffPassword, LOCAL_STAFF } from './local-staff.js';

async function main(): Promise<void> {
  const parsed = localEnvSchema.safeParse(process.env);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) console.error(`crier: ${issue.path.join('.')}: ${issue.message}`);
    process.exit(2);
  }
  const env = parsed.data;
  const dataDir = resolve(env.DATA_DIR);
  mkdirSync(dataDir, { recursive: true });
  const operatorKey = env.CRIER_BOOTSTRAP_KEY ?? rememberedOperatorKey(dataDir);
  const staffPassword = env.CRIER_STAFF_PASSWORD ? { password: env.CRIER_STAFF_PASSWORD, shown: true } : rememberedStaffPassword(dataDir);

  const stack = await startLocalStack({
    port: env.PORT,
    host: env.HOST,
    publicBaseUrl: env.PUBLIC_BASE_URL,
    dataDir,
    bootstrapKey: operatorKey,
    staffPassword: staffPassword.password,
    // Rotating rewrites the file; a key given in CRIER_BOOTSTRAP_KEY is that variable's to change.
    ...(env.CRIER_BOOTSTRAP_KEY ? {} : { operatorKeyFile: join(dataDir, 'operator-key') }),
    twilio: {
      authToken: env.TWILIO_AUTH_TOKEN,
      accountSid: env.TWILIO_ACCOUNT_SID,
      smsFrom: env.TWILIO_SMS_FROM,
      whatsappFrom: env.TWILIO_WHATSAPP_FROM,
    },
    whatsapp: { verifyToken: env.WHATSAPP_VERIFY_TOKEN, appSecret: env.WHATSAPP_APP_SECRET },
    settings: {
      serviceName: env.SERVICE_NAME,
      serviceContact: env.SERVICE_CONTACT,
      quietHours: env.QUIET_HOURS,
      timeZone: env.TIME_ZONE,
      dailyMessageCap: env.DAILY_MESSAGE_CAP,
      operatorApprovalAbove: env.OPERATOR_APPROVAL_ABOVE,
      priceTable: env.PRICE_TABLE,
      failover: { errors: env.FAILOVER_ERRORS, windowSeconds: env.FAILOVER_WINDOW_SECONDS, cooldownSeconds: env.FAILOVER_COOLDOWN_SECONDS },
      retention: retentionPeriodsOf(env),
    },
    sandboxFailover: env.SANDBOX_FAILOVER === 'on',
    sandbox: {
      messagesPerSecond: env.SANDBOX_MPS,
      failureRate: env.SANDBOX_FAILURE_RATE,
      failureRateB: env.SANDBOX_B_FAILURE_RATE,
      receiptDelayMs: env.SANDBOX_RECEIPT_DELAY_MS === 'off' ? undefined : env.SANDBOX_RECEIPT_DELAY_MS,
    },
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
