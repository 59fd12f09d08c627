import { describe, expect, it } from 'vitest';
import { providerEnvSchema } from '../../shared/config/env.js';
import { formatProviderList, isWeighted, providerListOf, type ListedProvider } from '../../shared/domain/provider-list.js';

describe('SMS_PROVIDERS / WHATSAPP_PROVIDERS: provider lists, ordered or weighted', () => {
  it.each<[string, Record<string, string>, 'sms' | 'whatsapp', ListedProvider[]]>([
    ['no list: the one provider', { SMS_PROVIDER: 'twilio' }, 'sms', [{ name: 'twilio' }]],
    ['an order', { SMS_PROVIDERS: 'twilio,aws-sms' }, 'sms', [{ name: 'twilio' }, { name: 'aws-sms' }]],
    ['weights', { SMS_PROVIDERS: 'twilio:80,aws-sms:20' }, 'sms', [{ name: 'twilio', weight: 80 }, { name: 'aws-sms', weight: 20 }]],
    ['weights with spaces', { SMS_PROVIDERS: ' twilio : 80 , aws-sms:20 ' }, 'sms', [{ name: 'twilio', weight: 80 }, { name: 'aws-sms', weight: 20 }]],
    ['the lowest and highest weights', { WHATSAPP_PROVIDERS: 'whatsapp-cloud:1,twilio:100' }, 'whatsapp', [{ name: 'whatsapp-cloud', weight: 1 }, { name: 'twilio', weight: 100 }]],
    ['one weighted provider', { WHATSAPP_PROVIDERS: 'sandbox:100' }, 'whatsapp', [{ name: 'sandbox', weight: 100 }]],
  ])('reads %s', (_case, input, channel, expected) => {
    // Act
    const list = providerListOf(providerEnvSchema.parse(input), channel);

    // Assess
    expect(list).toEqual(expected);
  });

  it.each([
    ['a weight of 0', 'SMS_PROVIDERS', 'twilio:80,aws-sms:0', 'weight of aws-sms must be a whole number from 1 to 100'],
    ['a weight over 100', 'SMS_PROVIDERS', 'twilio:101,aws-sms:20', 'weight of twilio must be a whole number from 1 to 100'],
    ['a fractional weight', 'SMS_PROVIDERS', 'twilio:80,aws-sms:20.5', 'weight of aws-sms must be a whole number from 1 to 100'],
    ['a weight that is not a number', 'SMS_PROVIDERS', 'twilio:lots,aws-sms:20', 'weight of twilio must be a whole number from 1 to 100'],
    ['an empty weight', 'SMS_PROVIDERS', 'twilio:,aws-sms:20', 'weight of twilio must be a whole number from 1 to 100'],
    ['a negative weight', 'SMS_PROVIDERS', 'twilio:-5,aws-sms:20', 'weight of twilio must be a whole number from 1 to 100'],
    ['weights on some providers only', 'SMS_PROVIDERS', 'twilio:80,aws-sms', 'give every provider a weight or none: aws-sms has none'],
    ['a provider twice', 'SMS_PROVIDERS', 'twilio:50,twilio:50', 'must not name a provider twice: twilio is listed twice'],
    ['a provider twice, unweighted', 'WHATSAPP_PROVIDERS', 'twilio,twilio', 'must not name a provider twice: twilio is listed twice'],
    ['an unknown provider', 'SMS_PROVIDERS', 'twillio,aws-sms', 'unknown provider "twillio"; SMS providers are: sandbox, sandbox-b, twilio, aws-sms'],
    ['a WhatsApp-only provider for SMS', 'SMS_PROVIDERS', 'twilio:50,whatsapp-cloud:50', 'whatsapp-cloud cannot carry SMS; SMS providers are: sandbox, sandbox-b, twilio, aws-sms'],
    ['an SMS-only provider for WhatsApp', 'WHATSAPP_PROVIDERS', 'whatsapp-cloud,aws-sms', 'aws-sms cannot carry WhatsApp; WhatsApp providers are: sandbox, sandbox-b, twilio, whatsapp-cloud'],
    ['no provider at all', 'SMS_PROVIDERS', ' , ', 'must name at least one of: sandbox, sandbox-b, twilio, aws-sms'],
  ])('refuses %s, naming the setting and the problem', (_case, name, value, message) => {
    // Act
    const result = providerEnvSchema.safeParse({ [name]: value });

    // Assess
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => ({ path: issue.path, message: issue.message }))).toEqual([{ path: [name], message }]);
  });

  it('names every problem of a list at once', () => {
    // Act
    const result = providerEnvSchema.safeParse({ SMS_PROVIDERS: 'twilio:0,whatsapp-cloud:10,aws-sms:200' });

    // Assess
    expect(result.error?.issues.map((issue) => issue.message)).toEqual([
      'weight of twilio must be a whole number from 1 to 100',
      'whatsapp-cloud cannot carry SMS; SMS providers are: sandbox, sandbox-b, twilio, aws-sms',
      'weight of aws-sms must be a whole number from 1 to 100',
    ]);
  });

  it.each<[ListedProvider[], boolean, string]>([
    [[{ name: 'twilio', weight: 80 }, { name: 'aws-sms', weight: 20 }], true, 'twilio:80,aws-sms:20'],
    [[{ name: 'twilio' }, { name: 'aws-sms' }], false, 'twilio,aws-sms'],
  ])('writes %o back as the setting it was read from (weighted: %s)', (list, weighted, text) => {
    // Act
    const written = formatProviderList(list);

    // Assess
    expect(isWeighted(list)).toBe(weighted);
    expect(written).toBe(text);
    expect(providerEnvSchema.parse({ SMS_PROVIDERS: written }).SMS_PROVIDERS).toEqual(list);
  });
});
