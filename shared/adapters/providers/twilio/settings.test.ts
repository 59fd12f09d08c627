import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../../domain/errors.js';
import { providerEnvSchema } from '../../../config/env.js';
import { parseTwilioSettings, twilioAuthToken, twilioSettingsFromEnv, twilioSettingsSchema } from './settings.js';
import { captureError } from '../../../../test/support/thrown.js';

const ACCOUNT_SID = 'ACcb7e119ce41544f52a83fbc6603a8e53';
const SECRET_TOKEN = 'secret-token-never-logged';

describe('twilioSettingsSchema', () => {
  it.each([
    { smsFrom: '+447700100000' },
    { whatsappFrom: 'whatsapp:+447700100001' },
    { messagingServiceSid: 'MG691374afe8f64978ce82043d8104f06c' },
  ])('accepts credentials with one sender identity: %o', (sender) => {
    // Prepare
    const input = { accountSid: ACCOUNT_SID, authToken: SECRET_TOKEN, ...sender };

    // Act
    const result = twilioSettingsSchema.safeParse(input);

    // Assess
    expect(result.success).toBe(true);
  });

  it('accepts credentials without a sender, which SENDERS then names (checked with the identities)', () => {
    // Prepare
    const input = { accountSid: ACCOUNT_SID, authToken: SECRET_TOKEN };

    // Act
    const result = twilioSettingsSchema.safeParse(input);

    // Assess
    expect(result.success).toBe(true);
  });

  it.each([
    ['accountSid', { accountSid: 'SK0123456789abcdef0123456789abcdef' }],
    ['accountSid', { accountSid: 'AC123' }],
    ['authToken', { authToken: '' }],
    ['messagingServiceSid', { messagingServiceSid: 'MG-nope' }],
    ['apiBaseUrl', { apiBaseUrl: 'not a url' }],
  ])('names %s when it is malformed', (field, override) => {
    // Prepare
    const input = { accountSid: ACCOUNT_SID, authToken: SECRET_TOKEN, smsFrom: '+447700100000', ...override };

    // Act
    const result = twilioSettingsSchema.safeParse(input);

    // Assess
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toEqual([field]);
  });
});

describe('parseTwilioSettings', () => {
  it('throws a ConfigurationError naming the field and never the token', () => {
    // Prepare
    const input = { accountSid: 'AC123', authToken: SECRET_TOKEN, smsFrom: '+447700100000' };

    // Act
    const error = captureError(() => parseTwilioSettings(input));

    // Assess
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(String(error)).toContain('accountSid');
    expect(String(error)).not.toContain(SECRET_TOKEN);
  });
});

describe('twilioSettingsFromEnv', () => {
  it('reads the TWILIO_* variables', () => {
    // Prepare
    const env = {
      SMS_PROVIDER: 'twilio' as const,
      WHATSAPP_PROVIDER: 'twilio' as const,
      TWILIO_ACCOUNT_SID: ACCOUNT_SID,
      TWILIO_AUTH_TOKEN: SECRET_TOKEN,
      TWILIO_SMS_FROM: '+447700100000',
      TWILIO_WHATSAPP_FROM: 'whatsapp:+447700100001',
      TWILIO_API_BASE_URL: 'http://127.0.0.1:4010',
    };

    // Act
    const settings = twilioSettingsFromEnv(env);

    // Assess
    expect(settings).toEqual({
      accountSid: ACCOUNT_SID,
      authToken: SECRET_TOKEN,
      smsFrom: '+447700100000',
      whatsappFrom: 'whatsapp:+447700100001',
      apiBaseUrl: 'http://127.0.0.1:4010',
    });
  });
});

describe('twilioAuthToken', () => {
  it('gives the token from the settings', async () => {
    // Prepare
    const source = async () => providerEnvSchema.parse({ TWILIO_AUTH_TOKEN: 'token-from-env' });

    // Act
    const token = await twilioAuthToken(source);

    // Assess
    expect(token).toBe('token-from-env');
  });

  it('refuses to verify webhooks without a token', async () => {
    // Prepare
    const source = async () => providerEnvSchema.parse({ TWILIO_ACCOUNT_SID: ACCOUNT_SID, TWILIO_SMS_FROM: '+447700900000' });

    // Act
    const attempt = twilioAuthToken(source);

    // Assess
    await expect(attempt).rejects.toThrow(new ConfigurationError('TWILIO_AUTH_TOKEN is not set, so Twilio webhooks cannot be verified'));
  });
});
