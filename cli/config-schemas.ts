import { z } from 'zod';

/** A base URL of crier, kept without a trailing slash so paths can be appended as they are. */
export const baseUrlSchema = z
  .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL, e.g. http://localhost:3000' })
  .transform((url) => url.replace(/\/+$/, ''));

export const apiKeySchema = z.string().trim().min(1, 'must not be empty');

/** What `crier configure` saves. Unknown fields are ignored, so a newer CLI's file still reads. */
export const configFileSchema = z.object({
  url: baseUrlSchema.optional(),
  key: apiKeySchema.optional(),
});
export type ConfigFile = z.infer<typeof configFileSchema>;

/** An empty variable (`CRIER_URL=`) means unset, as shells make that easy to do by accident. */
const optionalVariable = <S extends z.ZodType>(schema: S) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

/** The environment the CLI reads; nothing else in process.env is looked at. */
export const cliEnvSchema = z.object({
  CRIER_URL: optionalVariable(baseUrlSchema),
  CRIER_API_KEY: optionalVariable(apiKeySchema),
  XDG_CONFIG_HOME: optionalVariable(z.string()),
  // Where `npm start` keeps its data, and so the local operator key (docs/contract.md).
  DATA_DIR: optionalVariable(z.string()).transform((dir) => dir ?? '.data'),
  TWILIO_AUTH_TOKEN: optionalVariable(z.string()),
  TWILIO_ACCOUNT_SID: optionalVariable(z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'must look like AC followed by 32 hex digits')),
  PUBLIC_BASE_URL: optionalVariable(baseUrlSchema),
  // The gateway's own numbers, which residents text; used as the To of a simulated text.
  TWILIO_SMS_FROM: optionalVariable(z.string()),
  TWILIO_WHATSAPP_FROM: optionalVariable(z.string()),
});
export type CliEnv = z.infer<typeof cliEnvSchema>;

export const DEFAULT_BASE_URL = 'http://localhost:3000';
