import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import buttonReply from '../../../../events/whatsapp-cloud/button-reply.json';
import imageCaptionInbox from '../../../../events/whatsapp-cloud/image-caption-inbox.json';
import interactiveButtonReply from '../../../../events/whatsapp-cloud/interactive-button-reply.json';
import interactiveListReply from '../../../../events/whatsapp-cloud/interactive-list-reply.json';
import multiEntryBatch from '../../../../events/whatsapp-cloud/multi-entry-batch.json';
import reaction from '../../../../events/whatsapp-cloud/reaction.json';
import statusDelivered from '../../../../events/whatsapp-cloud/status-delivered.json';
import statusFailed from '../../../../events/whatsapp-cloud/status-failed.json';
import statusRead from '../../../../events/whatsapp-cloud/status-read.json';
import textJoin from '../../../../events/whatsapp-cloud/text-join.json';
import { ForbiddenError } from '../../../domain/errors.js';
import {
  answerVerificationRequest,
  parseWhatsAppWebhook,
  signWhatsAppPayload,
  verifyWhatsAppSignature,
} from './webhooks.js';
import { captureError, validationError } from '../../../../test/support/thrown.js';

const APP_SECRET = 'c0ffee00c0ffee00c0ffee00c0ffee00';
const VERIFY_TOKEN = 'crier-verify-token';

/** Fixtures are shared module objects: every test works on its own deep copy. */
const fixtures = {
  textJoin,
  buttonReply,
  interactiveButtonReply,
  interactiveListReply,
  statusDelivered,
  statusRead,
  statusFailed,
  multiEntryBatch,
  imageCaptionInbox,
  reaction,
};
type FixtureName = keyof typeof fixtures;
function fixture(name: FixtureName): any {
  return structuredClone(fixtures[name]);
}
/** The first message (or status) of the first change, where a test edits a fixture. */
const firstValue = (payload: any) => payload.entry[0].changes[0].value;

