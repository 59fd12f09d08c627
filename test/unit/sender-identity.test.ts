import { describe, expect, it } from 'vitest';
import { sendersEnvSchema } from '../../shared/config/env.js';
import { ConfigurationError } from '../../shared/domain/errors.js';
import {
  broadcastSenderOf,
  paceKeyOf,
  replySenderOf,
  senderIdentitiesOf,
  sendersSchema,
  type SenderEntryInput,
  type SenderSettings,
} from '../../shared/domain/sender-identity.js';
import type { SenderKind } from '../../shared/domain/sender-kinds.js';
import { parseEnvironment } from '../../shared/runtime/environment.js';

const MG = 'MG691374afe8f64978ce82043d8104f06c';
const POOL = 'pool-0123456789abcdef0123456789abcdef';
const PHONE_ID = 'phone-0123456789abcdef0123456789abcdef';
const ARN = (resource: string) => `arn:aws:sms-voice:eu-west-2:123456789012:${resource}`;

const entry = (overrides: Partial<SenderEntryInput>): SenderEntryInput => ({ id: 'main', provider: 'twilio', channel: 'sms', from: '+447700900123', ...overrides });
const senders = (...entries: SenderEntryInput[]) => sendersSchema.parse(entries);

/** What SENDERS says of a list, as the sender function's environment check reports it. */
function sendersProblem(entries: unknown[]): string {
  try {
    parseEnvironment(sendersEnvSchema, { SENDERS: JSON.stringify(entries) });
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('SENDERS was accepted');
}

function resolutionProblem(settings: SenderSettings, served: Parameters<typeof senderIdentitiesOf>[1] = {}): ConfigurationError {
  try {
    senderIdentitiesOf(settings, served);
  } catch (error) {
    return error as ConfigurationError;
  }
  throw new Error('the identities resolved');
}

describe('a sender identity’s kind, inferred from its address', () => {
  it.each<[string, SenderEntryInput, SenderKind]>([
    ['an E.164 number on SMS', entry({ from: '+447700900123' }), 'long_code'],
    ['an E.164 number on WhatsApp', entry({ channel: 'whatsapp', from: 'whatsapp:+447700900123' }), 'whatsapp_number'],
    ['a WhatsApp Cloud phone number ID', entry({ provider: 'whatsapp-cloud', channel: 'whatsapp', from: '106540352242922' }), 'whatsapp_number'],
    ['five digits', entry({ from: '60123' }), 'short_code'],
    ['MG and 32 hex digits', entry({ from: MG }), 'messaging_service'],
    ['an AWS pool id', entry({ provider: 'aws-sms', from: POOL }), 'pool'],
    ['an AWS pool ARN', entry({ provider: 'aws-sms', from: ARN(`pool/${POOL}`) }), 'pool'],
    ['an AWS phone number id', entry({ provider: 'aws-sms', from: PHONE_ID }), 'long_code'],
    ['an AWS phone number ARN', entry({ provider: 'aws-sms', from: ARN(`phone-number/${PHONE_ID}`) }), 'long_code'],
    ['letters and a space', entry({ from: 'CARDIFF CC' }), 'alphanumeric'],
  ])('reads %s as %s', (_case, given, kind) => {
    // Prepare
    const list = [given];

    // Act
    const [parsed] = sendersSchema.parse(list);

    // Assess
    expect(parsed?.kind).toBe(kind);
  });
});

describe('SENDERS: every problem named by entry and field', () => {
  it.each<[string, SenderEntryInput, string]>([
    ['a provider that does not carry the channel', entry({ provider: 'aws-sms', channel: 'whatsapp' }), 'SENDERS[1].channel: aws-sms does not carry whatsapp'],
    ['an alphanumeric sender ID on WhatsApp', entry({ channel: 'whatsapp', from: 'CARDIFF', kind: 'alphanumeric' }), 'SENDERS[1].kind: alphanumeric is SMS only'],
    ['a pool at Twilio', entry({ from: POOL, kind: 'pool' }), 'SENDERS[1].kind: pool is for aws-sms only'],
    ['a kind its address does not fit', entry({ from: '+447700900123', kind: 'short_code' }), 'SENDERS[1].from: "+447700900123" is not a short code'],
    ['an address of no kind', entry({ from: 'CARDIFF-COUNCIL' }), 'SENDERS[1].from: "CARDIFF-COUNCIL" is not a sender twilio can send SMS from'],
    ['a WhatsApp Cloud sender given as a number', entry({ provider: 'whatsapp-cloud', channel: 'whatsapp', from: '+447700900123' }), 'SENDERS[1].from: "+447700900123" is not a sender whatsapp-cloud can send WhatsApp from'],
    ['a number that is not one', entry({ from: '+4412' }), 'SENDERS[1].from: "+4412" is not a sender'],
    ['a display number that is not one', entry({ number: '07700900123' }), 'SENDERS[1].number: must be a phone number in E.164'],
    ['an id with a colon', entry({ id: 'twilio:sms' }), 'SENDERS[1].id: must be 1 to 40 lower-case letters'],
    ['a rate of nothing', entry({ mps: 0 }), 'SENDERS[1].mps:'],
    ['an empty list of departments', entry({ departments: [] }), 'SENDERS[1].departments: must name at least one department'],
    ['an id used twice', entry({ id: 'first' }), 'SENDERS[1].id: "first" is the id of an earlier identity'],
    ['a field SENDERS does not have', { ...entry({}), rate: 10 } as SenderEntryInput, 'SENDERS[1]: Unrecognized key'],
  ])('refuses %s', (_case, bad, message) => {
    // Prepare
    const list = [entry({ id: 'first' }), { ...bad, id: bad.id === 'main' ? 'second' : bad.id }];

    // Act
    const problem = sendersProblem(list);

    // Assess
    expect(problem).toContain(message);
  });

  it('refuses SENDERS that is not JSON, saying what it should look like', () => {
    // Prepare
    const env = { SENDERS: '[{id: main}]' };

    // Act
    const attempt = () => parseEnvironment(sendersEnvSchema, env);

    // Assess
    expect(attempt).toThrow('SENDERS: must be JSON: an array of sender identities');
  });
});

describe('senderIdentitiesOf', () => {
  it('without SENDERS, derives each listed provider’s identity from its own from setting, at its documented rate', () => {
    // Prepare
    const settings = { TWILIO_SMS_FROM: '+447700900123', WHATSAPP_CLOUD_PHONE_NUMBER_ID: '106540352242922' };

    // Act
    const identities = senderIdentitiesOf(settings, { sms: ['twilio'], whatsapp: ['whatsapp-cloud'] });

    // Assess
    expect(identities.filter((identity) => !identity.provider.startsWith('sandbox'))).toEqual([
      { id: 'twilio-sms', provider: 'twilio', channel: 'sms', kind: 'long_code', address: '+447700900123', mps: 10, source: 'TWILIO_SMS_FROM' },
      { id: 'whatsapp-cloud-whatsapp', provider: 'whatsapp-cloud', channel: 'whatsapp', kind: 'whatsapp_number', address: '106540352242922', mps: 80, source: 'WHATSAPP_CLOUD_PHONE_NUMBER_ID' },
    ]);
    // The sandboxes are always there (a test key's broadcast), unmetered.
    expect(identities.find((identity) => identity.id === 'sandbox-sms')).toMatchObject({ address: '+447700900000', mps: undefined });
  });

  it('lets SENDERS replace a provider’s own from setting for that channel, and derives the rest', () => {
    // Prepare
    const settings = { TWILIO_SMS_FROM: '+447700900123', TWILIO_WHATSAPP_FROM: 'whatsapp:+447700900124', SENDERS: senders(entry({ from: '60123' })) };

    // Act
    const identities = senderIdentitiesOf(settings, { sms: ['twilio'], whatsapp: ['twilio'] });

    // Assess
    const twilio = identities.filter((identity) => identity.provider === 'twilio');
    expect(twilio.map(({ id, address, kind, mps }) => ({ id, address, kind, mps }))).toEqual([
      { id: 'main', address: '60123', kind: 'short_code', mps: 100 },
      { id: 'twilio-whatsapp', address: '+447700900124', kind: 'whatsapp_number', mps: 10 },
    ]);
  });

  it('takes the most specific rate: SEND_RATES by id, then the identity’s own, then SEND_RATES by provider and channel', () => {
    // Prepare
    const settings = {
      SENDERS: senders(entry({ id: 'by-id', mps: 5 }), entry({ id: 'own', from: '+447700900124', mps: 7 }), entry({ id: 'by-pair', from: '+447700900125' })),
      SEND_RATES: { 'by-id': 30, 'twilio:sms': 20 },
    };

    // Act
    const identities = senderIdentitiesOf(settings, { sms: ['twilio'] });

    // Assess
    expect(Object.fromEntries(identities.filter((i) => i.provider === 'twilio').map((i) => [i.id, i.mps]))).toEqual({ 'by-id': 30, own: 7, 'by-pair': 20 });
  });

  it.each<[string, SenderSettings, Parameters<typeof senderIdentitiesOf>[1], string]>([
    ['a listed provider without an identity for its channel', {}, { sms: ['aws-sms'] }, 'aws-sms carries sms but has no identity to send from: list one in SENDERS or set AWS_SMS_ORIGINATION_IDENTITY'],
    ['a provider’s own setting that is no sender', { TWILIO_SMS_FROM: 'CARDIFF-COUNCIL' }, { sms: ['twilio'] }, 'TWILIO_SMS_FROM: "CARDIFF-COUNCIL" is not a sender'],
    ['identities that all belong to departments', { SENDERS: senders(entry({ departments: ['youth'] })) }, { sms: ['twilio'] }, 'every twilio:sms identity names departments'],
    ['an alphanumeric sender ID with no number to text STOP to', { SENDERS: senders(entry({ from: 'CARDIFF' })) }, { sms: ['twilio'] }, 'SENDERS[0]: "CARDIFF" is an alphanumeric sender ID'],
    ['a SEND_RATES key naming no identity', { SEND_RATES: { youth: 10 } }, {}, 'SEND_RATES: "youth" is not the id of any sender identity'],
    ['an id a derived identity already has', { SENDERS: senders(entry({ id: 'sandbox-sms' })) }, {}, 'SENDERS[0].id: "sandbox-sms" is also the id of the sandbox provider'],
  ])('refuses %s, naming the setting', (_case, settings, served, message) => {
    // Prepare: the settings above.

    // Act
    const error = resolutionProblem(settings, served);

    // Assess
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.message).toContain(message);
  });

  it('gives an alphanumeric sender ID the number to text STOP to: its provider’s default two-way number, as dialled', () => {
    // Prepare
    const settings = {
      SENDERS: senders(
        entry({ id: 'alerts', from: 'CARDIFF' }),
        entry({ id: 'youth', from: '+447700900200', departments: ['youth'] }),
        entry({ id: 'main', from: '+447700900123' }),
      ),
    };

    // Act
    const identities = senderIdentitiesOf(settings, { sms: ['twilio'] });

    // Assess
    expect(identities.find((identity) => identity.id === 'alerts')?.stopTo).toBe('07700 900123');
    expect(identities.find((identity) => identity.id === 'main')?.stopTo).toBeUndefined();
  });
});

