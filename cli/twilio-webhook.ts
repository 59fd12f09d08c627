import { randomBytes } from 'node:crypto';
import { apiErrorFrom, type HttpClient } from './http.js';

export const INBOUND_PATH = '/webhooks/twilio/inbound';

/** What the local stack checks inbound signatures with unless TWILIO_AUTH_TOKEN says otherwise (local/main.ts). */
export const LOCAL_DEV_AUTH_TOKEN = 'crier-local-dev-token';
/** The account SID the local stack uses when none is set: AC and 32 zeros. */
export const LOCAL_ACCOUNT_SID = `AC${'0'.repeat(32)}`;
export const WHATSAPP_PREFIX = 'whatsapp:';

export interface InboundText {
  from: string;
  to: string;
  body: string;
  whatsapp: boolean;
  accountSid: string;
}

/** The form fields of Twilio's incoming-message webhook, as Twilio sends them. */
export function inboundParams(text: InboundText): Record<string, string> {
  const address = (number: string) => (text.whatsapp ? `${WHATSAPP_PREFIX}${number}` : number);
  return {
    MessageSid: `SM${randomBytes(16).toString('hex')}`,
    AccountSid: text.accountSid,
    From: address(text.from),
    To: address(text.to),
    Body: text.body,
    NumMedia: '0',
  };
}

export interface Signing {
  authToken: string;
  /** The URL crier believes it is reached at (its PUBLIC_BASE_URL); the signature covers it. */
  publicUrl: string;
}

/**
 * Posts a webhook signed the way Twilio signs it, with Twilio's own helper, so what the gateway
 * verifies is exactly what real Twilio would send. twilio is loaded only here: it is slow to load
 * and no other command needs it.
 */
export async function postSignedWebhook(http: HttpClient, path: string, params: Record<string, string>, signing: Signing): Promise<void> {
  const { default: twilio } = await import('twilio');
  const signature = twilio.getExpectedTwilioSignature(signing.authToken, `${signing.publicUrl}${path}`, params);
  const response = await http.request('POST', path, {
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
    body: new URLSearchParams(params).toString(),
  });
  if (response.status >= 200 && response.status <= 299) return;
  const error = apiErrorFrom(response);
  if (response.status === 403) {
    error.details.push(
      { field: '--token', message: 'must be the TWILIO_AUTH_TOKEN crier runs with' },
      { field: '--public-url', message: `must be crier's PUBLIC_BASE_URL (signed: ${signing.publicUrl}${path})` },
    );
  }
  throw error;
}
