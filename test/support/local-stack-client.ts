import twilio from 'twilio';
import { expect } from 'vitest';
import type { LocalStack } from '../../local/stack.js';

/** Talks to a running local stack the way a provider and a member of staff would. */
export class LocalStackClient {
  private sequence = 0;

  constructor(
    private readonly stack: LocalStack,
    private readonly authToken: string,
    private readonly accountSid = `AC${'0'.repeat(32)}`,
  ) {}

  /** A JSON admin API call with the operator key (or another key). */
  async api(method: string, path: string, body?: unknown, key = this.stack.operatorKey): Promise<{ status: number; json: any }> {
    const response = await fetch(`${this.stack.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, json: text ? JSON.parse(text) : undefined };
  }

  /** A GET whose answer is not JSON (a CSV report): its status, headers and body as text. */
  async apiText(path: string, key = this.stack.operatorKey): Promise<{ status: number; text: string; headers: Headers }> {
    const response = await fetch(`${this.stack.baseUrl}${path}`, { headers: { authorization: `Bearer ${key}` } });
    return { status: response.status, text: await response.text(), headers: response.headers };
  }

  /** Twilio's inbound webhook, signed with the twilio SDK's own helper over PUBLIC_BASE_URL. */
  inboundParams(from: string, body: string, messageSid = this.nextSid('SM')): Record<string, string> {
    return {
      MessageSid: messageSid,
      AccountSid: this.accountSid,
      From: from,
      To: '+447700900000',
      Body: body,
      NumMedia: '0',
    };
  }

  async postTwilio(path: string, params: Record<string, string>, signature?: string): Promise<Response> {
    const signedUrl = `${this.stack.publicBaseUrl}${path}`;
    return fetch(`${this.stack.baseUrl}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': signature ?? twilio.getExpectedTwilioSignature(this.authToken, signedUrl, params),
      },
      body: new URLSearchParams(params).toString(),
    });
  }

  async text(from: string, body: string): Promise<Response> {
    return this.postTwilio('/webhooks/twilio/inbound', this.inboundParams(from, body));
  }

  /** Texts, waits until every queue is quiet, and returns what the sender received since. */
  async textAndCollect(from: string, body: string): Promise<string[]> {
    const before = (await this.outbox(from)).length;
    const response = await this.text(from, body);
    expect(response.status).toBe(200);
    await this.stack.settled();
    return (await this.outbox(from)).slice(before).map((message) => message.body);
  }

  async outbox(to?: string): Promise<{ id: string; to: string; from: string; body: string; status: string; messageId: string }[]> {
    const response = await fetch(`${this.stack.baseUrl}/sandbox/messages${to ? `?to=${encodeURIComponent(to)}` : ''}`);
    return ((await response.json()) as { messages: any[] }).messages;
  }

  nextSid(prefix: 'SM' | 'MM'): string {
    this.sequence += 1;
    return `${prefix}${this.sequence.toString(16).padStart(32, '0')}`;
  }
}