describe('which identity sends what', () => {
  const identities = senderIdentitiesOf(
    {
      SENDERS: senders(
        entry({ id: 'main', from: '+447700900123' }),
        entry({ id: 'youth', from: '+447700900200', departments: ['youth', 'leisure'] }),
        entry({ id: 'alerts', from: 'CARDIFF', departments: ['traffic'] }),
      ),
    },
    { sms: ['twilio'] },
  );

  it.each([
    [['youth'], 'youth'],
    [['comms', 'leisure'], 'youth'],
    [['traffic'], 'alerts'],
    [['comms'], 'main'],
  ])('sends a broadcast of %o from %s', (departments, id) => {
    // Prepare: the identities above.

    // Act
    const chosen = broadcastSenderOf(identities, 'twilio', 'sms', departments);

    // Assess
    expect(chosen.id).toBe(id);
  });

  it.each([
    ['the number the resident wrote to', '+447700900200', 'youth'],
    ['the default two-way number when the resident wrote to another provider’s', '+447700900999', 'main'],
    ['the default two-way number for a job that does not say', undefined, 'main'],
  ])('sends a reply from %s', (_case, wroteTo, id) => {
    // Prepare: the identities above.

    // Act
    const chosen = replySenderOf(identities, 'twilio', 'sms', wroteTo);

    // Assess
    expect(chosen.id).toBe(id);
  });

  it('refuses to pick for a provider with no identity on the channel, naming what to set', () => {
    // Prepare: the identities above have no AWS SMS one.

    // Act
    const attempt = () => broadcastSenderOf(identities, 'aws-sms', 'sms', ['comms']);

    // Assess
    expect(attempt).toThrow('aws-sms has no sms sender identity: list one in SENDERS or set AWS_SMS_ORIGINATION_IDENTITY');
  });

  it('paces each identity on a schedule of its own, readable in the table', () => {
    // Prepare
    const [main, youth] = identities;

    // Act
    const keys = [paceKeyOf(main!), paceKeyOf(youth!)];

    // Assess
    expect(keys).toEqual(['twilio:sms:main', 'twilio:sms:youth']);
  });
});
