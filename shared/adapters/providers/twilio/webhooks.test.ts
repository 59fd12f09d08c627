import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import inboundSmsJoin from '../../../../events/twilio/inbound-sms-join.json';
import inboundStopAdvancedOptOut from '../../../../events/twilio/inbound-stop-advanced-opt-out.json';
import inboundWhatsapp from '../../../../events/twilio/inbound-whatsapp.json';
import statusDelivered from '../../../../events/twilio/status-delivered.json';
import statusUndelivered from '../../../../events/twilio/status-undelivered.json';
import statusWhatsappRead from '../../../../events/twilio/status-whatsapp-read.json';
import type { InboundText, StatusReport } from '../../../domain/inbound.js';
import type { WebhookBatch } from '../../../ports/provider-webhooks.js';
import { parseTwilioInbound, parseTwilioStatus, signTwilioRequest, verifyTwilioSignature } from './webhooks.js';
import { validationError } from '../../../../test/support/thrown.js';

const AUTH_TOKEN = 'c0ffee00c0ffee00c0ffee00c0ffee00';
const INBOUND_URL = 'https://crier.example.gov.uk/webhooks/twilio/inbound';

/** Fixtures are shared module objects: every test works on its own deep copy. */
const fixtures = {
  inboundSmsJoin,
  inboundStopAdvancedOptOut,
  inboundWhatsapp,
  statusDelivered,
  statusUndelivered,
  statusWhatsappRead,
};
function fixture(name: keyof typeof fixtures): Record<string, string> {
  return structuredClone(fixtures[name]);
}

describe('verifyTwilioSignature', () => {
  it('accepts a request signed with our token over this URL and these params', () => {
    // Prepare
    const params = fixture('inboundSmsJoin');
    const signature = signTwilioRequest(AUTH_TOKEN, INBOUND_URL, params);

    // Act
    const valid = verifyTwilioSignature({ authToken: AUTH_TOKEN, signature, url: INBOUND_URL, params });

    // Assess
    expect(valid).toBe(true);
  });

  it('accepts a signature computed the way Twilio documents it (HMAC-SHA1 of URL + sorted name/value pairs)', () => {
    // Prepare
    const params = fixture('inboundWhatsapp');
    const data = Object.keys(params)
      .sort()
      .reduce((acc, key) => acc + key + params[key], INBOUND_URL);
    const signature = createHmac('sha1', AUTH_TOKEN).update(Buffer.from(data, 'utf-8')).digest('base64');

    // Act
    const valid = verifyTwilioSignature({ authToken: AUTH_TOKEN, signature, url: INBOUND_URL, params });

    // Assess
    expect(valid).toBe(true);
    expect(signTwilioRequest(AUTH_TOKEN, INBOUND_URL, params)).toBe(signature);
  });

  it('refuses a request without a signature', () => {
    // Prepare
    const params = fixture('inboundSmsJoin');

    // Act
    const valid = verifyTwilioSignature({ authToken: AUTH_TOKEN, signature: undefined, url: INBOUND_URL, params });

    // Assess
    expect(valid).toBe(false);
  });

  it('refuses an empty signature', () => {
    // Prepare
    const params = fixture('inboundSmsJoin');

    // Act
    const valid = verifyTwilioSignature({ authToken: AUTH_TOKEN, signature: '', url: INBOUND_URL, params });

    // Assess
    expect(valid).toBe(false);
  });

  it('refuses a signature made with another auth token', () => {
    // Prepare
    const params = fixture('inboundSmsJoin');
    const signature = signTwilioRequest('another-accounts-token', INBOUND_URL, params);

    // Act
    const valid = verifyTwilioSignature({ authToken: AUTH_TOKEN, signature, url: INBOUND_URL, params });

    // Assess
    expect(valid).toBe(false);
  });

  it('refuses a request whose body was changed after signing', () => {
    // Prepare
    const params = fixture('inboundSmsJoin');
    const signature = signTwilioRequest(AUTH_TOKEN, INBOUND_URL, params);
    const tampered = { ...params, Body: 'STOP' };

    // Act
    const valid = verifyTwilioSignature({ authToken: AUTH_TOKEN, signature, url: INBOUND_URL, params: tampered });

    // Assess
    expect(valid).toBe(false);
  });

  it('refuses a request with a parameter added after signing', () => {
    // Prepare
    const params = fixture('inboundSmsJoin');
    const signature = signTwilioRequest(AUTH_TOKEN, INBOUND_URL, params);
    const extended = { ...params, OptOutType: 'STOP' };

    // Act
    const valid = verifyTwilioSignature({ authToken: AUTH_TOKEN, signature, url: INBOUND_URL, params: extended });

    // Assess
    expect(valid).toBe(false);
  });

  it('refuses a signature made for another URL', () => {
    // Prepare
    const params = fixture('statusDelivered');
    const signature = signTwilioRequest(AUTH_TOKEN, 'https://crier.example.gov.uk/webhooks/twilio/status', params);

    // Act
    const valid = verifyTwilioSignature({ authToken: AUTH_TOKEN, signature, url: INBOUND_URL, params });

    // Assess
    expect(valid).toBe(false);
  });

  it('refuses a signature made for the same path with another query string', () => {
    // Prepare
    const params = fixture('statusDelivered');
    const url = 'https://crier.example.gov.uk/webhooks/twilio/status?messageId=01J0AAAA';
    const signature = signTwilioRequest(AUTH_TOKEN, url, params);

    // Act
    const valid = verifyTwilioSignature({
      authToken: AUTH_TOKEN,
      signature,
      url: 'https://crier.example.gov.uk/webhooks/twilio/status?messageId=01J0BBBB',
      params,
    });

    // Assess
    expect(valid).toBe(false);
  });

  it('returns false instead of throwing for a malformed URL', () => {
    // Prepare
    const params = fixture('inboundSmsJoin');

    // Act
    const valid = verifyTwilioSignature({ authToken: AUTH_TOKEN, signature: 'c2lnbmF0dXJl', url: 'not a url', params });

    // Assess
    expect(valid).toBe(false);
  });
});

