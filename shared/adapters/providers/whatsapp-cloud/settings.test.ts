import { describe, expect, it } from 'vitest';
import type { ProviderEnv } from '../../../config/env.js';
import { ConfigurationError } from '../../../domain/errors.js';
import { whatsappAppSecret, whatsappVerifyToken } from './settings.js';

const settings = (overrides: Partial<ProviderEnv>) => async (): Promise<ProviderEnv> => ({
  SMS_PROVIDER: 'sandbox',
  WHATSAPP_PROVIDER: 'sandbox',
  ...overrides,
});

describe('WhatsApp webhook settings', () => {
  it('reads the verify token and the app secret from the provider settings', async () => {
    // Prepare
    const source = settings({ WHATSAPP_VERIFY_TOKEN: 'token', WHATSAPP_APP_SECRET: 'secret' });

    // Act
    const values = [await whatsappVerifyToken(source), await whatsappAppSecret(source)];

    // Assess
    expect(values).toEqual(['token', 'secret']);
  });

  it.each([
    ['WHATSAPP_VERIFY_TOKEN', whatsappVerifyToken],
    ['WHATSAPP_APP_SECRET', whatsappAppSecret],
  ] as const)('names %s when it is not set, without which nothing can be verified', async (name, read) => {
    // Prepare
    const source = settings({});

    // Act
    const error = await read(source).catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toContain(name);
  });
});
