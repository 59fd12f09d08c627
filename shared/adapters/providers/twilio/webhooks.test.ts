import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import inboundSmsJoin from '../../../../events/twilio/inbound-sms-join.json';
import inboundStopAdvancedOptOut from '../../../../events/twilio/inbound-stop-advanced-opt-out.json';
import inboundWhatsapp from '../../../../events/twilio/inbound-whatsapp.json';
import statusDelivered from '../../../../events/twilio/status-delivered.json';
import statusUndelivered from '../../../../events/twilio/status-undelivered.json';
import statusWhatsappRead from '../../../../events/twilio/status-whatsapp-read.json';
import { ValidationError } from '../../../domain/errors.js';
import { parseTwilioInbound, parseTwilioStatus, signTwilioRequest, verifyTwilioSignature } from './webhooks.js';

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

function captureError(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error, none was thrown');
}

function validationError(action: () => unknown): ValidationError {
  const error = captureError(action);
  if (!(error instanceof ValidationError)) throw new Error(`expected a ValidationError, got ${String(error)}`);
  return error;
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

describe('parseTwilioInbound', () => {
  it('parses an SMS keyword message', () => {
    // Prepare
    const params = fixture('inboundSmsJoin');

    // Act
    const inbound = parseTwilioInbound(params, 'GB');

    // Assess
    expect(inbound).toEqual({
      provider: 'twilio',
      providerMessageId: params.MessageSid,
      from: '+447700100123',
      channel: 'sms',
      to: '+447700100000',
      body: 'JOIN YOUTH',
    });
  });

  it('parses a WhatsApp message: channel from the whatsapp: prefix, numbers without it', () => {
    // Prepare
    const params = fixture('inboundWhatsapp');

    // Act
    const inbound = parseTwilioInbound(params, 'GB');

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
    const inbound = parseTwilioInbound(params, 'GB');

    // Assess
    expect(inbound.providerHandledOptOut).toBe('STOP');
    expect(inbound.body).toBe('Stop');
    expect(inbound.from).toBe('+447700100789');
  });

  it.each(['START', 'HELP', 'help'])('accepts OptOutType %s', (optOutType) => {
    // Prepare
    const params = { ...fixture('inboundStopAdvancedOptOut'), OptOutType: optOutType };

    // Act
    const inbound = parseTwilioInbound(params, 'GB');

    // Assess
    expect(inbound.providerHandledOptOut).toBe(optOutType.toUpperCase());
  });

  it('leaves providerHandledOptOut out when Twilio did not handle the keyword', () => {
    // Prepare
    const params = fixture('inboundSmsJoin');

    // Act
    const inbound = parseTwilioInbound(params, 'GB');

    // Assess
    expect(inbound).not.toHaveProperty('providerHandledOptOut');
  });

  it('reads a sender in national form as a number of the default country', () => {
    // Prepare
    const params = { ...fixture('inboundSmsJoin'), From: '07700 100123' };

    // Act
    const inbound = parseTwilioInbound(params, 'GB');

    // Assess
    expect(inbound.from).toBe('+447700100123');
  });

  it('treats a missing Body (media-only message) as empty text', () => {
    // Prepare
    const withMedia: Record<string, string> = { ...fixture('inboundSmsJoin'), NumMedia: '1' };
    const { Body: _omitted, ...params } = withMedia;

    // Act
    const inbound = parseTwilioInbound(params, 'GB');

    // Assess
    expect(inbound.body).toBe('');
  });

  it.each(['not-a-number', '+4412', 'whatsapp:+4412'])('refuses From %j with a ValidationError naming From', (from) => {
    // Prepare
    const params = { ...fixture('inboundSmsJoin'), From: from };

    // Act
    const error = validationError(() => parseTwilioInbound(params, 'GB'));

    // Assess
    expect(error.details).toEqual([{ field: 'From', message: `"${from}" is not a valid phone number` }]);
  });

  it('refuses a sender on a channel crier does not serve', () => {
    // Prepare
    const params = { ...fixture('inboundSmsJoin'), From: 'messenger:123456789' };

    // Act
    const error = validationError(() => parseTwilioInbound(params, 'GB'));

    // Assess
    expect(error.details).toEqual([{ field: 'From', message: '"messenger:123456789" is not an SMS or WhatsApp address' }]);
  });

  it('names MessageSid when it is missing', () => {
    // Prepare
    const { MessageSid: _omitted, ...params } = fixture('inboundSmsJoin');

    // Act
    const error = validationError(() => parseTwilioInbound(params, 'GB'));

    // Assess
    expect(error.details).toEqual([{ field: 'MessageSid', message: 'is required' }]);
  });

  it('names every bad field at once', () => {
    // Prepare
    const broken: Record<string, string> = {
      ...fixture('inboundSmsJoin'),
      MessageSid: 'SM-short',
      From: 'nobody',
      NumMedia: 'many',
      OptOutType: 'UNSUBSCRIBE',
    };
    const { AccountSid: _omitted, ...params } = broken;

    // Act
    const error = validationError(() => parseTwilioInbound(params, 'GB'));

    // Assess
    expect(error.details.map((issue) => issue.field).sort()).toEqual(['AccountSid', 'From', 'MessageSid', 'NumMedia', 'OptOutType']);
  });

  it('refuses a repeated form field', () => {
    // Prepare
    const params = { ...fixture('inboundSmsJoin'), Body: ['JOIN', 'YOUTH'] };

    // Act
    const error = validationError(() => parseTwilioInbound(params, 'GB'));

    // Assess
    expect(error.details).toEqual([{ field: 'Body', message: 'must be a single text value' }]);
  });
});

describe('parseTwilioStatus', () => {
  it('parses a delivery receipt and keeps the message id from the callback URL', () => {
    // Prepare
    const params = fixture('statusDelivered');

    // Act
    const report = parseTwilioStatus(params, '01J0CRIERMESSAGE0000000001');

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
    const report = parseTwilioStatus(params, '01J0CRIERMESSAGE0000000002');

    // Assess
    expect(report.status).toBe('undelivered');
    expect(report.errorCode).toBe('30003');
  });

  it('parses a WhatsApp read receipt', () => {
    // Prepare
    const params = fixture('statusWhatsappRead');

    // Act
    const report = parseTwilioStatus(params, undefined);

    // Assess
    expect(report.status).toBe('read');
    expect(report.messageId).toBeUndefined();
  });

  it('treats an empty ErrorCode as none', () => {
    // Prepare
    const params = { ...fixture('statusDelivered'), ErrorCode: '' };

    // Act
    const report = parseTwilioStatus(params, undefined);

    // Assess
    expect(report.errorCode).toBeUndefined();
  });

  it('refuses an unknown MessageStatus, naming the field', () => {
    // Prepare
    const params = { ...fixture('statusDelivered'), MessageStatus: 'teleported' };

    // Act
    const error = validationError(() => parseTwilioStatus(params, undefined));

    // Assess
    expect(error.details.map((issue) => issue.field)).toEqual(['MessageStatus']);
  });

  it('names MessageSid and MessageStatus when they are missing', () => {
    // Prepare
    const { MessageSid: _sid, MessageStatus: _status, ...params } = fixture('statusDelivered');

    // Act
    const error = validationError(() => parseTwilioStatus(params, undefined));

    // Assess
    expect(error.details).toEqual([
      { field: 'MessageSid', message: 'is required' },
      { field: 'MessageStatus', message: 'is required' },
    ]);
  });
});