/** The one text a form carried; fails the test when the form was skipped instead. */
function textOf(batch: WebhookBatch): InboundText {
  expect(batch.skipped).toEqual([]);
  const [inbound] = batch.inbound;
  if (!inbound) throw new Error('expected a text, got none');
  return inbound;
}

function receiptOf(batch: WebhookBatch): StatusReport {
  expect(batch.skipped).toEqual([]);
  const [receipt] = batch.receipts;
  if (!receipt) throw new Error('expected a receipt, got none');
  return receipt;
}

describe('parseTwilioInbound', () => {
  it('parses an SMS keyword message', () => {
    // Prepare
    const params = fixture('inboundSmsJoin');

    // Act
    const batch = parseTwilioInbound(params, 'GB');

    // Assess
    expect(batch).toEqual({
      inbound: [{ provider: 'twilio', providerMessageId: params.MessageSid, from: '+447700100123', channel: 'sms', to: '+447700100000', body: 'JOIN YOUTH' }],
      receipts: [],
      unidentified: [],
      skipped: [],
      accountErrors: [],
    });
  });

  it('parses a WhatsApp message: channel from the whatsapp: prefix, numbers without it', () => {
    // Prepare
    const params = fixture('inboundWhatsapp');

    // Act
    const inbound = textOf(parseTwilioInbound(params, 'GB'));

    // Assess
    expect(inbound).toEqual({
      provider: 'twilio',
      providerMessageId: params.MessageSid,
      from: '+447700100456',
      channel: 'whatsapp',
      to: '+447700100001',
      body: 'traffic',
    });
  });

  it('carries an opt-out that Advanced Opt-Out already answered', () => {
    // Prepare
    const params = fixture('inboundStopAdvancedOptOut');

    // Act
    const inbound = textOf(parseTwilioInbound(params, 'GB'));

    // Assess
    expect(inbound.providerHandledOptOut).toBe('STOP');
    expect(inbound.body).toBe('Stop');
    expect(inbound.from).toBe('+447700100789');
  });

  it.each(['START', 'HELP', 'help'])('accepts OptOutType %s', (optOutType) => {
    // Prepare
    const params = { ...fixture('inboundStopAdvancedOptOut'), OptOutType: optOutType };

    // Act
    const inbound = textOf(parseTwilioInbound(params, 'GB'));

    // Assess
    expect(inbound.providerHandledOptOut).toBe(optOutType.toUpperCase());
  });

  it.each([
    ['absent', undefined],
    ['an OptOutType crier does not know', 'UNSUBSCRIBE'],
  ])('leaves providerHandledOptOut out when it is %s, and routes the body as usual', (_case, optOutType) => {
    // Prepare
    const params: Record<string, string> = { ...fixture('inboundSmsJoin'), ...(optOutType === undefined ? {} : { OptOutType: optOutType }) };

    // Act
    const inbound = textOf(parseTwilioInbound(params, 'GB'));

    // Assess
    expect(inbound).not.toHaveProperty('providerHandledOptOut');
    expect(inbound.body).toBe('JOIN YOUTH');
  });

  it('reads a sender in national form as a number of the default country', () => {
    // Prepare
    const params = { ...fixture('inboundSmsJoin'), From: '07700 100123' };

    // Act
    const inbound = textOf(parseTwilioInbound(params, 'GB'));

    // Assess
    expect(inbound.from).toBe('+447700100123');
  });

  it('reads a picture with a caption as its text, and ignores parameters it does not know', () => {
    // Prepare
    const params = { ...fixture('inboundSmsJoin'), NumMedia: '1', MediaUrl0: 'https://api.twilio.com/media/ME1', SomethingNew: 'x' };

    // Act
    const inbound = textOf(parseTwilioInbound(params, 'GB'));

    // Assess
    expect(inbound.body).toBe('JOIN YOUTH');
  });

  it.each<[string, Record<string, string | string[]>, string]>([
    ['a picture with no text', { NumMedia: '1', Body: '' }, 'a picture or other media with no text: crier keeps no media and acts on text only'],
    ['an empty message', { Body: '   ' }, 'an empty message'],
    ['a short code sender', { From: '88022' }, 'a sender that is a short code, not a phone number crier could answer'],
    ['an alphanumeric sender', { From: 'CardiffCC' }, 'a sender that is an alphanumeric sender id, not a phone number crier could answer'],
    ['a number that is not valid', { From: '+4412' }, "the sender's number is not a valid phone number"],
    ['a WhatsApp number that is not valid', { From: 'whatsapp:+4412' }, "the sender's number is not a valid phone number"],
    ['a WhatsApp sender named by a user id, not a number', { From: 'whatsapp:US.13491208655302741918' }, "the sender's number is not a valid phone number"],
    ['a sender on a channel crier does not serve', { From: 'messenger:123456789' }, 'a sender on a channel crier does not serve (only SMS and WhatsApp)'],
    ['a repeated From', { From: ['+447700100123', '+447700100124'] }, 'a message with no From'],
  ])('skips %s with its reason, never echoing the number', (_case, override, reason) => {
    // Prepare
    const params = { ...fixture('inboundSmsJoin'), ...override };

    // Act
    const batch = parseTwilioInbound(params, 'GB');

    // Assess
    expect(batch.inbound).toEqual([]);
    expect(batch.skipped).toEqual([{ path: 'form', id: params.MessageSid, kind: 'message', reason }]);
  });

  it('names MessageSid when it is missing: without it the form is not Twilio\'s', () => {
    // Prepare
    const { MessageSid: _omitted, ...params } = fixture('inboundSmsJoin');

    // Act
    const error = validationError(() => parseTwilioInbound(params, 'GB'));

    // Assess
    expect(error.details).toEqual([{ field: 'MessageSid', message: 'is required' }]);
  });

  it('names both envelope fields when both are wrong', () => {
    // Prepare
    const broken: Record<string, string> = { ...fixture('inboundSmsJoin'), MessageSid: 'SM-short' };
    const { AccountSid: _omitted, ...params } = broken;

    // Act
    const error = validationError(() => parseTwilioInbound(params, 'GB'));

    // Assess
    expect(error.details.map((issue) => issue.field).sort()).toEqual(['AccountSid', 'MessageSid']);
  });
});

