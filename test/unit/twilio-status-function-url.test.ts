import 'aws-sdk-client-mock-vitest/extend';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import twilio from 'twilio';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import functionUrlEvent from '../../events/lambda-url/twilio-status.json';
import gatewayEvent from '../../events/apigw/twilio-inbound-base64.json';
import statusDelivered from '../../events/twilio/status-delivered.json';
import { handler } from '../../functions/http/twilio-status.js';
import { statusWebhookEnvSchema } from '../../shared/config/env.js';
import { lambdaContext } from '../support/lambda-context.js';

/**
 * The status webhook as Lambda runs it on its own function URL (and still behind API Gateway): its
 * real wiring and the twilio SDK's own signing, with DynamoDB faked. Twilio signs the exact URL it
 * calls, which on the function URL is that URL, not PUBLIC_BASE_URL.
 */

const AUTH_TOKEN = 'twilio-auth-token-for-the-status-webhook';
const PUBLIC_BASE_URL = 'https://sms.council.example';
const FUNCTION_URL = `https://${functionUrlEvent.requestContext.domainName}`;
const MESSAGE_ID = functionUrlEvent.queryStringParameters.messageId;
const CALLBACK_PATH = `/webhooks/twilio/status?${functionUrlEvent.rawQueryString}`;

const dynamo = mockClient(DynamoDBDocumentClient);
const context = lambdaContext('crier-twilio-status', statusWebhookEnvSchema.parse({ TABLE_NAME: 'placeholder', PUBLIC_BASE_URL }));
const params: Record<string, string> = { ...statusDelivered };

/** The same callback Twilio posts, on the function URL or through the gateway's route. */
function callback(via: 'function URL' | 'API Gateway', signature: string | undefined): APIGatewayProxyEventV2 {
  const event = structuredClone(via === 'function URL' ? functionUrlEvent : gatewayEvent) as unknown as APIGatewayProxyEventV2;
  if (via === 'API Gateway') {
    event.routeKey = 'POST /webhooks/twilio/status';
    event.rawPath = '/webhooks/twilio/status';
    event.rawQueryString = functionUrlEvent.rawQueryString;
    event.queryStringParameters = { messageId: MESSAGE_ID };
    event.headers = { 'content-type': 'application/x-www-form-urlencoded' };
  }
  event.body = Buffer.from(new URLSearchParams(params).toString()).toString('base64');
  event.isBase64Encoded = true;
  if (signature !== undefined) event.headers['x-twilio-signature'] = signature;
  return event;
}

/** What DynamoDB was asked, whatever the command: a refused callback must reach nothing. */
const tableRequestsAbout = (messageId: string) => dynamo.calls().filter((call) => JSON.stringify(call.args[0].input).includes(messageId));

beforeAll(() => {
  vi.stubEnv('TABLE_NAME', 'crier-prod');
  vi.stubEnv('PUBLIC_BASE_URL', PUBLIC_BASE_URL);
  vi.stubEnv('TWILIO_AUTH_TOKEN', AUTH_TOKEN);
  vi.stubEnv('SMS_PROVIDER', 'twilio');
  vi.stubEnv('WHATSAPP_PROVIDER', 'twilio');
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
  vi.stubEnv('AWS_REGION', 'eu-west-2');
});

afterAll(() => {
  vi.unstubAllEnvs();
  dynamo.restore();
});

beforeEach(() => {
  dynamo.reset();
  // No message stored: the receipt is looked up and found unknown, which is still acknowledged.
  dynamo.onAnyCommand().resolves({});
});

describe('twilioStatus on its function URL', () => {
  it.each<[string, 'function URL' | 'API Gateway', () => string | undefined, number]>([
    ['signed over the function URL Twilio called', 'function URL', () => twilio.getExpectedTwilioSignature(AUTH_TOKEN, `${FUNCTION_URL}${CALLBACK_PATH}`, params), 200],
    ['signed over PUBLIC_BASE_URL, through the API Gateway route (a message sent before the function URL)', 'API Gateway', () => twilio.getExpectedTwilioSignature(AUTH_TOKEN, `${PUBLIC_BASE_URL}${CALLBACK_PATH}`, params), 200],
    ['signed over PUBLIC_BASE_URL but posted to the function URL', 'function URL', () => twilio.getExpectedTwilioSignature(AUTH_TOKEN, `${PUBLIC_BASE_URL}${CALLBACK_PATH}`, params), 403],
    ['signed over the function URL but posted through API Gateway', 'API Gateway', () => twilio.getExpectedTwilioSignature(AUTH_TOKEN, `${FUNCTION_URL}${CALLBACK_PATH}`, params), 403],
    ['forged: signed with another auth token', 'function URL', () => twilio.getExpectedTwilioSignature('not-our-token', `${FUNCTION_URL}${CALLBACK_PATH}`, params), 403],
    ['unsigned', 'function URL', () => undefined, 403],
  ])('a callback %s, via the %s, is answered %i', async (_case, via, sign, status) => {
    // Prepare
    const event = callback(via, sign());

    // Act
    const response = await handler(event, context);

    // Assess
    expect(response.statusCode).toBe(status);
    expect(tableRequestsAbout(MESSAGE_ID).length > 0).toBe(status === 200);
  });

  it('answers an accepted callback with empty TwiML, as behind API Gateway', async () => {
    // Prepare
    const event = callback('function URL', twilio.getExpectedTwilioSignature(AUTH_TOKEN, `${FUNCTION_URL}${CALLBACK_PATH}`, params));

    // Act
    const response = await handler(event, context);

    // Assess
    expect(response.headers?.['content-type']).toMatch(/^text\/xml/);
    expect(response.body).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
  });

  it('answers 404 to any other path on its function URL', async () => {
    // Prepare
    const event = callback('function URL', twilio.getExpectedTwilioSignature(AUTH_TOKEN, `${FUNCTION_URL}/webhooks/twilio/inbound`, params));
    event.rawPath = '/webhooks/twilio/inbound';
    event.requestContext.http.path = '/webhooks/twilio/inbound';

    // Act
    const response = await handler(event, context);

    // Assess
    expect(response.statusCode).toBe(404);
    expect(dynamo.calls()).toHaveLength(0);
  });
});
