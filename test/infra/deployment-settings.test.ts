import { readFileSync } from 'node:fs';
import { App, type CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { CrierStack } from '../../infra/stack.js';

const cdkJsonContext = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')).context;

function synthesize(context: Record<string, unknown> = {}): { stack: CrierStack; template: Template } {
  const app = new App({
    // Bundling and CloudFormation schema validation are the slow parts; bundling.test.ts does both.
    builtinCloudFormationValidation: false,
    context: { ...cdkJsonContext, 'aws:cdk:bundling-stacks': [], ...context },
  });
  const stack = new CrierStack(app, 'Crier');
  return { stack, template: Template.fromStack(stack) };
}

function environmentOf(stack: CrierStack, template: Template, functionId: keyof CrierStack['functions']) {
  const fn = stack.functions[functionId].function.node.defaultChild as CfnElement;
  return template.toJSON().Resources[stack.getLogicalId(fn)].Properties.Environment.Variables;
}

/** What a deployment that sends through AWS SMS must also name (its IAM grant is scoped to them). */
const awsSmsIdentity = { awsSmsOriginationIdentity: 'pool-0123456789abcdef0123456789abcdef', awsSmsConfigurationSet: 'council-receipts' };

describe('deployment settings from CDK context', () => {
  it('takes values given with -c (always strings) and hands them to every function', () => {
    // Prepare
    const context = {
      defaultCountry: 'IE',
      smsProvider: 'sandbox',
      whatsappProvider: 'sandbox',
      topicShards: '16',
      logLevel: 'DEBUG',
    };

    // Act
    const { stack, template } = synthesize(context);

    // Assess
    expect(environmentOf(stack, template, 'sendBulk')).toMatchObject({
      DEFAULT_COUNTRY: 'IE',
      SMS_PROVIDER: 'sandbox',
      WHATSAPP_PROVIDER: 'sandbox',
      TOPIC_SHARDS: '16',
      POWERTOOLS_LOG_LEVEL: 'DEBUG',
    });
    expect(environmentOf(stack, template, 'fanOut').TOPIC_SHARDS).toBe('16');
  });

  it('takes the retention schedule in days and hands it to every function that writes the table', () => {
    // Prepare
    const context = { retainMessagesDays: '30', retainInboundDays: '20', retainInboxDays: '60', retainConsentDays: '365', retainAuditDays: '2555' };

    // Act
    const { stack, template } = synthesize(context);

    // Assess
    const retention = { RETAIN_MESSAGES_DAYS: '30', RETAIN_INBOUND_DAYS: '20', RETAIN_INBOX_DAYS: '60', RETAIN_CONSENT_DAYS: '365', RETAIN_AUDIT_DAYS: '2555' };
    for (const id of ['sendUrgent', 'twilioInbound', 'residentsApi', 'keysApi', 'subscribersApi'] as const) {
      expect(environmentOf(stack, template, id)).toMatchObject(retention);
    }
  });

  it('takes providers in failover order and the failover thresholds, and hands them to the senders', () => {
    // Prepare
    const context = {
      smsProviders: 'aws-sms,twilio',
      whatsappProviders: 'whatsapp-cloud,twilio',
      failoverErrors: '20',
      failoverCooldownSeconds: '600',
      ...awsSmsIdentity,
    };

    // Act
    const { stack, template } = synthesize(context);

    // Assess
    expect(environmentOf(stack, template, 'sendUrgent')).toMatchObject({
      SMS_PROVIDER: 'aws-sms',
      SMS_PROVIDERS: 'aws-sms,twilio',
      WHATSAPP_PROVIDER: 'whatsapp-cloud',
      WHATSAPP_PROVIDERS: 'whatsapp-cloud,twilio',
      FAILOVER_ERRORS: '20',
      FAILOVER_WINDOW_SECONDS: '60',
      FAILOVER_COOLDOWN_SECONDS: '600',
    });
  });

  it('takes weighted lists as they are written, and hands them to the senders and the providers view alike', () => {
    // Prepare
    const context = { smsProviders: 'twilio:80,aws-sms:20', whatsappProviders: 'whatsapp-cloud:70,twilio:30', ...awsSmsIdentity };

    // Act
    const { stack, template } = synthesize(context);

    // Assess
    for (const functionId of ['sendUrgent', 'sendBulk', 'providersApi'] as const) {
      expect(environmentOf(stack, template, functionId)).toMatchObject({
        SMS_PROVIDER: 'twilio',
        SMS_PROVIDERS: 'twilio:80,aws-sms:20',
        WHATSAPP_PROVIDER: 'whatsapp-cloud',
        WHATSAPP_PROVIDERS: 'whatsapp-cloud:70,twilio:30',
      });
    }
  });

  it('hands a price table, from cdk.json as an object or -c as JSON, to both senders and the broadcasts API', () => {
    // Prepare
    const priceTable = { sms: { perSegment: 0.08, byCountry: { GB: 0.035 } }, whatsapp: { perMessage: 0.02 }, currency: 'GBP' };

    // Act
    const fromObject = synthesize({ priceTable });
    const fromString = synthesize({ priceTable: JSON.stringify(priceTable) });
    const unset = synthesize();

    // Assess
    for (const id of ['sendUrgent', 'sendBulk', 'broadcastsApi'] as const) {
      expect(JSON.parse(environmentOf(fromObject.stack, fromObject.template, id).PRICE_TABLE)).toEqual(priceTable);
    }
    expect(JSON.parse(environmentOf(fromString.stack, fromString.template, 'sendBulk').PRICE_TABLE)).toEqual(priceTable);
    expect(environmentOf(unset.stack, unset.template, 'sendBulk').PRICE_TABLE).toBeUndefined();
  });

  it("hands each sender's rate to both senders, and to the views that resolve identities (the identities' own rates and the providers' defaults apply beneath)", () => {
    // Prepare
    const sendRates = { 'twilio:sms': 30, 'aws-sms:sms': 20 };

    // Act
    const fromObject = synthesize({ sendRates });
    const unset = synthesize();

    // Assess
    for (const id of ['sendUrgent', 'sendBulk', 'providersApi', 'broadcastsApi'] as const) {
      expect(JSON.parse(environmentOf(fromObject.stack, fromObject.template, id).SEND_RATES)).toEqual(sendRates);
    }
    expect(environmentOf(fromObject.stack, fromObject.template, 'topicsApi').SEND_RATES).toBeUndefined();
    expect(environmentOf(unset.stack, unset.template, 'sendBulk').SEND_RATES).toBeUndefined();
  });

  it("hands the sender identities, each with its kind, to both senders and to the views that resolve them (the providers view, the broadcast preview's STOP footer)", () => {
    // Prepare
    const senders = [
      { id: 'main', provider: 'twilio', channel: 'sms', from: '+447700900123' },
      { id: 'youth', provider: 'twilio', channel: 'sms', from: '60123', departments: ['youth'], mps: 30 },
    ];

    // Act
    const fromObject = synthesize({ senders });
    const unset = synthesize();

    // Assess
    for (const id of ['sendUrgent', 'sendBulk', 'providersApi', 'broadcastsApi'] as const) {
      expect(JSON.parse(environmentOf(fromObject.stack, fromObject.template, id).SENDERS)).toEqual([
        { ...senders[0], kind: 'long_code' },
        { ...senders[1], kind: 'short_code' },
      ]);
    }
    expect(environmentOf(fromObject.stack, fromObject.template, 'twilioInbound').SENDERS).toBeUndefined();
    expect(environmentOf(unset.stack, unset.template, 'sendBulk').SENDERS).toBeUndefined();
  });

  it('names every problem of the sender identities at once, by entry and field', () => {
    // Prepare
    const senders = '[{"id":"main","provider":"aws-sms","channel":"sms","from":"CARDIFF-COUNCIL"},{"id":"main","provider":"twilio","channel":"sms","from":"+447700900123"}]';

    // Act
    const act = () => synthesize({ senders });

    // Assess
    expect(act).toThrow(/senders=.* is invalid: \[0\]\.from: "CARDIFF-COUNCIL" is not a sender aws-sms can send SMS from.*; \[1\]\.id: "main" is the id of an earlier identity/);
  });

  it.each([
    { key: 'sendRates', value: '{"twilio:fax":10}' },
    { key: 'sendRates', value: '{"twilio:sms":0}' },
    { key: 'smsProviders', value: 'twilio,twilio' },
    { key: 'smsProviders', value: 'twilio:80,aws-sms:0' },
    { key: 'smsProviders', value: 'twilio:80,aws-sms' },
    { key: 'whatsappProviders', value: 'twilio,aws-sms' },
    { key: 'failoverErrors', value: '0' },
    { key: 'topicShards', value: '0' },
    { key: 'topicShards', value: 'many' },
    { key: 'defaultCountry', value: 'gb' },
    { key: 'smsProvider', value: 'vonage' },
    { key: 'logLevel', value: 'VERBOSE' },
    { key: 'publicBaseUrl', value: 'sms.council.example' },
    { key: 'quietHours', value: '9pm-8am' },
    { key: 'quietHours', value: '21:00-21:00' },
    { key: 'timeZone', value: 'Wales/Cardiff' },
    { key: 'dailyMessageCap', value: '-1' },
    { key: 'operatorApprovalAbove', value: 'lots' },
    { key: 'priceTable', value: '{"sms":{"perSegment":-1},"whatsapp":{"perMessage":0.02}}' },
    { key: 'priceTable', value: 'not json' },
    { key: 'senders', value: '[{"id":"main","provider":"twilio","channel":"whatsapp","from":"CARDIFF"}]' },
    { key: 'senders', value: 'not json' },
    { key: 'retainMessagesDays', value: '7' },
    { key: 'retainConsentDays', value: 'forever' },
  ])('refuses $key=$value at synth time, naming the setting', ({ key, value }) => {
    // Prepare
    const context = { [key]: value };

    // Act
    const act = () => synthesize(context);

    // Assess
    expect(act).toThrow(new RegExp(`CDK context ${key}=`));
  });

  it('hands quiet hours and the time zone to the broadcasts API, both senders and the scheduler, and the limits to the broadcasts API', () => {
    // Prepare
    const context = { quietHours: '22:30-07:00', timeZone: 'Europe/Dublin', dailyMessageCap: '5000', operatorApprovalAbove: '20000' };

    // Act
    const { stack, template } = synthesize(context);

    // Assess
    expect(environmentOf(stack, template, 'broadcastsApi')).toMatchObject({
      QUIET_HOURS: '22:30-07:00',
      TIME_ZONE: 'Europe/Dublin',
      DAILY_MESSAGE_CAP: '5000',
      OPERATOR_APPROVAL_ABOVE: '20000',
    });
    for (const sender of ['sendUrgent', 'sendBulk', 'scheduler'] as const) {
      expect(environmentOf(stack, template, sender)).toMatchObject({ QUIET_HOURS: '22:30-07:00', TIME_ZONE: 'Europe/Dublin' });
    }
  });

  it('defaults to quiet hours 21:00-08:00 London time and limits that hold back a stolen sender key: operator approval above 2,000, 10,000 a day', () => {
    // Prepare
    const context = {};

    // Act
    const { stack, template } = synthesize(context);

    // Assess
    expect(environmentOf(stack, template, 'broadcastsApi')).toMatchObject({
      QUIET_HOURS: '21:00-08:00',
      TIME_ZONE: 'Europe/London',
      DAILY_MESSAGE_CAP: '10000',
      OPERATOR_APPROVAL_ABOVE: '2000',
    });
  });

  it('still turns the department limits off with 0', () => {
    // Prepare
    const context = { dailyMessageCap: '0', operatorApprovalAbove: '0' };

    // Act
    const { stack, template } = synthesize(context);

    // Assess
    expect(environmentOf(stack, template, 'broadcastsApi')).toMatchObject({ DAILY_MESSAGE_CAP: '0', OPERATOR_APPROVAL_ABOVE: '0' });
  });

  it('accepts quietHours=off', () => {
    // Prepare
    const context = { quietHours: 'off' };

    // Act
    const { stack, template } = synthesize(context);

    // Assess
    expect(environmentOf(stack, template, 'sendBulk').QUIET_HOURS).toBe('off');
  });

  it('uses publicBaseUrl, without its trailing slash, for webhook signatures and the Twilio inbound URL; receipts keep the function URL', () => {
    // Prepare
    const context = { publicBaseUrl: 'https://sms.council.example/' };

    // Act
    const { stack, template } = synthesize(context);

    // Assess
    expect(environmentOf(stack, template, 'twilioInbound').PUBLIC_BASE_URL).toBe('https://sms.council.example');
    expect(environmentOf(stack, template, 'twilioStatus').PUBLIC_BASE_URL).toBe('https://sms.council.example');
    expect(template.toJSON().Outputs.TwilioInboundWebhookUrl.Value).toBe(
      'https://sms.council.example/webhooks/twilio/inbound',
    );
    // The status callback crier gives Twilio is the function URL, whatever domain is in front of the API.
    const statusFunctionUrl = stack.getLogicalId(stack.functions.twilioStatus.functionUrl!.node.defaultChild as CfnElement);
    const statusCallbackUrl = { 'Fn::Join': ['', ['https://', { 'Fn::Select': [2, { 'Fn::Split': ['/', { 'Fn::GetAtt': [statusFunctionUrl, 'FunctionUrl'] }] }] }, '/webhooks/twilio/status']] };
    expect(environmentOf(stack, template, 'sendUrgent').STATUS_CALLBACK_URL).toEqual(statusCallbackUrl);
    expect(template.toJSON().Outputs.TwilioStatusWebhookUrl.Value).toEqual(statusCallbackUrl);
  });

  it('subscribes alarmEmail to the alarm topic, and nobody without it', () => {
    // Prepare
    const email = 'it-oncall@council.example';

    // Act
    const withEmail = synthesize({ alarmEmail: email }).template;
    const withoutEmail = synthesize().template;

    // Assess
    withEmail.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: email });
    // The AWS SMS notifications queue is the only subscriber then.
    expect(Object.values(withoutEmail.findResources('AWS::SNS::Subscription')).map((resource) => resource.Properties.Protocol)).toEqual(['sqs']);
  });
});
