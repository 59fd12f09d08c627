import { describe, expect, it } from 'vitest';
import { providerEnvSchema } from '../../config/env.js';
import { webhookRegistry } from './webhook-registry.js';

/** What a webhook function has: verification settings only, none of the sending credentials. */
const verificationOnly = async () =>
  providerEnvSchema.parse({ TWILIO_AUTH_TOKEN: 'token', WHATSAPP_APP_SECRET: 'secret', WHATSAPP_VERIFY_TOKEN: 'verify' });

describe('webhookRegistry', () => {
  it.each([
    ['twilio', 'twilio'],
    ['whatsapp-cloud', 'whatsapp-cloud'],
    ['aws-sms', 'aws-sms'],
    // The sandbox's receipts are Twilio's forms, signed like Twilio's: read as Twilio's.
    ['sandbox', 'twilio'],
  ] as const)('builds the %s webhooks without any sending credential', (name, source) => {
    // Prepare
    const build = webhookRegistry[name];

    // Act
    const webhooks = build({ settings: verificationOnly, defaultCountry: 'GB', awsSmsTopicArns: ['arn:aws:sns:eu-west-2:123456789012:t'] });

    // Assess
    expect(webhooks.source).toBe(source);
  });
});
