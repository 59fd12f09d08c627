import { z } from 'zod';
import {
  dailyMessageCapSetting,
  operatorApprovalAboveSetting,
  quietHoursSetting,
  timeZoneSetting,
} from '../functions/deployment-settings.js';
import { consoleSessionShape, failoverEnvSchema, priceTableEnvSchema, residentTextsShape, sendBatchEnvShape } from '../shared/config/env.js';
import { DEFAULT_HOST } from './listen-address.js';
import { apiKeyShape } from '../shared/platform/api-key-shape.js';
import { retentionEnvShape } from '../shared/retention/periods.js';

/** The local stack's environment (docs/contract.md), validated before anything starts. */
export const localEnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  /**
   * The address to listen on. This machine only by default: the local stack serves an
   * unauthenticated /sandbox and checks webhooks with well-known dev secrets.
   */
  HOST: z.union([z.ipv4(), z.ipv6(), z.hostname()], { error: 'must be an IP address or a host name, e.g. 127.0.0.1 or 0.0.0.0' }).default(DEFAULT_HOST),
  PUBLIC_BASE_URL: z.url().optional(),
  DATA_DIR: z.string().min(1).default('.data'),
  // Of an API key's shape, or the gateway would refuse it before looking it up.
  CRIER_BOOTSTRAP_KEY: z.string().regex(apiKeyShape, 'must be 16 to 128 letters, digits, "-" or "_"').optional(),
  /** What the local staff accounts sign in to the console with; generated once (DATA_DIR/staff-password) when unset. */
  CRIER_STAFF_PASSWORD: z.string().min(8, 'must be at least 8 characters').max(128).optional(),
  TWILIO_AUTH_TOKEN: z.string().min(1).default('crier-local-dev-token'),
  TWILIO_ACCOUNT_SID: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'must look like AC followed by 32 hex digits').optional(),
  TWILIO_SMS_FROM: z.string().min(1).optional(),
  TWILIO_WHATSAPP_FROM: z.string().min(1).optional(),
  WHATSAPP_VERIFY_TOKEN: z.string().min(1).default('crier-local-verify-token'),
  WHATSAPP_APP_SECRET: z.string().min(1).default('crier-local-app-secret'),
  SERVICE_NAME: residentTextsShape.SERVICE_NAME,
  SERVICE_CONTACT: residentTextsShape.SERVICE_CONTACT,
  /** Checked as the functions check them; unset, they are not handed on, and the functions take their defaults. */
  FLOOD_LIMIT: residentTextsShape.FLOOD_LIMIT.unwrap().optional(),
  RECIPIENTS_PER_SEND_MESSAGE: sendBatchEnvShape.RECIPIENTS_PER_SEND_MESSAGE.unwrap().optional(),
  SESSION_IDLE_MINUTES: consoleSessionShape.SESSION_IDLE_MINUTES.unwrap().optional(),
  SESSION_MAX_HOURS: consoleSessionShape.SESSION_MAX_HOURS.unwrap().optional(),
  /** The same checks and defaults as a deployed stack's CDK context (infra/constructs/deployment-settings.ts). */
  QUIET_HOURS: quietHoursSetting,
  TIME_ZONE: timeZoneSetting,
  DAILY_MESSAGE_CAP: dailyMessageCapSetting,
  OPERATOR_APPROVAL_ABOVE: operatorApprovalAboveSetting,
  SANDBOX_MPS: z.coerce.number().positive().optional(),
  SANDBOX_FAILURE_RATE: z.coerce.number().min(0).max(1).default(0),
  /** `on`: both channels send through `sandbox`, failing over to a second sandbox, `sandbox-b`. */
  SANDBOX_FAILOVER: z.enum(['on', 'off']).default('off'),
  SANDBOX_B_FAILURE_RATE: z.coerce.number().min(0).max(1).default(0),
  ...failoverEnvSchema.shape,
  /** The retention schedule, days per class, as a deployment's (shared/retention/periods.ts). */
  ...retentionEnvShape,
  /** The price table costs are estimated with, as JSON; unset, the built-in estimates. */
  ...priceTableEnvSchema.shape,
  /** Delivery receipts from the sandbox after this many ms; `off` for none. */
  SANDBOX_RECEIPT_DELAY_MS: z
    .union([z.literal('off'), z.coerce.number().int().min(0)])
    .default(500),
});
export type LocalEnv = z.infer<typeof localEnvSchema>;
