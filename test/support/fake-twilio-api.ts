/**
 * A local stand-in for Twilio's Messages API, for running the real `twilio` SDK in tests.
 *
 * Implements `POST /2010-04-01/Accounts/{AccountSid}/Messages.json` as Twilio documents it:
 * form-encoded parameters, HTTP Basic auth with the account SID and auth token, a 201 Message
 * resource on success and Twilio's error JSON (`{ code, message, more_info, status }`) on failure.
 * Failures can be scripted per request with `failNext`.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenLocally, readBody, scriptedDelay, sendHtmlStatus, sendJson, stopFakeServer } from './fake-http-server.js';

/** One scripted answer, used by the next request instead of the normal behaviour. */
export type FakeTwilioFailure =
  /** Answer with this HTTP status; with a `code`, in Twilio's error JSON, without one as plain text (like a proxy's 502). */
  | { status: number; code?: number; message?: string }
  /** Close the socket without answering (a reset connection). */
  | { dropConnection: true }
  /** Answer normally, but only after this many milliseconds (to exercise client timeouts). */
  | { delayMs: number }
  /** Answer with exactly this status and JSON body (e.g. a 201 that is not a Message resource). */
  | { respond: { status: number; body: unknown } };

export interface FakeTwilioRequest {
  method: string;
  path: string;
  /** The account SID in the URL path, when the path is a Messages path. */
  accountSid: string | undefined;
  /** True when the Basic credentials matched the fake's account SID and auth token. */
  authenticated: boolean;
  headers: IncomingMessage['headers'];
  /** The decoded form body; a repeated key keeps its last value. */
  form: Record<string, string>;
}

export interface FakeTwilioApi {
  /** e.g. `http://127.0.0.1:41234`; give it to the adapter as `apiBaseUrl`. */
  baseUrl: string;
  accountSid: string;
  authToken: string;
  /** Every request received, oldest first (a live array). */
  requests: FakeTwilioRequest[];
  /** Scripts the answer to the next request; several calls queue up in order. */
  failNext(failure: FakeTwilioFailure): void;
  close(): Promise<void>;
}

const MESSAGES_PATH = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/;

function hex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

function sendTwilioError(response: ServerResponse, status: number, code: number, message: string): void {
  sendJson(response, status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });
}

/** Twilio's dates are RFC 2822, e.g. `Thu, 24 Aug 2023 05:01:45 +0000`. */
function rfc2822(date: Date): string {
  return date.toUTCString().replace('GMT', '+0000');
}

export async function startFakeTwilioApi(
  options: { accountSid?: string; authToken?: string } = {},
): Promise<FakeTwilioApi> {
  const accountSid = options.accountSid ?? `AC${hex(16)}`;
  const authToken = options.authToken ?? hex(16);
  const expectedAuthorization = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
  const requests: FakeTwilioRequest[] = [];
  const scripted: FakeTwilioFailure[] = [];
  const timers = new Set<NodeJS.Timeout>();

  function createMessage(response: ServerResponse, form: Record<string, string>): void {
    if (!form.To) return sendTwilioError(response, 400, 21604, "A 'To' phone number is required.");
    if (!form.From && !form.MessagingServiceSid) {
      return sendTwilioError(response, 400, 21603, "A 'From' or 'MessagingServiceSid' parameter is required to send a message.");
    }
    // Like Twilio: a Content Template (ContentSid) stands in for the body.
    if (!form.Body && !form.ContentSid) return sendTwilioError(response, 400, 21602, 'Message body is required.');
    const sid = `SM${hex(16)}`;
    const now = rfc2822(new Date());
    // Without a From, a Messaging Service first "accepts" the message and picks the sender later.
    const status = form.From ? 'queued' : 'accepted';
    sendJson(response, 201, {
      account_sid: accountSid,
      api_version: '2010-04-01',
      body: form.Body ?? '',
      date_created: now,
      date_sent: null,
      date_updated: now,
      direction: 'outbound-api',
      error_code: null,
      error_message: null,
      from: form.From ?? null,
      messaging_service_sid: form.MessagingServiceSid ?? null,
      num_media: '0',
      num_segments: form.From ? '1' : '0',
      price: null,
      price_unit: 'USD',
      sid,
      status,
      subresource_uris: { media: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}/Media.json` },
      to: form.To,
      uri: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}.json`,
    });
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://fake').pathname;
    const pathAccount = MESSAGES_PATH.exec(path)?.[1];
    const body = await readBody(request);
    const form: Record<string, string> = {};
    for (const [key, value] of new URLSearchParams(body)) form[key] = value;
    const authenticated = request.headers.authorization === expectedAuthorization;
    requests.push({ method: request.method ?? 'GET', path, accountSid: pathAccount, authenticated, headers: request.headers, form });

    const failure = scripted.shift();
    if (failure !== undefined) {
      if ('dropConnection' in failure) {
        request.socket.destroy();
        return;
      }
      if ('respond' in failure) {
        return sendJson(response, failure.respond.status, failure.respond.body);
      }
      if ('status' in failure) {
        if (failure.code === undefined) return sendHtmlStatus(response, failure.status);
        return sendTwilioError(response, failure.status, failure.code, failure.message ?? `Scripted failure ${failure.code}`);
      }
      await scriptedDelay(failure.delayMs, timers);
      if (response.destroyed) return;
    }

    if (request.method !== 'POST' || pathAccount === undefined) {
      return sendTwilioError(response, 404, 20404, `The requested resource ${path} was not found`);
    }
    if (!authenticated) return sendTwilioError(response, 401, 20003, 'Authenticate');
    if (pathAccount !== accountSid) {
      return sendTwilioError(response, 404, 20404, `The requested resource ${path} was not found`);
    }
    createMessage(response, form);
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) sendTwilioError(response, 500, 20500, `fake Twilio API error: ${String(error)}`);
      else response.destroy();
    });
  });
  const port = await listenLocally(server, 'fake Twilio API');

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    accountSid,
    authToken,
    requests,
    failNext(failure) {
      scripted.push(failure);
    },
    close: () => stopFakeServer(server, timers),
  };
}