/** Meta's documented signature, computed here independently of the code under test. */
function metaSignature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(Buffer.from(body, 'utf8')).digest('hex')}`;
}

describe('verifyWhatsAppSignature', () => {
  it('accepts the HMAC-SHA256 of the raw body under the app secret, as Meta documents it', () => {
    // Prepare
    const rawBody = JSON.stringify(fixture('textJoin'));
    const signature = metaSignature(APP_SECRET, rawBody);

    // Act
    const valid = verifyWhatsAppSignature({ appSecret: APP_SECRET, signature, rawBody });

    // Assess
    expect(valid).toBe(true);
    expect(signWhatsAppPayload(APP_SECRET, rawBody)).toBe(signature);
  });

  it('checks the bytes as sent: a body with raw UTF-8 and odd spacing verifies, the same JSON re-serialised does not', () => {
    // Prepare
    const rawBody = '{ "object":"whatsapp_business_account",\n  "entry": [], "note": "Siân 👍" }';
    const signature = metaSignature(APP_SECRET, rawBody);
    const reserialised = JSON.stringify(JSON.parse(rawBody));

    // Act
    const asSent = verifyWhatsAppSignature({ appSecret: APP_SECRET, signature, rawBody });
    const asBytes = verifyWhatsAppSignature({ appSecret: APP_SECRET, signature, rawBody: Buffer.from(rawBody, 'utf8') });
    const afterReserialising = verifyWhatsAppSignature({ appSecret: APP_SECRET, signature, rawBody: reserialised });

    // Assess
    expect(asSent).toBe(true);
    expect(asBytes).toBe(true);
    expect(afterReserialising).toBe(false);
  });

  it('accepts upper-case hex digits', () => {
    // Prepare
    const rawBody = JSON.stringify(fixture('statusDelivered'));
    const signature = `sha256=${metaSignature(APP_SECRET, rawBody).slice('sha256='.length).toUpperCase()}`;

    // Act
    const valid = verifyWhatsAppSignature({ appSecret: APP_SECRET, signature, rawBody });

    // Assess
    expect(valid).toBe(true);
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['without the sha256= prefix', 'deadbeef'.repeat(8)],
    ['a SHA-1 X-Hub-Signature', 'sha1=2fd4e1c67a2d28fced849ee1bb76e7391b93eb12'],
    ['too short', 'sha256=deadbeef'],
    ['not hex', `sha256=${'z'.repeat(64)}`],
  ])('refuses a signature that is %s', (_case, signature) => {
    // Prepare
    const rawBody = JSON.stringify(fixture('textJoin'));

    // Act
    const valid = verifyWhatsAppSignature({ appSecret: APP_SECRET, signature, rawBody });

    // Assess
    expect(valid).toBe(false);
  });

  it('refuses a signature made with another app secret', () => {
    // Prepare
    const rawBody = JSON.stringify(fixture('textJoin'));
    const signature = metaSignature('another-apps-secret', rawBody);

    // Act
    const valid = verifyWhatsAppSignature({ appSecret: APP_SECRET, signature, rawBody });

    // Assess
    expect(valid).toBe(false);
  });

  it('refuses a body changed after signing', () => {
    // Prepare
    const payload = fixture('textJoin');
    const signature = metaSignature(APP_SECRET, JSON.stringify(payload));
    firstValue(payload).messages[0].text.body = 'STOP';

    // Act
    const valid = verifyWhatsAppSignature({ appSecret: APP_SECRET, signature, rawBody: JSON.stringify(payload) });

    // Assess
    expect(valid).toBe(false);
  });

  it('refuses everything when no app secret is configured', () => {
    // Prepare
    const rawBody = JSON.stringify(fixture('textJoin'));
    const signature = metaSignature('', rawBody);

    // Act
    const valid = verifyWhatsAppSignature({ appSecret: '', signature, rawBody });

    // Assess
    expect(valid).toBe(false);
  });
});

describe('answerVerificationRequest', () => {
  const handshake = { 'hub.mode': 'subscribe', 'hub.challenge': '1158201444', 'hub.verify_token': VERIFY_TOKEN };

  it('answers with the challenge when the mode is subscribe and the token is ours', () => {
    // Prepare
    const query = { ...handshake };

    // Act
    const challenge = answerVerificationRequest(query, VERIFY_TOKEN);

    // Assess
    expect(challenge).toBe('1158201444');
  });

  it.each([
    ['another verify token', { 'hub.verify_token': 'meatyhamhock' }],
    ['a token that only starts like ours', { 'hub.verify_token': `${VERIFY_TOKEN}x` }],
    ['a mode other than subscribe', { 'hub.mode': 'unsubscribe' }],
  ])('refuses %s with a ForbiddenError', (_case, override) => {
    // Prepare
    const query = { ...handshake, ...override };

    // Act
    const error = captureError(() => answerVerificationRequest(query, VERIFY_TOKEN));

    // Assess
    expect(error).toBeInstanceOf(ForbiddenError);
  });

  it.each(['hub.mode', 'hub.verify_token', 'hub.challenge'] as const)('names %s when it is missing', (name) => {
    // Prepare
    const { [name]: _omitted, ...query } = handshake;

    // Act
    const error = validationError(() => answerVerificationRequest(query, VERIFY_TOKEN));

    // Assess
    expect(error.details).toEqual([{ field: name, message: 'is required' }]);
  });

  it('names every missing parameter at once', () => {
    // Prepare
    const query = {};

    // Act
    const error = validationError(() => answerVerificationRequest(query, VERIFY_TOKEN));

    // Assess
    expect(error.details.map((issue) => issue.field)).toEqual(['hub.mode', 'hub.verify_token', 'hub.challenge']);
  });
});

describe('parseWhatsAppWebhook', () => {
  const parse = (payload: unknown) => parseWhatsAppWebhook(JSON.stringify(payload), 'GB');

  it('reads a text message: wamid, sender in E.164, our number, the text', () => {
    // Prepare
    const payload = fixture('textJoin');

    // Act
    const batch = parse(payload);

    // Assess
    expect(batch).toEqual({
      inbound: [
        {
          provider: 'whatsapp-cloud',
          providerMessageId: firstValue(payload).messages[0].id,
          from: '+447700900123',
          channel: 'whatsapp',
          to: '+447700900000',
          body: 'JOIN TRAFFIC',
        },
      ],
      receipts: [],
      unidentified: [],
      skipped: [],
      accountErrors: [],
    });
  });

  it('reads a quick-reply button of a template as the label the resident tapped', () => {
    // Prepare
    const payload = fixture('buttonReply');

    // Act
    const batch = parse(payload);

    // Assess
    expect(batch.inbound).toEqual([
      expect.objectContaining({ providerMessageId: firstValue(payload).messages[0].id, from: '+447700900123', body: 'STOP' }),
    ]);
  });

  it('reads an interactive reply button by its title', () => {
    // Prepare
    const payload = fixture('interactiveButtonReply');

    // Act
    const batch = parse(payload);

    // Assess
    expect(batch.inbound).toEqual([expect.objectContaining({ from: '+447700900124', body: 'JOIN TRAFFIC', channel: 'whatsapp' })]);
  });

  it('reads an interactive list reply by the title of the row chosen', () => {
    // Prepare
    const payload = fixture('interactiveListReply');

    // Act
    const batch = parse(payload);

    // Assess
    expect(batch.inbound).toEqual([expect.objectContaining({ from: '+447700900125', body: 'JOIN YOUTH' })]);
  });

  it('reads a delivery receipt, with crier\'s message id from biz_opaque_callback_data', () => {
    // Prepare
    const payload = fixture('statusDelivered');

    // Act
    const batch = parse(payload);

    // Assess
    expect(batch.receipts).toEqual([
      {
        provider: 'whatsapp-cloud',
        providerMessageId: firstValue(payload).statuses[0].id,
        messageId: '01J0CRIERMESSAGE0000000001',
        status: 'delivered',
        errorCode: undefined,
      },
    ]);
    expect(batch.inbound).toEqual([]);
  });

  it('reads a read receipt without callback data as one for an unknown message', () => {
    // Prepare
    const payload = fixture('statusRead');

    // Act
    const batch = parse(payload);

    // Assess
    expect(batch.receipts).toEqual([expect.objectContaining({ status: 'read', messageId: undefined, errorCode: undefined })]);
  });

  it('reads a failure with the code of its first error', () => {
    // Prepare
    const payload = fixture('statusFailed');

    // Act
    const batch = parse(payload);

    // Assess
    expect(batch.receipts).toEqual([
      expect.objectContaining({ status: 'failed', messageId: '01J0CRIERMESSAGE0000000002', errorCode: '131047' }),
    ]);
  });

  it('treats empty callback data as none', () => {
    // Prepare
    const payload = fixture('statusDelivered');
    firstValue(payload).statuses[0].biz_opaque_callback_data = '';

    // Act
    const batch = parse(payload);

    // Assess
    expect(batch.receipts[0]?.messageId).toBeUndefined();
  });

  it('reads every entry, change, message and status of a batch, in order, and skips other webhook fields', () => {
    // Prepare
    const payload = fixture('multiEntryBatch');

    // Act
    const batch = parse(payload);

    // Assess
    expect(batch.inbound.map(({ from, to, body }) => ({ from, to, body }))).toEqual([
      { from: '+447700900201', to: '+447700900000', body: 'TRAFFIC' },
      { from: '+447700900202', to: '+447700900000', body: 'HELP' },
      { from: '+447700900204', to: '+447700900001', body: 'STOP' },
    ]);
    expect(batch.receipts).toEqual([expect.objectContaining({ status: 'sent', messageId: '01J0CRIERMESSAGE0000000003' })]);
    expect(batch.skipped).toEqual([
      { path: 'entry.1.changes.1', kind: 'other', reason: 'webhook field "account_update" is not one crier handles' },
    ]);
  });

  it('reads the caption of a picture as its text', () => {
    // Prepare
    const payload = fixture('imageCaptionInbox');

    // Act
    const batch = parse(payload);

    // Assess
    expect(batch.inbound).toEqual([expect.objectContaining({ from: '+447700900123', body: 'Pothole on Cathedral Road' })]);
  });

  it('skips a reaction, with its id and reason, instead of refusing the batch', () => {
    // Prepare
    const payload = fixture('reaction');

    // Act
    const batch = parse(payload);

    // Assess
    expect(batch.inbound).toEqual([]);
    expect(batch.skipped).toEqual([
      {
        path: 'entry.0.changes.0.value.messages.0',
        id: firstValue(payload).messages[0].id,
        kind: 'message',
        reason: 'a reaction to an earlier message: crier acts on text only',
      },
    ]);
  });

  it('skips a message it cannot act on but still reads the text beside it', () => {
    // Prepare
    const payload = fixture('textJoin');
    firstValue(payload).messages.unshift(firstValue(fixture('reaction')).messages[0]);

    // Act
    const batch = parse(payload);

    // Assess
    expect(batch.inbound.map((inbound) => inbound.body)).toEqual(['JOIN TRAFFIC']);
    expect(batch.skipped).toHaveLength(1);
  });

  it('skips an interactive reply that carries no text (a Flow\'s nfm_reply)', () => {
    // Prepare
    const payload = fixture('interactiveButtonReply');
    firstValue(payload).messages[0].interactive = { type: 'nfm_reply', nfm_reply: { response_json: '{}', body: 'Sent' } };

    // Act
    const batch = parse(payload);

    // Assess
    expect(batch.inbound).toEqual([]);
    expect(batch.skipped[0]?.reason).toBe('interactive reply "nfm_reply" is not one crier acts on');
  });

  it('skips a message sent in a group chat', () => {
    // Prepare
    const payload = fixture('textJoin');
    firstValue(payload).messages[0].group_id = 'GROUP_ID';

    // Act
    const batch = parse(payload);

    // Assess
    expect(batch.inbound).toEqual([]);
    expect(batch.skipped[0]?.reason).toBe('a message in a group chat');
  });

  it('skips a status crier does not record (deleted) instead of refusing the batch', () => {
    // Prepare
    const payload = fixture('statusDelivered');
    firstValue(payload).statuses[0].status = 'deleted';

    // Act
    const batch = parse(payload);

    // Assess
    expect(batch.receipts).toEqual([]);
    expect(batch.skipped[0]?.reason).toBe('status "deleted" is not one crier records');
  });

  it('passes on an out-of-band error Meta reports about the number', () => {
    // Prepare
    const payload = fixture('statusDelivered');
    firstValue(payload).errors = [{ code: 130429, title: 'Rate limit hit', message: 'Rate limit hit', error_data: { details: 'too many' } }];

    // Act
    const batch = parse(payload);

    // Assess
    expect(batch.accountErrors).toEqual([
      { path: 'entry.0.changes.0.value.errors.0', code: '130429', title: 'Rate limit hit', details: 'too many' },
    ]);
  });

  it('ignores fields it does not know', () => {
    // Prepare
    const payload = fixture('textJoin');
    firstValue(payload).messages[0].brand_new_field = { anything: true };
    payload.entry[0].unexpected = 1;

    // Act
    const batch = parse(payload);

    // Assess
    expect(batch.inbound).toHaveLength(1);
  });

  describe('the sender', () => {
    it.each([
      ['international digits without +, as Meta sends them', '447700900123', '+447700900123'],
      ['a number with the +', '+447700900123', '+447700900123'],
      ['a number of another country (US)', '16505551234', '+16505551234'],
    ])('normalises %s to E.164', (_case, from, e164) => {
      // Prepare
      const payload = fixture('textJoin');
      firstValue(payload).messages[0].from = from;

      // Act
      const batch = parse(payload);

      // Assess
      expect(batch.inbound[0]?.from).toBe(e164);
    });

    it('is never read as a national number of the default country: such a sender is skipped', () => {
      // Prepare
      const payload = fixture('textJoin');
      // 7700 900123 is a GB mobile in national form, but Meta's digits are always international.
      firstValue(payload).messages[0].from = '07700900123';

      // Act
      const batch = parse(payload);

      // Assess
      expect(batch.inbound).toEqual([]);
      expect(batch.skipped).toEqual([
        expect.objectContaining({ path: 'entry.0.changes.0.value.messages.0', reason: "the sender's number is not a valid phone number" }),
      ]);
    });

    it.each(['not-a-number', '4412'])('skips %j by its path, and still reads the rest of the batch', (from) => {
      // Prepare
      const payload = fixture('multiEntryBatch');
      payload.entry[1].changes[0].value.messages[0].from = from;

      // Act
      const batch = parse(payload);

      // Assess
      expect(batch.inbound.map((inbound) => inbound.body)).toEqual(['TRAFFIC', 'HELP']);
      expect(batch.skipped.map((item) => item.path)).toEqual(['entry.1.changes.0.value.messages.0', 'entry.1.changes.1']);
      expect(JSON.stringify(batch.skipped)).not.toContain(from);
    });

    it('takes the number from the contact that carries the same business-scoped user id when the message has no from', () => {
      // Prepare
      const payload = fixture('textJoin');
      const value = firstValue(payload);
      delete value.messages[0].from;
      value.messages[0].from_user_id = 'GB.1349120865530274';
      value.contacts[0].user_id = 'GB.1349120865530274';

      // Act
      const batch = parse(payload);

      // Assess
      expect(batch.inbound).toEqual([expect.objectContaining({ from: '+447700900123', body: 'JOIN TRAFFIC' })]);
    });

    it('passes on a sender known only by a business-scoped user id, without a number', () => {
      // Prepare
      const payload = fixture('textJoin');
      const value = firstValue(payload);
      delete value.messages[0].from;
      value.messages[0].from_user_id = 'GB.1349120865530274';
      value.contacts = [{ profile: { name: 'Sheena', username: '@sheena' }, user_id: 'GB.1349120865530274' }];

      // Act
      const batch = parse(payload);

      // Assess
      expect(batch.inbound).toEqual([]);
      expect(batch.unidentified).toEqual([
        {
          path: 'entry.0.changes.0.value.messages.0',
          provider: 'whatsapp-cloud',
          providerMessageId: value.messages[0].id,
          channel: 'whatsapp',
          body: 'JOIN TRAFFIC',
        },
      ]);
    });
  });

  describe('a payload of the wrong shape', () => {
    it('refuses a body that is not JSON, naming the body', () => {
      // Prepare
      const rawBody = '{"object":"whatsapp_business_account",';

      // Act
      const error = validationError(() => parseWhatsAppWebhook(rawBody, 'GB'));

      // Assess
      expect(error.details).toEqual([{ field: 'body', message: 'must be a JSON object' }]);
    });

    it('refuses another kind of webhook object', () => {
      // Prepare
      const payload = { ...fixture('textJoin'), object: 'page' };

      // Act
      const error = validationError(() => parse(payload));

      // Assess
      expect(error.details).toEqual([{ field: 'object', message: 'must be "whatsapp_business_account"' }]);
    });

    it('names a missing entry', () => {
      // Prepare
      const { entry: _omitted, ...payload } = fixture('textJoin');

      // Act
      const error = validationError(() => parse(payload));

      // Assess
      expect(error.details).toEqual([{ field: 'entry', message: 'is required' }]);
    });

    it.each<[string, (message: any) => void, string]>([
      ['without its type', (message) => delete message.type, 'a message crier cannot read (type is required)'],
      ['without the text of a text message', (message) => delete message.text, 'a text message with no text.body'],
      ['with a body of the wrong type', (message) => (message.text.body = 42), 'a text message with no text.body'],
      ['with no sender at all', (message) => delete message.from, 'a message with no sender (neither from nor from_user_id)'],
    ])('skips a message %s, by its id and path, with the reason', (_case, edit, reason) => {
      // Prepare
      const payload = fixture('textJoin');
      edit(firstValue(payload).messages[0]);

      // Act
      const batch = parse(payload);

      // Assess
      expect(batch.inbound).toEqual([]);
      expect(batch.skipped).toEqual([
        { path: 'entry.0.changes.0.value.messages.0', id: firstValue(payload).messages[0].id, kind: 'message', reason },
      ]);
    });

    it('skips a message without its id, by its path alone', () => {
      // Prepare
      const payload = fixture('textJoin');
      delete firstValue(payload).messages[0].id;

      // Act
      const batch = parse(payload);

      // Assess
      expect(batch.skipped).toEqual([
        { path: 'entry.0.changes.0.value.messages.0', kind: 'message', reason: 'a message crier cannot read (id is required)' },
      ]);
    });

    it('skips a list reply without its list_reply', () => {
      // Prepare
      const payload = fixture('interactiveListReply');
      delete firstValue(payload).messages[0].interactive.list_reply;

      // Act
      const batch = parse(payload);

      // Assess
      expect(batch.skipped.map((item) => item.reason)).toEqual(['a list_reply with no title']);
    });

    it('still reads a status whose change has no metadata, and skips a status without its wamid', () => {
      // Prepare
      const payload = fixture('statusFailed');
      const value = firstValue(payload);
      value.statuses.push({ ...value.statuses[0] });
      delete value.statuses[1].id;
      delete value.metadata;

      // Act
      const batch = parse(payload);

      // Assess
      expect(batch.receipts).toEqual([expect.objectContaining({ status: 'failed', errorCode: '131047' })]);
      expect(batch.skipped).toEqual([
        { path: 'entry.0.changes.0.value.statuses.1', kind: 'status', reason: 'a status crier cannot read (id is required)' },
      ]);
    });

    it('skips an entry without changes and reads the next', () => {
      // Prepare
      const payload = fixture('multiEntryBatch');
      payload.entry[0] = { id: '102290129340398', something: 'else' };

      // Act
      const batch = parse(payload);

      // Assess
      expect(batch.inbound.map((inbound) => inbound.body)).toEqual(['STOP']);
      expect(batch.skipped[0]).toEqual({ path: 'entry.0', kind: 'other', reason: expect.stringContaining('an entry crier cannot read') });
    });
  });
});