describe('parseTwilioStatus', () => {
  it('parses a delivery receipt and keeps the message id from the callback URL', () => {
    // Prepare
    const params = fixture('statusDelivered');

    // Act
    const report = receiptOf(parseTwilioStatus(params, '01J0CRIERMESSAGE0000000001'));

    // Assess
    expect(report).toEqual({
      provider: 'twilio',
      providerMessageId: params.MessageSid,
      messageId: '01J0CRIERMESSAGE0000000001',
      status: 'delivered',
      errorCode: undefined,
    });
  });

  it('carries the error code of an undelivered message', () => {
    // Prepare
    const params = fixture('statusUndelivered');

    // Act
    const report = receiptOf(parseTwilioStatus(params, '01J0CRIERMESSAGE0000000002'));

    // Assess
    expect(report.status).toBe('undelivered');
    expect(report.errorCode).toBe('30003');
  });

  it('parses a WhatsApp read receipt', () => {
    // Prepare
    const params = fixture('statusWhatsappRead');

    // Act
    const report = receiptOf(parseTwilioStatus(params, undefined));

    // Assess
    expect(report.status).toBe('read');
    expect(report.messageId).toBeUndefined();
  });

  it.each(['', 'E30003'])('treats ErrorCode %j as none', (errorCode) => {
    // Prepare
    const params = { ...fixture('statusDelivered'), ErrorCode: errorCode };

    // Act
    const report = receiptOf(parseTwilioStatus(params, undefined));

    // Assess
    expect(report.errorCode).toBeUndefined();
  });

  it.each([
    ['an unknown MessageStatus', { MessageStatus: 'teleported' }, 'a MessageStatus crier does not know'],
    ['no MessageStatus', { MessageStatus: undefined }, 'a status callback with no MessageStatus'],
  ])('skips %s with its reason instead of refusing it', (_case, override, reason) => {
    // Prepare
    const params: Record<string, string | undefined> = { ...fixture('statusDelivered'), ...override };

    // Act
    const batch = parseTwilioStatus(params, undefined);

    // Assess
    expect(batch.receipts).toEqual([]);
    expect(batch.skipped).toEqual([{ path: 'form', id: params.MessageSid, kind: 'status', reason }]);
  });

  it('names MessageSid when it is missing', () => {
    // Prepare
    const { MessageSid: _sid, ...params } = fixture('statusDelivered');

    // Act
    const error = validationError(() => parseTwilioStatus(params, undefined));

    // Assess
    expect(error.details).toEqual([{ field: 'MessageSid', message: 'is required' }]);
  });
});
