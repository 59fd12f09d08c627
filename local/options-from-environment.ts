import { resolve } from 'node:path';
import type { LocalEnv } from './environment.js';
import { retentionPeriodsOf } from '../shared/retention/periods.js';
import type { LocalStackOptions } from './local-stack-options.js';

/**
 * What `npm start`'s environment (checked by localEnvSchema) makes of the local stack: every
 * option the environment decides. main.ts adds what is kept in DATA_DIR when the environment
 * does not give it (the operator key, the staff password) and where the log goes.
 */
export function localStackOptionsOf(env: LocalEnv) {
  return {
    port: env.PORT,
    host: env.HOST,
    publicBaseUrl: env.PUBLIC_BASE_URL,
    dataDir: resolve(env.DATA_DIR),
    // Unset, main.ts uses (or makes) the ones kept in DATA_DIR.
    bootstrapKey: env.CRIER_BOOTSTRAP_KEY,
    staffPassword: env.CRIER_STAFF_PASSWORD,
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
      ...(env.FLOOD_LIMIT === undefined ? {} : { floodLimit: env.FLOOD_LIMIT }),
      ...(env.RECIPIENTS_PER_SEND_MESSAGE === undefined ? {} : { recipientsPerSendMessage: env.RECIPIENTS_PER_SEND_MESSAGE }),
      ...(env.SESSION_IDLE_MINUTES === undefined ? {} : { sessionIdleMinutes: env.SESSION_IDLE_MINUTES }),
      ...(env.SESSION_MAX_HOURS === undefined ? {} : { sessionMaxHours: env.SESSION_MAX_HOURS }),
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
  } satisfies LocalStackOptions;
}
